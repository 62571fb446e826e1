"""Every kind of page answers with the security headers and a strict Content-Security-
Policy, and carries no inline script: a cross-site-scripting hole would have nothing to run."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
DATA_SCRIPT_TYPES = ("application/json", "application/ld+json")


def public_urls():
    from contest.models import ContestPage
    from emulation.honours import queries as honours_queries
    from emulation.honours.models import HonourIndexPage
    from emulation.models import MovementPage
    from ideas import queries as ideas_queries
    from ideas.models import IdeaCallPage, IdeaIndexPage
    from tayho_site.models import NewsPage, StandardPage

    contest = ContestPage.objects.live().first()
    gallery = IdeaIndexPage.objects.get().url
    call = IdeaCallPage.objects.live().first()
    board = HonourIndexPage.objects.get().url
    honour = honours_queries.published().first()
    urls = {
        "home": "/",
        "home (English)": "/en/",
        "news index": "/tin-tuc/",
        "news": NewsPage.objects.live().first().url,
        "search": "/tim-kiem/?q=ho+tay",
        "contest": contest.url,
        "entry form": contest.url + "gui-bai/",
        "idea gallery": gallery,
        "idea": f"{gallery}{ideas_queries.published_ideas().first().pk}/",
        "accountability": gallery + "trach-nhiem/",
        "idea call": call.url,
        "idea form": call.url + "gui-y-tuong/",
        "movement": MovementPage.objects.live().first().url,
        "honour board": board,
        "person": f"{board}{honour.profile_key}/",
        "verification": f"{board}xac-minh/{honour.code}/",
        "certificate": f"{board}chung-nhan/{honour.code}/",
        "sign-in": "/dang-nhap/",
        "not found": "/khong-co-trang-nay/",
    }
    standard = StandardPage.objects.live().first()
    if standard:
        urls["standard page"] = standard.url
    return urls


def check_headers(response, name):
    assert response["X-Content-Type-Options"] == "nosniff", name
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
    assert response["X-Frame-Options"] == "DENY", name
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy, name
    assert "frame-ancestors 'self'" in policy and "base-uri 'self'" in policy, name
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def check_no_inline_script(html, name):
    for attributes, body in SCRIPT.findall(html):
        if any(kind in attributes for kind in DATA_SCRIPT_TYPES):
            continue
        assert "src=" in attributes and not body.strip(), f"{name}: inline script {body[:80]!r}"
    assert not INLINE_HANDLER.search(html), f"{name}: inline event handler"
    assert "javascript:" not in html.lower(), f"{name}: javascript: URL"


def test_every_public_page_type_has_a_strict_policy_and_no_inline_script(client, demo):
    for name, url in public_urls().items():
        response = client.get(url)
        # Each route is reached for real; only the page made to be missing answers 404.
        assert response.status_code == (404 if name == "not found" else 200), (name, url, response.status_code)
        policy = check_headers(response, name)
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"], name
        assert policy["form-action"] == "'self'", name
        check_no_inline_script(response.content.decode(), name)


def test_workspace_pages_are_as_strict_and_the_admin_keeps_its_own_policy(client, demo):
    client.force_login(User.objects.create_superuser("bto", "bto@example.vn", "mat-khau-dai-12"))
    for url in ("/cham-bai/", "/thi-dua/", "/thi-dua/chuyen-xu-ly/", "/thi-dua/khen-thuong/", "/tai-khoan/hai-buoc/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = check_headers(response, url)
        assert "'unsafe-inline'" not in policy["script-src"], url
        check_no_inline_script(response.content.decode(), url)
    # Wagtail's admin runs inline scripts of its own: its pages alone allow them.
    admin = client.get("/admin/")
    assert admin.status_code == 200
    policy = check_headers(admin, "admin")
    assert "'unsafe-inline'" in policy["script-src"]
