from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("Emulation movement")

    def ready(self):
        from tayho_site.pagecache import purge_on_change

        purge_on_change(
            "emulation.UnitKind",
            "emulation.Unit",
            "emulation.Person",
            "emulation.Commitment",
            "emulation.ProgressReport",
            "emulation.SupervisorRemark",
            "emulation.UnitMonth",
            "emulation.CadreRating",
        )
