#!/usr/bin/env python
"""The deadline spike: N contest entries arriving evenly over S seconds, spread over two
gunicorn instances (benchmarks/settings.py: production settings, PostgreSQL, cache,
sessions and rate limits in Redis), optionally with a fault in the middle.

Each simulated entrant has its own address (X-Forwarded-For) and e-mail, opens the form
and sends a complete entry. Printed: entries per second, latency (p50/p95), and what the
database holds afterwards: every acknowledged entry (302) stored exactly once, nothing
stored half (without author or consents), nothing stored for an entrant who was told
that nothing was saved.

    .venv/bin/python benchmarks/spike.py [--entrants 1000] [--seconds 60] [--concurrency 50]
                                         [--fault none|postgres|redis|mail]

--fault postgres  restarts PostgreSQL halfway (pg_ctlcluster 15 main restart). Entrants
                  who get the 503 "try again" page (with Retry-After) are clear refusals;
                  connection errors, 500s and the like are unclear. A refused entrant tries
                  once more after Retry-After (as the page asks); both figures are printed.
--fault redis     stops Redis for --down seconds (20) around the middle, polling /healthz and the
                  home page of each instance every second, then starts it again.
--fault mail      the instances send mail to a closed SMTP port (MAIL_BACKEND=smtp,
                  TASKS_BACKEND=database) with a db_worker running, so sends fail and are
                  retried later; afterwards an SMTP sink (aiosmtpd) listens on that port, the
                  waiting retries are moved to now (fast-forward of mail.py's 60 s, 120 s, …
                  delays) and `db_worker --batch` empties the queue: every entry's
                  confirmation must arrive exactly once.

Whatever was stopped is started again, also when the run fails. DATABASE_URL defaults to
postgres://postgres@127.0.0.1:5432/tayho_bench_spike (created if missing; earlier runs'
bench entries are deleted first), REDIS_URL to redis://127.0.0.1:6379/0 with
CACHE_KEY_PREFIX=bench. Exits non-zero if an entry was lost, duplicated, half-saved or
saved despite a refusal, if an entrant was turned away without a PostgreSQL fault, or
if a confirmation message was lost or sent twice.
"""

import argparse
import collections
import os
import resource
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import _servers
import requests

PG_CLUSTER = ("15", "main")
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
MAIL_TASK = "tayho_site.mail.send_email"


class Clock:
    def __init__(self):
        self.zero = time.perf_counter()

    def now(self):
        return time.perf_counter() - self.zero


def attempt(base, form_path, contest, run_id, n, clock):
    """One try of entrant n: open the form, send the entry. A dict with the outcome:
    success (302), clear (503 with Retry-After), unclear (anything else)."""
    headers = {"X-Forwarded-For": _servers.forwarded_for(n)}
    record = {"n": n, "start": clock.now(), "step": "form", "status": None, "error": None, "post_ms": None}
    session = requests.Session()
    try:
        response, token, choices = _servers.open_form(session, base + form_path, headers)
        if token is not None:
            record["step"] = "post"
            data = _servers.entry_fields(contest, run_id, n, token, choices)
            response, record["post_ms"] = _servers.send_entry(session, base + form_path, data, headers)
        record["status"] = response.status_code
        if response.status_code == 302 and record["step"] == "post":
            record["kind"] = "success"
        elif response.status_code == 503 and response.headers.get("Retry-After"):
            record["kind"], record["retry_after"] = "clear", response.headers["Retry-After"]
        else:
            record["kind"] = "unclear"
    except requests.RequestException as error:
        record["kind"], record["error"] = "unclear", error.__class__.__name__
    record["end"] = clock.now()
    return record


# --- Faults ----------------------------------------------------------------------------


def pg_running():
    return subprocess.run(["pg_ctlcluster", *PG_CLUSTER, "status"], capture_output=True, check=False).returncode == 0


def pg_ctl(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, action], check=True, capture_output=True)


def redis_running():
    return (
        subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True, check=False).stdout.strip()
        == "PONG"
    )


def redis_stop():
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True, check=False)


def redis_start():
    subprocess.run(REDIS_START, check=True, capture_output=True)
    for _ in range(50):
        if redis_running():
            return
        time.sleep(0.1)


class Fault(threading.Thread):
    """Runs the fault at its time in the spike; notes what happened in self.events."""

    def __init__(self, kind, clock, at, down, bases):
        super().__init__(daemon=True)
        self.kind, self.clock, self.at, self.down, self.bases = kind, clock, at, down, bases
        self.events, self.window, self.polls, self.error = [], None, [], None
        self.finished = threading.Event()

    def sleep_until(self, moment):
        time.sleep(max(0.0, moment - self.clock.now()))

    def run(self):
        pollers = []
        try:
            if self.kind == "postgres":
                self.sleep_until(self.at)
                began = self.clock.now()
                pg_ctl("restart")
                self.window = (began, self.clock.now())
                self.events.append(f"PostgreSQL restarted from {began:.1f} s to {self.window[1]:.1f} s")
            elif self.kind == "redis":
                self.sleep_until(self.at - self.down / 2)
                stop = threading.Event()
                pollers = [
                    threading.Thread(target=self.poll, args=(what, number, base, stop), daemon=True)
                    for what in ("/healthz", "/")
                    for number, base in enumerate(self.bases, start=1)
                ]
                for poller in pollers:
                    poller.start()
                began = self.clock.now()
                redis_stop()
                self.events.append(f"Redis stopped at {began:.1f} s")
                self.sleep_until(began + self.down)
                redis_start()
                self.window = (began, self.clock.now())
                self.events.append(f"Redis started again at {self.window[1]:.1f} s")
                time.sleep(5)
                stop.set()
        except Exception as error:  # noqa: BLE001 - reported, and the finally block restarts
            self.error = error
        finally:
            for poller in pollers:
                poller.join()
            self.finished.set()

    def poll(self, what, number, base, stop):
        """`what` (/healthz or the home page) of one instance, every second until `stop`:
        (start, end, what, instance, answer)."""
        while not stop.is_set():
            moment = self.clock.now()
            try:
                response = requests.get(base + what, timeout=30)
                if what == "/healthz":
                    body = response.json()
                    said = f"{response.status_code} {body.get('status')} (cache {body['cache'].get('error') or 'ok'})"
                else:
                    said = f"{response.status_code} X-Cache {response.headers.get('X-Cache', '-')}"
            except (requests.RequestException, ValueError, KeyError) as error:
                said = error.__class__.__name__
            self.polls.append((moment, self.clock.now(), what, number, said))
            stop.wait(max(0.0, 1 - (self.clock.now() - moment)))


def restore_services():
    """Whatever a fault stopped is started again."""
    if not pg_running():
        print("PostgreSQL was not running: starting it")
        pg_ctl("start")
    if not redis_running():
        print("Redis was not running: starting it")
        redis_start()


# --- Mail ------------------------------------------------------------------------------


class Sink:
    """An SMTP server that only counts: recipients of each message received."""

    def __init__(self):
        self.recipients = collections.Counter()
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages += 1
            self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


def mail_rows(run_id):
    """This run's e-mail tasks by status (the recipient is bench-<run_id>-<n>@...)."""
    from django_tasks_db.models import DBTaskResult

    counts = collections.Counter()
    for status, args in DBTaskResult.objects.filter(task_path=MAIL_TASK).values_list("status", "args_kwargs"):
        if any(address.startswith(f"bench-{run_id}-") for address in args.get("kwargs", {}).get("to", [])):
            counts[status] += 1
    return counts


def start_worker():
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "1", "--no-startup-delay"],
        cwd=_servers.ROOT,
        env=os.environ.copy(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def deliver_queue(run_id, port):
    """Starts the sink on the closed port, moves the waiting sends to now and runs
    `db_worker --batch` until none of this run's sends wait. Returns the sink and notes."""
    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    notes = []
    try:
        for round_number in range(1, 6):
            connection.close()
            moved = DBTaskResult.objects.filter(
                task_path=MAIL_TASK, status="READY", run_after__gt=timezone.now()
            ).update(run_after=timezone.now())
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                cwd=_servers.ROOT,
                env=os.environ.copy(),
                check=True,
                capture_output=True,
            )
            notes.append(
                f"round {round_number}: {moved} waiting retries moved to now; db_worker --batch "
                f"{time.perf_counter() - started:.1f} s; sink has {sink.messages} messages"
            )
            if not mail_rows(run_id).get("READY"):
                break
    finally:
        controller.stop()
    return sink, notes


# --- The run ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrants", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60, help="arrivals spread evenly over this time")
    parser.add_argument("--concurrency", type=int, default=50, help="entrants in flight at most")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per instance (default 2)")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--fault", choices=["none", "postgres", "redis", "mail"], default="none")
    parser.add_argument("--at", type=float, default=0.5, help="when the fault happens, as a share of --seconds")
    parser.add_argument("--down", type=float, default=20, help="--fault redis: seconds without Redis (default 20)")
    parser.add_argument("--no-retry", action="store_true", help="entrants refused with 503 do not try again")
    args = parser.parse_args()

    database_url = _servers.use_services("tayho_bench_spike")
    server_env, smtp_port = {}, None
    if args.fault == "mail":
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            sys.exit("--fault mail needs aiosmtpd: .venv/bin/pip install aiosmtpd==1.4.6")
        smtp_port = _servers.free_port()  # nothing listens there until the sink starts
        server_env = {
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_USE_TLS": "false",
            "SMTP_TIMEOUT": "5",
            "TASKS_BACKEND": "database",
        }
        os.environ.update(server_env)  # the worker and this process read the same queue
    contest, form_path = _servers.prepare_database()
    from django.db import connection

    from contest.models import Entry

    earlier = Entry.objects.filter(contest=contest, title__startswith="bench-")
    deleted = earlier.count()
    earlier.delete()
    print(
        f"database: {database_url}; redis: {os.environ['REDIS_URL']} (prefix {os.environ['CACHE_KEY_PREFIX']}); "
        f"{deleted} entries of earlier runs deleted; {Entry.objects.filter(contest=contest).count()} other entries"
    )
    print(
        f"{args.instances} gunicorn instances × {args.workers} sync workers; {args.entrants} entrants over "
        f"{args.seconds:g} s (offered {args.entrants / args.seconds:.1f}/s), at most {args.concurrency} at once; "
        f"fault: {args.fault}; {os.cpu_count()} CPU cores"
    )

    run_id = uuid.uuid4().hex[:8]
    clock = None
    records, lock = [], threading.Lock()
    fault = worker = None
    try:
        with _servers.Servers(args.instances, args.workers, server_env) as servers:
            if args.fault == "mail":
                worker = start_worker()
            bases = servers.bases
            retry_pool = ThreadPoolExecutor(max_workers=args.concurrency)
            retries = []

            def entrant(n, due, attempt_number=1):
                time.sleep(max(0.0, due - clock.now()))
                record = attempt(bases[n % len(bases)], form_path, contest, run_id, n, clock)
                record.update(attempt=attempt_number, due=due)
                with lock:
                    records.append(record)
                if record["kind"] == "clear" and attempt_number == 1 and not args.no_retry:
                    wait = float(record["retry_after"]) if record["retry_after"].isdigit() else 30.0
                    retries.append(retry_pool.submit(entrant, n, clock.now() + wait, 2))

            server_cpu = servers.cpu_seconds()
            client_cpu = resource.getrusage(resource.RUSAGE_SELF)
            busy, total = _servers.machine_cpu()
            clock = Clock()
            if args.fault in ("postgres", "redis"):
                fault = Fault(args.fault, clock, args.at * args.seconds, args.down, bases)
                fault.start()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                list(pool.map(lambda n: entrant(n, n * args.seconds / args.entrants), range(args.entrants)))
            if fault:
                fault.finished.wait()
            while not all(future.done() for future in retries):
                time.sleep(0.2)
            for future in retries:
                future.result()
            retry_pool.shutdown()
            elapsed = clock.now()
            client_after = resource.getrusage(resource.RUSAGE_SELF)
            busy_after, total_after = _servers.machine_cpu()
            cores = os.cpu_count() or 1
            server_seconds = servers.cpu_seconds() - server_cpu
            cpu = {
                "server_seconds": server_seconds,
                "cores": cores,
                "server": server_seconds / (elapsed * cores),
                "client": (client_after.ru_utime + client_after.ru_stime - client_cpu.ru_utime - client_cpu.ru_stime)
                / (elapsed * cores),
                "machine": (busy_after - busy) / max(1, total_after - total),
            }
            if worker:
                worker.terminate()
                worker.wait(timeout=30)
    finally:
        if worker and worker.poll() is None:
            worker.kill()
        restore_services()
    if fault and fault.error:
        print(f"the fault could not be run: {fault.error!r}")

    connection.close()  # PostgreSQL may have restarted under this process's connection
    return report(args, run_id, records, elapsed, cpu, fault, smtp_port)


def report(args, run_id, records, elapsed, cpu, fault, smtp_port):
    first = {r["n"]: r for r in records if r["attempt"] == 1}
    final = {**first, **{r["n"]: r for r in records if r["attempt"] == 2}}
    acknowledged = [n for n, r in final.items() if r["kind"] == "success"]
    check = _servers.check_entries(run_id, acknowledged)
    successes = [r for r in records if r["kind"] == "success"]
    post_ms = [r["post_ms"] for r in successes]
    flow_ms = [(r["end"] - r["start"]) * 1000 for r in successes]
    lag = [r["start"] - r["due"] for r in records if r["attempt"] == 1]
    last = max((r["end"] for r in successes), default=0.0)

    def kinds(outcomes):
        return collections.Counter(r["kind"] for r in outcomes.values())

    def details(outcomes, kind):
        found = collections.Counter(
            f"{r['step']} {r['error'] or r['status']}" for r in outcomes.values() if r["kind"] == kind
        )
        return ", ".join(f"{what} ×{count}" for what, count in found.most_common()) or "-"

    print()
    print(f"{'entrants':<44} {args.entrants}")
    print(f"{'acknowledged (302), first try':<44} {kinds(first)['success']}")
    if args.fault == "postgres":
        print(f"{'  clear refusals (503 + Retry-After)':<44} {kinds(first)['clear']}   [{details(first, 'clear')}]")
        print(f"{'  unclear (errors, 500s, …)':<44} {kinds(first)['unclear']}   [{details(first, 'unclear')}]")
        if not args.no_retry:
            print(f"{'after one retry: acknowledged':<44} {kinds(final)['success']}")
            print(f"{'  still refused (503)':<44} {kinds(final)['clear']}")
            print(f"{'  unclear':<44} {kinds(final)['unclear']}   [{details(final, 'unclear')}]")
    elif kinds(final)["success"] != args.entrants:
        print(
            f"{'  not acknowledged':<44} {args.entrants - kinds(final)['success']}   "
            f"[{details(final, 'clear')}; {details(final, 'unclear')}]"
        )
    print(
        f"{'entries per second (acknowledged ÷ run)':<44} {len(acknowledged) / elapsed:.1f}   "
        f"(run {elapsed:.1f} s, last acknowledgement at {last:.1f} s)"
    )
    print(
        f"{'POST latency p50 / p95 / max (ms)':<44} {_servers.percentile(post_ms, 0.5):.0f} / "
        f"{_servers.percentile(post_ms, 0.95):.0f} / {max(post_ms, default=float('nan')):.0f}"
    )
    print(
        f"{'form + POST p50 / p95 (ms)':<44} {_servers.percentile(flow_ms, 0.5):.0f} / "
        f"{_servers.percentile(flow_ms, 0.95):.0f}"
    )
    print(
        f"{'client start lag p95 / max (s)':<44} {_servers.percentile(lag, 0.95):.2f} / {max(lag):.2f}   "
        "(how late entrants began against the even schedule)"
    )
    print(
        f"{'CPU share: servers / this client / machine':<44} {cpu['server']:.0%} / {cpu['client']:.0%} / "
        f"{cpu['machine']:.0%}"
    )
    if successes:
        per_entry = cpu["server_seconds"] / len(successes)
        print(
            f"{'server CPU per acknowledged entrant':<44} {per_entry * 1000:.0f} ms (form + POST, PostgreSQL not "
            f"included): ≈ {cpu['cores'] / per_entry:.1f} entries/s if the servers had all {cpu['cores']} cores"
        )
    refused_numbers = {n for n, r in final.items() if r["kind"] != "success"}
    refused_stored = sorted(refused_numbers & set(check["unacknowledged_stored"]))
    print(f"{'stored entries':<44} {check['stored']}")
    print(f"{'lost (acknowledged, not stored)':<44} {check['lost']}")
    print(
        f"{'duplicated (stored more than once)':<44} {check['duplicated']}"
        + (f"   entrants {check['duplicated_numbers'][:10]}" if check["duplicated"] else "")
    )
    print(f"{'half-saved (no author or consents)':<44} {check['incomplete']}")
    print(
        f"{'stored although the entrant was refused':<44} {len(refused_stored)}"
        + (f"   entrants {refused_stored[:10]}" if refused_stored else "")
    )
    failed = bool(check["lost"] or check["duplicated"] or check["incomplete"] or refused_stored)
    if fault:
        for event in fault.events:
            print(f"fault: {event}")
    if args.fault == "redis" and fault:
        failed |= redis_report(records, fault)
    elif args.fault != "postgres" and kinds(final)["success"] != args.entrants:
        failed = True
    if args.fault == "mail":
        failed |= mail_report(run_id, smtp_port, check)
    print("RESULT:", "FAILED" if failed else "ok")
    return 1 if failed else 0


def redis_report(records, fault):
    began, ended = fault.window or (0.0, 0.0)
    during = [r for r in records if began <= r["start"] <= ended]
    kinds = collections.Counter(r["kind"] for r in during)
    print(
        f"{'entrants who began while Redis was down':<44} {len(during)}: {kinds['success']} acknowledged, "
        f"{len(during) - kinds['success']} not"
    )
    last = {}
    for moment, answered, what, number, said in sorted(fault.polls):
        if last.get((what, number)) != said:
            print(f"  {moment:5.1f}–{answered:5.1f} s  instance {number} {what:<8} {said}")
            last[what, number] = said
    health = [p for p in fault.polls if p[2] == "/healthz"]
    pages = [p for p in fault.polls if p[2] == "/"]
    polled_down = [p for p in health if began < p[0] and p[1] < ended]
    degraded = [p for p in polled_down if "degraded" in p[4]]
    pages_bad = [p for p in pages if not p[4].startswith("200")]
    slowest = max((end - start for start, end, *_rest in health), default=0.0)
    print(
        f"{'/healthz answers while Redis was down':<44} {len(degraded)} of {len(polled_down)} said degraded "
        f"(slowest /healthz answer {slowest:.1f} s)"
    )
    print(f"{'home page polls not answered 200':<44} {len(pages_bad)} of {len(pages)}")
    return bool(pages_bad) or not polled_down or len(degraded) != len(polled_down)


def mail_report(run_id, smtp_port, check):
    from contest.models import Entry

    waiting = mail_rows(run_id)
    print(
        f"{'mail tasks after the spike (this run)':<44} "
        + ", ".join(f"{status} {count}" for status, count in sorted(waiting.items()))
    )
    sink, notes = deliver_queue(run_id, smtp_port)
    for note in notes:
        print(f"  {note}  [fast-forwarded: the real retry schedule is 60 s, then doubling]")
    after = mail_rows(run_id)
    print(
        f"{'mail tasks after delivery (this run)':<44} "
        + ", ".join(f"{status} {count}" for status, count in sorted(after.items()))
    )
    addresses = set(Entry.objects.filter(title__startswith=f"bench-{run_id}-").values_list("entrant__email", flat=True))
    received = {address: count for address, count in sink.recipients.items() if address.startswith(f"bench-{run_id}-")}
    missing = addresses - set(received)
    twice = [address for address, count in received.items() if count > 1]
    print(
        f"{'messages received by the sink (this run)':<44} {sum(received.values())} for {len(addresses)} "
        f"stored entries; missing {len(missing)}; more than once {len(twice)}"
    )
    return bool(missing or twice or after.get("READY"))


if __name__ == "__main__":
    sys.exit(main())
