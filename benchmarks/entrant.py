#!/usr/bin/env python
"""Where an entrant's time goes on the deadline night: N entrants, one after another, in
this process, each opening the entry form and sending a complete entry as
`benchmarks/spike.py`'s entrants do (own address, own e-mail, CSRF checked), on the
benchmark settings (production settings, PostgreSQL, Redis; the confirmation mail queued
for the worker as in production: TASKS_BACKEND=database).

Printed per step (form page, POST): the CPU time of this process per entrant, the wall
time, the SQL queries and the time spent waiting on them, and the round trips to Redis;
then, with --profile, the functions that took most of the CPU.

    .venv/bin/python benchmarks/entrant.py [--entrants 200] [--profile]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/tayho_bench_spike (as
spike.py's; created, migrated and given the demo content if needed). The entries made
are deleted afterwards.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
import uuid
from http.cookies import SimpleCookie

import _servers  # sets the settings module before Django loads

os.environ.setdefault("TASKS_BACKEND", "database")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrants", type=int, default=200)
    parser.add_argument(
        "--profile", choices=["form", "post", "both"], help="print the functions that took most CPU in that step"
    )
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative (default) or tottime")
    args = parser.parse_args()

    _servers.use_services("tayho_bench_spike")
    contest, form_path = _servers.prepare_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contest.models import Entry

    run_id = uuid.uuid4().hex[:8]
    steps = {name: {"cpu": [], "wall": [], "queries": [], "sql": [], "redis": []} for name in ("form", "post")}
    profiler = cProfile.Profile() if args.profile else None
    statuses = []

    def measured(name, call):
        with CaptureQueriesContext(connection) as queries, _servers.RedisCounter() as redis:
            cpu, wall = time.process_time(), time.perf_counter()
            profiling = profiler and args.profile in (name, "both")
            if profiling:
                profiler.enable()
            response = call()
            if profiling:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        figures = steps[name]
        figures["cpu"].append(cpu * 1000)
        figures["wall"].append(wall * 1000)
        figures["queries"].append(len(queries))
        figures["sql"].append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        figures["redis"].append(redis.count)
        return response

    # One client for all, as one server process serves them all (a new client would load
    # the middleware again); each entrant starts without cookies.
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.get(form_path)
    for n in range(args.entrants):
        client.cookies = SimpleCookie()
        address = {"HTTP_X_FORWARDED_FOR": _servers.forwarded_for(n)}
        form = measured("form", lambda address=address: client.get(form_path, **address))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())
        choices = {name: _servers.first_option(form.content.decode(), name) for name in ("category", "ward")}
        data = _servers.entry_fields(contest, run_id, n, token.group(1), {k: v for k, v in choices.items() if v})
        response = measured(
            "post",
            lambda data=data, address=address: client.post(
                form_path, data, HTTP_REFERER="http://127.0.0.1/", **address
            ),
        )
        statuses.append(response.status_code)

    stored = Entry.objects.filter(title__startswith=f"bench-{run_id}-").count()
    print(f"{args.entrants} entrants, {stored} entries stored, statuses {sorted(set(statuses))}; {connection.vendor}")
    print(f"{'step':<6} {'CPU ms':>8} {'wall ms':>8} {'queries':>8} {'SQL ms':>8} {'Redis':>6}   (medians per entrant)")
    total = 0.0
    for name, figures in steps.items():
        cpu = statistics.median(figures["cpu"])
        total += statistics.mean(figures["cpu"])
        print(
            f"{name:<6} {cpu:8.1f} {statistics.median(figures['wall']):8.1f} "
            f"{statistics.median(figures['queries']):8.0f} {statistics.median(figures['sql']):8.1f} "
            f"{statistics.median(figures['redis']):6.0f}"
        )
    print(f"CPU per entrant (form + POST, mean): {total:.1f} ms in this process (PostgreSQL's own CPU not included)")
    Entry.objects.filter(title__startswith=f"bench-{run_id}-").delete()
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0 if stored == args.entrants else 1


if __name__ == "__main__":
    sys.exit(main())
