import pytest

from tayho_site.search import search_pages
from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home):
    index = NewsIndexPageFactory(parent=home, title="Tin tức")
    contest = StandardPageFactory(
        parent=home, title="Cuộc thi viết Khát vọng Tây Hồ", slug="cuoc-thi", intro="Tìm kiếm ý tưởng hay cho quận."
    )
    buck = NewsPageFactory(
        parent=index,
        title="Chấm dứt tình trạng né tránh",
        slug="ne-tranh",
        intro="Không để cán bộ đùn đẩy trách nhiệm.",
        body=[("paragraph", "<p>Đẩy việc lòng vòng giữa các đơn vị.</p>")],
    )
    unrelated = NewsPageFactory(parent=index, title="Lễ hội hoa đào Nhật Tân", slug="hoa-dao")
    return {"contest": contest, "buck": buck, "unrelated": unrelated}


def titles(outcome):
    return [page.title for page in outcome.results]


@pytest.mark.parametrize("query", ["khat vong tay ho", "Khát vọng Tây Hồ", "KHAT VONG", "tây ho"])
def test_title_found_with_or_without_diacritics(pages, query):
    outcome = search_pages(query)
    assert "Cuộc thi viết Khát vọng Tây Hồ" in titles(outcome)
    assert "Lễ hội hoa đào Nhật Tân" not in titles(outcome)
    assert not outcome.partial


@pytest.mark.parametrize("query", ["dun day", "đùn đẩy", "Dun Day"])
def test_d_with_stroke_folds_to_d(pages, query):
    assert titles(search_pages(query)) == ["Chấm dứt tình trạng né tránh"]


def test_body_text_is_searched(pages):
    assert titles(search_pages("long vong")) == ["Chấm dứt tình trạng né tránh"]


def test_a_mistyped_syllable_falls_back_to_pages_with_some_of_the_words(pages):
    outcome = search_pages("dung day")
    assert outcome.partial
    assert "Chấm dứt tình trạng né tránh" in titles(outcome)


def test_drafts_are_not_found(home):
    NewsPageFactory(parent=NewsIndexPageFactory(parent=home), title="Dự thảo chưa công bố", publish=False)
    assert titles(search_pages("du thao")) == []


def test_empty_and_overlong_queries(pages):
    assert search_pages("   ").results is None
    outcome = search_pages("khat vong " + "x" * 500)
    assert len(outcome.query) == 200


def test_search_page_renders_results_and_counts(client, pages, django_assert_max_num_queries):
    client.get("/tim-kiem/?q=cuoc+thi+viet")
    with django_assert_max_num_queries(15):
        response = client.get("/tim-kiem/?q=cuoc+thi+viet")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 kết quả cho “cuoc thi viet”" in html
    assert f'href="{pages["contest"].url}"' in html


def test_search_page_says_when_nothing_is_found(client, pages):
    html = client.get("/tim-kiem/?q=xyzxyz").content.decode()
    assert "Không tìm thấy kết quả nào cho “xyzxyz”" in html


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'\"(",
        "\x00",
        "tây\x00hồ",
        'hồ "tây',
        "*",
        "NEAR(a b)",
        "a OR",
        "-x",
        "^",
        "{title}: x",
        "\\",
        "'",
        "\x1b[31m",
        "\ufeff",
    ],
)
def test_whatever_is_typed_gets_results_or_none_never_an_error(client, pages, query):
    """What a web scanner sent to /tim-kiem/ (full-text syntax, quotes, a NUL byte)."""
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_search_words_only_reach_the_index(pages):
    outcome = search_pages('"đùn\x00 đẩy" OR (né*')
    assert outcome.folded == "dun day or ne"
    assert "Chấm dứt tình trạng né tránh" in titles(outcome)
