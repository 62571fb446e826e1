import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_renders_every_block_of_the_demo(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Khát vọng Tây Hồ" in html
    assert "Cuộc thi đang mở" in html  # featured call
    assert "Phong trào trong con số" in html  # highlights
    assert "Tôn vinh điển hình tiêu biểu" in html  # latest news, newest first
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target


HOME_BUDGET = 13  # 12, plus the newest honours (one query, never cached: a revocation shows at once)


def test_home_page_query_count_is_bounded(client, demo, django_assert_max_num_queries):
    client.get("/")  # warm the site-root cache, as any running server has
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get("/")
    assert response.status_code == 200


def test_home_query_count_does_not_grow_with_the_news(client, demo, django_assert_max_num_queries):
    from tayho_site.models import NewsIndexPage

    index = NewsIndexPage.objects.get()
    for _ in range(30):
        NewsPageFactory(parent=index)
    client.get("/")
    with django_assert_max_num_queries(HOME_BUDGET):
        assert client.get("/").status_code == 200


def test_standard_page_shows_breadcrumbs_and_marks_the_menu(client, home):
    page = StandardPageFactory(title="Giới thiệu", slug="gioi-thieu", parent=home)
    html = client.get(page.url).content.decode()
    assert "<h1>Giới thiệu</h1>" in html
    assert 'aria-label="Đường dẫn"' in html
    assert f'<a href="{page.url}" aria-current="page">Giới thiệu</a>' in html


def test_news_index_lists_newest_first_and_paginates(client, home, django_assert_max_num_queries):
    index = NewsIndexPageFactory(parent=home)
    items = [NewsPageFactory(parent=index) for _ in range(12)]
    client.get(index.url)
    with django_assert_max_num_queries(15):
        first = client.get(index.url).content.decode()
    assert first.index(items[-1].title) < first.index(items[-2].title)
    assert items[0].title not in first  # eleventh and twelfth oldest are on page 2
    second = client.get(index.url + "?page=2").content.decode()
    assert items[0].title in second
    assert "Trang 2/2" in second


def test_news_page_shows_vietnamese_date(client, home):
    import datetime

    index = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=index, title="Hội nghị", date=datetime.date(2023, 9, 5))
    html = client.get(item.url).content.decode()
    assert "5 tháng 9 năm 2023" in html
    assert 'datetime="2023-09-05"' in html


def test_unpublished_pages_are_not_served_or_listed(client, home):
    index = NewsIndexPageFactory(parent=home)
    draft = NewsPageFactory(parent=index, title="Bản nháp bí mật", publish=False)
    assert client.get(f"{index.url}{draft.slug}/").status_code == 404
    assert "Bản nháp bí mật" not in client.get(index.url).content.decode()


def test_missing_page_gets_the_vietnamese_404(client, home):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert 'action="/tim-kiem/"' in html


def test_500_page_renders_without_a_request_context():
    with translation.override("vi"):
        html = render_to_string("500.html")
    assert "Đã có lỗi ở phía chúng tôi" in html


def test_english_interface_lives_under_en(client, demo):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    vi = client.get("/").content.decode()
    assert "Chuyển đến nội dung chính" in vi


def test_language_switch_links_to_the_same_page_in_the_other_language(client, demo):
    vi = client.get("/tin-tuc/").content.decode()
    assert '<a href="/en/tin-tuc/" lang="en" hreflang="en">English</a>' in vi
    en = client.get("/en/tin-tuc/").content.decode()
    assert '<a href="/tin-tuc/" lang="vi" hreflang="vi">Tiếng Việt</a>' in en
    search = client.get("/tim-kiem/?q=ky+cuong").content.decode()
    assert 'href="/en/tim-kiem/?q=ky+cuong"' in search


def test_footer_shows_site_settings(client, demo):
    html = client.get("/").content.decode()
    assert "Số 657 đường Lạc Long Quân" in html
    assert 'href="tel:02437530000"' in html


def test_public_pages_send_a_content_security_policy(client, demo):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_sitemap_lists_live_pages_and_robots_points_to_it(client, demo):
    index = client.get("/tin-tuc/")
    assert index.status_code == 200
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/tin-tuc/dang-ky-viec-moi-viec-kho/</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


def test_numbers_and_dates_use_vietnamese_formats():
    import datetime

    from django.utils import formats

    with translation.override("vi"):
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == "1.234.567,5"
        assert formats.date_format(datetime.date(2026, 11, 25), "SHORT_DATE_FORMAT") == "25/11/2026"
        assert formats.date_format(datetime.date(2026, 11, 25)) == "25 tháng 11 năm 2026"
    with translation.override("en"):
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == "1,234,567.5"


def test_server_errors_get_the_vietnamese_500_page(client, home, monkeypatch):
    from tayho_site import views

    def broken(*args, **kwargs):
        raise RuntimeError("database exploded")

    monkeypatch.setattr(views, "search_pages", broken)
    client.raise_request_exception = False
    response = client.get("/tim-kiem/?q=x")
    assert response.status_code == 500
    assert "Đã có lỗi ở phía chúng tôi" in response.content.decode()
