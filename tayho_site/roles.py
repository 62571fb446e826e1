"""The groups the platform's roles map to (names as the district uses them). Created by
a data migration; their members are managed in the admin."""

ORGANISERS = "Ban tổ chức"
JUDGES = "Ban giám khảo"
EDITORS = "Editors"  # Wagtail's own group (page editing); not created here
UNIT_OFFICERS = "Cán bộ đơn vị"
SUPERVISORS = "Giám sát (Mặt trận, đoàn thể)"
EMULATION_COUNCIL = "Hội đồng Thi đua - Khen thưởng"
WARD_STAFF = "Cán bộ phường (một cửa)"  # enter reports for residents without e-mail

STANDING_COMMITTEE = "Thường trực"  # receives the weekly inspection report

ALL = [ORGANISERS, JUDGES, UNIT_OFFICERS, SUPERVISORS, EMULATION_COUNCIL, WARD_STAFF]


def in_group(user, name) -> bool:
    """Group membership, read once per request (the user object lives for one request)."""
    names = getattr(user, "_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._group_names = names
    return name in names


def is_organiser(user) -> bool:
    return user.is_superuser or in_group(user, ORGANISERS)


# Groups that must use two-factor sign-in unless an organiser relaxes it (site settings →
# Security): the people who decide, score, vote or answer for a unit. Superusers always must.
TWO_FACTOR_REQUIRED = [ORGANISERS, JUDGES, EMULATION_COUNCIL, UNIT_OFFICERS]


def grant(apps, group_name, permissions):
    """For data migrations: give the group `group_name` these (app_label, codename)
    permissions, creating Django's permissions first (on a fresh database they are only
    made after all migrations)."""
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        models_module, config.models_module = getattr(config, "models_module", None), True
        try:
            create_permissions(config, apps=apps, verbosity=0)
        finally:
            config.models_module = models_module
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in permissions:
        # A permission that does not exist is a mistake in the list, not something to skip.
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
