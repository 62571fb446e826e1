from django.shortcuts import render
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
