"""The public pages of residents' reports of passing the buck (/phan-anh/)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_board, name="board"),
    path("gui/", views.report_form, name="form"),
    path("da-gui/", views.report_sent, name="sent"),
    path("<str:access_token>/", views.report_private, name="private"),
    path("<str:access_token>/xac-nhan/<str:signature>/", views.report_confirm, name="confirm"),
    path("<str:access_token>/gui-lai-xac-nhan/", views.report_resend, name="resend"),
    path("<str:access_token>/xoa-du-lieu/", views.report_erase, name="erase"),
]
