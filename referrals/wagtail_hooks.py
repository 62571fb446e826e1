"""Referrals on the admin home: how many are open and overdue, for those who read them
all (the organisers). Referrals are answered in the workspace (/thi-dua/chuyen-xu-ly/)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tayho_site import roles
from tayho_site.dashboard import Line, WaitingWorkPanel

from . import permissions, queries


@hooks.register("construct_homepage_panels")
def referrals_waiting(request, panels):
    if not roles.is_organiser(request.user):
        return
    counts = queries.waiting(permissions.visible_referrals(request.user))
    url = reverse("referrals:list")
    panels.append(
        WaitingWorkPanel(
            "referrals",
            _("Referred ideas"),
            [
                Line(_("referrals overdue"), counts["overdue"], url),
                Line(_("referrals awaiting an answer"), counts["open"], url),
                Line(
                    _("residents' reports of passing the buck awaiting screening"),
                    queries.reports_awaiting_screening(),
                    reverse("referrals:reports"),
                ),
            ],
            order=53,
        )
    )
