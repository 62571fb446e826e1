"""What the server benchmarks share (submit.py, load.py, spike.py): the benchmark settings
and services, the demo database, gunicorn instances on free ports, the simulated contest
entrant, and the check of the stored entries afterwards.

Import this module before Django: it sets DJANGO_SETTINGS_MODULE to benchmarks.settings
(production settings, captcha in test mode, rate limits lifted), which the servers inherit.
"""

import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
CACHE_PREFIX = "bench"


def use_services(database_name, redis=True):
    """DATABASE_URL (a PostgreSQL database of the benchmark's own, created if missing) and,
    with `redis`, REDIS_URL with a cache key prefix of the benchmarks' own — unless the
    caller set them. Returns the database URL."""
    url = os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database_name}")
    if redis:
        os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
        os.environ.setdefault("CACHE_KEY_PREFIX", CACHE_PREFIX)
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as connection:
            name = parsed.path.lstrip("/")
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    return url


class RedisCounter:
    """Counts commands sent to Redis (a pipeline counts once) by wrapping the client's
    connection class."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        from redis.connection import Connection

        self._original = Connection.send_packed_command
        counter = self

        def counted(connection, command, check_health=True):
            counter.count += 1
            return counter._original(connection, command, check_health)

        Connection.send_packed_command = counted
        return self

    def __exit__(self, *exc):
        from redis.connection import Connection

        Connection.send_packed_command = self._original


def clear_cache_prefix():
    """Deletes this benchmark's keys (CACHE_KEY_PREFIX:*) from Redis, nothing else."""
    import redis as redis_client

    prefix = os.environ.get("CACHE_KEY_PREFIX", CACHE_PREFIX)
    client = redis_client.Redis.from_url(os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])
    return len(keys)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database():
    """Static files as production builds them, the schema and the demo content. Returns the
    open demo contest and the path of its entry form."""
    import django

    # A scratch folder the servers read too, kept between runs.
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "tayho-bench-static"))
    django.setup()
    from django.core.management import call_command

    collect_static()
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", "--no-admin", stdout=devnull)
    from contest.models import ContestPage

    contest = ContestPage.objects.live().filter(slug="khat-vong-tay-ho").first() or ContestPage.objects.live().first()
    return contest, contest.url + "gui-bai/"


def collect_static():
    """collectstatic (half a minute: whitenoise compresses every file), skipped when no
    source file changed since the last run into the same STATIC_ROOT."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".benchmark-sources"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    call_command("collectstatic", verbosity=0, interactive=False)
    stamp.write_text(digest.hexdigest())


SITE_APP = "tayho_site.wsgi:application"


def start_server(port, workers, env=None, app=SITE_APP, ready_path="/healthz", extra_args=()):
    """gunicorn serving `app` (the site by default) on 127.0.0.1:port, once `ready_path`
    answers 200."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            *extra_args,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}{ready_path}", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    stop_server(server)
    sys.exit(f"gunicorn did not start on port {port}")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def process_stats():
    """(pid, the fields of /proc/<pid>/stat after the command's name) of every process."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                yield int(entry.name), stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue


class Servers:
    """`count` gunicorn instances on free ports: `with Servers(2, workers) as servers:`,
    then servers.bases (http://127.0.0.1:port) and servers.processes. `app` and
    `ready_path` as in start_server."""

    def __init__(self, count, workers, env=None, app=SITE_APP, ready_path="/healthz", extra_args=()):
        self.count, self.workers, self.env = count, workers, env
        self.app, self.ready_path, self.extra_args = app, ready_path, tuple(extra_args)
        self.processes, self.ports = [], []

    def __enter__(self):
        try:
            for _ in range(self.count):
                port = free_port()
                self.processes.append(
                    start_server(port, self.workers, self.env, self.app, self.ready_path, self.extra_args)
                )
                self.ports.append(port)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        for server in self.processes:
            stop_server(server)

    @property
    def bases(self):
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def worker_pids(self):
        """The worker processes (children of each instance's master)."""
        masters = {server.pid for server in self.processes}
        return [pid for pid, fields in process_stats() if int(fields[1]) in masters]  # fields[1]: the parent's pid

    def worker_rss_mb(self):
        """{pid: resident memory in MB} of every worker."""
        sizes = {}
        for pid in self.worker_pids():
            try:
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            sizes[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return sizes

    def cpu_seconds(self):
        """User + system CPU time used so far by the servers' masters and workers."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        pids = {server.pid for server in self.processes}
        for pid, fields in process_stats():
            if pid in pids or int(fields[1]) in pids:  # fields[1]: the parent's pid
                total += (int(fields[11]) + int(fields[12])) / tick
        return total


def machine_cpu():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


WORDS = (
    "Hồ Tây xanh sạch đẹp phố phường văn hiến văn minh hiện đại đáng sống sen Quảng Bá đào Nhật Tân quất "
    "Tứ Liên phủ Tây Hồ chùa Trấn Quốc đường ven hồ cây xanh nước trong người dân du khách nghề truyền thống "
    "giữ gìn phát huy bản sắc xây dựng chính quyền gần dân"
).split()


def entry_fields(contest, run_id, n, token, choices):
    """A complete entry of entrant n: its own e-mail and title (bench-<run>-<n>), its own
    text; `choices` are the form's first category and ward (see open_form)."""
    rng = random.Random(f"{run_id}-{n}")
    words = [rng.choice(WORDS) for _ in range(max(1, contest.min_words) + 20)]
    return {
        "csrfmiddlewaretoken": token,
        "full_name": f"Người thử {n}",
        "birth_year": "1990",
        "phone": "0912345678",
        "email": f"bench-{run_id}-{n}@example.vn",
        "address": "Tây Hồ",
        "show_as": "name",
        **choices,
        "title": f"bench-{run_id}-{n}",
        "body": " ".join(words),
        "accept_rules": "on",
        "original_work": "on",
        "personal_data": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }


def forwarded_for(n):
    """A client address of entrant n's own, as the proxy would pass it on."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class FormError(Exception):
    """The entry form came back without what a browser would need to send it."""


def first_option(html, name):
    """The first real choice of the form's <select name=...>, or None."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    option = re.search(r'<option value="(\d+)"', select.group(1)) if select else None
    return option.group(1) if option else None


def open_form(session, url, headers=None):
    """GET the entry form: (response, csrf token, {"category": …, "ward": …} — the first
    of each). The token and choices are None unless the form came back whole."""
    form = session.get(url, headers=headers, timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    choices = {name: first_option(form.text, name) for name in ("category", "ward")}
    if form.status_code != 200 or not token or not choices["category"]:
        return form, None, None
    return form, token.group(1), {name: value for name, value in choices.items() if value}


def send_entry(session, url, data, headers=None):
    """POST an entry, without following the redirect: (response, milliseconds)."""
    started = time.perf_counter()
    response = session.post(
        url, data=data, headers={"Referer": url, **(headers or {})}, allow_redirects=False, timeout=60
    )
    return response, (time.perf_counter() - started) * 1000


def entrant(base, form_path, contest, run_id, n, headers=None):
    """Opens the form (session and CSRF cookie), sends a complete entry: (status, ms)."""
    session = requests.Session()
    form, token, choices = open_form(session, base + form_path, headers)
    if token is None:
        raise FormError(f"entry form answered {form.status_code}")
    response, ms = send_entry(session, base + form_path, entry_fields(contest, run_id, n, token, choices), headers)
    return response.status_code, ms


def check_entries(run_id, acknowledged):
    """What the database holds of this run's entries (titles bench-<run_id>-<n>), against
    the numbers n the server acknowledged: lost (acknowledged, not stored), duplicated
    (stored twice), incomplete (stored without author or all three consents), and stored
    although not acknowledged."""
    from django.db.models import Count

    from contest.models import Entry

    prefix = f"bench-{run_id}-"
    stored = Entry.objects.filter(title__startswith=prefix).annotate(consent_count=Count("consents"))
    rows = list(stored.values_list("title", "entrant__id", "consent_count"))
    numbers = [int(title.removeprefix(prefix)) for title, _entrant, _count in rows]
    unique = set(numbers)
    return {
        "stored": len(rows),
        "lost": len(set(acknowledged) - unique),
        "duplicated": len(numbers) - len(unique),
        "duplicated_numbers": sorted({n for n in numbers if numbers.count(n) > 1}),
        "incomplete": sum(1 for _title, entrant_id, count in rows if entrant_id is None or count != 3),
        "unacknowledged_stored": sorted(unique - set(acknowledged)),
    }


def percentile(values, share):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * share))]
