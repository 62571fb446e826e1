from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from .retention import register_kinds

        register_kinds()

        from .proposals import register as register_proposals

        register_proposals()

        from tayho_site.pagecache import purge_on_change

        purge_on_change("referrals.Referral", "referrals.ReferralStep")
