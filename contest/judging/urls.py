from django.urls import path

from . import workspace

app_name = "judging"

urlpatterns = [
    path("", workspace.queue, name="queue"),
    path("<int:assignment_id>/", workspace.score, name="score"),
    path("<int:assignment_id>/tep-dinh-kem/", workspace.attachment, name="attachment"),
    path("<int:assignment_id>/tu-choi/", workspace.recuse, name="recuse"),
    path("thao-luan/<int:item_id>/", workspace.discussion, name="discussion"),
]
