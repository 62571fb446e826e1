from django.urls import path

from . import views

app_name = "contest"

urlpatterns = [
    path("<str:access_token>/", views.entry_private, name="entry_private"),
    path("<str:access_token>/xac-nhan/<str:signature>/", views.entry_confirm, name="entry_confirm"),
    path("<str:access_token>/gui-lai-xac-nhan/", views.entry_resend, name="entry_resend"),
    path("<str:access_token>/rut-bai/", views.entry_withdraw, name="entry_withdraw"),
    path("<str:access_token>/tai-ve/", views.entry_download, name="entry_download"),
    path("<str:access_token>/sua/", views.entry_edit, name="entry_edit"),
    path("<str:access_token>/du-lieu-ca-nhan/", views.entry_personal_data, name="entry_personal_data"),
    path("<str:access_token>/xoa-du-lieu/", views.entry_erase, name="entry_erase"),
]
