"""roles.grant, the helper the data migrations use to give a role its permissions."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from tayho_site import roles

pytestmark = pytest.mark.django_db


def test_the_migrations_gave_organisers_what_they_screen_and_read():
    organisers = Group.objects.get(name=roles.ORGANISERS)
    granted = set(organisers.permissions.values_list("content_type__app_label", "codename"))
    assert {("ideas", "change_idea"), ("ideas", "add_sector"), ("emulation", "view_nomination")} <= granted
    assert ("ideas", "delete_idea") not in granted  # residents' ideas are kept, not deleted


def test_grant_adds_permissions_and_leaves_the_app_registry_as_it_was():
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    roles.grant(apps, "Nhóm thử", [("ideas", "view_sector")])
    assert list(Group.objects.get(name="Nhóm thử").permissions.values_list("codename", flat=True)) == ["view_sector"]
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before


def test_a_permission_that_does_not_exist_is_an_error_not_skipped():
    with pytest.raises(Permission.DoesNotExist):
        roles.grant(apps, "Nhóm thử", [("ideas", "fly_idea")])
