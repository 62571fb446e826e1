"""Public list pages drawn on every request (staff signed in, filters, a page cache that is
off or cold) read from the database only what can change without the page tree changing:
the ideas, the commitments. What follows from the tree (the page itself, its view
restrictions, the site's settings, the news items, a contest's categories, a movement's
manifestations, the gallery's empty filter form) is kept in each process, and any change
to it is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# Queries of a page drawn in a process that has served it before (the page cache off, as
# in the test settings). Before the tree's reads were kept: 11, 7, 6, 6 and 4.
BUDGETS = {
    "idea gallery": 2,  # the count and the twelve newest ideas
    "news": 0,
    "movement": 1,  # the public commitments
    "contest": 0,
    "honour board": 1,  # its own cache's version
}


def _urls():
    from contest.models import ContestPage
    from emulation.honours.models import HonourIndexPage
    from emulation.models import MovementPage
    from ideas.models import IdeaIndexPage
    from tayho_site.models import NewsIndexPage

    return {
        "idea gallery": IdeaIndexPage.objects.live().get().url,
        "news": NewsIndexPage.objects.live().get().url,
        "movement": MovementPage.objects.live().first().url,
        "contest": ContestPage.objects.live().filter(slug="khat-vong-tay-ho").get().url,
        "honour board": HonourIndexPage.objects.live().get().url,
    }


@pytest.mark.parametrize("name", list(BUDGETS))
def test_a_list_page_drawn_again_reads_only_what_the_tree_does_not_hold(
    client, demo, name, django_assert_max_num_queries
):
    url = _urls()[name]
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200


def _read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), " ".join(q["sql"] for q in queries.captured_queries)


def test_a_new_sector_shows_in_the_gallery_filters_at_once(client, demo):
    from ideas.models import Sector

    url = _urls()["idea gallery"]
    client.get(url)
    html, read = _read(client, url)
    assert 'FROM "ideas_sector"' not in read and 'name="linh_vuc"' in html
    sector = Sector.objects.create(name="Du lịch cộng đồng", sort_order=99)
    html, _ = _read(client, url)
    assert f'<option value="{sector.pk}">Du lịch cộng đồng</option>' in html
    sector.name = "Du lịch đêm"
    sector.save()
    assert "Du lịch đêm" in client.get(url).content.decode()


def test_a_chosen_filter_is_shown_chosen(client, demo):
    from ideas.models import Sector

    sector = Sector.objects.order_by("pk").first()
    url = _urls()["idea gallery"]
    client.get(url)
    html = client.get(url, {"linh_vuc": sector.pk}).content.decode()
    assert f'<option value="{sector.pk}" selected>' in html
    # The empty form is drawn for the next visitor, not the chosen one.
    assert f'<option value="{sector.pk}" selected>' not in client.get(url).content.decode()


def test_a_new_call_and_a_closed_one_show_in_the_gallery_at_once(client, demo):
    from ideas.models import IdeaCallPage

    url = _urls()["idea gallery"]
    call = IdeaCallPage.objects.live().first()
    assert call.title in client.get(url).content.decode()
    call.unpublish()
    assert call.title not in client.get(url).content.decode()


def test_a_call_made_private_leaves_the_gallery_at_once(client, demo):
    from wagtail.models import PageViewRestriction

    from ideas.models import Idea, IdeaCallPage

    url = _urls()["idea gallery"]
    call = IdeaCallPage.objects.live().filter(ideas__status=Idea.Status.PUBLISHED).distinct().first()
    assert call.title in client.get(url).content.decode()
    idea = Idea.objects.filter(call=call, status=Idea.Status.PUBLISHED).first()
    assert idea.title in client.get(url).content.decode()
    restriction = PageViewRestriction.objects.create(page=call, restriction_type=PageViewRestriction.LOGIN)
    gallery = client.get(url).content.decode()
    assert call.title not in gallery and idea.title not in gallery  # nor the ideas sent to it
    restriction.delete()
    gallery = client.get(url).content.decode()
    assert call.title in gallery and idea.title in gallery


def test_news_added_changed_or_unpublished_show_at_once(client, demo):
    from tayho_site.models import NewsIndexPage
    from tests.factories import NewsPageFactory

    index = NewsIndexPage.objects.live().get()
    client.get(index.url)
    item = NewsPageFactory(parent=index, title="Ra quân làm sạch hồ")
    assert "Ra quân làm sạch hồ" in client.get(index.url).content.decode()
    item.title = "Ra quân làm sạch Hồ Tây"
    item.save_revision().publish()
    assert "Ra quân làm sạch Hồ Tây" in client.get(index.url).content.decode()
    item.unpublish()
    assert "Ra quân làm sạch Hồ Tây" not in client.get(index.url).content.decode()


def test_a_contests_categories_and_a_movements_manifestations_follow_their_page(client, demo):
    from contest.models import ContestPage
    from emulation.models import MovementPage

    contest = ContestPage.objects.live().filter(slug="khat-vong-tay-ho").get()
    client.get(contest.url)
    category = contest.categories.first()
    category.name = "Bút ký về phường em"
    category.save()
    contest.save_revision().publish()  # categories are edited with their page
    assert "Bút ký về phường em" in client.get(contest.url).content.decode()

    movement = MovementPage.objects.live().first()
    client.get(movement.url)
    manifestation = movement.manifestations.first()
    manifestation.text = "Đùn đẩy việc cho nhau"
    manifestation.save()
    movement.save_revision().publish()
    assert "Đùn đẩy việc cho nhau" in client.get(movement.url).content.decode()


def test_a_page_in_preview_shows_its_own_unsaved_categories(demo):
    from contest.models import ContestCategory, ContestPage
    from tayho_site import pagetree

    contest = ContestPage.objects.live().filter(slug="khat-vong-tay-ho").get()
    saved = [category.name for category in pagetree.children(contest, "categories")]
    assert saved
    contest.categories = [ContestCategory(name="Thể loại mới")]  # in memory, as Wagtail's preview has it
    assert [category.name for category in pagetree.children(contest, "categories")] == ["Thể loại mới"]
    fresh = ContestPage.objects.get(pk=contest.pk)
    assert [category.name for category in pagetree.children(fresh, "categories")] == saved


def test_a_changed_picture_changes_the_trees_version(db):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from tayho_site.pagetree import TREE
    from tests.factories import png_bytes

    image = get_image_model().objects.create(
        title="Hồ Tây", file=SimpleUploadedFile("ho-tay.png", png_bytes(), content_type="image/png")
    )
    before = TREE.current()
    image.title = "Hồ Tây lúc bình minh"
    image.save()
    assert TREE.current() != before


def test_a_page_served_from_memory_is_each_requests_own(rf, home):
    from wagtail.models import Page

    from tests.factories import StandardPageFactory

    page = StandardPageFactory(parent=home, title="Giới thiệu", slug="gioi-thieu")

    def served():
        return Page.route_for_request(rf.get(page.url), page.url)[0]

    first, second = served(), served()  # the first finds it level by level, the second from memory
    assert first.pk == second.pk == page.pk and first is not second
    second.title = "Đổi trong lúc phục vụ"  # a view marking the page it serves
    assert served().title == "Giới thiệu"
