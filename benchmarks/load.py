#!/usr/bin/env python
"""Public pages under load: two gunicorn instances (benchmarks/settings.py: production
settings, PostgreSQL, cache, sessions and rate limits in Redis) with the demo content,
C concurrent clients for S seconds per page, spread over both instances by wrk.

Pages: home, the open contest, a contest with published results (added to the benchmark
database once), the idea gallery, the honour board and one person's page on it; and, at
the start and again at the end, a bare view (/bench/bare/, benchmarks/urls.py) served by
the same gunicorn through the same middleware. Each page's throughput is printed as a
share of the bare view's (the mean of its two runs): the target for cached pages is at
least 70 %. Every URL is requested once per instance first (warm); the share of cache
hits is read from the X-Cache header of the responses during the run.

    apt-get install -y wrk
    .venv/bin/python benchmarks/load.py [--seconds 60] [--clients 50] [--workers 2]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/tayho_bench_load (created if
missing), REDIS_URL to redis://127.0.0.1:6379/0 with CACHE_KEY_PREFIX=bench; only keys
with that prefix are deleted before the run. --honours N / --ideas N add that many
published honours / ideas to the benchmark database first (kept; once). The machine's CPU
is shared by the servers, wrk and anything else running: the table shows each part's share.
Exits non-zero if any response is not a 200 or any request failed.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import _servers
import requests

TARGET_SHARE = 0.70
BARE = "/bench/bare/"
BARE_UNCACHED = "/bench/bare/?uncached=1"

# wrk: one thread per instance, each thread's connections to its own instance; counts the
# X-Cache answers and non-200 statuses; prints one JSON line at the end.
WRK_SCRIPT = """
local ports = {%(ports)s}
local threads = {}
function setup(thread)
  local port = ports[#threads %% #ports + 1]
  thread.addr = wrk.lookup("127.0.0.1", tostring(port))[1]
  table.insert(threads, thread)
end
function init(args)
  hits, misses, uncached, not_ok = 0, 0, 0, 0
end
function response(status, headers, body)
  local state = headers["X-Cache"] or headers["x-cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1
  else uncached = uncached + 1 end
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local h, m, u, n = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits"); m = m + t:get("misses"); u = u + t:get("uncached"); n = n + t:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, ' ..
    '"hits": %%d, "misses": %%d, "uncached": %%d, "not_ok": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, h, m, u, n))
end
"""


def ensure_results_contest(contest):
    """A closed contest with published results next to the demo's open one: 20 confirmed
    entries, 6 prizes. Made once per database."""
    import datetime

    from django.utils import timezone

    from contest.actions.results import publish_results
    from contest.models import Award, ContestCategory, ContestPage, Entrant, Entry, EntryConsent
    from tayho_site.submissions import hash_token, new_access_token

    page = ContestPage.objects.live().filter(slug="ket-qua-thu-tai").first()
    if page and page.state() == ContestPage.RESULTS:
        return page
    now = timezone.now()
    if page is None:
        page = ContestPage(
            title="Cuộc thi viết thử tải (đã công bố kết quả)",
            slug="ket-qua-thu-tai",
            theme=contest.theme,
            intro=contest.intro,
            rules=contest.rules,
            prizes=contest.prizes,
            contact=contest.contact,
            opens_at=now - datetime.timedelta(days=120),
            closes_at=now - datetime.timedelta(days=60),
            min_words=50,
            max_words=3000,
            code_prefix="KQTT",
            rules_version="1",
        )
        for order, category in enumerate(contest.categories.all()):
            page.categories.add(ContestCategory(name=category.name, description=category.description, sort_order=order))
        contest.get_parent().add_child(instance=page)
        page.save_revision().publish()
    categories = list(page.categories.all())
    words = " ".join(_servers.WORDS)
    for n in range(20 - page.entries.count()):
        entry = Entry.objects.create(
            contest=page,
            category=categories[n % len(categories)],
            title=f"Bài dự thi thử tải số {n + 1}",
            body=f"<p>{words}</p>",
            word_count=len(_servers.WORDS),
            status=Entry.Status.CONFIRMED,
            tracking_code=f"KQTT-{n + 1:04d}",
            access_token_hash=hash_token(new_access_token()),
            confirmed_at=page.opens_at + datetime.timedelta(days=1),
        )
        Entrant.objects.create(
            entry=entry,
            full_name=f"Tác giả thử {n + 1}",
            birth_year=1980 + n,
            phone="0912345678",
            email=f"ket-qua-{n + 1}@example.vn",
            show_as=Entrant.ShowAs.FULL_NAME,
        )
        EntryConsent.objects.bulk_create(
            EntryConsent(entry=entry, kind=kind, policy_version="1", given_at=entry.confirmed_at)
            for kind in EntryConsent.Kind.values
        )
    prizes = ["Giải Nhất", "Giải Nhì", "Giải Nhì", "Giải Ba", "Giải Ba", "Giải Khuyến khích"]
    for position, (entry, prize) in enumerate(zip(page.entries.order_by("pk"), prizes, strict=False), start=1):
        Award.objects.get_or_create(contest=page, entry=entry, defaults={"prize": prize, "position": position})
    publish_results(page, by=None)
    return ContestPage.objects.get(pk=page.pk)


def add_extra_data(honours, ideas):
    """Published honours and ideas in bulk (benchmarks/pages.py's loaders), kept, once."""
    if not honours and not ideas:
        return
    import pages
    from django.db import transaction

    from emulation.honours.models import Honour
    from ideas.models import Idea

    with transaction.atomic():
        if honours and not Honour.objects.filter(code__startswith="bench").exists():
            pages.add_honours(honours)
        if ideas and not Idea.objects.filter(title__startswith="Ý tưởng thử tải").exists():
            pages.add_ideas(ideas)
    print(
        f"extra data: {Honour.objects.filter(code__startswith='bench').count()} honours, "
        f"{Idea.objects.filter(title__startswith='Ý tưởng thử tải').count()} ideas"
    )


def page_urls(contest, results):
    from emulation.honours.models import Honour, HonourIndexPage
    from ideas.models import IdeaIndexPage
    from tayho_site.models import HomePage

    board = HonourIndexPage.objects.live().first()
    honour = Honour.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    urls = {
        "home": HomePage.objects.live().first().url,
        "contest": contest.url,
        "contest results": results.url,
        "idea gallery": IdeaIndexPage.objects.live().first().url,
        "honour board": board.url,
        "honour person": f"{board.url}{honour.profile_key}/" if honour else None,
    }
    missing = [name for name, url in urls.items() if not url]
    if missing:
        sys.exit(f"Not in the demo database: {', '.join(missing)}")
    return urls


def warm(bases, path):
    """One request per instance; the status and X-Cache answers seen."""
    seen = []
    for base in bases:
        response = requests.get(base + path, timeout=60)
        seen.append((response.status_code, response.headers.get("X-Cache", "-")))
    return seen


def run_wrk(servers, path, seconds, clients):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    with script:
        script.write(WRK_SCRIPT % {"ports": ", ".join(str(port) for port in servers.ports)})
    server_cpu = servers.cpu_seconds()
    client_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, total = _servers.machine_cpu()
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [
                "wrk",
                "--threads",
                str(len(servers.ports)),
                "--connections",
                str(clients),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "30s",
                "--script",
                script.name,
                servers.bases[0] + path,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(script.name)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_after, total_after = _servers.machine_cpu()
    line = next((line for line in completed.stdout.splitlines() if line.startswith("WRKJSON ")), None)
    if line is None:
        sys.exit(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
    figures = json.loads(line.removeprefix("WRKJSON "))
    cores = os.cpu_count() or 1
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = figures["not_ok"] + figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
    answered = figures["hits"] + figures["misses"] + figures["uncached"]
    figures["hit_share"] = figures["hits"] / answered if answered else 0.0
    figures["server_cpu_seconds"] = servers.cpu_seconds() - server_cpu
    figures["cpu_server"] = figures["server_cpu_seconds"] / (elapsed * cores)
    # Requests per second of server CPU: what the servers did with the CPU they got, which
    # other work on the machine changes far less than the requests per second.
    figures["per_cpu"] = figures["requests"] / max(0.01, figures["server_cpu_seconds"])
    figures["cpu_client"] = (after.ru_utime + after.ru_stime - client_cpu.ru_utime - client_cpu.ru_stime) / (
        elapsed * cores
    )
    figures["cpu_machine"] = (busy_after - busy) / max(1, total_after - total)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="per page (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per instance (default 2)")
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances (default 2)")
    parser.add_argument("--honours", type=int, default=0, help="add N published honours first (kept)")
    parser.add_argument("--ideas", type=int, default=0, help="add N published ideas first (kept)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed for the load test and was not found: apt-get install -y wrk (Debian/Ubuntu)")

    database_url = _servers.use_services("tayho_bench_load")
    contest, _form = _servers.prepare_database()
    results = ensure_results_contest(contest)
    add_extra_data(args.honours, args.ideas)
    urls = page_urls(contest, results)
    from django.conf import settings

    cleared = _servers.clear_cache_prefix()
    page_cache = [m for m in settings.MIDDLEWARE if "pagecache" in m.lower()]
    print(
        f"database: {database_url}; redis: {os.environ['REDIS_URL']} (prefix {os.environ['CACHE_KEY_PREFIX']}, "
        f"{cleared} old keys deleted)"
    )
    print(
        f"page cache: {', '.join(page_cache) or 'no page cache middleware'}; "
        f"PAGE_CACHE_SECONDS={getattr(settings, 'PAGE_CACHE_SECONDS', 'unset')}; "
        f"DB_CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}"
    )
    print(
        f"{args.instances} gunicorn instances × {args.workers} sync workers; wrk: {args.clients} connections, "
        f"{args.seconds} s per page; {os.cpu_count()} CPU cores"
    )

    # The bare view is kept by the page cache like any page; once more with a query string
    # the page cache leaves alone, for the cost of the whole middleware stack.
    runs = [("bare view", BARE), *urls.items(), ("bare view (again)", BARE), ("bare, not cached", BARE_UNCACHED)]
    rows = []
    with _servers.Servers(args.instances, args.workers) as servers:
        for name, path in runs:
            seen = warm(servers.bases, path)
            if any(status != 200 for status, _cache in seen):
                sys.exit(f"{name} {path}: warm-up answered {seen}")
            figures = run_wrk(servers, path, args.seconds, args.clients)
            rows.append((name, path, figures))
            print(
                f"  {name:<18} {figures['rps']:8.1f} req/s  p95 {figures['p95'] / 1000:7.1f} ms  "
                f"errors {figures['errors']}  warm-up X-Cache {[cache for _status, cache in seen]}",
                flush=True,
            )

    bare = [figures["rps"] for _name, path, figures in rows if path == BARE]
    bare_rps = sum(bare) / len(bare)
    bare_per_cpu = sum(f["per_cpu"] for _name, path, f in rows if path == BARE) / len(bare)
    print()
    print(
        f"{'page':<18} {'path':<30} {'req/s':>7} {'of bare':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'hits':>5} {'req/CPU-s':>9} {'of bare':>7} {'CPU srv':>7} {'wrk':>4} {'all':>4}"
    )
    for name, path, f in rows:
        print(
            f"{name:<18} {path[:30]:<30} {f['rps']:7.1f} {f['rps'] / bare_rps:7.0%} {f['p50'] / 1000:7.1f} "
            f"{f['p95'] / 1000:7.1f} {f['p99'] / 1000:7.1f} {f['errors']:6d} {f['hit_share']:5.0%} "
            f"{f['per_cpu']:9.0f} {f['per_cpu'] / bare_per_cpu:7.0%} "
            f"{f['cpu_server']:7.0%} {f['cpu_client']:4.0%} {f['cpu_machine']:4.0%}"
        )
    print(
        f"\nbare view: {bare[0]:.1f} and {bare[-1]:.1f} req/s (mean {bare_rps:.1f}); 'of bare' = page ÷ mean. "
        f"'bare, not cached' bypasses the page cache ({BARE_UNCACHED})."
    )
    print(
        "hits: share of responses with X-Cache: hit. req/CPU-s: requests per second of CPU the servers used "
        "(less sensitive to other work on the machine), and its share of the bare view's.\n"
        "CPU: share of all cores used by the servers, by wrk, and by the whole machine during the run "
        "(the rest is PostgreSQL, Redis and anything else running)."
    )
    page_rows = [(name, f) for name, path, f in rows if not path.startswith(BARE)]
    below = [
        name
        for name, f in page_rows
        if f["hit_share"] >= 0.9 and min(f["rps"] / bare_rps, f["per_cpu"] / bare_per_cpu) < TARGET_SHARE
    ]
    cached = [name for name, f in page_rows if f["hit_share"] >= 0.9]
    verdict = "met" if cached and not below else "not met: " + (", ".join(below) or "no page served from the cache")
    print(
        f"target (cached pages ≥ {TARGET_SHARE:.0%} of the bare view, by both measures): "
        f"cached pages: {', '.join(cached) or 'none'}; {verdict}"
    )
    failed = [name for name, _path, f in rows if f["errors"]]
    if failed:
        print(f"FAILED: errors on {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
