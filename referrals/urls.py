from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("y-kien/<int:pk>/anh/", views.verdict_photo, name="verdict_photo"),
    path("phan-anh/", views.screening_list, name="reports"),
    path("phan-anh/nhap-ho/", views.staff_entry, name="report_entry"),
    path("phan-anh/nhap-ho/da-nhap/", views.staff_entered, name="report_entered"),
    path("phan-anh/<int:pk>/", views.screening_detail, name="report"),
    path("phan-anh/<int:pk>/tep/", views.screening_document, name="report_document"),
]
