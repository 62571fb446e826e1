"""Organisers keep the organisation up to date in the admin: kinds of unit, the unit tree
and people. Units are tree nodes: creating or moving one goes through treebeard."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from tayho_site import roles
from tayho_site.adminui import field_column
from tayho_site.dashboard import Line, WaitingWorkPanel

from . import permissions, queries
from .models import Person, Rubric, Unit, UnitKind


class UnitForm(WagtailAdminModelForm):
    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Empty for a unit at the top of the tree."),
    )

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
    list_display = [
        "full_name",
        "position",
        "unit",
        field_column(Person, "party_member"),
        field_column(Person, "active"),
    ]
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


@hooks.register("construct_homepage_panels")
def months_waiting(request, panels):
    """The admin home: units' months of evaluation not yet finalised, for the organisers."""
    if not roles.is_organiser(request.user):
        return
    count = queries.months_not_finalised(permissions.evaluation_months(request.user))
    panels.append(
        WaitingWorkPanel(
            "months",
            _("Monthly evaluation"),
            [Line(_("months of units not finalised"), count, reverse("emulation:evaluation"))],
            order=55,
        )
    )
