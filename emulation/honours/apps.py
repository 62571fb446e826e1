from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    """Honours build on the emulation movement and stand on their own: their models
    belong to the emulation app (its tables and migrations), and they connect their own
    signals and register their own retention and demo data. Nothing in emulation/
    imports this package."""

    name = "emulation.honours"
    label = "honours"
    verbose_name = _("Honours")

    def ready(self):
        from contest.signals import results_published
        from tayho_site.pagecache import purge_on_change

        from .actions import propose_contest_prizes
        from .retention import register_kinds

        register_kinds()
        purge_on_change("emulation.HonourCategory", "emulation.Honour")

        def propose(sender, contest, by, **kwargs):
            # After the results are committed: a problem here never undoes their publication.
            from django.db import transaction

            transaction.on_commit(lambda: propose_contest_prizes(contest, by=by), robust=True)

        results_published.connect(propose, dispatch_uid="emulation.honours.contest_prizes", weak=False)
