"""Whatever a visitor types into a public page's search box, filters, page numbers or
links, the page answers (results, "no results", a redirect or a 404), never with an
error: every public page of the demo site, each with random values for every parameter
it reads (and a few it does not)."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FILTERS = ["q", "linh_vuc", "phuong", "tinh_trang", "sap_xep", "page"]
BOARD = ["q", "nam", "danh_hieu", "don_vi", "page"]

# (path, the GET parameters the page reads). "{x}" is a part of the path itself, drawn too.
PAGES = [
    ("/", []),
    ("/tim-kiem/", ["q", "page"]),
    ("/en/tim-kiem/", ["q", "page"]),
    ("/gioi-thieu/", []),
    ("/tin-tuc/", ["page"]),
    ("/tin-tuc/quan-uy-tay-ho-trien-khai-chi-thi-24/", []),
    ("/cuoc-thi/", []),
    ("/cuoc-thi/khat-vong-tay-ho/", []),
    ("/cuoc-thi/khat-vong-tay-ho/gui-bai/", ["kiem-tra"]),
    ("/cuoc-thi/khat-vong-tay-ho/gui-bai/da-gui/", []),
    ("/y-tuong/", FILTERS),
    ("/y-tuong/hom-thu-y-tuong/", FILTERS),
    ("/y-tuong/ven-ho-tay/", FILTERS),
    ("/y-tuong/hom-thu-y-tuong/gui-y-tuong/", ["kiem-tra"]),
    ("/y-tuong/trach-nhiem/", []),
    ("/y-tuong/{idea}/", []),
    ("/phong-trao-chi-thi-24/", []),
    ("/vinh-danh/", BOARD),
    ("/vinh-danh/feed/", []),
    ("/vinh-danh/api/", ["page"]),
    ("/vinh-danh/{profile}/", []),
    ("/vinh-danh/xac-minh/{text}/", []),
    ("/vinh-danh/chung-nhan/{text}/", []),
    ("/bai-du-thi/{text}/", []),
    ("/ho-so-y-tuong/{text}/", []),
]

TRICKY = "\"'()[]{}*:^-+~|&!<>=@%_\\/;,.?#\x00\x01\t\r\n\x7f\u200b\ufeff\u0301đĐ"
VALUES = st.one_of(
    st.text(max_size=40),  # any Unicode, NUL and control characters included
    st.text(alphabet=TRICKY + "ab ơ", max_size=20),  # full-text syntax, quotes, brackets
    st.text(alphabet='xyz "(', min_size=300, max_size=3000),  # very long
    st.integers().map(str),  # numbers of any size and sign
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "2",
            "-1",
            "1.5",
            "1e9",
            "9" * 30,
            "NaN",
            "null",
            "moi-nhat",
            "nhieu-ung-ho",
            "cau-hoi",
            "proposed",
            "done",
            "2026",
            "%00",
        ]
    ),
    st.sampled_from(['"', "'\"(", "\x00", "hồ\x00tây"]),  # what a web scanner sent
)


EXAMPLES = 25  # each visits every page: about half a second a page on SQLite


def real_ids():
    """Ids that exist, so that valid filters meet random ones."""
    from emulation.honours.models import HonourCategory
    from emulation.models import Unit
    from ideas.models import Sector
    from tayho_site.models import Ward

    return [
        str(pk)
        for model in (Sector, Ward, HonourCategory, Unit)
        for pk in model.objects.values_list("pk", flat=True)[:3]
    ]


def path_parts():
    """What the "{…}" parts of PAGES' paths are drawn from: real records and anything else."""
    from emulation.honours.models import Honour
    from ideas.models import Idea

    return {
        "idea": st.sampled_from([str(pk) for pk in Idea.objects.values_list("pk", flat=True)])
        | st.integers(min_value=0, max_value=10**30).map(str),
        "profile": st.sampled_from([honour.profile_key for honour in Honour.objects.all()])
        | st.builds("{}{}".format, st.sampled_from("puh"), st.integers(0, 10**18 - 1)),
        "text": VALUES.map(lambda text: quote(text, safe="")),
    }


def queries(names):
    """Random values for each parameter the page reads (sometimes given twice), and
    perhaps for "page" and for one it does not read."""
    values = st.lists(VALUES | st.sampled_from(real_ids()), min_size=1, max_size=2)
    return st.fixed_dictionaries(
        {name: values for name in names},
        optional={name: values for name in ("page", "utm_source") if name not in names},
    )


# Each example visits every page. The demo site is built once for all the examples (a
# function-scoped fixture, hence the health check's warning): they only read (GET), so
# none changes what the next one finds.
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_public_pages_never_fail_whatever_the_input(client, demo, data):
    parts = path_parts()
    for path, names in PAGES:
        url = path.format(
            **{
                name: data.draw(strategy, label=f"{path} {name}")
                for name, strategy in parts.items()
                if f"{{{name}}}" in path
            }
        )
        query = data.draw(queries(names), label=f"{url} ?")
        response = client.get(url, query)
        assert response.status_code in (200, 301, 302, 404), (url, query, response.status_code)
