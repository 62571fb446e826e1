"""Inspections on the admin home, for the organisers: remedies overdue, the weekly report,
and the people with repeated findings of passing work around, listed for review. The
inspections themselves are kept in the workspace (/thi-dua/thanh-tra/)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tayho_site.dashboard import Line, WaitingWorkPanel

from . import permissions, queries


@hooks.register("construct_homepage_panels")
def inspections_waiting(request, panels):
    if not permissions.may_read_report(request.user):
        return
    report = reverse("inspections:weekly")
    panels.append(
        WaitingWorkPanel(
            "inspections",
            _("Inspections"),
            [
                Line(_("remedies overdue"), queries.overdue_count(), report),
                Line(
                    _("people with repeated findings of passing work around"),
                    queries.people_for_review().count(),
                    report,
                ),
            ],
            order=54,
        )
    )
