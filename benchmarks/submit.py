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
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import _servers


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrants", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    contest, form_path = _servers.prepare_database()
    from django.db import connection

    run_id = uuid.uuid4().hex[:8]
    with _servers.Servers(1, args.workers) as servers:
        base = servers.bases[0]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(
                pool.map(lambda n: _servers.entrant(base, form_path, contest, run_id, n), range(args.entrants))
            )
        elapsed = time.perf_counter() - started

    accepted = [n for n, (status, _ms) in enumerate(results) if status == 302]
    check = _servers.check_entries(run_id, accepted)
    latencies = [ms for _status, ms in results]
    print(
        f"database: {connection.vendor}; gunicorn workers: {args.workers}; "
        f"entrants: {args.entrants}; concurrency: {args.concurrency}"
    )
    print(
        f"accepted (302): {len(accepted)}; other answers: "
        f"{sorted({status for status, _ in results if status != 302}) or 'none'}"
    )
    print(f"entries per second: {len(accepted) / elapsed:.1f} (whole run {elapsed:.1f} s, form view included)")
    print(
        f"submission latency: median {statistics.median(latencies):.0f} ms, "
        f"p95 {_servers.percentile(latencies, 0.95):.0f} ms"
    )
    print(
        f"lost: {check['lost']}; duplicated: {check['duplicated']}; "
        f"stored without author or consents: {check['incomplete']}"
    )
    ok = check["lost"] == check["duplicated"] == check["incomplete"] == 0 and len(accepted) == args.entrants
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
