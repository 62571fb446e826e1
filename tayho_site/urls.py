from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import health, twofactor, views

handler500 = "tayho_site.views.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/hai-buoc/", twofactor.setup, name="two_factor_setup"),
    path("tai-khoan/ma-xac-thuc/", twofactor.verify, name="two_factor_verify"),
    # The staff guide is in Vietnamese only, like the district's staff.
    path("huong-dan/", views.staff_guide, name="staff_guide"),
    path("huong-dan/<slug:slug>/", views.staff_guide, name="staff_guide_section"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("tim-kiem/", views.search, name="search"),
    path("bai-du-thi/", include("contest.urls")),
    path("cham-bai/", include("contest.judging.urls")),
    path("ho-so-y-tuong/", include("ideas.urls")),
    path("thi-dua/chuyen-xu-ly/", include("referrals.urls")),
    path("phan-anh/", include("referrals.report_urls")),
    path("thi-dua/khen-thuong/", include("emulation.honours.urls")),
    path("thi-dua/thanh-tra/", include("emulation.inspections.urls")),
    path("thi-dua/", include("emulation.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
