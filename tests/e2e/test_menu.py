"""The main menu fits: at 1024 px and wider every top-level item is on screen in one row
(pages carry short menu titles); on a phone a Menu button opens the whole list."""

import io

import pytest
from django.core.management import call_command

from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]


@pytest.fixture
def site_url(live_server):
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    return live_server.url


def menu_boxes(page):
    links = page.get_by_role("navigation", name="Danh mục chính").get_by_role("link")
    return [(link.inner_text(), link.bounding_box(), link.is_visible()) for link in links.all()]


@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_every_menu_item_is_visible_in_one_row(browser, site_url, width):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + "/")
    boxes = menu_boxes(page)
    names = [name for name, _, _ in boxes]
    assert names == ["Trang chủ", "Giới thiệu", "Cuộc thi viết", "Thi đua", "Vinh danh", "Ý tưởng", "Tin tức"]
    for name, box, visible in boxes:
        assert visible and box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
    assert len({round(box["y"]) for _, box, _ in boxes}) == 1  # one row
    assert not page.get_by_role("button", name="Danh mục").is_visible()
    context.close()


def test_on_a_phone_the_menu_button_opens_the_whole_list(browser, site_url):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "/")
    button = page.get_by_role("button", name="Danh mục")
    assert button.get_attribute("aria-expanded") == "false"
    menu = page.get_by_role("navigation", name="Danh mục chính")
    assert not menu.get_by_role("link", name="Vinh danh").is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    for name, box, visible in menu_boxes(page):
        assert visible and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    context.close()
