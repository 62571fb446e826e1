from django.urls import path

from . import views

app_name = "emulation"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("dang-ky/", views.register, name="register"),
    path("bang-theo-doi/", views.unit_board, name="board"),
    path("<int:pk>/", views.commitment_detail, name="commitment"),
    path("<int:pk>/minh-chung/<int:report_id>/", views.evidence, name="evidence"),
]
