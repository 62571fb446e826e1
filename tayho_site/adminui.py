"""Small pieces for the admin pages the apps add."""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users who hold `permission` (the page checks it too)."""

    def __init__(self, label, url, *, permission, **kwargs):
        self.permission = permission
        super().__init__(label, url, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def field_column(model, name, **kwargs):
    """A listing column headed by the field's translated name (Wagtail's plain
    Column(name) would be headed by the English attribute name). A yes/no field reads
    "Có"/"Không", not Python's True/False."""
    field = model._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        kwargs.setdefault("accessor", lambda instance: _("Yes") if getattr(instance, name) else _("No"))
        kwargs.setdefault("sort_key", name)
    return Column(name, label=capfirst(field.verbose_name), **kwargs)


class InspectView(generic.InspectView):
    """Wagtail's inspect view, without Python's words for an empty or a yes/no value
    ("None", "True") on a Vietnamese page, and years written as years."""

    def get_field_display_value(self, field_name, field):
        raw = getattr(self.object, field_name, "")
        if raw in (None, ""):
            return "—"
        if field_name == "year" or field_name.endswith("_year"):
            return str(raw)  # a year, never "2.026" with a thousands separator
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value


class KeptRecordsPolicy(ModelPermissionPolicy):
    """Nobody creates, copies or deletes in the admin what residents send (entries,
    ideas) or what the council decided (nominations, honours): those come from their own
    forms and rules, and go away only through withdrawal, erasure or revocation."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Records the admin shows but never changes (nominations, honours): their rules live
    in their own pages, where every step is checked and audited. Whoever may view or
    change them may read them here."""

    def user_has_permission(self, user, action):
        return action == "view" and (
            super().user_has_permission(user, "view") or super().user_has_permission(user, "change")
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def label_wagtail_site_columns():
    """Wagtail heads three columns of its Sites listing with English attribute names
    ("Root page"); give them the fields' translated names."""
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
