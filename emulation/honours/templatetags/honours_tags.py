from django import template

register = template.Library()


@register.simple_tag
def recent_honours(count=4):
    """The newest published honours, for the home page (one query, always current)."""
    from emulation.honours.queries import published

    return list(published().select_related("category", "photo").order_by("-published_at", "-pk")[:count])
