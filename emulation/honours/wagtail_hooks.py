"""Honours in the admin: categories are editable records; nominations and honours are
read here and decided in the workspace (/thi-dua/khen-thuong/), where every step is
audited."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tayho_site import roles
from tayho_site.adminui import InspectView, ViewOnlyPolicy, field_column
from tayho_site.dashboard import Line, WaitingWorkPanel

from . import permissions, queries
from .models import Honour, HonourCategory, Nomination


class HonourCategoryViewSet(SnippetViewSet):
    model = HonourCategory
    icon = "pick"
    menu_label = _("Honour categories")
    list_display = [
        "name",
        field_column(HonourCategory, "for_collectives"),
        field_column(HonourCategory, "active"),
        "sort_order",
    ]


register_snippet(HonourCategoryViewSet)


class NominationInspectView(InspectView):
    """A running secret ballot's counts read as sealed, whoever looks (organisers and
    superusers alike), until the decision is recorded; then as they are."""

    def get_field_display_value(self, field_name, field):
        if field_name in Nomination.SECRET_COUNTS and self.object.counts_sealed:
            return _("Kept secret until the council's decision is recorded")
        return super().get_field_display_value(field_name, field)


class NominationViewSet(ModelViewSet):
    model = Nomination
    icon = "pick"
    menu_label = _("Nominations")
    list_display = ["nominee_name", "category", "year", "source", "status", "created_at"]
    list_filter = ["status", "source", "category", "year"]
    search_fields = ["nominee_name"]
    inspect_view_enabled = True
    inspect_view_class = NominationInspectView
    form_fields = ["category"]  # required by the viewset; the policy allows no edit


class HonourViewSet(ModelViewSet):
    model = Honour
    icon = "pick"
    menu_label = _("Honours")
    list_display = ["name", "category", "year", "published_at", "revoked_at"]
    list_filter = ["category", "year"]
    search_fields = ["name", "search_folded"]
    inspect_view_enabled = True
    inspect_view_class = InspectView
    form_fields = ["citation"]  # required by the viewset; the policy allows no edit


class HonoursGroup(ViewSetGroup):
    menu_label = _("Honours")
    menu_icon = "pick"
    menu_order = 310
    items = (NominationViewSet("nomination-records"), HonourViewSet("honour-records"))


register_permission_policy(Nomination, ViewOnlyPolicy(Nomination))
register_permission_policy(Honour, ViewOnlyPolicy(Honour))


@hooks.register("register_admin_viewset")
def register_honours():
    return HonoursGroup()


@hooks.register("construct_homepage_panels")
def nominations_waiting(request, panels):
    """The admin home: nominations waiting for the council, for the organisers (who put
    them to the vote) and the council's members."""
    user = request.user
    if not (roles.is_organiser(user) or permissions.is_council_member(user)):
        return
    counts = queries.awaiting_council()
    url = reverse("honours:list")
    panels.append(
        WaitingWorkPanel(
            "nominations",
            _("Honours"),
            [
                Line(_("nominations to put to the council's vote"), counts["proposed"], url),
                Line(_("nominations the council is voting on"), counts["voting"], url),
            ],
            order=54,
        )
    )
