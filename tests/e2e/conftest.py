"""Browser tests: the real site, served by pytest-django's live server, driven in
Debian's headless Chromium through Playwright. They never skip: without Chromium they
fail and say how to install it."""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.support.twofactor import authenticator_code, backup_code

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def chromium_path():
    from scripts.check_browser import INSTALL_HELP, find_chromium

    path = find_chromium()
    if not path:
        pytest.fail(INSTALL_HELP, pytrace=False)
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would otherwise
    # refuse the ORM calls that fixtures make meanwhile. Only while browsers run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


TEST_PASSWORD = "mat-khau-dai-123"  # noqa: S105 - the test users' password (tests.emulation.test_commitments.member)


def pass_second_step(page, username):
    """Two-factor sign-in after the password, as the person does it, when the site asks for
    it (it is required of superusers and most staff groups): on a first sign-in, pairing
    an authenticator app (the key read off the page, the app's code computed from it) and
    going on from the backup codes; later, typing a backup code. Then at the page asked for."""
    page.wait_for_load_state()
    path = urlparse(page.url).path
    submit = "form.entry-form button[type=submit]"
    if path == "/tai-khoan/hai-buoc/":
        page.fill("#id_token", authenticator_code(page.locator(".two-factor__key").inner_text()))
        with page.expect_navigation():
            page.locator(submit).click()
        page.locator(".two-factor__codes").wait_for()
        with page.expect_navigation():
            page.locator(".article a.button--primary").click()
    elif path == "/tai-khoan/ma-xac-thuc/":
        page.fill("#id_token", backup_code(username))
        with page.expect_navigation():
            page.locator(submit).click()


def signed_in(browser, live_server, username, url, *, phone=False):
    """A new browser context signed in as `username` through the sign-in page (and the
    second step, when asked), then at `url`. Returns (context, page); close the context
    when done."""
    options = (
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
        if phone
        else {"viewport": {"width": 1280, "height": 900}}
    )
    context = browser.new_context(locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/dang-nhap/?next=" + url)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    pass_second_step(page, username)
    return context, page


GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"


def _visibly_different(old_path, new_png, *, share=0.005):
    import io

    from PIL import Image, ImageChops

    with Image.open(old_path) as old_image:
        old = old_image.convert("RGB")
    new = Image.open(io.BytesIO(new_png)).convert("RGB")
    if old.size != new.size:
        return True
    changed = ImageChops.difference(old, new).convert("L").point(lambda value: 255 if value > 24 else 0)
    return changed.histogram()[255] > share * new.size[0] * new.size[1]


@pytest.fixture
def guide_shot():
    """Pictures for the staff guide (docs/guide/img/<name>.png), taken of the real
    screens, so the guide never shows a screen that no longer looks like that. `make
    test` only compares: a screen that visibly changed fails, and `make guide-pictures`
    (GUIDE_PICTURES=write) retakes the pictures. The walk runs at a fixed moment
    (GUIDE_MOMENT in test_staff_vietnamese.py), so its dates do not move, and rendering
    noise below 0.5 % of the pixels does not count. Fonts do count: the pictures are
    taken with DejaVu Sans, the font CI installs."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    write = os.environ.get("GUIDE_PICTURES") == "write"

    def take(page, name, target=None):
        """The window, or only the element `target` (a CSS selector) when given."""
        page.wait_for_load_state("networkidle")
        png = page.locator(target).first.screenshot() if target else page.screenshot()
        path = GUIDE_IMAGES / f"{name}.png"
        changed = not path.exists() or _visibly_different(path, png)
        if changed and write:
            path.write_bytes(png)
        elif changed:
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"guide-{name}.png").write_bytes(png)
            pytest.fail(
                f"The staff guide's picture {path.name} no longer shows the screen (now in "
                f"test-results/guide-{name}.png): run `make guide-pictures` and commit the pictures.",
                pytrace=False,
            )
        return path

    return take
