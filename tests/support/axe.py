"""axe-core's accessibility check of a page in the browser tests."""

from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}


def assert_accessible(page):
    """No violation of WCAG 2.2 A/AA or axe's best practices on the page as it is now."""
    results = Axe().run(page, options=AXE_TAGS)
    assert results.response["violations"] == [], f"{page.url}: {results.generate_report()}"
