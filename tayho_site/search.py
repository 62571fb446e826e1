"""Site search: Vietnamese typed with or without diacritics finds the same pages."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from wagtail.models import Page

from .pagetree import public
from .text import query_words, typed_query

MAX_QUERY_LENGTH = 200
MAX_WORDS = 20
PAGE_SIZE = 10


@dataclass
class SearchOutcome:
    query: str
    folded: str
    results: PaginatorPage | None = None
    # True when no page has every word and the results are pages with some of them.
    partial: bool = False


def search_pages(query: str, page_number=None, page_size: int = PAGE_SIZE) -> SearchOutcome:
    """Live, public pages matching `query`, most relevant first.

    The query is reduced to its words, folded exactly as the index's folded text is, so
    "dun day" and "đùn đẩy" are the same search, and whatever else was typed is no
    error. Pages holding every word come first; when there are none, pages holding any
    of the words are offered instead (a mistyped syllable —
    "dung day" for "đùn đẩy" — still leads somewhere), and the outcome says so.
    """
    outcome = SearchOutcome(query=typed_query(query, MAX_QUERY_LENGTH), folded="")
    # Words only: the full-text syntax of SQLite (quotes, brackets, NEAR, *) and the NUL
    # that PostgreSQL refuses never reach the index.
    outcome.folded = " ".join(query_words(outcome.query, MAX_WORDS))
    if not outcome.folded:
        return outcome
    pages = public(Page.objects.live())
    results = pages.search(outcome.folded, operator="and")
    if not results.count() and len(outcome.folded.split()) > 1:
        results = pages.search(outcome.folded, operator="or")
        outcome.partial = True
    paginated = Paginator(results, page_size).get_page(page_number)
    # Load the specific pages of this one page of results: a query per page type.
    ids = [page.pk for page in paginated.object_list]
    specific = Page.objects.filter(pk__in=ids).specific().in_bulk()
    paginated.object_list = [specific[pk] for pk in ids if pk in specific]
    outcome.results = paginated
    return outcome
