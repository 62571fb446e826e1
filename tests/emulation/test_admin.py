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
    response = client.post(
        f"/admin/units/edit/{child.pk}/", {"name": "Phòng Nội vụ", "kind": kind.pk, "parent": other.pk, "active": "on"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.get_parent() == other
    # A unit cannot be put under itself.
    bad = client.post(f"/admin/units/edit/{other.pk}/", {"name": "Quận ủy", "kind": kind.pk, "parent": child.pk})
    assert bad.status_code == 200 and Unit.objects.get(pk=other.pk).is_root()


def test_people_are_listed_and_added(client, organiser):
    kind = UnitKind.objects.create(name="Phòng ban")
    unit = Unit.add_root(name="Phòng Nội vụ", kind=kind)
    response = client.post(
        "/admin/people/new/", {"full_name": "Nguyễn Văn An", "position": "Chuyên viên", "unit": unit.pk, "active": "on"}
    )
    assert response.status_code == 302
    assert Person.objects.get().unit == unit
    assert "Nguyễn Văn An" in client.get("/admin/people/").content.decode()


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
    return data


def test_a_rubric_is_kept_in_the_admin_with_criteria_deductions_and_ordered_bands(client, organiser):
    from emulation.models import Rubric

    kind = UnitKind.objects.create(name="Phòng ban")
    base = {
        "kind": kind.pk,
        **_inline(
            "criteria",
            [{"text": "Hoàn thành nhiệm vụ", "max_points": "70"}, {"text": "Thái độ phục vụ", "max_points": "30"}],
        ),
        **_inline("deductions", [{"text": "Đùn đẩy trách nhiệm", "points": "20", "manifestation": ""}]),
    }
    bad = client.post(
        "/admin/rubrics/new/", {**base, "excellent_from": "60", "good_from": "70", "completed_from": "50"}
    )
    assert bad.status_code == 200 and not Rubric.objects.exists()
    assert "giảm dần" in bad.content.decode()
    response = client.post(
        "/admin/rubrics/new/", {**base, "excellent_from": "90", "good_from": "70", "completed_from": "50"}
    )
    assert response.status_code == 302
    rubric = Rubric.objects.get()
    assert rubric.maximum() == 100 and rubric.deductions.get().points == 20
    assert "Phòng ban" in client.get("/admin/rubrics/").content.decode()
