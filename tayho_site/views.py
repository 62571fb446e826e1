from django.shortcuts import render
from django.views.decorators.http import require_GET

from .search import MAX_QUERY_LENGTH, search_pages


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results, folded = search_pages(query, request.GET.get("page"))
    return render(
        request,
        "tayho_site/search.html",
        {"query": query, "results": results, "folded_query": folded},
    )
