import os

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from tayho_site.models import HomePage
from tests.support.clients import StaffClient


def running_on_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


def required_service_missing(reason):
    """CI must exercise every part; a developer's laptop may lack a service."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture
def home(db):
    """A home page that is the default site's root, as after load_demo."""
    existing = HomePage.objects.first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    home = HomePage(title="Khát vọng Tây Hồ", slug="trang-chu")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-admin", stdout=open(os.devnull, "w"))
    return HomePage.objects.get()


@pytest.fixture
def client():
    return StaffClient()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives a test's rolled-back transaction; start each test without it."""
    from django.core.cache import cache

    def clear():
        # On Redis, delete only this suite's keys (its prefix), never the whole database.
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")
        else:
            cache.clear()

    clear()
    yield
    clear()


def ensure_wagtail_tree():
    """What Wagtail's data migrations create: a locale, the root collection, the root
    page with a welcome page, and the default site. A flush removes them."""
    from django.conf import settings
    from wagtail.models import Collection, Locale

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        welcome = root.add_child(instance=Page(title="Welcome", slug="home", locale=locale))
        Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)


@pytest.fixture(autouse=True)
def wagtail_tree(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        ensure_wagtail_tree()


@pytest.fixture
def tree():
    """A small unit tree: the district, two offices and the Fatherland Front."""
    from emulation.models import Unit, UnitKind

    kind = UnitKind.objects.create(name="Cơ quan")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    unit_a = district.add_child(name="Phòng A", kind=kind)
    unit_b = district.add_child(name="Phòng B", kind=kind)
    front = district.add_child(name="Mặt trận Tổ quốc", kind=kind)
    return {"district": district, "a": unit_a, "b": unit_b, "front": front}
