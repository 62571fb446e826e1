"""Merits confirmed in the monthly evaluations (emulation/actions/proposals.py) count
towards the honour suggestions (honours/queries.suggestions): three in a year suggest an
honour, once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from emulation import queries as movement
from emulation.honours import actions, queries
from emulation.honours.models import Nomination
from emulation.models import MonthProposal, UnitMonth

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def merit(person, month, key, state=MonthProposal.State.CONFIRMED):
    unit_month, _created = UnitMonth.objects.get_or_create(unit=person.unit, month=month)
    return MonthProposal.objects.create(
        unit_month=unit_month,
        kind=MonthProposal.Kind.MERIT,
        person=person,
        source="referrals",
        source_key=key,
        title="Người dân xác nhận đã giải quyết",
        state=state,
    )


def merit_suggestions():
    return [s for s in queries.suggestions() if s["source"] == Nomination.Source.MERITS]


def test_three_confirmed_merits_in_a_year_suggest_an_honour_once(people, hero, category):
    merit(hero, datetime.date(YEAR, 3, 1), "a")
    merit(hero, datetime.date(YEAR, 7, 1), "b")
    merit(hero, datetime.date(YEAR, 8, 1), "c", state=MonthProposal.State.REJECTED)
    merit(hero, datetime.date(YEAR - 1, 12, 1), "d")  # another year
    assert merit_suggestions() == []
    assert movement.merit_counts((datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))) == {hero.pk: 2}
    merit(hero, datetime.date(YEAR, 10, 1), "e")
    (suggestion,) = merit_suggestions()
    assert suggestion["key"] == f"merits:{hero.pk}:{YEAR}" and suggestion["person"] == hero
    assert suggestion["year"] == YEAR and "3" in suggestion["note"]
    assert len(movement.confirmed_merits(hero, (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)))) == 3
    nomination = actions.propose_suggestion(suggestion["key"], by=people["a"], category=category)
    assert nomination.source == Nomination.Source.MERITS
    # A fourth merit in the same year suggests nothing new.
    merit(hero, datetime.date(YEAR, 11, 1), "f")
    assert merit_suggestions() == []
    with pytest.raises(ValidationError):
        actions.propose_suggestion(suggestion["key"], by=people["a"], category=category)
