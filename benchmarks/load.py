#!/usr/bin/env python
"""Public pages under load, beside the framework's limit, in one run.

Three gunicorn servers take turns (only one is loaded at a time): a bare Django project
of one view and no middleware (`benchmarks/bare_django.py`, the reference: run first and
last, the mean is used), the site with its page cache (benchmarks/settings.py:
production settings, PostgreSQL, cache, sessions and rate limits in Redis, the demo
content), and the site with the page cache off (PAGE_CACHE_SECONDS=0). wrk hits each
page from C connections for S seconds, asking for compressed answers as browsers do.

Printed per page: requests per second and its share of the bare Django view's, p50/p95/
p99, errors, the share of `X-Cache: hit` answers, requests per second of server CPU and
its share of the bare view's. Targets: pages served from the page cache ≥ 80 % of the
bare Django view; uncached list pages (gallery, board, news, movement, contest) ≥ 4 %.
While the uncached pages saturate the servers, /healthz is asked every half second: the
slowest answer must come within a second. At the end every page type
(`benchmarks/pages.py`'s list) is requested from the uncached server several times and
each worker's resident memory is printed (target: under 150 MB).

    apt-get install -y wrk
    .venv/bin/python benchmarks/load.py [--seconds 20] [--clients 16] [--workers 2]

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

CACHED_TARGET = 0.80
UNCACHED_TARGET = 0.04
HEALTH_TARGET_SECONDS = 1.0
MEMORY_TARGET_MB = 150
BARE_DJANGO = "bare_django"
# The site's do-nothing view through all its middleware, with a query string the page cache leaves alone.
SITE_BARE = "/bench/bare/?uncached=1"
UNCACHED_PAGES = ("idea gallery", "honour board", "news", "movement", "contest")

# wrk: one thread per instance, each thread's connections to its own instance; counts the
# X-Cache answers and non-200 statuses; prints one JSON line at the end.
WRK_SCRIPT = """
local ports = {%(ports)s}
-- As every browser asks.
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
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
    from emulation.models import MovementPage
    from ideas.models import IdeaIndexPage
    from tayho_site.models import HomePage, NewsIndexPage

    board = HonourIndexPage.objects.live().first()
    honour = Honour.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    urls = {
        "home": HomePage.objects.live().first().url,
        "contest": contest.url,
        "contest results": results.url,
        "idea gallery": IdeaIndexPage.objects.live().first().url,
        "honour board": board.url,
        "honour person": f"{board.url}{honour.profile_key}/" if honour else None,
        "news": getattr(NewsIndexPage.objects.live().first(), "url", None),
        "movement": getattr(MovementPage.objects.live().first(), "url", None),
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


class HealthProbe:
    """Asks /healthz every half second from a thread while the servers are loaded; keeps
    the time each answer took (or None when it failed)."""

    def __init__(self, url):
        import threading

        self.url, self.times = url, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                ok = requests.get(self.url, timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            self.times.append(time.perf_counter() - started if ok else None)
            self._stop.wait(0.5)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def serve_every_page_type(servers, times=6):
    """Every public page type, `times` times each (both workers serve each); statuses not 2xx/404 are returned."""
    import pages

    odd = []
    for name, path in pages.page_urls().items():
        for _ in range(times):
            status = requests.get(servers.bases[0] + path, timeout=60).status_code
            if status >= 500 or (status >= 400 and name != "404"):
                odd.append((name, status))
    return odd


def measure(name, servers, path, args, rows):
    seen = warm(servers.bases, path)
    if any(status != 200 for status, _cache in seen):
        sys.exit(f"{name} {path}: warm-up answered {seen}")
    figures = run_wrk(servers, path, args.seconds, args.clients)
    rows.append((name, path, figures))
    print(
        f"  {name:<22} {figures['rps']:8.1f} req/s  p95 {figures['p95'] / 1000:7.1f} ms  "
        f"errors {figures['errors']}  warm-up X-Cache {[cache for _status, cache in seen]}",
        flush=True,
    )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20, help="per page (default 20)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per instance (default 2)")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances of the site (default 1)")
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
    print(
        f"database: {database_url}; redis: {os.environ['REDIS_URL']} (prefix {os.environ['CACHE_KEY_PREFIX']}, "
        f"{cleared} old keys deleted)"
    )
    print(
        f"page cache: PAGE_CACHE_SECONDS={getattr(settings, 'PAGE_CACHE_SECONDS', 'unset')}; "
        f"DB_CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}"
    )
    print(
        f"{args.instances} gunicorn instance(s) × {args.workers} sync workers; wrk: {args.clients} connections, "
        f"{args.seconds} s per page; {os.cpu_count()} CPU cores"
    )

    rows, health, memory, odd = [], [], {}, []
    bare = _servers.Servers(1, args.workers, app="benchmarks.bare_django:application", ready_path="/")
    cached = _servers.Servers(args.instances, args.workers)
    uncached = _servers.Servers(args.instances, args.workers, env={"PAGE_CACHE_SECONDS": "0"})
    with bare, cached, uncached:
        measure("bare Django", bare, "/", args, rows)
        measure("site, bare view", cached, SITE_BARE, args, rows)
        for name, path in urls.items():
            measure(name, cached, path, args, rows)
        for name in UNCACHED_PAGES:
            with HealthProbe(uncached.bases[0] + "/healthz") as probe:
                measure(f"{name}, uncached", uncached, urls[name], args, rows)
            health.extend(probe.times)
        measure("bare Django (again)", bare, "/", args, rows)
        odd = serve_every_page_type(uncached)
        memory = uncached.worker_rss_mb()

    bare_rows = [f for name, _path, f in rows if name.startswith("bare Django")]
    bare_rps = sum(f["rps"] for f in bare_rows) / len(bare_rows)
    bare_per_cpu = sum(f["per_cpu"] for f in bare_rows) / len(bare_rows)
    print()
    print(
        f"{'page':<22} {'path':<30} {'req/s':>7} {'of bare':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'hits':>5} {'req/CPU-s':>9} {'of bare':>7} {'CPU srv':>7} {'wrk':>4} {'all':>4}"
    )
    for name, path, f in rows:
        print(
            f"{name:<22} {path[:30]:<30} {f['rps']:7.1f} {f['rps'] / bare_rps:7.1%} {f['p50'] / 1000:7.1f} "
            f"{f['p95'] / 1000:7.1f} {f['p99'] / 1000:7.1f} {f['errors']:6d} {f['hit_share']:5.0%} "
            f"{f['per_cpu']:9.0f} {f['per_cpu'] / bare_per_cpu:7.1%} "
            f"{f['cpu_server']:7.0%} {f['cpu_client']:4.0%} {f['cpu_machine']:4.0%}"
        )
    print(
        f"\nbare Django view: {bare_rows[0]['rps']:.1f} and {bare_rows[-1]['rps']:.1f} req/s (mean {bare_rps:.1f}); "
        "'of bare' = page ÷ mean."
    )
    print(
        "hits: share of responses with X-Cache: hit. req/CPU-s: requests per second of CPU the servers used "
        "(less sensitive to other work on the machine), and its share of the bare view's.\n"
        "CPU: share of all cores used by the servers, by wrk, and by the whole machine during the run "
        "(the rest is PostgreSQL, Redis and anything else running)."
    )

    verdicts = []
    page_rows = [(name, f) for name, path, f in rows if not name.startswith(("bare", "site, bare"))]
    cached_rows = [(name, f) for name, f in page_rows if f["hit_share"] >= 0.9 and not name.endswith(", uncached")]
    below = [name for name, f in cached_rows if f["rps"] / bare_rps < CACHED_TARGET]
    verdicts.append(
        f"cached pages ≥ {CACHED_TARGET:.0%} of the bare Django view: "
        + ("met" if cached_rows and not below else "NOT met: " + (", ".join(below) or "no page served from the cache"))
        + (f" (lowest {min(f['rps'] / bare_rps for _n, f in cached_rows):.0%})" if cached_rows else "")
    )
    uncached_rows = [(name, f) for name, f in page_rows if name.endswith(", uncached")]
    low = [name for name, f in uncached_rows if f["rps"] / bare_rps < UNCACHED_TARGET]
    verdicts.append(
        f"uncached list pages ≥ {UNCACHED_TARGET:.0%} of the bare Django view: "
        + ("met" if not low else "NOT met: " + ", ".join(low))
        + f" (lowest {min(f['rps'] / bare_rps for _n, f in uncached_rows):.1%})"
    )
    answered = [t for t in health if t is not None]
    failed_health = len(health) - len(answered)
    slowest = max(answered) if answered else float("inf")
    verdicts.append(
        f"/healthz while the servers are saturated: {len(health)} asked, {failed_health} failed, "
        f"median {_servers.percentile(answered, 0.5) * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms: "
        + ("met" if not failed_health and slowest < HEALTH_TARGET_SECONDS else "NOT met")
    )
    largest = max(memory.values()) if memory else float("nan")
    verdicts.append(
        f"worker memory after every page type: {', '.join(f'{mb:.0f} MB' for mb in sorted(memory.values()))}: "
        + ("met" if memory and largest < MEMORY_TARGET_MB else "NOT met")
        + (f"; unexpected answers {odd}" if odd else "")
    )
    print("\ntargets:\n  " + "\n  ".join(verdicts))
    failed = [name for name, _path, f in rows if f["errors"]]
    if failed:
        print(f"FAILED: errors on {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
