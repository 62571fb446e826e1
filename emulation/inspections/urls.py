from django.urls import path

from . import views, workspace

app_name = "inspections"

urlpatterns = [
    path("", workspace.inspection_list, name="list"),
    path("mo/", workspace.inspection_new, name="new"),
    path("<int:pk>/", workspace.inspection_detail, name="detail"),
    path("<int:pk>/ket-luan/", workspace.conclusion_new, name="conclude"),
    path("phat-hien/", workspace.my_findings, name="my_findings"),
    path("bao-cao-tuan/", workspace.weekly_report, name="weekly"),
    path("cong-khai/", views.public_summary, name="public"),
]
