import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from . import guide
from .search import search_pages


@require_GET
def search(request):
    outcome = search_pages(request.GET.get("q", ""), request.GET.get("page"))
    return render(
        request,
        "tayho_site/search.html",
        {"query": outcome.query, "results": outcome.results, "partial": outcome.partial},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """The 500 page, or — when the database did not answer (a restart, a lost connection) —
    a 503 asking to try again shortly. Each submission is one transaction, so a database
    failure means nothing of it was saved; the page says so. Renders without the
    database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logging.getLogger(__name__).warning("Database unavailable: answered 503 (%s)", error.__class__.__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_safe
def staff_guide(request, slug=None):
    """The staff guide (docs/guide/), one section per page, with its table of contents."""
    if slug == guide.INDEX:
        raise Http404  # the index lives at /huong-dan/ only
    current = guide.section(slug or guide.INDEX)
    return render(
        request,
        "tayho_site/guide.html",
        {
            "section": current,
            "contents": guide.contents(),
            "crumbs": [
                {"title": _("Home"), "url": "/"},
                *([{"title": guide.section(guide.INDEX).title, "url": reverse("staff_guide")}] if slug else []),
                {"title": current.title, "url": None},
            ],
        },
    )
