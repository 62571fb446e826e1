"""Shared fixtures of the emulation tests: a small unit tree and a movement page."""

import datetime

import pytest

from emulation.models import MovementPage, Unit, UnitKind


@pytest.fixture
def tree():
    kind = UnitKind.objects.create(name="Cơ quan")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    unit_a = district.add_child(name="Phòng A", kind=kind)
    unit_b = district.add_child(name="Phòng B", kind=kind)
    front = district.add_child(name="Mặt trận Tổ quốc", kind=kind)
    return {"district": district, "a": unit_a, "b": unit_b, "front": front}


@pytest.fixture
def movement(home):
    page = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
