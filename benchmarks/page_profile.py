#!/usr/bin/env python
"""Where an uncached public page's time goes: each list page that `benchmarks/load.py`
measures uncached (gallery, board, news, movement, contest) requested N times in this
process, as one gunicorn worker serves them, with the page cache off (the honour
board keeps its own cache, as in load.py's uncached run), on the benchmark settings (production
settings, PostgreSQL, Redis).

Printed per page: the CPU time of this process per request, the wall time, the SQL
queries and the time spent waiting on them, and the round trips to Redis (medians); then,
with --profile PAGE, the functions that took most of that page's CPU.

    .venv/bin/python benchmarks/page_profile.py [--requests 200] [--profile "idea gallery"]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/tayho_bench_load (load.py's;
created, migrated and given the demo content if needed).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

import _servers  # sets the settings module before Django loads

os.environ["PAGE_CACHE_SECONDS"] = "0"

PAGES = ("idea gallery", "honour board", "news", "movement", "contest")
# The site's do-nothing view through all its middleware: what every page costs before its own work.
SITE_BARE = ("site's bare view", "/bench/bare/?uncached=1")


def page_urls():
    contest, _form = _servers.prepare_database()
    from emulation.honours.models import HonourIndexPage
    from emulation.models import MovementPage
    from ideas.models import IdeaIndexPage
    from tayho_site.models import NewsIndexPage

    pages = {
        "idea gallery": IdeaIndexPage,
        "honour board": HonourIndexPage,
        "news": NewsIndexPage,
        "movement": MovementPage,
    }
    urls = {name: model.objects.live().first().url for name, model in pages.items()}
    urls["contest"] = contest.url
    return {SITE_BARE[0]: SITE_BARE[1], **{name: urls[name] for name in PAGES}}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--profile", choices=(SITE_BARE[0], *PAGES), help="print the functions that took most of this page's CPU"
    )
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative (default) or tottime")
    args = parser.parse_args()

    _servers.use_services("tayho_bench_load")
    urls = page_urls()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    profiler = cProfile.Profile() if args.profile else None
    # One client, as one server process serves every request.
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    print(f"{args.requests} requests per page, page cache off; {connection.vendor}, cache {cache.__class__.__name__}")
    print(f"{'page':<16} {'CPU ms':>7} {'wall ms':>8} {'queries':>8} {'SQL ms':>7} {'Redis':>6} {'KB':>6}   (medians)")
    for name, url in urls.items():
        figures = {"cpu": [], "wall": [], "queries": [], "sql": [], "redis": []}
        for _warm in range(3):
            client.get(url)
        size = 0
        for _n in range(args.requests):
            with CaptureQueriesContext(connection) as queries, _servers.RedisCounter() as redis:
                profiling = profiler is not None and args.profile == name
                cpu, wall = time.process_time(), time.perf_counter()
                if profiling:
                    profiler.enable()
                response = client.get(url)
                if profiling:
                    profiler.disable()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if response.status_code != 200:
                sys.exit(f"{name}: {url} answered {response.status_code}")
            size = len(response.content)
            figures["cpu"].append(cpu * 1000)
            figures["wall"].append(wall * 1000)
            figures["queries"].append(len(queries))
            figures["sql"].append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            figures["redis"].append(redis.count)
        print(
            f"{name:<16} {statistics.median(figures['cpu']):7.1f} {statistics.median(figures['wall']):8.1f} "
            f"{statistics.median(figures['queries']):8.0f} {statistics.median(figures['sql']):7.1f} "
            f"{statistics.median(figures['redis']):6.0f} {size / 1024:6.1f}"
        )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
