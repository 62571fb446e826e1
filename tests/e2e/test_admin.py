import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.e2e.conftest import pass_second_step
from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]


def test_editor_signs_in_and_edits_a_page_under_the_content_security_policy(page, live_server, screenshot):
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    get_user_model().objects.create_superuser("bientap", "bientap@example.vn", "mat-khau-dai-123")
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "mat-khau-dai-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_step(page, "bientap")
    page.wait_for_url("**/admin/")
    assert page.locator("html").get_attribute("lang") == "vi"
    # Our catalogue must not override Wagtail's own words: the menu says "Trang", not
    # the pagination label "Phân trang".
    assert page.get_by_role("navigation").get_by_text("Phân trang").count() == 0

    from tayho_site.models import HomePage, StandardPage

    page.goto(f"{live_server.url}/admin/pages/{HomePage.objects.get().pk}/")
    screenshot(page, "admin-explorer")
    assert page.get_by_text("Giới thiệu phong trào").first.is_visible()

    about = StandardPage.objects.get(slug="gioi-thieu")
    page.goto(f"{live_server.url}/admin/pages/{about.pk}/edit/")
    page.locator("#id_intro").fill("Giới thiệu đã sửa trong trình soạn thảo.")
    screenshot(page, "admin-editor")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(f"**/admin/pages/{about.get_parent().pk}/")
    screenshot(page, "admin-after-publish")

    about.refresh_from_db()
    assert about.intro == "Giới thiệu đã sửa trong trình soạn thảo."
    assert blocked == []
