from django.urls import path

from . import views

app_name = "judging"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:assignment_id>/", views.score, name="score"),
    path("<int:assignment_id>/tep-dinh-kem/", views.attachment, name="attachment"),
    path("<int:assignment_id>/tu-choi/", views.recuse, name="recuse"),
]
