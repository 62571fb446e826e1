#!/usr/bin/env python
"""The three searches of the site at scale: the site search (Wagtail's index of the
pages, `tayho_site.search.search_pages`), the idea gallery's (`ideas.queries.gallery`) and
the honour board's (`emulation.honours.queries.board`), with 10,000 published ideas,
10,000 published honours and 1,000 public pages. Budget: a median under 50 ms per search.

For each kind, a mix of queries (with and without diacritics, one word and several, words
that many rows hold and few, a word none holds) is run R times each: the search as the
view runs it (its first page of results loaded and the count the page shows) and, with
--client, the whole page through the test client (the board's uncached). Prints the
database vendor, the SQL queries of each search (they depend on the query, never on how
much data there is), and the median and 95th percentile in milliseconds; exits non-zero
when a kind's median is over the budget.

Runs on the database in DATABASE_URL (SQLite's development database by default; a
PostgreSQL database named there is created if missing), migrated, with the demo content
(`manage.py load_demo --no-admin`) loaded if there is none. The ideas, honours and pages
are added once and kept, so later runs start at once; the tables are then analysed
(ANALYZE), as autovacuum would.

    .venv/bin/python -m benchmarks.search [--ideas 10000] [--honours 10000] [--pages 1000]
        [--repeat 10] [--client]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tayho_bench_search .venv/bin/python -m benchmarks.search
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tayho_site.settings.dev")
warnings.filterwarnings("ignore", message="No directory at")

BUDGET_MS = 50
PAGE_TITLE = "Trang thử tìm kiếm"
PAGE_SLUG = "trang-thu-tim-kiem"

# Words of the extra pages' titles and introductions, each page a few of them: some words
# are on many pages, some on few.
PAGE_WORDS = (
    "Hồ Tây xanh sạch đẹp phố phường văn hiến văn minh hiện đại đáng sống sen Quảng Bá đào Nhật Tân quất "
    "Tứ Liên phủ chùa Trấn Quốc đường ven hồ cây nước trong người dân du khách nghề truyền thống giữ gìn "
    "phát huy bản sắc xây dựng chính quyền gần kỷ cương trách nhiệm"
).split()

QUERIES = {
    "site": [
        "ho tay",  # many pages
        "Hồ Tây",
        "ky cuong",  # the demo's pages too
        "kỷ cương trách nhiệm",
        "cay xanh ven ho",  # several words
        "trang thu 777",  # few
        "Nhật Tân quất",
        "dung day",  # no page has both: the 'or' fallback
        "zzzz",  # nothing
    ],
    "ideas": [
        "ho tay",  # every idea
        "Hồ Tây",
        "y tuong thu tai",
        "tưởng",
        "thu tai 4321",  # one
        "77",  # a few (77, 770-779, 7700-7799)
        "ý tưởng 12 hồ",
        "zzzz",  # nothing
    ],
    "honours": [
        "nguyen van",  # every honour
        "Nguyễn Văn Thử",
        "dien hinh",
        "thu 1234",  # one
        "Thử 55",  # a few
        "le thi",  # the demo's
        "zzzz",  # nothing
    ],
}


def create_database():
    """A PostgreSQL database named in DATABASE_URL is created if missing (as the server
    benchmarks' `use_services` does); SQLite needs nothing."""
    from urllib.parse import urlparse

    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    name = parsed.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(ideas, honours, pages):
    """Schema, demo content, then the extra ideas, honours and pages (once, kept)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from benchmarks.pages import add_honours, add_ideas
    from emulation.honours.models import Honour
    from ideas.models import Idea
    from tayho_site.models import HomePage

    call_command("migrate", verbosity=0, interactive=False)
    if not HomePage.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_demo", "--no-admin", stdout=devnull)
    started = time.perf_counter()
    # benchmarks/pages.py's loaders number their rows from 0 (unique codes and tokens):
    # added once, to a database that has none.
    with transaction.atomic():
        if ideas and not Idea.objects.filter(title__startswith="Ý tưởng thử tải").exists():
            add_ideas(ideas)
        if honours and not Honour.objects.filter(code__startswith="bench").exists():
            add_honours(honours)
    add_pages(pages)
    # The planner's statistics of the tables just filled, as autovacuum gathers them on a
    # server where it runs: without them PostgreSQL guesses few rows and sorts them all.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    took = time.perf_counter() - started
    if took > 1:
        print(f"(data added and analysed in {took:.0f} s)")


def add_pages(count):
    """`count` public standard pages under one parent page, with titles and introductions of
    a few words each, indexed for the site search."""
    from wagtail.search.backends import get_search_backend

    from tayho_site.models import HomePage, StandardPage

    parent = StandardPage.objects.filter(slug=PAGE_SLUG).first()
    if parent is None:
        parent = HomePage.objects.first().add_child(
            instance=StandardPage(title=PAGE_TITLE, slug=PAGE_SLUG, intro="Các trang thử của tìm kiếm.")
        )
    have = parent.get_children_count()
    if have >= count:
        return
    word_count = len(PAGE_WORDS)
    added = []
    for n in range(have, count):
        words = [PAGE_WORDS[(n * step) % word_count] for step in (1, 3, 7, 11)]
        added.append(
            parent.add_child(
                instance=StandardPage(
                    title=f"Trang thử {n}: {' '.join(words[:2])}",
                    slug=f"trang-thu-{n}",
                    intro=f"{' '.join(words)} — {' '.join(PAGE_WORDS[n % word_count : n % word_count + 6])}.",
                    search_description=f"Trang thử số {n}",
                )
            )
        )
    # add_child indexes each page after the commit; index them now, whatever the settings.
    backend = get_search_backend()
    backend.add_bulk(StandardPage, [parent, *added])


def search_runners():
    """{kind: function(query) that runs the search as its view does and returns how many
    results the page says there are}."""
    from django.core.paginator import Paginator

    from emulation.honours import queries as honour_queries
    from emulation.honours.views import PAGE_SIZE as BOARD_PAGE_SIZE
    from ideas import queries as idea_queries
    from ideas.models import IdeaIndexPage
    from tayho_site.search import search_pages

    index = IdeaIndexPage.objects.live().first()

    def site(query):
        outcome = search_pages(query)
        if outcome.results is None:
            return 0
        list(outcome.results.object_list)
        return outcome.results.paginator.count

    def ideas(query):
        page = Paginator(idea_queries.gallery(index=index, query=query), idea_queries.PAGE_SIZE).get_page(1)
        list(page.object_list)
        return page.paginator.count

    def honours(query):
        page = Paginator(honour_queries.board(query=query), BOARD_PAGE_SIZE).get_page(1)
        list(page.object_list)
        return page.paginator.count

    return {"site": site, "ideas": ideas, "honours": honours}


def page_urls():
    from emulation.honours.models import HonourIndexPage
    from ideas.models import IdeaIndexPage

    return {
        "site": "/tim-kiem/",
        "ideas": IdeaIndexPage.objects.live().first().url,
        "honours": HonourIndexPage.objects.live().first().url,
    }


def timed(call, repeat):
    """(query counts seen, times in ms) of `repeat` calls after one to warm up."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call()
    reset_queries()  # a full log (9,000 queries) would capture none
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = len(captured.captured_queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return queries, times


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def report(kind, how, rows):
    """rows: (query, results, queries, times). One line per query, then the kind's totals."""
    every = [ms for *_rest, times in rows for ms in times]
    counts = sorted({queries for _query, _results, queries, _times in rows})
    median = statistics.median(every)
    flag = "" if median < BUDGET_MS else "  OVER BUDGET"
    for query, results, queries, times in rows:
        print(
            f"  {kind:<8} {how:<7} {query!r:<24} {results:>7} {queries:>8} "
            f"{statistics.median(times):>10.1f} {percentile(times, 0.95):>8.1f}"
        )
    print(
        f"{kind:<10} {how:<7} {'(all)':<24} {'':>7} {'/'.join(map(str, counts)):>8} "
        f"{median:>10.1f} {percentile(every, 0.95):>8.1f}{flag}"
    )
    return bool(flag)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ideas", type=int, default=10_000, help="published ideas to have (added once, kept)")
    parser.add_argument("--honours", type=int, default=10_000, help="published honours to have (added once, kept)")
    parser.add_argument("--pages", type=int, default=1_000, help="public pages to have (added once, kept)")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each query")
    parser.add_argument("--client", action="store_true", help="also time the whole pages through the test client")
    args = parser.parse_args()

    create_database()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from emulation.honours import views as honour_views
    from emulation.honours.models import Honour
    from ideas.models import Idea
    from tayho_site.models import StandardPage

    prepare(args.ideas, args.honours, args.pages)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    honour_views.CACHE_SECONDS = 0  # the board's searches measured on a miss, as a new query is
    print(
        f"database: {connection.vendor}; {Idea.objects.filter(status=Idea.Status.PUBLISHED).count()} published "
        f"ideas, {Honour.objects.filter(revoked_at__isnull=True).count()} published honours, "
        f"{StandardPage.objects.live().public().count()} public standard pages; {args.repeat} runs per query"
    )
    print(f"{'kind':<10} {'how':<7} {'query':<24} {'results':>7} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
    over = False
    runners = search_runners()
    for kind, run in runners.items():
        rows = []
        for query in QUERIES[kind]:
            results = run(query)
            queries, times = timed(lambda run=run, query=query: run(query), args.repeat)
            rows.append((query, results, queries, times))
        over |= report(kind, "search", rows)
    if args.client:
        client, urls = Client(), page_urls()
        for kind, url in urls.items():
            rows = []
            for query in QUERIES[kind]:
                status = client.get(url, {"q": query}).status_code
                if status != 200:
                    sys.exit(f"{url}?q={query} answered {status}")
                queries, times = timed(lambda url=url, query=query: client.get(url, {"q": query}), args.repeat)
                rows.append((query, "", queries, times))
            report(kind, "page", rows)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
