"""The staff guide: docs/guide/*.md rendered into the site, with pictures the browser
tests take."""

import re
from pathlib import Path

import pytest

from tayho_site import guide

E2E_WALK = Path(__file__).resolve().parents[1] / "e2e" / "test_staff_vietnamese.py"


@pytest.mark.django_db
def test_every_section_is_a_page_listed_in_the_contents(client):
    index = client.get("/huong-dan/", HTTP_ACCEPT_LANGUAGE="en")
    assert index.status_code == 200
    html = index.content.decode()
    assert '<html lang="vi"' in html and "<h1>Hướng dẫn cho cán bộ</h1>" in html
    for slug in guide.SECTIONS:
        url = f"/huong-dan/{slug}/"
        assert f'href="{url}"' in html
        section = client.get(url)
        assert section.status_code == 200
        assert f"<h1>{guide.section(slug).title}</h1>" in section.content.decode()
        assert 'aria-current="page"' in section.content.decode()
    assert client.get("/huong-dan/khong-co/").status_code == 404
    assert client.get("/huong-dan/README/").status_code == 404
    assert client.head("/huong-dan/cham-bai/").status_code == 200
    assert client.post("/huong-dan/cham-bai/").status_code == 405


@pytest.mark.django_db
def test_a_guide_page_costs_few_queries(client, home, django_assert_max_num_queries):
    client.get("/huong-dan/cham-bai/")
    with django_assert_max_num_queries(3):  # the site and its settings; the guide itself is files
        assert client.get("/huong-dan/to-chuc-cuoc-thi/").status_code == 200


def test_pictures_come_from_the_browser_walk_and_exist():
    referenced = guide.pictures_referenced()
    assert len(referenced) >= 10
    on_disk = {path.stem for path in (guide.GUIDE_DIR / "img").glob("*.png")}
    assert referenced - on_disk == set(), "a picture the guide shows is missing"
    assert on_disk - referenced == set(), "a picture nobody shows: remove it or use it"
    taken = set(re.findall(r'"([a-z0-9-]+)"\)?\)', E2E_WALK.read_text(encoding="utf-8"))) | set(
        re.findall(r'\("([a-z0-9-]+)", "', E2E_WALK.read_text(encoding="utf-8"))
    )
    assert referenced - taken == set(), "every picture is taken by the browser walk, so it cannot go stale"


def test_rendering_points_pictures_and_links_and_sanitises():
    title, html = guide.render(
        "# Tiêu đề\n\nXem [phần chấm bài](cham-bai.md#2-cham-mot-bai) và [mục lục](README.md).\n\n"
        "![Phiếu chấm](img/judge-score.png)\n\n<script>alert(1)</script>\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    assert title == "Tiêu đề"
    assert 'href="/huong-dan/cham-bai/#2-cham-mot-bai"' in html and 'href="/huong-dan/"' in html
    assert re.search(r'<img alt="Phiếu chấm"[^>]* src="/static/guide/judge-score[^"]*\.png"', html) or re.search(
        r'src="/static/guide/judge-score[^"]*\.png"', html
    )
    assert "<script" not in html and "alert(1)" not in html
    assert "<table>" in html and "<td>2</td>" in html


@pytest.mark.django_db
def test_the_admin_help_menu_leads_to_the_guide(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", "q@example.vn", "mat-khau-dai-123"))
    import json

    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    sidebar = json.dumps(json.loads(props.group(1)), ensure_ascii=False)
    assert re.search(r'"label": "Hướng dẫn cho cán bộ"[^\]]*?"url": "/huong-dan/"', sidebar)
    # Wagtail's English help pages are not offered; its keyboard shortcuts are.
    assert "guide.wagtail.org" not in sidebar and "Phím tắt" in sidebar
