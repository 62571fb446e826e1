#!/usr/bin/env python
"""Per public page type: SQL queries, median and 95th-percentile render time over N
requests, then the resident memory of this process (which served them all).

Runs on the current database (SQLite by default; DATABASE_URL for PostgreSQL), after
`manage.py load_demo`. Budgets: ≤ 15 queries per public page (home ≤ 13), resident
memory under 200 MB.

    .venv/bin/python benchmarks/pages.py [--requests 50] [--news 0] [--ideas 0]

--news N first adds N extra news items, --ideas N as many published ideas (a third of
them referred to units, some transferred), --honours N as many published honours, in a
transaction that is rolled back, to show that query counts do not grow with the data.
The honour board is cached for visitors: its figures are measured with the cache
cleared before every request (the cost of a miss) and, separately, served from the cache.
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


def setup_django():
    import django

    django.setup()


setup_django()

BUDGETS = {"home": 13}
DEFAULT_BUDGET = 15
MEMORY_BUDGET_MB = 200


def resident_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def page_urls():
    from tayho_site.models import HomePage, NewsIndexPage, NewsPage, StandardPage

    home = HomePage.objects.live().first()
    if home is None:
        sys.exit("No home page: run `manage.py load_demo` (or `make run`) first.")
    urls = {"home": home.url}
    for name, model in (("standard", StandardPage), ("news index", NewsIndexPage), ("news item", NewsPage)):
        page = model.objects.live().order_by("pk").first()
        if page:
            urls[name] = page.url
    from contest.models import ContestIndexPage, ContestPage

    contest_index = ContestIndexPage.objects.live().first()
    contest = ContestPage.objects.live().first()
    if contest_index:
        urls["contest index"] = contest_index.url
    if contest:
        urls["contest"] = contest.url
        urls["entry form"] = contest.url + "gui-bai/"
    from ideas.models import Idea, IdeaCallPage, IdeaIndexPage

    idea_index = IdeaIndexPage.objects.live().first()
    if idea_index:
        urls["idea gallery"] = idea_index.url
        urls["gallery filtered"] = idea_index.url + "?q=ho+tay&sap_xep=nhieu-ung-ho&page=2"
        urls["accountability"] = idea_index.url + "trach-nhiem/"
        idea = Idea.objects.filter(status=Idea.Status.PUBLISHED).order_by("pk").first()
        if idea:
            urls["idea"] = f"{idea_index.url}{idea.pk}/"
    call = IdeaCallPage.objects.live().first()
    if call:
        urls["idea call"] = call.url
        urls["idea form"] = call.url + "gui-y-tuong/"
    from emulation.honours.models import Honour, HonourIndexPage

    honour_board = HonourIndexPage.objects.live().first()
    if honour_board:
        urls["honour board"] = honour_board.url
        urls["board search"] = honour_board.url + "?q=nguyen+van&page=2"
        honour = Honour.objects.filter(revoked_at__isnull=True).order_by("pk").first()
        if honour:
            urls["honour person"] = f"{honour_board.url}{honour.profile_key}/"
            urls["certificate"] = f"{honour_board.url}chung-nhan/{honour.code}/"
        urls["honours feed"] = honour_board.url + "feed/"
        urls["honours json"] = honour_board.url + "api/"
    urls["search"] = "/tim-kiem/?q=ky+cuong"
    urls["search (no match)"] = "/tim-kiem/?q=zzzz"
    urls["404"] = "/khong-co-trang-nay/"
    urls["home (English)"] = "/en/"
    urls["healthz"] = "/healthz"
    return urls


def add_news(count):
    import datetime

    from tayho_site.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.live().first()
    for n in range(count):
        page = NewsPage(
            title=f"Tin thử tải {n}",
            slug=f"tin-thu-tai-{n}",
            intro="Tóm tắt.",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 300),
        )
        index.add_child(instance=page)


def add_ideas(count):
    """Published ideas written in bulk (as if they had gone through the rules), a third of
    them referred, every fifth referral transferred once."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from emulation.models import Unit
    from ideas.models import Idea, IdeaAuthor, IdeaCallPage, Sector
    from referrals.models import Referral, ReferralStep
    from tayho_site.text import search_words

    call, sectors = IdeaCallPage.objects.live().first(), list(Sector.objects.all())
    units = list(Unit.objects.all()) or [None]
    now = timezone.now()
    ideas = Idea.objects.bulk_create(
        Idea(
            call=call,
            title=f"Ý tưởng thử tải {n} cho Hồ Tây",
            problem="Vấn đề " * 30,
            proposal="Đề xuất " * 60,
            benefit="Lợi ích " * 20,
            sector=sectors[n % len(sectors)],
            status=Idea.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n),
            supporters=n % 97,
            access_token_hash=f"bench{n:058d}",
            search_folded=search_words(f"Ý tưởng thử tải {n} cho Hồ Tây"),
        )
        for n in range(count)
    )
    IdeaAuthor.objects.bulk_create(
        IdeaAuthor(idea=idea, full_name="Người thử", email="thu@example.vn") for idea in ideas
    )
    if units[0] is None:
        return
    content_type, today = ContentType.objects.get_for_model(Idea), timezone.localdate()
    referrals = Referral.objects.bulk_create(
        Referral(
            subject_type=content_type,
            subject_id=str(idea.pk),
            title=idea.title,
            original_unit=units[n % len(units)],
            unit=units[n % len(units)],
            received_on=today - datetime.timedelta(days=n % 40),
            working_days=10,
            due_on=today - datetime.timedelta(days=n % 40 - 14),
            transfers=int(n % 5 == 0),
        )
        for n, idea in enumerate(ideas[::3])
    )
    ReferralStep.objects.bulk_create(
        [ReferralStep(referral=r, kind=ReferralStep.Kind.REFERRED, on=r.received_on, to_unit=r.unit) for r in referrals]
        + [
            ReferralStep(
                referral=r,
                kind=ReferralStep.Kind.TRANSFERRED,
                on=r.received_on,
                from_unit=units[0],
                to_unit=r.unit,
                text="Chuyển thử",
            )
            for r in referrals
            if r.transfers
        ]
    )


def add_honours(count):
    """Published honours written in bulk, as the rules would publish them."""
    import datetime

    from django.utils import timezone

    from emulation.honours.models import Honour, HonourCategory, Nomination
    from emulation.models import Unit
    from tayho_site.text import search_words

    category = HonourCategory.objects.first() or HonourCategory.objects.create(name="Lao động tiên tiến")
    unit = Unit.objects.first()
    today, now = timezone.localdate(), timezone.now()
    for start in range(0, count, 1000):  # in chunks: the benchmark measures the server, not this loading
        numbers = range(start, min(count, start + 1000))
        nominations = Nomination.objects.bulk_create(
            Nomination(
                nominee_name=f"Nguyễn Văn Thử {n}",
                unit=unit,
                category=category,
                year=2016 + n % 10,
                achievements="<p>Thành tích</p>",
                status=Nomination.Status.APPROVED,
            )
            for n in numbers
        )
        Honour.objects.bulk_create(
            Honour(
                nomination=nomination,
                code=f"bench{n:010d}",
                name=nomination.nominee_name,
                unit=unit,
                category=category,
                year=nomination.year,
                citation="Điển hình trong thực thi công vụ",
                achievements="<p>Thành tích</p>",
                decision_number=f"{n}/QĐ",
                decision_date=today,
                decision_signer="Chủ tịch",
                published_at=now - datetime.timedelta(minutes=n),
                search_folded=search_words(f"{nomination.nominee_name} Điển hình"),
            )
            for n, nomination in zip(numbers, nominations, strict=True)
        )


def measure(client, url, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches, as a running server is
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Count now: the captured list is read lazily from a log that later requests reset.
    query_count = len(captured.captured_queries)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return response.status_code, query_count, statistics.median(times), p95


def main():
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--news", type=int, default=0, help="add this many news items first (rolled back)")
    parser.add_argument("--ideas", type=int, default=0, help="add this many published ideas first (rolled back)")
    parser.add_argument("--honours", type=int, default=0, help="add this many published honours first (rolled back)")
    args = parser.parse_args()

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    print(
        f"database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"{args.requests} requests per page"
    )
    print(f"{'page':<20} {'status':>6} {'queries':>8} {'budget':>7} {'median ms':>10} {'p95 ms':>8}")
    over = 0
    with transaction.atomic():
        if args.news:
            add_news(args.news)
            print(f"(with {args.news} extra news items)")
        if args.ideas:
            add_ideas(args.ideas)
            print(f"(with {args.ideas} extra published ideas)")
        if args.honours:
            add_honours(args.honours)
            print(f"(with {args.honours} extra published honours)")
        urls = page_urls()
        if "honour board" in urls:
            urls["honour board (cached)"] = urls["honour board"]
        from emulation.honours import views as honour_views

        kept_seconds = honour_views.CACHE_SECONDS
        for name, url in urls.items():
            # The honour pages are measured on a miss (nothing kept), except the "(cached)" row.
            uncached = name.startswith(("honour board", "board search", "honour person")) and "cached" not in name
            honour_views.CACHE_SECONDS = 0 if uncached else kept_seconds
            status, queries, median, p95 = measure(client, url, args.requests)
            budget = BUDGETS.get(name, DEFAULT_BUDGET)
            flag = "" if queries <= budget else "  OVER BUDGET"
            over += bool(flag)
            print(f"{name:<20} {status:>6} {queries:>8} {budget:>7} {median:>10.1f} {p95:>8.1f}{flag}")
        transaction.set_rollback(True)
    memory = resident_mb()
    print(
        f"resident memory after serving: {memory:.0f} MB (budget {MEMORY_BUDGET_MB} MB)"
        + ("  OVER BUDGET" if memory > MEMORY_BUDGET_MB else "")
    )
    return 1 if over or memory > MEMORY_BUDGET_MB else 0


if __name__ == "__main__":
    sys.exit(main())
