"""Shared fixtures of the emulation tests: a movement page (the unit tree is in tests/conftest.py)."""

import datetime

import pytest

from emulation.models import MovementPage


@pytest.fixture
def movement(home):
    page = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
