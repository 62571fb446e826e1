"""The public honour board: the list, a page per person, verification pages,
certificates (HTML and PDF), an Atom feed and a JSON list. Only published, unrevoked
honours appear, except on a certificate's verification page, which says “revoked”."""

import hashlib

import segno
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from tayho_site.sanitize import strip_html

from . import queries
from .forms import BoardFilterForm
from .models import Honour

PAGE_SIZE = 24
CACHE_SECONDS = 600


def _cached(request, render_page, filters=None):
    """Anonymous visitors get board pages from the cache. The key holds the board's version
    (read from the database: it changes when an honour is published or revoked), the host
    and language, and only the filters the page understands — so no stale board, and no
    cache entry per made-up query string."""
    if request.user.is_authenticated or request.method != "GET":
        return render_page()
    known = "&".join(f"{name}={value}" for name, value in sorted((filters or {}).items()) if value not in (None, ""))
    digest = hashlib.sha256(f"{request.get_host()}|{request.path}|{known}".encode()).hexdigest()[:40]
    key = f"honours:page:{queries.board_version()}:{digest}"
    content = cache.get(key)
    if content is not None:
        response = HttpResponse(content)
        response["X-Cache"] = "hit"
        return response
    response = render_page()
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200:
        cache.set(key, response.content, CACHE_SECONDS)
    return response


def board(request, index):
    def render_page():
        years = list(queries.published().order_by("-year").values_list("year", flat=True).distinct())
        filters = BoardFilterForm(request.GET or None, years=years)
        values = filters.values() if request.GET else {}
        honours = queries.board(
            year=values.get("nam"),
            category=values.get("danh_hieu"),
            unit=values.get("don_vi"),
            query=values.get("q") or "",
        )
        page_obj = Paginator(honours, PAGE_SIZE).get_page(request.GET.get("page"))
        return index.render(
            request,
            context_overrides={
                "filters": filters,
                "page_obj": page_obj,
                "honours": page_obj.object_list,
                "query": values.get("q") or "",
                "filtered": any(values.get(name) for name in ("q", "nam", "danh_hieu", "don_vi")),
            },
        )

    # The cache key needs no query: only the parameters the page reads, as typed (numbers
    # must be numbers), so a hit costs nothing but the board's version.
    get = request.GET
    key_values = {
        "q": " ".join(get.get("q", "").split())[:200],
        **{name: get.get(name, "") for name in ("nam", "danh_hieu", "don_vi", "page") if get.get(name, "").isdigit()},
    }
    return _cached(request, render_page, key_values)


def profile(request, index, key):
    def render_page():
        honours = queries.profile(key)
        if not honours:
            raise Http404
        return render(
            request,
            "emulation/honours/profile.html",
            {
                "page": index,
                "honours": honours,
                "latest": honours[0],
                "og_description": strip_html(honours[0].citation)[:200],
            },
        )

    return _cached(request, render_page)


def _honour(code):
    honour = Honour.objects.select_related("category", "unit", "photo").filter(code=code).first()
    if honour is None:
        raise Http404
    return honour


def verify(request, index, code):
    """Anyone who scans a certificate's code lands here: genuine and valid, or revoked."""
    honour = _honour(code)
    return render(request, "emulation/honours/verify.html", {"page": index, "honour": honour})


def _verification_url(request, index, honour):
    return request.build_absolute_uri(index.url + index.reverse_subpage("verify", args=[honour.code]))


def _certificate_context(request, index, honour):
    url = _verification_url(request, index, honour)
    # The QR code is drawn by segno from our own URL, never from a visitor's input.
    return {
        "page": index,
        "honour": honour,
        "verify_url": url,
        "qr_svg": segno.make(url, micro=False).svg_inline(scale=4, title=_("Verification code")),
    }


def certificate(request, index, code):
    honour = _honour(code)
    if not honour.is_valid:
        return render(request, "emulation/honours/verify.html", {"page": index, "honour": honour}, status=410)
    return render(request, "emulation/honours/certificate.html", _certificate_context(request, index, honour))


def certificate_pdf(request, index, code):
    honour = _honour(code)
    if not honour.is_valid:
        raise Http404
    host = hashlib.sha256(request.get_host().encode()).hexdigest()[:16]
    key = f"honours:pdf:{honour.code}:{queries.board_version()}:{host}"
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        html = render_to_string("emulation/honours/certificate_pdf.html", _certificate_context(request, index, honour))
        # Everything the certificate needs is inline; WeasyPrint may fetch nothing at all.
        pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set())).write_pdf()
        cache.set(key, pdf, CACHE_SECONDS * 6)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{honour.code}.pdf"'
    return response


class HonourFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def title(self):
        return self.index.title

    def link(self):
        return self.index.url

    def subtitle(self):
        return self.index.intro or _("Honours published by the district")

    def items(self):
        return queries.published().select_related("category").order_by("-published_at")[:50]

    def item_title(self, honour):
        return f"{honour.name} — {honour.category.name} {honour.year}"

    def item_description(self, honour):
        return honour.citation

    def item_link(self, honour):
        return self.index.url + honour.profile_key + "/"

    def item_pubdate(self, honour):
        return honour.published_at

    def item_updateddate(self, honour):
        return honour.published_at


def feed(request, index):
    return HonourFeed(index)(request)


def api(request, index):
    """Published honours as JSON, newest first, 100 a page (?page=2…)."""
    page = Paginator(
        queries.published().select_related("category", "unit").order_by("-published_at", "pk"), 100
    ).get_page(request.GET.get("page"))
    data = {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {
                "name": h.name,
                "collective": h.collective,
                "category": h.category.name,
                "year": h.year,
                "unit": h.unit.name if h.unit else None,
                "position": h.position or None,
                "citation": h.citation,
                "decision": {
                    "number": h.decision_number,
                    "date": h.decision_date.isoformat(),
                    "signer": h.decision_signer,
                },
                "published_at": h.published_at.isoformat(),
                "url": request.build_absolute_uri(index.url + h.profile_key + "/"),
                "verify_url": _verification_url(request, index, h),
            }
            for h in page.object_list
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
