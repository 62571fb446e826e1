"""Navigation, breadcrumbs and the language switch for the site-wide templates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from .. import pagetree
from ..navigation import menu_items

register = template.Library()


@register.inclusion_tag("tayho_site/includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context["request"]
    current = context.get("page")
    site = Site.find_for_request(request)
    items = [
        {
            **item,
            "current": bool(current and current.path == item["path"]),
            "active": bool(current and current.path.startswith(item["path"])),
        }
        for item in menu_items(site, request)
    ]
    root_url = site.root_page.get_url(request) if site else "/"
    return {"items": items, "root_url": root_url, "request": request}


@register.inclusion_tag("tayho_site/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context["request"]
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"crumbs": []}

    def ancestors():
        found = Page.objects.ancestor_of(page).filter(depth__gt=1).only("id", "path", "depth", "title", "url_path")
        return [{"title": a.title, "url": a.get_url(request)} for a in found]

    crumbs = pagetree.keep(("crumbs", page.pk, get_language()), ancestors)
    return {"crumbs": [*crumbs, {"title": page.title, "url": None}]}


@register.simple_tag
def language_choices():
    """The interface languages, each named in itself ("Tiếng Việt", "English")."""
    return [{"code": code, "name": name} for code, name in settings.LANGUAGES]


@register.simple_tag(takes_context=True)
def url_in_language(context, language):
    """The current page's address in another interface language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def page_children(page, relation):
    """{% page_children page "categories" as categories %}: rows edited with the page,
    kept while the page tree is unchanged (tayho_site.pagetree.children)."""
    return pagetree.children(page, relation)


@register.simple_tag(takes_context=True)
def latest_news(context, index=None, count=3):
    from ..models import NewsPage

    items = pagetree.public(NewsPage.objects.live()).select_related("image").order_by("-date", "-pk")
    if index is not None:
        items = items.descendant_of(index)
    return list(items[:count])


@register.filter
def time_left(moment):
    """{{ page.closes_at|time_left }}: "58 ngày", "5 giờ", "12 phút" (tayho_site.durations)."""
    from ..durations import time_left as say

    return say(moment)
