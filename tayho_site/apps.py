from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TayHoSiteConfig(AppConfig):
    name = "tayho_site"
    label = "tayho_site"
    verbose_name = _("Site")
