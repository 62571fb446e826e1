"""Backups: an archive of the database and the media goes back whole into another
database (a scratch PostgreSQL database, or another SQLite file) and media folder."""

import datetime
import io
import json
import secrets
import sqlite3
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Criterion, Review, Round
from contest.models import Entry
from tayho_site import backup
from tests.conftest import running_on_postgres
from tests.factories import ContestPageFactory, make_entries
from tests.markers import transactional_db

pytestmark = transactional_db

ATTACHMENT = bytes(range(256)) * 40 + "Bài dự thi về Hồ Tây".encode()


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def scored_contest(home, media_root):
    """Three confirmed entries, each scored by two judges, and one with an attachment."""
    contest = ContestPageFactory(parent=home)
    judges = [get_user_model().objects.create_user(f"giamkhao{n}", password="mat-khau-dai-123") for n in range(3)]
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Sơ khảo",
        scoring_opens_at=now,
        scoring_closes_at=now + datetime.timedelta(days=14),
        judges_per_item=2,
        seed=11,
        status=Round.Status.SCORING,
    )
    criteria = [
        Criterion.objects.create(round=round_, name="Ý tưởng", max_points=10, weight=2, sort_order=0),
        Criterion.objects.create(round=round_, name="Trình bày", max_points=10, weight=1, sort_order=1),
    ]
    round_.judges.set(judges)
    round_.save()
    entries = make_entries(contest, 3)
    judging_actions.add_items(round_, entries)
    judging_actions.assign_round(round_, by=judges[0])
    for n, assignment in enumerate(Assignment.objects.select_related("judge", "item__round").order_by("pk")):
        judging_actions.save_review(
            assignment,
            points={str(criteria[0].pk): 5 + n % 5, str(criteria[1].pk): 7.5},
            comment=f"Nhận xét {n}",
            submit=True,
            by=assignment.judge,
        )
    entry = entries[0]
    entry.attachment.save("bai-du-thi.pdf", ContentFile(ATTACHMENT))
    return entries


def entries_in_django():
    return sorted(Entry.objects.values_list("tracking_code", "title", "attachment"))


def reviews_in_django():
    return sorted(
        (r.assignment.item.code, r.assignment.judge_id, json.dumps(r.points, sort_keys=True), r.status, r.comment)
        for r in Review.objects.select_related("assignment__item")
    )


REVIEWS_SQL = """
    SELECT i.code, a.judge_id, r.points, r.status, r.comment FROM contest_review r
    JOIN contest_assignment a ON a.id = r.assignment_id JOIN contest_item i ON i.id = a.item_id"""


def reviews_in(cursor):
    rows = cursor.execute(REVIEWS_SQL).fetchall()
    return sorted(
        (
            code,
            judge,
            json.dumps(points if isinstance(points, dict) else json.loads(points), sort_keys=True),
            status,
            comment,
        )
        for code, judge, points, status, comment in rows
    )


def assert_media_restored(scored_contest, media_root, restored_root):
    name = Entry.objects.get(pk=scored_contest[0].pk).attachment.name
    assert (media_root / name).read_bytes() == ATTACHMENT
    assert (restored_root / name).read_bytes() == ATTACHMENT


# --- PostgreSQL ------------------------------------------------------------------------


@pytest.fixture
def scratch_database():
    """A database name on the same server, dropped afterwards."""
    import psycopg
    from psycopg import sql

    if not running_on_postgres():
        pytest.skip("pg_dump/pg_restore round trip runs on PostgreSQL (the CI's second pass)")
    target = {**connection.settings_dict, "NAME": f"tayho_restore_{secrets.token_hex(6)}"}
    yield target
    with backup.pg_connect(target, dbname="postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target["NAME"])))
    with pytest.raises(psycopg.OperationalError):
        backup.pg_connect(target).close()


@pytest.mark.postgres
def test_postgres_round_trip_into_a_scratch_database(scratch_database, scored_contest, media_root, tmp_path):
    import psycopg

    archive = backup.backup(tmp_path / "backups", log=lambda line: None)
    assert archive.name.startswith("tayho-") and archive.name.endswith(".tar.gz")
    manifest = backup.read_manifest(archive)
    assert manifest["database"] == {
        "vendor": "postgresql",
        "name": connection.settings_dict["NAME"],
        "file": "database.pgdump",
    }
    assert manifest["counts"]["contest.Entry"] == 3 and manifest["counts"]["contest.Review"] == 6
    assert manifest["media"] == {"included": True, "files": 1, "bytes": len(ATTACHMENT)}

    restored_media = tmp_path / "restored-media"
    lines = []
    result = backup.restore(archive, database=scratch_database, media_root=restored_media, log=lines.append)

    assert any("creating the database" in line for line in lines)
    assert result.counts["contest.Entry"] == 3 and result.counts["contest.Review"] == 6
    assert result.media_files == 1 and result.migrate_needed == []
    with psycopg.connect(**backup_params(scratch_database)) as conn:
        entries = conn.execute("SELECT tracking_code, title, attachment FROM contest_entry").fetchall()
        assert sorted(entries) == entries_in_django()
        assert [code for code, *_ in sorted(entries)] == ["KVTH26-0001", "KVTH26-0002", "KVTH26-0003"]
        assert reviews_in(conn) == reviews_in_django()
        assert len(reviews_in(conn)) == 6
    assert_media_restored(scored_contest, media_root, restored_media)


@pytest.mark.postgres
def test_postgres_restore_over_a_database_that_is_not_empty_needs_yes(scratch_database, scored_contest, tmp_path):
    import psycopg

    archive = backup.backup(tmp_path, log=lambda line: None)
    backup.restore(archive, database=scratch_database, restore_media=False, log=lambda line: None)
    with psycopg.connect(**backup_params(scratch_database), autocommit=True) as conn:
        conn.execute("DELETE FROM contest_review")
        conn.execute("CREATE TABLE made_by_a_later_migration (id integer)")

    with pytest.raises(backup.BackupError, match="is not empty"):
        backup.restore(archive, database=scratch_database, restore_media=False, log=lambda line: None)
    with psycopg.connect(**backup_params(scratch_database)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM contest_review").fetchone()[0] == 0  # untouched

    backup.restore(archive, database=scratch_database, restore_media=False, yes=True, log=lambda line: None)
    with psycopg.connect(**backup_params(scratch_database)) as conn:
        assert reviews_in(conn) == reviews_in_django()
        assert conn.execute("SELECT to_regclass('made_by_a_later_migration')").fetchone()[0] is None


def backup_params(database):
    return {
        key: value
        for key, value in {
            "host": database["HOST"],
            "port": database["PORT"],
            "user": database["USER"],
            "password": database["PASSWORD"],
            "dbname": database["NAME"],
        }.items()
        if value
    }


# --- SQLite ----------------------------------------------------------------------------


@pytest.fixture
def on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy runs on the SQLite pass")


def test_sqlite_round_trip_into_another_file(on_sqlite, scored_contest, media_root, tmp_path):
    archive = backup.backup(tmp_path / "backups", log=lambda line: None)
    manifest = backup.read_manifest(archive)
    assert manifest["database"]["vendor"] == "sqlite" and manifest["database"]["file"] == "database.sqlite3"
    assert manifest["counts"]["contest.Entry"] == 3

    target = {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
    restored_media = tmp_path / "restored-media"
    result = backup.restore(archive, database=target, media_root=restored_media, log=lambda line: None)

    assert result.counts["contest.Review"] == 6
    with sqlite3.connect(target["NAME"]) as conn:
        assert sorted(conn.execute("SELECT tracking_code, title, attachment FROM contest_entry")) == entries_in_django()
        assert reviews_in(conn) == reviews_in_django()
    assert_media_restored(scored_contest, media_root, restored_media)


# --- Both ------------------------------------------------------------------------------


def test_the_manifest_records_the_latest_applied_migration_of_each_app(tmp_path, media_root):
    from django.db.migrations.recorder import MigrationRecorder

    archive = backup.backup(tmp_path, log=lambda line: None)
    migrations = backup.read_manifest(archive)["migrations"]
    contest = sorted(name for app, name in MigrationRecorder(connection).applied_migrations() if app == "contest")
    assert migrations["contest"] == contest[-1]
    assert {"auth", "wagtailcore", "contest", "ideas", "emulation"} <= set(migrations)
    assert backup.check_migrations(backup.read_manifest(archive)) == []


def test_restore_refuses_a_database_that_is_not_empty_without_yes(tmp_path, media_root):
    archive = backup.backup(tmp_path, log=lambda line: None)
    # The configured database (the test database) has tables: nothing is touched.
    with pytest.raises(backup.BackupError, match=r"is not empty .*--yes"):
        backup.restore(archive, log=lambda line: None)
    with pytest.raises(CommandError, match="WARNING: the database .* is not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())


def fake_archive(path, **changes):
    manifest = {
        "format": 1,
        "created_at": "2030-01-01T00:00:00+00:00",
        "django": "9.0",
        "wagtail": "99.0",
        "database": {
            "vendor": "postgresql" if running_on_postgres() else "sqlite",
            "name": "x",
            "file": "database.pgdump" if running_on_postgres() else "database.sqlite3",
        },
        "migrations": {"contest": "0001_initial"},
        "counts": {},
        "media": {"included": False},
        **changes,
    }
    with tarfile.open(path, "w:gz") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_restore_refuses_an_archive_from_newer_code(tmp_path):
    archive = fake_archive(
        tmp_path / "future.tar.gz",
        migrations={"contest": "0001_initial", "ideas": "0999_from_the_future", "wagtailcore": "0999_from_the_future"},
    )
    target = (
        {**connection.settings_dict, "NAME": str(tmp_path / "never-written.sqlite3")}
        if connection.vendor == "sqlite"
        else {**connection.settings_dict, "NAME": "tayho_never_created"}
    )
    with pytest.raises(
        backup.BackupError,
        match=r"newer than this code.*ideas\.0999_from_the_future, "
        r"wagtailcore\.0999_from_the_future",
    ):
        backup.restore(archive, database=target, yes=True, log=lambda line: None)
    with pytest.raises(CommandError, match="newer than this code"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert not (tmp_path / "never-written.sqlite3").exists()


def test_an_archive_from_older_code_asks_for_migrate_and_apps_gone_from_the_code_are_only_reported():
    lines = []
    behind = backup.check_migrations(
        {"migrations": {"contest": "0001_initial", "ideas": "0001_initial", "an_app_since_removed": "0003_x"}},
        log=lines.append,
    )
    assert behind == ["contest", "ideas"]
    assert lines == ["The archive has tables of apps this code does not have (left as they are): an_app_since_removed"]


def test_restore_refuses_another_kind_of_database_and_what_is_no_archive(tmp_path):
    other = "sqlite" if running_on_postgres() else "postgresql"
    archive = fake_archive(tmp_path / "other.tar.gz", database={"vendor": other, "name": "x", "file": "x"})
    with pytest.raises(backup.BackupError, match=f"holds a {other} database"):
        backup.restore(archive, yes=True, log=lambda line: None)
    (tmp_path / "junk.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(backup.BackupError, match="is not a backup archive"):
        backup.restore(tmp_path / "junk.tar.gz", yes=True, log=lambda line: None)


def test_the_commands_print_progress(tmp_path, media_root, monkeypatch):
    (media_root / "original_images").mkdir()
    (media_root / "original_images" / "anh.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "from-env"))
    out = io.StringIO()
    call_command("backup", stdout=out)
    [archive] = (tmp_path / "from-env").glob("tayho-*.tar.gz")
    assert "Backing up the" in out.getvalue() and f"Backup written: {archive}" in out.getvalue()
    assert "1 files" in out.getvalue()
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"
        assert "media/original_images/anh.jpg" in tar.getnames()
    assert not list((tmp_path / "from-env").glob("*.partial"))
    assert archive.stat().st_mode & 0o777 == 0o600


def test_media_on_object_storage_are_left_out_and_said_so(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    lines = []
    archive = backup.backup(tmp_path, log=lines.append)
    assert any("not local files" in line for line in lines)
    assert backup.read_manifest(archive)["media"] == {
        "included": False,
        "storage": "django.core.files.storage.InMemoryStorage",
    }
    with tarfile.open(archive) as tar:
        assert not [name for name in tar.getnames() if name.startswith("media")]
