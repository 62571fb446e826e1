from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .adminui import PermissionMenuItem, field_column, label_wagtail_site_columns
from .audit import action_label
from .models import AuditEntry, CalendarDay, SecuritySettings, Ward
from .text import typed_query
from .twofactor import SecuritySettingsEditAction, may_reset, reset_view

label_wagtail_site_columns()


class WardViewSet(SnippetViewSet):
    model = Ward
    icon = "site"
    menu_label = _("Wards")
    list_display = ["name", field_column(Ward, "active"), "sort_order"]
    search_fields = ["name"]


register_snippet(WardViewSet)


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("Holidays and make-up days")
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]


register_snippet(CalendarDayViewSet)


@permission_required("tayho_site.view_auditentry", raise_exception=True)
def audit_log_view(request):
    entries = AuditEntry.objects.select_related("actor", "target_type")
    action = request.GET.get("action", "").strip()
    query = typed_query(request.GET.get("q", ""))  # no NUL for PostgreSQL
    if action:
        entries = entries.filter(action=action)
    if query:
        entries = entries.filter(target_label__icontains=query)
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    codes = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    actions = sorted(((code, action_label(code)) for code in codes), key=lambda pair: str(pair[1]))
    return render(
        request,
        "tayho_site/admin/audit_log.html",
        {
            "page_obj": page,
            "actions": actions,
            "action": action,
            "query": query,
            "page_title": _("Audit log"),
        },
    )


@hooks.register("register_actions")
def register_security_settings_edit(registry):
    """Changing who must use two-factor sign-in is audited."""
    registry.register(SecuritySettings, SecuritySettingsEditAction)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path("audit-log/", audit_log_view, name="tayho_audit_log"),
        path("two-factor-reset/<int:user_id>/", reset_view, name="tayho_two_factor_reset"),
    ]


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    """Users → a person → "Reset two-factor sign-in", for administrators."""
    from wagtail.admin.widgets import ListingButton

    if may_reset(request_user, user):
        yield ListingButton(
            _("Reset two-factor sign-in"),
            reverse("tayho_two_factor_reset", args=[user.pk]),
            priority=50,
            icon_name="key",
        )


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return PermissionMenuItem(
        _("Audit log"),
        reverse("tayho_audit_log"),
        permission="tayho_site.view_auditentry",
        icon_name="history",
        order=900,
    )


@hooks.register("register_help_menu_item")
def register_staff_guide_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Staff guide"), reverse("staff_guide"), icon_name="help", order=10)


@hooks.register("construct_help_menu")
def keep_help_in_vietnamese(request, menu_items):
    """Wagtail's own help links lead to English pages (its release notes, its editor
    guide); the staff guide replaces them. The keyboard shortcuts stay."""
    menu_items[:] = [
        item for item in menu_items if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]
