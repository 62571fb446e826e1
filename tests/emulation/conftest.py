"""Shared fixtures of the emulation tests: a movement page (the unit tree is in tests/conftest.py)."""

import datetime

import pytest

from emulation.honours.models import HonourCategory, HonourIndexPage
from emulation.models import MovementPage, Person
from tayho_site import roles
from tests.factories import member


@pytest.fixture
def movement(home):
    page = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


# --- Honours: a unit tree with officers, a council of five, a category, a person, the board.


@pytest.fixture
def people(tree):
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
        "b": member("canbo_b", tree["b"], roles.UNIT_OFFICERS),
        "council": [member(f"hoidong{n}", tree["district"], roles.EMULATION_COUNCIL) for n in range(5)],
    }


@pytest.fixture
def category(db):
    return HonourCategory.objects.create(name="Cá nhân điển hình, tiêu biểu")


@pytest.fixture
def hero(tree):
    return Person.objects.create(
        full_name="Nguyễn Văn Đức", position="Trưởng phòng", unit=tree["a"], email="duc@tayho.vn"
    )


@pytest.fixture
def board(home):
    page = HonourIndexPage(title="Bảng vinh danh", slug="vinh-danh")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
