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


def _tables_read(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_a_second_visit_reads_neither_the_restrictions_nor_the_site_settings(client, nested):
    url = nested[1].url
    client.get(url)
    read = _tables_read(client, url)
    assert '"wagtailcore_pageviewrestriction"' not in read
    assert '"tayho_site_sitesettings"' not in read


def test_a_section_made_private_hides_its_pages_at_once(client, nested):
    from wagtail.models import PageViewRestriction

    parent, child = nested
    assert client.get(child.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(child.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    restriction.delete()
    assert client.get(child.url).status_code == 200


def test_news_in_a_private_section_leave_the_lists_at_once(client, home):
    from wagtail.models import PageViewRestriction

    from tests.factories import NewsIndexPageFactory, NewsPageFactory

    index = NewsIndexPageFactory(parent=home)
    shown = NewsPageFactory(parent=index, title="Tin công khai")
    secret = NewsPageFactory(parent=index, title="Tin nội bộ")
    assert "Tin nội bộ" in client.get(index.url).content.decode()
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    listed = client.get(index.url).content.decode()
    assert shown.title in listed and "Tin nội bộ" not in listed
    assert "Tin nội bộ" not in client.get(home.url).content.decode()


def test_the_site_settings_follow_a_change_at_once(client, nested):
    from tayho_site.models import SiteSettings

    url = nested[1].url
    client.get(url)
    settings = SiteSettings.objects.get()
    settings.organisation = "Ủy ban nhân dân quận Tây Hồ"
    settings.save()
    assert "Ủy ban nhân dân quận Tây Hồ" in client.get(url).content.decode()


def test_each_request_has_its_own_copy_of_the_site_settings(rf, home):
    from tayho_site.models import SiteSettings

    first, second = rf.get("/"), rf.get("/")
    mine, theirs = SiteSettings.for_request(first), SiteSettings.for_request(second)
    assert mine is not theirs and mine.pk == theirs.pk
    assert mine._request is first and theirs._request is second
    assert SiteSettings.for_request(first) is mine
