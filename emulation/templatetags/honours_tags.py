from django import template
from django.core.cache import cache

register = template.Library()


@register.simple_tag
def recent_honours(count=4):
    """The newest published honours, for the home page: one query, then from the cache
    until an honour is published or revoked (the board's version is in the key)."""
    from emulation.honours.rules import board_version, published

    def newest():
        return list(published().select_related("category", "photo").order_by("-published_at", "-pk")[:count])

    return cache.get_or_set(f"honours:recent:{board_version()}:{count}", newest, 600)
