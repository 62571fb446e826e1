from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TayHoSiteConfig(AppConfig):
    name = "tayho_site"
    label = "tayho_site"
    verbose_name = _("Site")

    def ready(self):
        from .retention import register_site_kinds

        register_site_kinds()

        from . import pagecache, pagetree, staffauth

        staffauth.connect_signals()
        pagecache.connect_signals()
        pagetree.connect_signals()
        pagecache.purge_on_change(
            "tayho_site.SiteSettings",
            "tayho_site.Ward",
            "tayho_site.CalendarDay",
            "wagtailimages.Image",
            "wagtaildocs.Document",
            "wagtailcore.Site",
            # A page made private is not published again: its restriction alone must purge.
            "wagtailcore.PageViewRestriction",
            "wagtailcore.CollectionViewRestriction",
        )
