"""Navigation, breadcrumbs and the language switch for the site-wide templates."""

from django import template
from django.urls import translate_url
from wagtail.models import Page, Site

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


@register.inclusion_tag("tayho_site/includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context["request"]
    current = context.get("page")
    root = _site_root(request)
    items = []
    if root is not None:
        menu = root.get_children().live().public().in_menu().only("id", "path", "depth", "title", "url_path")
        for item in menu:
            active = bool(current and (current.path.startswith(item.path)))
            items.append({"title": item.title, "url": item.get_url(request), "active": active,
                          "current": bool(current and current.pk == item.pk)})
    return {"items": items, "root_url": root.get_url(request) if root else "/", "request": request}


@register.inclusion_tag("tayho_site/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context["request"]
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"crumbs": []}
    ancestors = Page.objects.ancestor_of(page).filter(depth__gt=1).only("id", "path", "depth", "title", "url_path")
    crumbs = [{"title": a.title, "url": a.get_url(request)} for a in ancestors]
    crumbs.append({"title": page.title, "url": None})
    return {"crumbs": crumbs}


@register.simple_tag(takes_context=True)
def url_in_language(context, language):
    """The current page's address in another interface language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def latest_news(context, index=None, count=3):
    from ..models import NewsPage

    items = NewsPage.objects.live().public().select_related("image").order_by("-date", "-pk")
    if index is not None:
        items = items.descendant_of(index)
    return list(items[:count])
