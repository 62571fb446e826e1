"""What follows from the page tree alone, kept in each process while the tree is
unchanged: which page a URL leads to, the main menu, a page's ancestors, which view
restrictions apply to a page and which sections are private, the site's settings.

The tree's version (`TREE`, tayho_site/versions.py) changes whenever a page is saved,
published, unpublished, moved or deleted, a page's view restriction, a site, the site's
settings, a ward or another row an app `follow`s changes (what public forms offer
besides their page's fields, such as the ideas' sectors) —
at once for this process and again once the transaction commits, for every process. A
page reached from memory is the page as it was read when the tree last changed (no
query: every change to a page's row comes with a new version) and still passes
Wagtail's own checks (live, privacy) as it is served.
"""

import copy

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .versions import SharedVersion

# Small values (a page's model and id, the menu, a form's fields), one per page at most.
TREE = SharedVersion("pagetree:version", limit=4096)


def keep(key, compute):
    """compute() once per tree version and process."""
    return TREE.keep(key, compute)


def route(root, request, path_components, route_from_root):
    """Wagtail's route from the site's root page, remembering the page each path led to;
    `route_from_root` is the root's own route."""
    if not path_components:
        return route_from_root(request, path_components)
    if TREE.current() is None:  # the cache is down: every level from the database
        return route_from_root(request, path_components)
    routes = TREE.kept()
    # Kept by the page's own path, not the whole URL: /y-tuong/123/ and /y-tuong/124/ are
    # one entry, the gallery's, whose own routes serve the rest.
    for length in range(len(path_components), 0, -1):
        kept = routes.get(("route", root.pk, tuple(path_components[:length])))
        if kept is not None:
            # Each request has its own copy: a view may mark the page it serves.
            return copy.copy(kept).route(request, path_components[length:])
    result = route_from_root(request, path_components)
    page = result[0]
    routes[("route", root.pk, tuple(path_components[: page.depth - root.depth]))] = copy.copy(page)
    return result


class KeptRestrictionsMixin:
    """For every page model: Wagtail asks which view restrictions apply to a page before
    serving it (two queries: the page's ancestors, then their restrictions). The ids of
    those restrictions are kept per page while the tree is unchanged, as Wagtail's own
    code found them (aliases included); a page with none needs no query, and one with
    some reads just those."""

    def get_view_restrictions(self):
        wagtails = super().get_view_restrictions
        ids = keep(("restrictions", self.pk), lambda: tuple(restriction.pk for restriction in wagtails()))
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else PageViewRestriction.objects.none()


def private_paths():
    """The paths of the pages that have a view restriction: they and their descendants are
    private."""
    return keep("private-paths", lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True)))


def public(pages):
    """`pages` without those in a private section: Wagtail's `.public()`, whose query of the
    restrictions is made once per tree version instead of on every list."""
    private = Q()
    for path in private_paths():
        private |= Q(path__startswith=path)
    return pages.exclude(private) if private else pages


def children(page, relation):
    """`page.<relation>.all()`: rows edited with the page (a contest's categories, a
    movement's manifestations), kept while the tree is unchanged; a page shown in preview
    has its own, unsaved rows."""
    if page.pk is None or relation in getattr(page, "_cluster_related_objects", {}):
        return getattr(page, relation).all()
    return keep(("children", page.pk, relation), lambda: tuple(getattr(page, relation).all()))


def site_settings(model, request):
    """`model.for_request` (a site setting), kept per site while the tree is unchanged
    (saving the settings changes the tree's version). Each request gets its own copy:
    Wagtail marks the settings with the request."""
    attr_name = model.get_cache_attr_name()
    if hasattr(request, attr_name):
        return getattr(request, attr_name)
    site = Site.find_for_request(request)
    kept = keep(("settings", model._meta.label, getattr(site, "pk", None)), lambda: model.for_site(site))
    settings = copy.copy(kept)
    settings._request = request
    setattr(request, attr_name, settings)
    return settings


class SiteMiddleware:
    """The site a request is for, kept per host while the tree is unchanged: Wagtail finds
    it with a query on every request otherwise, and its root page with two more. Wagtail
    keeps the site it found on the request (`_wagtail_site`); this sets that first. Place
    after CommonMiddleware, which refuses hosts not allowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site"):
            try:
                request._wagtail_site = keep(
                    ("site", request.get_host(), request.get_port()), lambda: Site._find_for_request(request)
                )
            except DatabaseError:  # left to the view, which answers as it does without a database
                pass
        return self.get_response(request)


def bump(**_kwargs):
    TREE.bump()
    transaction.on_commit(TREE.bump, robust=True)


def _page_changed(sender, instance=None, **kwargs):
    if isinstance(instance, Page):
        bump()


def connect_signals():
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(bump, dispatch_uid=f"pagetree-{name}")
    post_save.connect(_page_changed, dispatch_uid="pagetree-page-saved")
    post_delete.connect(_page_changed, dispatch_uid="pagetree-page-deleted")
    from .models import SiteSettings

    # Pictures: the news lists keep their items with their pictures.
    follow(PageViewRestriction, Site, "tayho_site.Ward", "wagtailimages.Image")
    post_save.connect(_changed, sender=SiteSettings, dispatch_uid="pagetree-save-SiteSettings")
    post_delete.connect(bump, sender=SiteSettings, dispatch_uid="pagetree-delete-SiteSettings")


def follow(*models):
    """Rows that pages kept per tree version show (a public form's choices): saving or
    deleting one changes the tree's version. Each app names its own from its
    AppConfig.ready; `models` are classes or "app_label.Model" labels."""
    from django.apps import apps

    for model in models:
        model = apps.get_model(model) if isinstance(model, str) else model
        post_save.connect(bump, sender=model, dispatch_uid=f"pagetree-save-{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagetree-delete-{model._meta.label}")


def _changed(created=False, **kwargs):
    # The site's settings row is made with its defaults on the first request that reads
    # them: nothing shown changes then.
    if not created:
        bump(**kwargs)
