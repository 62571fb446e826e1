"""What follows from the page tree alone, kept in each process while the tree is
unchanged: which page a URL leads to, the main menu, a page's ancestors.

The tree's version (`TREE`, tayho_site/versions.py) changes whenever a page is saved,
published, unpublished, moved or deleted, a page's view restriction, a site, the site's
settings or a ward changes (what public forms offer besides their page's fields) —
at once for this process and again once the transaction commits, for every process. A
page that is reached from memory is still read from the database (one query instead of
one per level of the URL) and still passes Wagtail's own checks (live, privacy) as it
is served.
"""

from django.db import DatabaseError, transaction
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
    """Wagtail's route from the site's root page, remembering which page each path led
    to; `route_from_root` is the root's own route."""
    if not path_components:
        return route_from_root(request, path_components)
    if TREE.current() is None:  # the cache is down: every level from the database
        return route_from_root(request, path_components)
    routes = TREE.kept()
    # Kept by the page's own path, not the whole URL: /y-tuong/123/ and /y-tuong/124/ are
    # one entry, the gallery's, whose own routes serve the rest.
    for length in range(len(path_components), 0, -1):
        found = routes.get(("route", root.pk, tuple(path_components[:length])))
        if found is not None:
            model, pk = found
            page = model.objects.filter(pk=pk).first()
            if page is not None:
                return page.route(request, path_components[length:])
            break
    result = route_from_root(request, path_components)
    page = result[0]
    routes[("route", root.pk, tuple(path_components[: page.depth - root.depth]))] = (type(page), page.pk)
    return result


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
    from .models import SiteSettings, Ward

    for model in (PageViewRestriction, Site, SiteSettings, Ward):
        post_save.connect(
            _changed if model is SiteSettings else bump, sender=model, dispatch_uid=f"pagetree-save-{model.__name__}"
        )
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagetree-delete-{model.__name__}")


def _changed(created=False, **kwargs):
    # The site's settings row is made with its defaults on the first request that reads
    # them: nothing shown changes then.
    if not created:
        bump(**kwargs)
