"""Exemplary conduct found by an inspection, as a source of suggested honours
(emulation/honours/suggestions.py): each exemplary finding not yet proposed is suggested
for the one person it names, or for its unit collectively when it names no one or several.
The organisers (or the unit) turn a suggestion into a nomination on the nominations page
(honours.actions.propose_suggestion); the council then votes as for any other."""

from django.utils.translation import gettext as _

from emulation.honours.models import Nomination
from emulation.honours.suggestions import register_suggestion_source

from .models import Finding

NAME = "inspections"
PREFIX = "finding:"


def exemplary_suggestions(today, taken):
    first = today.replace(year=today.year - 1, month=1, day=1)
    findings = (
        Finding.objects.filter(exemplary=True, found_on__gte=first)
        .select_related("unit", "inspection")
        .prefetch_related("people__unit")
        .order_by("-found_on", "-pk")
    )
    for finding in findings:
        key = f"{PREFIX}{finding.pk}"
        if key in taken:
            continue
        people = list(finding.people.all())
        person = people[0] if len(people) == 1 else None
        note = _("Exemplary conduct found by the inspection “%(inspection)s” on %(date)s: %(text)s") % {
            "inspection": finding.inspection.title,
            "date": f"{finding.found_on:%d/%m/%Y}",
            "text": finding.text,
        }
        yield {
            "key": key,
            "source": Nomination.Source.MERITS,  # a merit found by an inspection
            "person": person,
            "unit": finding.unit,
            "note": note[:300],
            "year": finding.found_on.year,
        }


def register():
    """Called from the app's ready()."""
    register_suggestion_source(NAME, exemplary_suggestions)
