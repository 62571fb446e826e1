"""Backups: the database and the uploaded media in one archive, and their restore.

`backup()` writes `tayho-YYYYmmdd-HHMMSS.tar.gz` holding

- `manifest.json`: when, by which Django and Wagtail, the latest applied migration of
  each app, the database vendor and the row counts of the key tables;
- `database.pgdump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3`
  (a consistent copy by SQLite's online backup API);
- `media/`: MEDIA_ROOT, when uploads are local files (on object storage they are the
  provider's to back up, and the archive says so).

`restore()` puts an archive back into a database given as a settings dict (the
configured one by default) and the media into MEDIA_ROOT. It refuses an archive whose
migrations this code does not know (made by newer code), and a database that already
holds tables unless told `yes`. `manage.py backup` and `manage.py restore` are thin
commands over these functions (`make backup`, `make restore ARCHIVE=...`).
"""

import datetime
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"

# Counted into the manifest and checked again after a restore.
KEY_MODELS = (
    "auth.User",
    "wagtailcore.Page",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "contest.Entry",
    "contest.Review",
    "ideas.Idea",
    "ideas.Support",
    "emulation.Commitment",
    "emulation.Nomination",
    "emulation.Honour",
    "referrals.Referral",
    "tayho_site.AuditEntry",
)

# Connection options of Django's PostgreSQL OPTIONS that libpq understands, with the
# environment variable pg_dump and pg_restore read them from.
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that cannot (or must not) go ahead; the message says why."""


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict = field(default_factory=dict)
    media_files: int = 0
    migrate_needed: list = field(default_factory=list)


def _log(log, message):
    (log or logger.info)(message)


# --- Where things are ------------------------------------------------------------------


def default_output_dir() -> Path:
    """BACKUP_DIR from the environment (or settings), else `backups/` in the project."""
    configured = os.environ.get("BACKUP_DIR") or getattr(settings, "BACKUP_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "backups"


def media_storage():
    """(is local, backend path) of the default file storage."""
    from django.core.files.storage import FileSystemStorage, storages

    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    return isinstance(storages["default"], FileSystemStorage), backend


def vendor_of(database: dict) -> str:
    engine = database.get("ENGINE", "")
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    if "sqlite3" in engine or "spatialite" in engine:
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine!r}.")


# --- PostgreSQL helpers ----------------------------------------------------------------


def _pg_environ(database: dict) -> dict:
    """The environment pg_dump/pg_restore connect with; the password travels in PGPASSWORD."""
    environ = os.environ.copy()
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            environ[variable] = str(database[key])
    for option, variable in PG_OPTIONS.items():
        if database.get("OPTIONS", {}).get(option):
            environ[variable] = str(database["OPTIONS"][option])
    return environ


def pg_connect(database: dict, dbname: str | None = None):
    import psycopg

    params = {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "dbname": dbname or database.get("NAME") or None,
    }
    params.update({key: value for key, value in database.get("OPTIONS", {}).items() if key in PG_OPTIONS})
    return psycopg.connect(**{key: value for key, value in params.items() if value is not None}, autocommit=True)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found; install the PostgreSQL client tools (postgresql-client) "
            "of the server's major version."
        )
    return path


def _run(command: list, environ: dict, what: str):
    done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}):\n{done.stderr.strip()}")
    return done


def _pg_tables(database: dict) -> set[str]:
    """Schema-qualified user tables of a database; empty when the database does not exist."""
    import psycopg

    try:
        with pg_connect(database) as conn:
            rows = conn.execute(
                "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchall()
    except psycopg.OperationalError as error:
        if _pg_database_exists(database) is False:
            return set()
        raise BackupError(f"Cannot connect to the database {database.get('NAME')!r}: {error}") from error
    return {f"{schema}.{table}" for schema, table in rows}


def _pg_database_exists(database: dict) -> bool | None:
    """Whether the database exists, asked of the server's `postgres` database (None: cannot tell)."""
    import psycopg

    try:
        with pg_connect(database, dbname="postgres") as conn:
            return (
                conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]).fetchone() is not None
            )
    except psycopg.Error:
        return None


def _pg_create_database(database: dict):
    import psycopg
    from psycopg import sql

    try:
        with pg_connect(database, dbname="postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    except psycopg.Error as error:
        raise BackupError(
            f"The database {database['NAME']!r} does not exist and could not be created: {error}. "
            "Create it (empty), then restore again."
        ) from error


def _pg_archive_tables(dump: Path, environ: dict) -> set[str]:
    listing = _run([_tool("pg_restore"), "--list", str(dump)], environ, "pg_restore --list").stdout
    return {f"{m[1]}.{m[2]}" for m in re.finditer(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", listing, re.MULTILINE)}


# --- SQLite helpers --------------------------------------------------------------------


def _sqlite_path(database: dict) -> Path:
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"SQLite database {name!r} is not a file that can be backed up or restored.")
    return Path(name)


def _sqlite_tables(database: dict) -> set[str]:
    path = _sqlite_path(database)
    if not path.exists():
        return set()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {name for (name,) in rows}


def _tables(database: dict) -> set[str]:
    return _pg_tables(database) if vendor_of(database) == "postgresql" else _sqlite_tables(database)


def database_is_empty(database: dict) -> bool:
    """True when the database is missing or holds no tables."""
    return not _tables(database)


def _count_rows(database: dict, tables: dict) -> dict:
    """{label: rows} for {label: table} in a database, read with a plain DB-API connection."""
    counts = {}
    if vendor_of(database) == "postgresql":
        from psycopg import sql

        with pg_connect(database) as conn:
            for label, table in tables.items():
                query = sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
                counts[label] = conn.execute(query).fetchone()[0]
    else:
        with sqlite3.connect(f"file:{_sqlite_path(database)}?mode=ro", uri=True) as conn:
            for label, table in tables.items():
                counts[label] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
    return counts


# --- Manifest --------------------------------------------------------------------------


def key_tables() -> dict:
    from django.apps import apps

    tables = {}
    for label in KEY_MODELS:
        try:
            tables[label] = apps.get_model(label)._meta.db_table
        except LookupError:
            continue
    return tables


def migration_state(using: str = "default") -> dict:
    """{app: the latest applied migration}, latest in the migration graph's order. Rows
    left behind by apps this code no longer has are not state and are left out."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    latest = {}
    for app, name in loader.applied_migrations:
        if app not in loader.migrated_apps:
            continue
        node = (app, name)
        depth = len(loader.graph.forwards_plan(node)) if node in loader.graph.nodes else -1
        if app not in latest or (depth, name) > latest[app][0]:
            latest[app] = ((depth, name), name)
    return {app: name for app, (_key, name) in sorted(latest.items())}


def build_manifest(using: str = "default", *, media: dict) -> dict:
    import django
    import wagtail

    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for label, table in key_tables().items():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[label] = cursor.fetchone()[0]
    return {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": {
            "vendor": vendor_of(connection.settings_dict),
            "name": str(connection.settings_dict["NAME"]),
            "file": PG_DUMP if connection.vendor == "postgresql" else SQLITE_COPY,
        },
        "migrations": migration_state(using),
        "counts": counts,
        "media": media,
    }


def read_manifest(archive) -> dict:
    try:
        with tarfile.open(archive, "r:*") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{archive} is not a backup archive of this site ({error}).") from error


def check_migrations(manifest: dict, log=None) -> list[str]:
    """Refuse an archive made by newer code; return the apps this code would migrate further.

    Newer means: for an app this code has, the archive's latest migration is one this code
    does not know. Apps this code does not have at all are only reported."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    recorded = manifest.get("migrations", {})
    unknown = [
        f"{app}.{name}" for app, name in recorded.items() if app in loader.migrated_apps and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "The archive's database is newer than this code: it has migrations this code does not know ("
            + ", ".join(sorted(unknown))
            + "). Deploy the code version the backup was made with, or a newer one, "
            "and restore again."
        )
    strangers = sorted(app for app in recorded if app not in loader.migrated_apps)
    if strangers:
        _log(log, "The archive has tables of apps this code does not have (left as they are): " + ", ".join(strangers))
    behind = []
    for app, name in recorded.items():
        leaves = {leaf for _app, leaf in loader.graph.leaf_nodes(app)}
        if app in loader.migrated_apps and name not in leaves:
            behind.append(app)
    return behind


# --- Backup ----------------------------------------------------------------------------


def backup(output=None, *, using: str = "default", media_root=None, log=None) -> Path:
    """Write one archive of the database `using` and the media; return its path.

    `output` is a directory (default: `default_output_dir()`) or a path ending in .tar.gz."""
    database = connections[using].settings_dict
    vendor = vendor_of(database)
    output = Path(output) if output else default_output_dir()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = output if output.name.endswith(".tar.gz") else output / f"tayho-{stamp}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)

    local, backend = media_storage()
    if media_root is None and local:
        media_root = settings.MEDIA_ROOT
    if media_root is not None:
        media_root = Path(media_root)
        files = [path for path in media_root.rglob("*") if path.is_file()] if media_root.is_dir() else []
        media = {"included": True, "files": len(files), "bytes": sum(path.stat().st_size for path in files)}
    else:
        media = {"included": False, "storage": backend}
        _log(
            log,
            f"Media are on {backend}, not local files: back them up with the storage provider's tools. "
            "This archive holds only the database.",
        )

    _log(log, f"Backing up the {vendor} database {database.get('NAME')!r} …")
    manifest = build_manifest(using, media=media)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="tayho-backup-", dir=target.parent) as scratch:
        if vendor == "postgresql":
            dump = Path(scratch) / PG_DUMP
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump)],
                _pg_environ(database),
                "pg_dump",
            )
        else:
            dump = Path(scratch) / SQLITE_COPY
            _sqlite_copy(_sqlite_path(database), dump)
        _log(log, f"  database: {dump.stat().st_size:,} bytes")
        manifest_path = Path(scratch) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        try:
            # Personal data (entrants, authors, judges): readable by the owner only.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(manifest_path, arcname=MANIFEST)  # first, so reading it needs little
                tar.add(dump, arcname=dump.name)
                if media["included"]:
                    _log(log, f"Adding the media from {media_root}: {media['files']} files, {media['bytes']:,} bytes …")
                    if media_root.is_dir():
                        tar.add(media_root, arcname=MEDIA)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    _log(log, f"Backup written: {target} ({target.stat().st_size:,} bytes)")
    return target


def prune(directory=None, *, keep_days: int, log=None) -> list[Path]:
    """Delete this site's archives (tayho-*.tar.gz) older than `keep_days` in `directory`:
    backups hold personal data, which must not outlive its retention periods by much,
    and a full disk stops uploads. 0 keeps everything."""
    if keep_days <= 0:
        return []
    directory = Path(directory) if directory else default_output_dir()
    limit = time.time() - keep_days * 24 * 60 * 60
    removed = [path for path in sorted(directory.glob("tayho-*.tar.gz")) if path.stat().st_mtime < limit]
    for path in removed:
        path.unlink()
        _log(log, f"Deleted the old backup {path.name}")
    return removed


# --- Restore ---------------------------------------------------------------------------


def restore(
    archive,
    *,
    database: dict | None = None,
    media_root=None,
    yes: bool = False,
    restore_media=True,
    clear_cache: bool | None = None,
    log=None,
) -> RestoreResult:
    """Put an archive back into `database` (a settings dict; the configured one by default)
    and its media into `media_root` (MEDIA_ROOT by default)."""
    archive = Path(archive)
    configured = database is None
    database = dict(connections["default"].settings_dict if configured else database)
    vendor = vendor_of(database)
    manifest = read_manifest(archive)
    _log(
        log,
        f"Archive {archive.name}: made {manifest.get('created_at')} by Django {manifest.get('django')}, "
        f"Wagtail {manifest.get('wagtail')}, from {manifest['database']['vendor']}.",
    )

    if manifest.get("format") != FORMAT:
        raise BackupError(f"Archive format {manifest.get('format')!r} is not the one this code reads ({FORMAT}).")
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The archive holds a {manifest['database']['vendor']} database; the target is {vendor}. "
            "Restore into the same kind of database."
        )
    behind = check_migrations(manifest, log)

    existing = _tables(database)
    if existing and not yes:
        raise BackupError(
            f"WARNING: the database {database.get('NAME')!r} is not empty ({len(existing)} tables). Restoring "
            "replaces everything in it with the archive's contents. Stop the site and the worker, then run again "
            "with --yes (make restore ARCHIVE=... YES=1) to go ahead."
        )

    with tempfile.TemporaryDirectory(prefix="tayho-restore-") as scratch, tarfile.open(archive, "r:*") as tar:
        dump_name = manifest["database"]["file"]
        _log(log, f"Restoring the database into {database.get('NAME')!r} …")
        try:
            tar.extract(dump_name, path=scratch, filter="data")
        except KeyError as error:
            raise BackupError(f"The archive has no {dump_name}.") from error
        dump = Path(scratch) / dump_name
        if vendor == "postgresql":
            _restore_postgres(dump, database, existing, log)
        else:
            _restore_sqlite(dump, database)

        media_files = 0
        if restore_media:
            media_files = _restore_media(tar, manifest, media_root, log)

    counts = _count_rows(
        database, {label: table for label, table in key_tables().items() if label in manifest.get("counts", {})}
    )
    for label, rows in counts.items():
        expected = manifest["counts"][label]
        _log(log, f"  {label}: {rows} rows" + ("" if rows == expected else f" — the manifest says {expected}!"))

    if configured if clear_cache is None else clear_cache:
        from django.core.cache import cache

        # django-redis: only this site's keys (its prefix), never the whole Redis database.
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")
        else:
            cache.clear()
        _log(log, "Cache cleared: pages cached from the old data are gone.")
    if behind:
        _log(
            log,
            "This code has newer migrations for: "
            + ", ".join(sorted(behind))
            + ". Run `manage.py migrate` (make migrate) now.",
        )
    _log(log, "Restore finished.")
    return RestoreResult(manifest=manifest, counts=counts, media_files=media_files, migrate_needed=sorted(behind))


def _restore_postgres(dump: Path, database: dict, existing: set, log):
    environ = _pg_environ(database)
    if not existing and _pg_database_exists(database) is False:
        _log(log, f"  creating the database {database['NAME']!r}")
        _pg_create_database(database)
    if existing:
        # Tables the archive does not have (made by later migrations) would stop `migrate`
        # from creating them again: they go, as everything else in the database is replaced.
        in_archive = _pg_archive_tables(dump, environ)
        schemas = {name.split(".", 1)[0] for name in in_archive}
        extra = sorted(name for name in existing - in_archive if name.split(".", 1)[0] in schemas)
        if extra:
            from psycopg import sql

            _log(log, f"  dropping {len(extra)} tables the archive does not have: {', '.join(extra)}")
            with pg_connect(database) as conn, conn.transaction():
                for name in extra:
                    schema, table = name.split(".", 1)
                    conn.execute(
                        sql.SQL("DROP TABLE IF EXISTS {}.{} CASCADE").format(
                            sql.Identifier(schema), sql.Identifier(table)
                        )
                    )
    # One transaction: a failure leaves the database as it was.
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(database["NAME"]),
            str(dump),
        ],
        environ,
        "pg_restore",
    )


def _restore_sqlite(dump: Path, database: dict):
    target = _sqlite_path(database)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(dump, target)


def _sqlite_copy(source_path: Path, target_path: Path):
    """SQLite's online backup API: a consistent copy while others use the source, and it
    overwrites the target whole, safely even while others hold it open."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_media(tar: tarfile.TarFile, manifest: dict, media_root, log) -> int:
    media = manifest.get("media", {})
    if not media.get("included"):
        _log(log, f"The archive holds no media (they were on {media.get('storage', 'object storage')}).")
        return 0
    local, backend = media_storage()
    if media_root is None:
        if not local:
            _log(
                log,
                f"Media are on {backend} here: the archive's media/ folder was not restored "
                "(extract it with tar and upload it with the storage provider's tools).",
            )
            return 0
        media_root = settings.MEDIA_ROOT
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    _log(log, f"Restoring {media.get('files', 0)} media files into {media_root} …")
    count = 0
    prefix = MEDIA + "/"
    for member in tar:
        if not member.name.startswith(prefix):
            continue
        # The data filter refuses absolute paths, links out of the folder and devices.
        tar.extract(member.replace(name=member.name[len(prefix) :], deep=False), path=media_root, filter="data")
        count += member.isfile()
    _log(log, f"  {count} media files restored (files already there and not in the archive were kept)")
    return count
