"""The organisers' side of the idea box in the Wagtail admin: sectors, the list of ideas
with filters, and an idea's moderation page (publish, hide with a reason, merge into
another idea, spam, refer to the responsible unit)."""

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from emulation.models import Unit
from tayho_site.adminui import InspectView, KeptRecordsPolicy, field_column
from tayho_site.dashboard import Line, WaitingWorkPanel

from . import queries
from .actions import authors, moderation, referring
from .models import Idea, IdeaCallPage, Sector


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = gettext_lazy("Idea sectors")
    list_display = ["name", field_column(Sector, "active"), "sort_order"]


register_snippet(SectorViewSet)


class IdeaFilterSet(WagtailFilterSet):
    call = django_filters.ModelChoiceFilter(label=gettext_lazy("Call"), queryset=IdeaCallPage.objects.all())

    class Meta:
        model = Idea
        fields = ["call", "status", "stage", "sector"]


class IdeaViewSet(ModelViewSet):
    model = Idea
    icon = "pick"
    menu_label = gettext_lazy("Ideas")
    menu_order = 215
    add_to_admin_menu = True
    list_display = [
        TitleColumn("title", label=gettext_lazy("Title"), url_name="ideas_moderate"),
        Column("code", label=gettext_lazy("Code")),
        "call",
        "sector",
        "status",
        "stage",
        "supporters",
        field_column(Idea, "created_at"),
    ]
    filterset_class = IdeaFilterSet
    search_fields = ["title", "search_folded"]
    inspect_view_enabled = True
    inspect_view_class = InspectView
    copy_view_enabled = False
    form_fields = ["sector", "ward", "place"]


register_permission_policy(Idea, KeptRecordsPolicy(Idea))
idea_viewset = IdeaViewSet("idea-screening")


@hooks.register("register_admin_viewset")
def register_idea_viewset():
    return idea_viewset


@permission_required("ideas.change_idea", raise_exception=True)
def moderate(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("call", "sector", "ward", "author"), pk=pk)
    return render(
        request,
        "ideas/admin/moderate.html",
        {
            "idea": idea,
            "page_title": str(idea),
            "referral": queries.referral_of(idea),
            "timeline": queries.timeline(idea),
            "choices": {str(status) for status in moderation.moderation_choices(idea)},
            "units": Unit.objects.filter(active=True).order_by("path"),
            "public_path": authors.public_path(idea) if idea.is_public else "",
        },
    )


def _unit(value):
    return Unit.objects.filter(pk=int(value)).first() if (value or "").isdigit() else None


@require_POST
@permission_required("ideas.change_idea", raise_exception=True)
def moderate_action(request, pk, action):
    idea = get_object_or_404(Idea, pk=pk)
    try:
        if action == "publish":
            moderation.publish(idea, by=request.user)
            messages.success(request, _("The idea is published."))
        elif action == "hide":
            moderation.hide(idea, reason=request.POST.get("reason", ""), by=request.user)
            messages.success(request, _("The idea is hidden; its author is told why."))
        elif action == "spam":
            moderation.mark_spam(idea, by=request.user)
            messages.success(request, _("The idea is marked as spam."))
        elif action == "duplicate":
            target = queries.idea_by_code(request.POST.get("of", ""))
            if target is None:
                raise ValidationError(_("No idea has this code."))
            moderation.mark_duplicate(idea, of=target, by=request.user)
            messages.success(request, _("Merged into %(code)s.") % {"code": target.code})
        elif action == "refer":
            unit = _unit(request.POST.get("unit"))
            if unit is None:
                raise ValidationError(_("Choose the unit."))
            referral = referring.refer(
                idea,
                unit=unit,
                by=request.user,
                supervisor=_unit(request.POST.get("supervisor")),
                working_days=referring.working_days_from(request.POST.get("working_days")),
            )
            messages.success(
                request,
                _("Referred to %(unit)s, due by %(date)s.")
                % {"unit": unit.name, "date": referral.due_on.strftime("%d/%m/%Y")},
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("ideas_moderate", pk=idea.pk)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("ideas/<int:pk>/moderate/", moderate, name="ideas_moderate"),
        path("ideas/<int:pk>/moderate/<slug:action>/", moderate_action, name="ideas_moderate_action"),
    ]


@hooks.register("construct_homepage_panels")
def ideas_waiting(request, panels):
    """The admin home: ideas waiting to be screened, for those who screen them."""
    if not request.user.has_perm("ideas.change_idea"):
        return
    index = reverse(idea_viewset.get_url_name("index"))
    panels.append(
        WaitingWorkPanel(
            "ideas",
            gettext_lazy("Idea box"),
            [Line(gettext_lazy("ideas to screen"), queries.to_screen_count(), f"{index}?status=pending")],
            order=52,
        )
    )
