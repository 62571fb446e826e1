from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("Emulation movement")

    def ready(self):
        from contest.signals import results_published

        from .honours.retention import register_kinds
        from .honours.rules import propose_contest_prizes

        register_kinds()

        def propose(sender, contest, by, **kwargs):
            # After the results are committed: a problem here never undoes their publication.
            from django.db import transaction

            transaction.on_commit(lambda: propose_contest_prizes(contest, by=by), robust=True)

        results_published.connect(propose, dispatch_uid="emulation.honours.contest_prizes", weak=False)
