"""Entries in the Wagtail admin for the organisers: listing, filters, search, detail,
status changes (logged by Wagtail) and CSV/XLSX export."""

import django_filters
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from tayho_site.adminui import InspectView, KeptRecordsPolicy, PermissionMenuItem
from tayho_site.charts import columns
from tayho_site.dashboard import Line, WaitingWorkPanel
from tayho_site.exports import SafeExportIndexView
from tayho_site.models import Ward

from .actions import entries
from .models import ContestPage, Entry
from .queries import entries_needing_attention, entry_statistics


class EntryFilterSet(WagtailFilterSet):
    contest = django_filters.ModelChoiceFilter(label=_("Contest"), queryset=ContestPage.objects.all())
    ward = django_filters.ModelChoiceFilter(label=_("Ward"), field_name="entrant__ward", queryset=Ward.objects.all())
    flagged = django_filters.BooleanFilter(label=_("Flagged"), method="filter_flagged")

    class Meta:
        model = Entry
        fields = ["contest", "category", "status"]

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(flagged_reason="") if value else queryset.filter(flagged_reason="")


class EntryIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("contest", "category", "entrant")


class EntryEditView(EditView):
    """Status changes go through the rule that audits them."""

    def save_instance(self):
        data = self.form.cleaned_data
        entry = entries.change_status(
            self.object, data["status"], by=self.request.user, reason=data.get("disqualification_reason", "")
        )
        if data.get("flagged_reason", "") != entry.flagged_reason:
            entry.flagged_reason = data.get("flagged_reason", "")
            entry.save(update_fields=["flagged_reason"])
        return entry


class EntryViewSet(ModelViewSet):
    model = Entry
    icon = "doc-full"
    menu_label = _("Entries")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = EntryIndexView
    edit_view_class = EntryEditView
    list_display = ["tracking_code", "title", "category", "status", "word_count", "created_at", "flagged_reason"]
    filterset_class = EntryFilterSet
    list_export = [
        "tracking_code",
        "contest",
        "category",
        "title",
        "status",
        "word_count",
        "created_at",
        "confirmed_at",
        "flagged_reason",
        "entrant.full_name",
        "entrant.pen_name",
        "entrant.email",
        "entrant.phone",
        "entrant.ward",
        "entrant.address",
        "entrant.occupation",
    ]
    export_headings = {
        "entrant.full_name": _("Full name"),
        "entrant.pen_name": _("Pen name"),
        "entrant.email": _("E-mail"),
        "entrant.phone": _("Phone"),
        "entrant.ward": _("Ward"),
        "entrant.address": _("Address"),
        "entrant.occupation": _("Occupation or unit"),
    }
    export_filename = "bai-du-thi"
    search_fields = ["title", "tracking_code", "entrant__full_name", "entrant__email"]
    inspect_view_enabled = True
    inspect_view_class = InspectView
    inspect_view_fields = [
        "tracking_code",
        "contest",
        "category",
        "title",
        "body",
        "word_count",
        "attachment",
        "status",
        "disqualification_reason",
        "flagged_reason",
        "created_at",
        "confirmed_at",
        "withdrawn_at",
    ]
    panels = [FieldPanel("status"), FieldPanel("disqualification_reason"), FieldPanel("flagged_reason")]
    copy_view_enabled = False


register_permission_policy(Entry, KeptRecordsPolicy(Entry))
entry_viewset = EntryViewSet("entries")


@hooks.register("register_admin_viewset")
def register_entry_viewset():
    return entry_viewset


@permission_required("contest.view_entry", raise_exception=True)
def statistics_view(request, contest_id=None):
    contests = ContestPage.objects.order_by("-opens_at")
    contest = get_object_or_404(ContestPage, pk=contest_id) if contest_id else contests.first()
    stats = entry_statistics(contest) if contest else None
    chart = columns([day["count"] for day in stats["days"]] if stats else [])
    bars = [{**bar, **day} for bar, day in zip(chart["bars"], stats["days"] if stats else [], strict=True)]
    return render(
        request,
        "contest/admin/statistics.html",
        {
            "contests": contests,
            "contest": contest,
            "stats": stats,
            "bars": bars,
            "chart_width": chart["width"],
            "page_title": _("Entry statistics"),
        },
    )


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path("entries-statistics/", statistics_view, name="contest_statistics"),
        path("entries-statistics/<int:contest_id>/", statistics_view, name="contest_statistics_for"),
    ]


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return PermissionMenuItem(
        _("Entry statistics"),
        reverse("contest_statistics"),
        permission="contest.view_entry",
        icon_name="table",
        order=211,
    )


@hooks.register("construct_homepage_panels")
def entries_waiting(request, panels):
    """The admin home: entries awaiting confirmation or flagged, for those who handle entries."""
    if not request.user.has_perm("contest.change_entry"):
        return
    counts = entries_needing_attention()
    index = reverse(entry_viewset.get_url_name("index"))
    panels.append(
        WaitingWorkPanel(
            "entries",
            _("Entries"),
            [
                Line(
                    _("entries awaiting the author's e-mail confirmation"),
                    counts["awaiting"],
                    f"{index}?status=awaiting",
                ),
                Line(_("entries flagged for the organisers"), counts["flagged"], f"{index}?flagged=true"),
            ],
            order=50,
        )
    )
