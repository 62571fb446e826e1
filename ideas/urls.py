from django.urls import path

from . import views, workspace

app_name = "ideas"

urlpatterns = [
    path("ung-ho/<int:pk>/<str:signature>/", views.support_confirm, name="support_confirm"),
    path("huy-nhan-thu/<int:pk>/<str:signature>/", views.unsubscribe, name="unsubscribe"),
    path("theo-doi/<int:pk>/<str:signature>/", views.follow, name="follow"),
    path("bo-theo-doi/<int:pk>/<str:signature>/", views.unfollow, name="unfollow"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    path("danh-gia/<int:pk>/<int:answer>/<str:signature>/", views.verdict, name="verdict"),
    path("anh-tien-do/<int:pk>/<int:report_id>/", views.progress_photo, name="progress_photo"),
    path("nhap-ho/", workspace.staff_entry, name="staff_entry"),
    path("nhap-ho/da-nhap/", workspace.staff_entered, name="staff_entered"),
    path("<str:access_token>/", views.private, name="private"),
    path("<str:access_token>/xac-nhan/<str:signature>/", views.confirm, name="confirm"),
    path("<str:access_token>/gui-lai-xac-nhan/", views.resend, name="resend"),
    path("<str:access_token>/tep/", views.private_attachment, name="private_attachment"),
    path("<str:access_token>/du-lieu-ca-nhan/", views.personal_data, name="personal_data"),
    path("<str:access_token>/xoa-du-lieu/", views.erase, name="erase"),
]
