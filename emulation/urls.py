from django.urls import path

from .workspace import commitments, evaluation

app_name = "emulation"

urlpatterns = [
    path("", commitments.workspace, name="workspace"),
    path("dang-ky/", commitments.register, name="register"),
    path("bang-theo-doi/", commitments.unit_board, name="board"),
    path("<int:pk>/", commitments.commitment_detail, name="commitment"),
    path("<int:pk>/minh-chung/<int:report_id>/", commitments.evidence, name="evidence"),
    path("danh-gia/", evaluation.evaluation_index, name="evaluation"),
    path("danh-gia/<int:pk>/", evaluation.month_detail, name="month"),
    path("danh-gia/<int:pk>/xuat/", evaluation.month_export, name="month_export"),
    path("danh-gia/phieu/<int:pk>/", evaluation.assess, name="assess"),
    path("can-bo/<int:pk>/", evaluation.person_history, name="person_history"),
]
