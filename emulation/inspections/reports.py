"""The weekly report as documents: its figures as kept (JSON), the change since the week
before, its XLSX and its PDF (WeasyPrint, fetching nothing, as the certificates)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tayho_site.exports import spreadsheet_response

COUNTS = ("open_conclusions", "open", "done", "done_late", "overdue")


def figures(lines, totals) -> dict:
    """What is kept of a report: per unit (by id) its counts, and the totals."""
    return {
        "units": {
            str(line.unit.pk): {
                "name": line.unit.name,
                "open_conclusions": line.open_conclusion_count,
                "open": line.open,
                "done": line.done,
                "done_late": line.done_late,
                "overdue": line.overdue,
                "oldest_overdue": line.oldest_overdue.isoformat() if line.oldest_overdue else "",
            }
            for line in lines
        },
        "totals": dict(totals),
    }


def changes(lines, totals, previous: dict | None) -> tuple[dict, dict]:
    """({unit id: {count: change}}, {count: change}) since the `previous` figures; empty
    when there is no earlier report."""
    if not previous:
        return {}, {}
    before = previous.get("units", {})
    per_unit = {}
    for line in lines:
        old = before.get(str(line.unit.pk), {})
        now = figures([line], {})["units"][str(line.unit.pk)]
        per_unit[line.unit.pk] = {count: now[count] - old.get(count, 0) for count in COUNTS}
    old_totals = previous.get("totals", {})
    return per_unit, {count: totals.get(count, 0) - old_totals.get(count, 0) for count in COUNTS}


def header():
    return [
        _("Unit"),
        _("Open conclusions"),
        _("Remedies open"),
        _("Remedies done"),
        _("Done late"),
        _("Overdue"),
        _("Oldest overdue since"),
    ]


def rows(lines):
    return [
        [
            line.unit.name,
            line.open_conclusion_count,
            line.open,
            line.done,
            line.done_late,
            line.overdue,
            line.oldest_overdue.isoformat() if line.oldest_overdue else "",
        ]
        for line in lines
    ]


def xlsx_response(lines, today):
    return spreadsheet_response(
        "xlsx", f"bao-cao-thanh-tra-{today:%Y-%m-%d}", _("Weekly inspection report"), header(), rows(lines)
    )


def pdf_bytes(context) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("emulation/inspections/weekly_pdf.html", context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set())).write_pdf()
