from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    """The judging engine, for essays and ideas alike. It knows no caller: contest and
    ideas plug into it through contest.judging.protocols. Its models belong to the
    contest app (their tables and migrations)."""

    name = "contest.judging"
    label = "judging"
    verbose_name = _("Judging")

    def ready(self):
        from tayho_site.pagecache import purge_on_change

        # An idea's public page names its author only while no blind round is scoring it.
        purge_on_change("contest.Round")
