from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Ward


class WardViewSet(SnippetViewSet):
    model = Ward
    icon = "site"
    menu_label = _("Wards")
    list_display = ["name", "active", "sort_order"]
    search_fields = ["name"]


register_snippet(WardViewSet)
