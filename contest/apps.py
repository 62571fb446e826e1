from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Writing contest")

    def ready(self):
        from .retention import register_kinds

        register_kinds()

        from tayho_site.pagecache import purge_on_change

        purge_on_change("contest.ContestCategory", "contest.Award")
        purge_on_change("contest.Entry", "contest.Entrant", new_rows_public=False)
