from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

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
