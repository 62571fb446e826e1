import pytest
from django.contrib.auth import get_user_model

from emulation.models import Person, Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    client.force_login(get_user_model().objects.create_superuser("btc", password="mat-khau-dai-123"))


def test_units_are_created_and_moved_in_the_tree_from_the_admin(client, organiser):
    kind = UnitKind.objects.create(name="Phòng ban")
    assert client.post("/admin/units/new/", {"name": "UBND quận", "kind": kind.pk, "active": "on"}).status_code == 302
    top = Unit.objects.get(name="UBND quận")
    assert top.is_root()
    client.post("/admin/units/new/", {"name": "Phòng Nội vụ", "kind": kind.pk, "parent": top.pk, "active": "on"})
    child = Unit.objects.get(name="Phòng Nội vụ")
    assert child.get_parent() == top
    client.post("/admin/units/new/", {"name": "Quận ủy", "kind": kind.pk, "active": "on"})
    other = Unit.objects.get(name="Quận ủy")
    response = client.post(f"/admin/units/edit/{child.pk}/", {"name": "Phòng Nội vụ", "kind": kind.pk,
                                                               "parent": other.pk, "active": "on"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.get_parent() == other
    # A unit cannot be put under itself.
    bad = client.post(f"/admin/units/edit/{other.pk}/", {"name": "Quận ủy", "kind": kind.pk, "parent": child.pk})
    assert bad.status_code == 200 and Unit.objects.get(pk=other.pk).is_root()


def test_people_are_listed_and_added(client, organiser):
    kind = UnitKind.objects.create(name="Phòng ban")
    unit = Unit.add_root(name="Phòng Nội vụ", kind=kind)
    response = client.post("/admin/people/new/", {"full_name": "Nguyễn Văn An", "position": "Chuyên viên",
                                                  "unit": unit.pk, "active": "on"})
    assert response.status_code == 302
    assert Person.objects.get().unit == unit
    assert "Nguyễn Văn An" in client.get("/admin/people/").content.decode()
