"""Findings as a source of the monthly evaluation's proposals (emulation/proposals.py):
each finding against a unit in a month is a proposed deduction of that unit's month,
tied to the finding's manifestation (and, when one person is named, to that cadre); an
exemplary finding is a proposed merit instead. The head confirms or rejects it with a
reason on the month's page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.periods import last_of_month
from emulation.proposals import DEDUCTION, MERIT, Proposed, register_source

from .models import Finding

SOURCE = "inspections"


def month_proposals(unit, month):
    findings = (
        Finding.objects.filter(unit=unit, found_on__gte=month, found_on__lte=last_of_month(month))
        .select_related("manifestation", "inspection")
        .prefetch_related("people")
        .order_by("found_on", "pk")
    )
    for finding in findings:
        people = list(finding.people.all())
        if finding.exemplary:
            kind = MERIT
            title = _("Exemplary conduct found by an inspection (%(inspection)s)") % {
                "inspection": finding.inspection.title
            }
        else:
            kind = DEDUCTION
            title = _("Inspection finding (%(inspection)s): %(manifestation)s") % {
                "inspection": finding.inspection.title,
                "manifestation": finding.manifestation.text,
            }
        yield Proposed(
            key=f"finding:{finding.pk}",
            kind=kind,
            title=title,
            url=reverse("inspections:detail", args=[finding.inspection_id]),
            manifestation_id=finding.manifestation_id,
            person_id=people[0].pk if len(people) == 1 else None,
        )


def register():
    """Called from the app's ready()."""
    register_source(SOURCE, month_proposals, label=gettext_lazy("Inspections"))
