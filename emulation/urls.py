from django.urls import path

from . import evaluation_views, views

app_name = "emulation"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("dang-ky/", views.register, name="register"),
    path("bang-theo-doi/", views.unit_board, name="board"),
    path("<int:pk>/", views.commitment_detail, name="commitment"),
    path("<int:pk>/minh-chung/<int:report_id>/", views.evidence, name="evidence"),
    path("danh-gia/", evaluation_views.evaluation_index, name="evaluation"),
    path("danh-gia/<int:pk>/", evaluation_views.month_detail, name="month"),
    path("danh-gia/<int:pk>/xuat/", evaluation_views.month_export, name="month_export"),
    path("danh-gia/phieu/<int:pk>/", evaluation_views.assess, name="assess"),
    path("can-bo/<int:pk>/", evaluation_views.person_history, name="person_history"),
]
