"""axe-core's accessibility check of a page in the browser tests."""

from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}
# Rules axe-core still calls experimental, so leaves out unless asked: a visible label
# that is not part of the accessible name (WCAG 2.5.3 Label in Name), which voice-control
# users meet when they say what they see.
EXPERIMENTAL = ("label-content-name-mismatch",)


def violations_on(page, *, experimental=EXPERIMENTAL):
    """axe's violations on the page as it is now, each as "rule: help (first elements)";
    with the `experimental` rules too."""
    options = {**AXE_TAGS, "rules": {rule: {"enabled": True} for rule in experimental}}
    results = Axe().run(page, options=options)
    return [
        f"{violation['id']}: {violation['help']} ({'; '.join(str(node['target']) for node in violation['nodes'][:3])})"
        for violation in results.response["violations"]
    ]


def assert_accessible(page):
    """No violation of WCAG 2.2 A/AA or axe's best practices on the page as it is now."""
    results = Axe().run(page, options=AXE_TAGS)
    assert results.response["violations"] == [], f"{page.url}: {results.generate_report()}"
