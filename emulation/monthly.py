"""Finalising a unit's month: refused, with the reason, when the ratings break the cap."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record

from . import evaluation as rules
from .models import BAND_CHOICES, EvaluationSettings, UnitMonth


def finalise(unit_month: UnitMonth, *, by, site=None) -> UnitMonth:
    from wagtail.models import Site

    site = site or Site.objects.get(is_default_site=True)
    policy = EvaluationSettings.for_site(site)
    with transaction.atomic():
        unit_month = UnitMonth.objects.select_for_update().get(pk=unit_month.pk)
        if unit_month.finalised_at:
            raise ValidationError(_("This month is already finalised."))
        ratings = list(unit_month.ratings.values_list("head_rating", flat=True))
        if any(not rating for rating in ratings):
            raise ValidationError(_("Every cadre needs the head's assessment before the month is finalised."))
        check = rules.check_cap(ratings, unit_month.unit_result, policy.cap(), policy.threshold)
        if not check.ok:
            raise ValidationError(check.message(str(dict(BAND_CHOICES)[policy.threshold])))
        unit_month.finalised_at = timezone.now()
        unit_month.save(update_fields=["finalised_at"])
        record("emulation.month.finalise", unit_month, actor=by, unit_result=unit_month.unit_result,
               ratings={band: ratings.count(band) for band in rules.BANDS})
    return unit_month
