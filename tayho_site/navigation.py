"""The main menu: the site root's live, public children marked "show in menus", each
under its short menu title when it has one.

Every public page shows it, so each process keeps it (per site and language) while the
page tree is unchanged (tayho_site/pagetree.py).
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from . import pagetree


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


def menu_items(site, request):
    """[{"title", "url", "path"}] for the site's main menu, in the editor's order."""
    if site is None:
        return []

    def items():
        children = (
            site.root_page.get_children()
            .live()
            .in_menu()
            # Pages with a view restriction of their own stay out of the public menu.
            .filter(view_restrictions__isnull=True)
            .specific()
        )
        # A page's short menu title where its editors gave one (MenuTitleMixin).
        return [
            {"title": getattr(page, "menu_label", page.title), "url": page.get_url(request), "path": page.path}
            for page in children
        ]

    return pagetree.keep(("menu", site.pk, get_language()), items)
