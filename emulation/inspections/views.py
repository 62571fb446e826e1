"""The public page of inspections: an anonymised summary per unit (units by name, never
people)."""

from django.shortcuts import render

from . import queries


def public_summary(request):
    return render(request, "emulation/inspections/public.html", {"lines": queries.public_summary()})
