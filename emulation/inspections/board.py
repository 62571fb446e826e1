"""The findings against a unit, as a section of its commitment board (emulation/boards.py):
date, subject, manifestation and how far the remedies required of that unit have got.
Units see findings against themselves; people are not named here (the names stay on the
findings page of the officers concerned and with the inspection's team)."""

from django.utils import timezone

from emulation.boards import Section, register_board_section
from emulation.permissions import overseen_units
from referrals.models import Referral

from .models import Finding, Remedy

NAME = "inspections"


def remedy_status(remedies, today):
    """'none' (no remedy required yet), 'overdue', 'open' or 'done', with the counts."""
    done = sum(1 for r in remedies if r.referral and r.referral.status == Referral.Status.ANSWERED)
    overdue = sum(
        1 for r in remedies if r.referral and r.referral.status == Referral.Status.OPEN and r.referral.due_on < today
    )
    if not remedies:
        state = "none"
    elif overdue:
        state = "overdue"
    elif done == len(remedies):
        state = "done"
    else:
        state = "open"
    return {"state": state, "done": done, "total": len(remedies), "overdue": overdue}


def findings_section(unit, user, today=None):
    today = today or timezone.localdate()
    findings = list(
        Finding.objects.filter(unit__in=unit.with_descendants())
        .filter(unit__in=overseen_units(user))
        .select_related("unit", "manifestation", "inspection")
        .only(
            "pk",
            "found_on",
            "unit__name",
            "manifestation__text",
            "exemplary",
            "inspection__title",
            "inspection__subject",
            "inspection__topic",
        )
        .order_by("-found_on", "-pk")
    )
    if not findings:
        return None
    remedies = {}
    for remedy in Remedy.objects.filter(
        conclusion__inspection__in={f.inspection_id for f in findings}, unit__in={f.unit_id for f in findings}
    ).select_related("referral", "conclusion"):
        remedies.setdefault((remedy.conclusion.inspection_id, remedy.unit_id), []).append(remedy)
    rows = [
        {"finding": f, "remedies": remedy_status(remedies.get((f.inspection_id, f.unit_id), []), today)}
        for f in findings
    ]
    return Section("emulation/inspections/board_section.html", {"rows": rows})


def register():
    """Called from the app's ready()."""
    register_board_section(NAME, findings_section)
