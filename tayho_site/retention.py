"""How long personal data is kept, per kind of record, and the purge that removes it.

Each app registers its kinds (`register`) from its AppConfig.ready; the daily job
`manage.py purge_expired_data` runs them all (`purge`). A kind's period, in days, is read
from settings.RETENTION_DAYS under the kind's period key (several kinds may share one).

A purge function is called as `purge_function(now, days)`, removes or anonymises what is
older than the period and returns how many records it changed. It must be idempotent (a
record it has handled no longer matches) and keep the anonymous remainder that published
results, honours and public timelines need. `in_batches` runs the work in short
transactions. The runner writes one audit entry per kind that purged something.

This module knows the apps only through what they register: nothing here imports them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .audit import record

ACTOR = "purge_expired_data (việc định kỳ hằng ngày)"
BATCH_SIZE = 500


@dataclass(frozen=True)
class Kind:
    name: str
    period_key: str
    purge: Callable[[datetime.datetime, int], int]
    description: str
    model: str  # "app_label.Model": what the audit entry names


@dataclass(frozen=True)
class Result:
    kind: Kind
    days: int
    count: int


_registry: dict[str, Kind] = {}


def register(kind: str, period_setting_key: str, purge_function, description, *, model: str) -> Kind:
    """Declare a kind of record whose personal data expires. Registering the same kind
    again replaces it (an app's ready() may run twice in tests)."""
    entry = Kind(kind, period_setting_key, purge_function, description, model)
    _registry[kind] = entry
    return entry


def kinds() -> list[Kind]:
    return [_registry[name] for name in sorted(_registry)]


def period(kind: Kind) -> int:
    """The kind's retention period in days, from settings.RETENTION_DAYS."""
    days = getattr(settings, "RETENTION_DAYS", {}).get(kind.period_key)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ImproperlyConfigured(
            f"RETENTION_DAYS[{kind.period_key!r}] (for {kind.name}) must be a whole number of days, 0 or more"
        )
    return days


def cutoff(now: datetime.datetime, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def in_batches(queryset, apply: Callable[[list], int], size: int = BATCH_SIZE) -> int:
    """Calls `apply(pks)` on the primary keys of `queryset`, `size` at a time in
    ascending order, each batch in its own transaction with its rows locked (on
    PostgreSQL), and re-checked against `queryset` inside it. Returns the sum of what
    `apply` returned. Ends even if `apply` leaves rows matching."""
    total, last = 0, None
    while True:
        with transaction.atomic():
            batch = queryset.order_by("pk")
            if last is not None:
                batch = batch.filter(pk__gt=last)
            pks = list(batch.select_for_update(of=("self",)).values_list("pk", flat=True)[:size])
            if not pks:
                return total
            last = pks[-1]
            total += apply(pks)


def delete_files(files):
    """Removes stored files once the transaction commits (never for a rolled-back one)."""
    for file in [f for f in files if f]:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def purge(now=None, *, dry_run=False, only=None) -> list[Result]:
    """Run every registered kind (or those named in `only`). A real run commits batch by
    batch. A dry run does the same work inside one transaction that is rolled back, so
    its counts are exactly what a real run would purge and nothing changes (files are
    deleted only after a commit)."""
    now = now or timezone.now()
    selected = [kind for kind in kinds() if only is None or kind.name in only]
    periods = {kind.name: period(kind) for kind in selected}  # every setting checked before anything runs
    if dry_run:
        with transaction.atomic():
            results = [Result(kind, periods[kind.name], kind.purge(now, periods[kind.name])) for kind in selected]
            transaction.set_rollback(True)
        return results
    results = []
    for kind in selected:
        days = periods[kind.name]
        count = kind.purge(now, days)
        if count:
            target = ContentType.objects.get_for_model(apps.get_model(kind.model))
            record(
                "retention.purge",
                target,
                actor_label=ACTOR,
                summary=f"{kind.name}: {count}",
                kind=kind.name,
                days=days,
                count=count,
                cutoff=cutoff(now, days),
            )
        results.append(Result(kind, days, count))
    return results


def delete_in_batches(queryset, *, file_field: str | None = None) -> int:
    """Deletes the rows of `queryset` in batches, with the stored file of `file_field` when
    given (after the commit); returns how many of its model went."""
    label = queryset.model._meta.label

    def apply(pks):
        rows = queryset.model.objects.filter(pk__in=pks)
        if file_field:
            delete_files(getattr(row, file_field) for row in rows.only(file_field))
        return rows.delete()[1].get(label, 0)

    return in_batches(queryset, apply)


# --- The site's own kinds: what the libraries it uses keep.


def purge_captchas(now, days) -> int:
    """Captcha challenges past their expiry (the library's remove_expired, with our clock)."""
    from captcha.models import CaptchaStore

    return delete_in_batches(CaptchaStore.objects.filter(expiration__lt=cutoff(now, days)))


def purge_sessions(now, days) -> int:
    """Expired sessions in the database (they may hold a private link's token), as
    `clearsessions` does. Sessions kept elsewhere (signed cookies, cache) expire there."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    model = store.get_model_class()
    return delete_in_batches(model.objects.filter(expire_date__lt=cutoff(now, days)))


def purge_task_results(now, days) -> int:
    """Finished rows of the database task queue: their arguments hold e-mail addresses and
    messages with private links. Waiting or running tasks are never touched."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff(now, days)
    )
    return delete_in_batches(finished)


def purge_signin_attempts(now, days) -> int:
    """Failed sign-in counts (user name and network address) of django-axes, once older
    than the period: long after any lock-out they could cause has passed."""
    if not apps.is_installed("axes"):
        return 0
    from axes.models import AccessAttempt

    return delete_in_batches(AccessAttempt.objects.filter(attempt_time__lt=cutoff(now, days)))


def register_site_kinds():
    from django.utils.translation import gettext_lazy as _

    register(
        "site.captchas",
        "captchas",
        purge_captchas,
        _("Captcha challenges, deleted once expired."),
        model="captcha.CaptchaStore",
    )
    register(
        "site.sessions",
        "sessions",
        purge_sessions,
        _("Visitors' sessions, deleted once expired."),
        model="sessions.Session",
    )
    register(
        "site.task_results",
        "task_results",
        purge_task_results,
        _("Finished background tasks (e-mails sent or given up), deleted with the addresses and messages they hold."),
        model="django_tasks_database.DBTaskResult",
    )
    register(
        "site.signin_attempts",
        "signin_attempts",
        purge_signin_attempts,
        _("Failed sign-in attempts (account name and network address), deleted."),
        model="axes.AccessAttempt",
    )
