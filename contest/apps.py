from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Writing contest")

    def ready(self):
        from .retention import register_kinds

        register_kinds()
