"""The main menu: the site root's live, public children marked "show in menus", each
under its short menu title when it has one.

Every public page shows it, so it is cached (per site and language) and the cache is
invalidated whenever a page is published, unpublished, moved or deleted.
"""

from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move


class MenuTitleMixin(models.Model):
    """A short name for the main menu, which editors set on the page's Promote tab: the
    menu has room for six or seven items at 1024 px, and page titles are sentences."""

    menu_title = models.CharField(
        _("Menu title"),
        max_length=24,
        blank=True,
        help_text=_("A short name for the main menu, e.g. “Vinh danh”. Empty: the page's title."),
    )

    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]

    class Meta:
        abstract = True

    @property
    def menu_label(self):
        return self.menu_title or self.title


VERSION_KEY = "nav:version"
TIMEOUT = 60 * 60


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.set(VERSION_KEY, version, None)
    return version


def invalidate(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def menu_items(site, request):
    """[{"title", "url", "path"}] for the site's main menu, in the editor's order."""
    if site is None:
        return []
    key = f"nav:{site.pk}:{get_language()}:{_version()}"
    items = cache.get(key)
    if items is None:
        children = (
            site.root_page.get_children()
            .live()
            .in_menu()
            # Pages with a view restriction of their own stay out of the public menu.
            .filter(view_restrictions__isnull=True)
            .specific()
        )
        # A page's short menu title where its editors gave one (MenuTitleMixin).
        items = [
            {"title": getattr(page, "menu_label", page.title), "url": page.get_url(request), "path": page.path}
            for page in children
        ]
        cache.set(key, items, TIMEOUT)
    return items


page_published.connect(invalidate, dispatch_uid="tayho_nav_published")
page_unpublished.connect(invalidate, dispatch_uid="tayho_nav_unpublished")
post_page_move.connect(invalidate, dispatch_uid="tayho_nav_moved")


@receiver(post_delete, dispatch_uid="tayho_nav_deleted")
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate()
