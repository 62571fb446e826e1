"""Referrals as a source of the monthly evaluation's proposals (emulation/proposals.py):
for a unit and a month, a proposed deduction for each referral of the unit that became
overdue in that month, each answer a resident reopened and each referral passed around;
a proposed merit for each answer a resident
confirmed as resolved.

Which manifestation each kind of record is: a *code* carried by one of the movement's
manifestations (Manifestation.code, edited on the movement page with the manifestations
themselves). The codes are the setting REFERRAL_PROPOSAL_CODES ({kind: code}), by default
DEFAULT_CODES. Editors keep the wording of the 25 manifestations in one place and say
which one a late answer is; no manifestation is hard-coded. A deduction kind whose code
no manifestation carries proposes nothing (a deduction without a manifestation cannot be
applied); a merit needs none.

Each kind is one entry of KINDS: its proposal kind and a finder `finder(unit, first, last,
today)` yielding (referral, event) pairs, where `event` tells apart two events of one
referral (e.g. the due date of each overdue, each reopening) so the proposal's key stays
stable across runs. Reopened and resolved answers are read from residents' verdicts,
passed-around referrals from their mark, as the accountability page counts them."""

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.periods import last_of_month
from emulation.proposals import DEDUCTION, MERIT, Proposed, manifestation_for, register_source

from .models import Referral, ReferralStep, Verdict
from .queries import passed_around_day

SOURCE = "referrals"
OVERDUE, REOPENED, PASSED_AROUND, RESOLVED = "overdue", "reopened", "passed_around", "resolved"

DEFAULT_CODES = {
    OVERDUE: "tra-loi-qua-han",
    REOPENED: "tra-loi-chua-dat",
    PASSED_AROUND: "day-viec-long-vong",
    RESOLVED: "",
}


def codes() -> dict:
    return {**DEFAULT_CODES, **getattr(settings, "REFERRAL_PROPOSAL_CODES", {})}


def overdue_in(unit, first, last, today):
    """Referrals the unit holds that became overdue in the month (the day after their due
    date falls in it, and has come) without an answer by the due date: still open, or
    answered late. A referral handed on is the unit's that holds it now (the clock is
    kept across transfers)."""
    day_before = first - datetime.timedelta(days=1)
    last_due = min(last - datetime.timedelta(days=1), today - datetime.timedelta(days=1))
    for referral in (
        Referral.objects.filter(unit=unit, due_on__gte=day_before, due_on__lte=last_due)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=F("due_on")))
        .only("pk", "title", "due_on")
        .order_by("due_on", "pk")
    ):
        yield referral, f"{referral.due_on:%Y%m%d}"


def _verdicts_in(unit, first, last, *, resolved):
    for verdict in (
        Verdict.objects.filter(unit=unit, resolved=resolved, given_on__gte=first, given_on__lte=last)
        .select_related("referral")
        .only("pk", "referral__id", "referral__title")
        .order_by("given_on", "pk")
    ):
        yield verdict.referral, f"v{verdict.pk}"


def reopened_in(unit, first, last, today):
    """Answers of the unit that residents said did not resolve it ("not resolved", which
    reopens the referral) in the month: one event per verdict."""
    return _verdicts_in(unit, first, last, resolved=False)


def passed_around_in(unit, first, last, today):
    """Referrals marked as passed around (A→B→A, or transferred more than the configured
    number of times) that the unit passed on, counted in the month the accountability
    page counts them (referrals.queries.passed_around_day): one event per referral."""
    seen = set()
    for step in (
        ReferralStep.objects.filter(
            kind=ReferralStep.Kind.TRANSFERRED, from_unit=unit, referral__passed_around_on__isnull=False, on__lte=last
        )
        .select_related("referral")
        .only("on", "referral__id", "referral__title", "referral__passed_around_on")
        .order_by("on", "pk")
    ):
        referral = step.referral
        if referral.pk not in seen and first <= passed_around_day(step.on, referral.passed_around_on) <= last:
            seen.add(referral.pk)
            yield referral, f"{referral.passed_around_on:%Y%m%d}"


def resolved_in(unit, first, last, today):
    """Answers of the unit that residents confirmed as resolved in the month: proposed
    merits, one per verdict."""
    return _verdicts_in(unit, first, last, resolved=True)


KINDS = {
    OVERDUE: (DEDUCTION, overdue_in),
    REOPENED: (DEDUCTION, reopened_in),
    PASSED_AROUND: (DEDUCTION, passed_around_in),
    RESOLVED: (MERIT, resolved_in),
}


def title(kind, referral) -> str:
    text = {
        OVERDUE: _("Answer overdue: %(title)s"),
        REOPENED: _("Answer reopened by the resident: %(title)s"),
        PASSED_AROUND: _("Passed around: %(title)s"),
        RESOLVED: _("Confirmed as resolved by the resident: %(title)s"),
    }[kind]
    return text % {"title": referral.title}


def month_proposals(unit, month, today=None):
    """The proposals of referrals for `unit` in the month starting `month`."""
    today = today or timezone.localdate()
    first, last = month, last_of_month(month)
    wanted = codes()
    for kind, (proposal_kind, finder) in KINDS.items():
        manifestation = manifestation_for(wanted.get(kind, ""))
        if proposal_kind == DEDUCTION and manifestation is None:
            continue
        for referral, event in finder(unit, first, last, today):
            yield Proposed(
                key=f"{kind}:{referral.pk}:{event}",
                kind=proposal_kind,
                title=title(kind, referral),
                url=reverse("referrals:detail", args=[referral.pk]),
                manifestation_id=manifestation.pk if manifestation else None,
            )


def register():
    """Called from the app's ready()."""
    register_source(SOURCE, month_proposals, label=gettext_lazy("Referrals"))
