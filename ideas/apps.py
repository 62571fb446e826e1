from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from .retention import register_kinds

        register_kinds()

        from tayho_site.pagecache import purge_on_change

        purge_on_change("ideas.Sector", "ideas.IdeaEvent")
        purge_on_change("ideas.Idea", "ideas.IdeaAuthor", "ideas.Support", new_rows_public=False)

        from tayho_site.pagetree import follow

        # The gallery's empty filter form, kept per tree version, offers the sectors.
        follow("ideas.Sector")
