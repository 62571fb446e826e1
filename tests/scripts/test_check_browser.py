"""`make test` checks for a browser before anything else (scripts/check_browser.py)."""

import subprocess
import sys
from pathlib import Path

from scripts import check_browser

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_browser_it_stops_with_the_install_command(monkeypatch, capsys):
    monkeypatch.setattr(check_browser, "system_chromium", lambda: None)
    monkeypatch.setattr(check_browser, "playwright_chromium", lambda: None)
    tried = []
    monkeypatch.setattr(check_browser, "install_playwright_chromium", lambda: tried.append(True) or False)
    assert check_browser.main([]) == 1
    assert tried == [True]  # Playwright's own build was tried first
    err = capsys.readouterr().err
    assert "sudo apt-get install chromium" in err
    assert "playwright install chromium" in err


def test_a_browser_installed_by_playwright_is_used(monkeypatch, capsys):
    monkeypatch.setattr(check_browser, "system_chromium", lambda: None)
    installed = []
    monkeypatch.setattr(check_browser, "playwright_chromium", lambda: installed[0] if installed else None)
    monkeypatch.setattr(check_browser, "install_playwright_chromium", lambda: installed.append(sys.executable) or True)
    assert check_browser.main([]) == 0
    assert sys.executable in capsys.readouterr().out


def test_the_make_target_runs_before_the_suite():
    makefile = (ROOT / "Makefile").read_text()
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert test_rule.index("browser-check") < test_rule.index("collectstatic-check")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_browser.py"), "--no-install"],
        capture_output=True,
        text=True,
        check=False,
    )
    # On this machine (and CI) a browser exists: the check passes and names it.
    assert done.returncode == 0, done.stderr
    assert "Browser for the browser tests:" in done.stdout
