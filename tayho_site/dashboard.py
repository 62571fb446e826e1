"""What needs attention today, on the admin's home. Each app adds its own section from
its wagtail_hooks.py (Wagtail's `construct_homepage_panels` hook), for the people who may
act on it; this module only draws a section: a heading and lines, each a count with a
link to the screen where the work is done."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component


@dataclass
class Line:
    """One thing waiting: how many, what, where to deal with it, and an optional detail
    (e.g. "12/30 scored · 1 judge behind schedule")."""

    label: str
    count: int
    url: str
    detail: str = ""


class WaitingWorkPanel(Component):
    """One section of the admin home. With nothing waiting it says so, rather than
    vanishing: the organiser learns the list was checked."""

    template_name = "tayho_site/admin/waiting_panel.html"

    def __init__(self, name: str, heading, lines: list[Line], *, order: int = 100, empty=None):
        self.name = name
        self.heading = heading
        self.lines = lines
        self.order = order
        self.empty = empty or _("Nothing waiting.")

    def get_context_data(self, parent_context=None):
        return {
            "panel_id": f"waiting-{self.name}",
            "heading": self.heading,
            "lines": self.lines,
            "empty": self.empty,
            "waiting": sum(line.count for line in self.lines),
        }


@dataclass
class WorkItem:
    """One line of a workspace's "what is yours to do" list: what, where to do it, by
    when (a date, or None), and a short note (e.g. "3 of 8 cadres assessed")."""

    label: str
    url: str
    due: datetime.date | None = None
    note: str = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()
