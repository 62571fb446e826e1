"""Organisers keep the organisation up to date in the admin: kinds of unit, the unit tree
and people. Units are tree nodes: creating or moving one goes through treebeard."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from tayho_site.adminui import field_column

from .models import Person, Rubric, Unit, UnitKind


class UnitForm(WagtailAdminModelForm):
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=Unit.objects.all(), required=False,
                                    help_text=_("Empty for a unit at the top of the tree."))

    class Meta:
        model = Unit
        fields = ["name", "kind", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            # A unit cannot move under itself or one of its descendants.
            self.fields["parent"].queryset = Unit.objects.exclude(pk__in=self.instance.get_tree(self.instance))

    def save(self, commit=True):
        unit = super().save(commit=False)
        parent = self.cleaned_data.get("parent")
        if unit.pk is None:
            unit = parent.add_child(instance=unit) if parent else Unit.add_root(instance=unit)
        else:
            unit.save()
            current = unit.get_parent()
            if parent != current:
                if parent:
                    unit.move(parent, "sorted-child")
                else:
                    unit.move(Unit.get_first_root_node(), "sorted-sibling")
            unit.refresh_from_db()
        return unit


class UnitKindViewSet(ModelViewSet):
    model = UnitKind
    icon = "tag"
    menu_label = _("Kinds of unit")
    form_fields = ["name"]
    search_fields = ["name"]


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "kind", field_column(Unit, "active")]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("kind"), FieldPanel("active")]

    def get_form_class(self, for_update=False):
        return UnitForm


class PersonViewSet(ModelViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["full_name", "position", "unit", field_column(Person, "party_member"),
                    field_column(Person, "active")]
    list_filter = ["unit", "party_member", "active"]
    search_fields = ["full_name", "position", "email"]
    form_fields = ["full_name", "position", "unit", "party_member", "email", "photo", "user", "active"]


class RubricViewSet(ModelViewSet):
    """The monthly evaluation rubric of each kind of unit: criteria, deductions tied to
    the manifestations of violations, and the points each band needs."""

    model = Rubric
    icon = "list-ol"
    menu_label = _("Evaluation rubrics")
    list_display = ["kind", "excellent_from", "good_from", "completed_from"]


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Units and people")
    menu_icon = "group"
    menu_order = 300
    items = (UnitViewSet("units"), PersonViewSet("people"), UnitKindViewSet("unit-kinds"), RubricViewSet("rubrics"))


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


# --- Honours: categories are editable records; nominations and honours are read here and
# decided in the workspace (/thi-dua/khen-thuong/), where every step is audited.

from wagtail.snippets.models import register_snippet  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet  # noqa: E402

from tayho_site.adminui import InspectView, ViewOnlyPolicy  # noqa: E402

from .honours.models import Honour, HonourCategory, Nomination  # noqa: E402


class HonourCategoryViewSet(SnippetViewSet):
    model = HonourCategory
    icon = "pick"
    menu_label = _("Honour categories")
    list_display = ["name", field_column(HonourCategory, "for_collectives"), field_column(HonourCategory, "active"),
                    "sort_order"]


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
