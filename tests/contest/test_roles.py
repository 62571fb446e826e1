import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from contest.judging.models import Round
from tayho_site import roles

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-dai-123"


def member(name, group):
    user = get_user_model().objects.create_user(name, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_role_groups_exist_after_migrating():
    assert set(roles.ALL) <= set(Group.objects.values_list("name", flat=True))


def test_an_organiser_runs_entries_and_rounds_without_being_a_superuser(client, round_):
    client.force_login(member("btc", roles.ORGANISERS))
    assert client.get("/admin/entries/").status_code == 200
    assert client.get(f"/admin/judging/{round_.pk}/").status_code == 200
    assert client.get("/admin/audit-log/").status_code == 200


def test_a_judge_has_no_admin_access(client, round_):
    client.force_login(member("gk", roles.JUDGES))
    for url in (
        "/admin/",
        "/admin/entries/",
        f"/admin/judging/{round_.pk}/",
        "/admin/audit-log/",
        f"/admin/judging/{round_.pk}/scores.xlsx",
        "/admin/entries-statistics/",
        "/admin/judging-assignments/",
        "/admin/units/",
        "/admin/people/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"KVTH26" not in response.content


def test_only_members_of_the_judges_group_can_sit_on_a_panel():
    from django.forms.models import apply_limit_choices_to_to_formfield

    judge, organiser = member("gk", roles.JUDGES), member("btc", roles.ORGANISERS)
    formfield = Round._meta.get_field("judges").formfield()
    apply_limit_choices_to_to_formfield(formfield)
    choices = formfield.queryset
    assert judge in choices and organiser not in choices


def test_an_organiser_sees_the_statistics_but_a_judge_does_not_see_the_menu_item(client, round_):
    client.force_login(member("btc", roles.ORGANISERS))
    assert client.get("/admin/entries-statistics/").status_code == 200
    assert "/admin/entries-statistics/" in client.get("/admin/").content.decode()
    from django.contrib.auth.models import Permission

    editor = get_user_model().objects.create_user("bientap", password=PASSWORD)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/entries-statistics/" not in dashboard and "/admin/audit-log/" not in dashboard
