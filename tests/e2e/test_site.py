import io

import pytest
from django.core.management import call_command

from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]


@pytest.fixture
def site_url(live_server):
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    return live_server.url


def test_resident_searches_without_diacritics_and_reads_the_news(page, site_url, screenshot):
    page.goto(site_url + "/")
    assert page.title().endswith("Khát vọng Tây Hồ")
    page.get_by_role("searchbox", name="Tìm kiếm trên trang").fill("dun day")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()

    page.wait_for_url("**/tim-kiem/?q=dun+day")
    status = page.get_by_role("status")
    assert "kết quả cho “dun day”" in status.inner_text()
    result = page.get_by_role("link", name="Quận ủy Tây Hồ triển khai Chỉ thị 24-CT/TU về kỷ luật, kỷ cương")
    screenshot(page, "search-results")
    result.click()

    page.wait_for_url("**/tin-tuc/quan-uy-tay-ho-trien-khai-chi-thi-24/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Quận ủy Tây Hồ triển khai Chỉ thị 24-CT/TU về kỷ luật, kỷ cương"
    assert "đùn đẩy" in page.locator("main").inner_text()
    crumbs = page.get_by_role("navigation", name="Đường dẫn")
    assert "Tin tức phong trào" in crumbs.inner_text()
    screenshot(page, "news-page")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, site_url):
    page.goto(site_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Chuyển đến nội dung chính"
    assert page.get_by_role("link", name="Chuyển đến nội dung chính").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"


def test_phone_layout_does_not_scroll_sideways(browser, site_url, screenshot):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    try:
        for path in ["/", "/tin-tuc/", "/gioi-thieu/"]:
            page.goto(site_url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the phone screen"
        page.goto(site_url + "/")
        screenshot(page, "home-phone")
    finally:
        context.close()


def test_site_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(site_url + "/")
        page.get_by_role("searchbox", name="Tìm kiếm trên trang").fill("Khát vọng")
        page.get_by_role("searchbox", name="Tìm kiếm trên trang").press("Enter")
        page.wait_for_url("**/tim-kiem/**")
        assert "kết quả cho “Khát vọng”" in page.get_by_role("status").inner_text()
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/en/tim-kiem/**")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "results for “Khát vọng”" in page.get_by_role("status").inner_text()
    finally:
        context.close()
