from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Inspections stand on their own (see the package's docstring): own label, own
    migrations, and they register their source of proposed deductions, their section of the
    unit's board, their source of suggested honours and their retention kind
    themselves."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "emulation.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from tayho_site.pagecache import purge_on_change

        from . import board, honours, proposals, retention

        proposals.register()
        board.register()
        honours.register()
        retention.register_kinds()
        purge_on_change("inspections.Inspection", "inspections.Finding", "inspections.Remedy")
