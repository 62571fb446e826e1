"""docs/security.md names the tests that hold each promise: every test it names exists,
so the page cannot go on citing a test that was renamed or removed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "security.md"


def test_every_test_the_security_page_names_exists():
    text = PAGE.read_text(encoding="utf-8")
    missing = []
    cited = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)
    assert len(cited) > 20
    for path, name in cited:
        source = ROOT / path
        if not source.exists() or (name and f"def {name}(" not in source.read_text(encoding="utf-8")):
            missing.append(f"{path}::{name}" if name else path)
    every_test = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("test_*.py"))
    missing += [name for name in re.findall(r"`(test_\w+)`", text) if f"def {name}(" not in every_test]
    assert missing == []
