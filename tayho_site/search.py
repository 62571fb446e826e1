"""Site search: Vietnamese typed with or without diacritics finds the same pages."""

from django.core.paginator import Paginator
from wagtail.models import Page

from .text import fold

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def search_pages(query: str, page_number=None, page_size: int = PAGE_SIZE):
    """A page of live, public pages matching `query`, most relevant first.

    The query is folded exactly as the index's folded text is, so "dun day" and
    "đùn đẩy" are the same search. Returns (paginator page or None, folded query).
    """
    folded = fold((query or "")[:MAX_QUERY_LENGTH])
    if not folded:
        return None, ""
    results = Page.objects.live().public().search(folded, operator="and")
    paginated = Paginator(results, page_size).get_page(page_number)
    # Load the specific pages of this one page of results, a query per page type.
    ids = [page.pk for page in paginated.object_list]
    specific = Page.objects.filter(pk__in=ids).specific().in_bulk()
    paginated.object_list = [specific[pk] for pk in ids if pk in specific]
    return paginated, folded
