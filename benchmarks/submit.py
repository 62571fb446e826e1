#!/usr/bin/env python
"""N concurrent entrants against the site served by gunicorn: entries per second, median
and p95 latency of the submission, and how many entries were lost or duplicated.

Each simulated entrant opens the form (session and CSRF cookie), then posts an entry
with its own e-mail and title. Afterwards the database is checked: every entry that the
server acknowledged (302) must be stored exactly once, with its author and consents.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tayho_bench \\
        .venv/bin/python benchmarks/submit.py --entrants 300 --concurrency 30 --workers 4

The database is migrated and given the demo content if needed. Uses benchmarks/settings.py
(production settings; captcha in test mode, rate limits lifted).
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database():
    import tempfile

    import django

    # Static files as production builds them, in a scratch folder the server reads too.
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="tayho-static-"))
    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", "--no-admin", stdout=open(os.devnull, "w"))
    from contest.models import ContestPage

    contest = ContestPage.objects.live().first()
    return contest.url + "gui-bai/", contest


def start_server(port, workers):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tayho_site.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(), start_new_session=True,
    )
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.5)
    server.kill()
    sys.exit("gunicorn did not start")


def entrant(base, form_path, contest, run_id, n):
    session = requests.Session()
    form = session.get(base + form_path, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    category = re.search(r'<option value="(\d+)"', form.text).group(1)
    data = {
        "csrfmiddlewaretoken": token, "full_name": f"Người thử {n}", "birth_year": "1990",
        "phone": "0912345678", "email": f"bench-{run_id}-{n}@example.vn", "address": "Tây Hồ",
        "show_as": "name", "category": category, "title": f"bench-{run_id}-{n}",
        "body": " ".join(["Hồ Tây xanh sạch đẹp"] * max(1, contest.min_words // 5 + 1)),
        "accept_rules": "on", "original_work": "on", "personal_data": "on", "captcha_0": "x", "captcha_1": "PASSED",
    }
    started = time.perf_counter()
    response = session.post(base + form_path, data=data, headers={"Referer": base + form_path},
                            allow_redirects=False, timeout=60)
    return response.status_code, (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrants", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    form_path, contest = prepare_database()
    from django.db import connection

    port = free_port()
    server = start_server(port, args.workers)
    base = f"http://127.0.0.1:{port}"
    run_id = uuid.uuid4().hex[:8]
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda n: entrant(base, form_path, contest, run_id, n), range(args.entrants)))
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from contest.models import Entry

    accepted = sum(1 for status, _ in results if status == 302)
    stored = Entry.objects.filter(title__startswith=f"bench-{run_id}-")
    titles = list(stored.values_list("title", flat=True))
    duplicated = len(titles) - len(set(titles))
    incomplete = stored.exclude(entrant__isnull=False).count() + sum(
        1 for entry in stored.prefetch_related("consents") if entry.consents.count() != 3)
    lost = accepted - len(set(titles))
    latencies = sorted(ms for _, ms in results)
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    print(f"database: {connection.vendor}; gunicorn workers: {args.workers}; "
          f"entrants: {args.entrants}; concurrency: {args.concurrency}")
    print(f"accepted (302): {accepted}; other answers: "
          f"{sorted({status for status, _ in results if status != 302}) or 'none'}")
    print(f"entries per second: {accepted / elapsed:.1f} (whole run {elapsed:.1f} s, form view included)")
    print(f"submission latency: median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms")
    print(f"lost: {lost}; duplicated: {duplicated}; stored without author or consents: {incomplete}")
    return 0 if lost == duplicated == incomplete == 0 and accepted == args.entrants else 1


if __name__ == "__main__":
    sys.exit(main())
