from django.urls import path

from . import workspace

app_name = "honours"

urlpatterns = [
    path("", workspace.nomination_list, name="list"),
    path("de-nghi/", workspace.nominate, name="nominate"),
    path("goi-y/", workspace.propose, name="propose"),
    path("<int:pk>/", workspace.nomination_detail, name="nomination"),
    path("<int:pk>/minh-chung/<int:evidence_id>/", workspace.evidence, name="evidence"),
]
