"""Which page a URL leads to, the menu and the breadcrumbs are kept in each process while
the page tree is unchanged; any change to the tree is seen at once."""

import pytest

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nested(home):
    parent = StandardPageFactory(parent=home, title="Giới thiệu", slug="gioi-thieu")
    child = StandardPageFactory(parent=parent, title="Lịch sử quận", slug="lich-su")
    return parent, child


def test_a_second_visit_finds_the_page_with_fewer_queries(client, nested):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = nested[1].url
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert response.status_code == 200 and "Lịch sử quận" in response.content.decode()
    # One query for the page instead of one per level of its URL; the menu and the
    # breadcrumbs come from memory.
    assert len(second) <= len(first) - 3


def test_a_renamed_page_moves_at_once(client, nested):
    _parent, child = nested
    old_url = child.url
    assert client.get(old_url).status_code == 200
    child.slug = "lich-su-tay-ho"
    child.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(type(child).objects.get(pk=child.pk).url).status_code == 200


def test_an_unpublished_page_is_gone_at_once_and_a_moved_one_follows(client, home, nested):
    parent, child = nested
    url = child.url
    assert client.get(url).status_code == 200
    child.move(home, pos="last-child")
    child = type(child).objects.get(pk=child.pk)
    # The old address now leads to the new one (Wagtail's redirect), not to the page itself.
    moved = client.get(url)
    assert moved.status_code == 301 and moved["Location"] == child.url
    assert child.url != url and client.get(child.url).status_code == 200
    child.unpublish()
    assert client.get(child.url).status_code == 404
    assert client.get(parent.url).status_code == 200


def test_the_menu_and_breadcrumbs_follow_a_new_title(client, nested):
    parent, child = nested
    assert ">Giới thiệu<" in client.get(child.url).content.decode()
    parent.title = "Về quận Tây Hồ"
    parent.save_revision().publish()
    page = client.get(child.url).content.decode()
    assert ">Về quận Tây Hồ<" in page and ">Giới thiệu<" not in page


def test_a_private_page_stays_private_when_reached_from_memory(client, nested):
    from wagtail.models import PageViewRestriction

    _parent, child = nested
    assert client.get(child.url).status_code == 200
    PageViewRestriction.objects.create(page=child, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat")
    response = client.get(child.url)
    assert 'name="password"' in response.content.decode()


def test_the_site_and_its_root_are_found_once_per_process(client, nested):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = nested[1].url
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert not [q for q in second.captured_queries if '"wagtailcore_site"' in q["sql"]]


def test_a_host_that_is_not_allowed_is_still_refused(client, nested, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get(nested[1].url).status_code == 200
    assert client.get(nested[1].url, HTTP_HOST="evil.example").status_code == 400


def test_pages_below_a_routable_page_share_its_entry(client, demo):
    from contest.models import ContestPage

    contest = ContestPage.objects.live().first()
    assert client.get(contest.url).status_code == 200
    assert client.get(contest.url + "gui-bai/").status_code == 200
    assert client.get(contest.url + "khong-co/").status_code == 404
    assert client.get(contest.url).status_code == 200
