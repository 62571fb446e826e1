"""Similar texts: a passage copied (with or without diacritics) is found, within a round
and against what earlier rounds judged; unrelated texts are not paired."""

import random

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging.similarity import passages, similar_pairs
from tayho_site.text import fold

WORDS = "hồ tây quận phường người dân đô thị văn minh xanh sạch đẹp đi bộ ven hồ cây du lịch làng nghề đào".split()


def essay(rng, n=300):
    return " ".join(rng.choices(WORDS, k=n))


# Essays as the contest asks for them (about a thousand words), a copied passage of at least
# 40 % of one: fingerprints are sampled one in eight, so a shorter passage in a short text
# leaves too few shared fingerprints to tell a copy from chance (120 copied words of 240
# once shared only 6 of 26).
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), keep=st.integers(400, 1000))
def test_a_copied_passage_is_found_whatever_surrounds_it(seed, keep):
    rng = random.Random(seed)
    source = essay(rng, 1000)
    copy = essay(rng, 200) + " " + " ".join(source.split()[:keep]) + " " + essay(rng, 200)
    texts = {"a": source, "b": copy, "c": essay(rng, 1000), "d": essay(rng, 1000)}
    pairs = similar_pairs(texts, threshold=0.3)
    assert {frozenset((p.a, p.b)) for p in pairs} == {frozenset("ab")}


def test_without_diacritics_against_earlier_rounds_never_within_them():
    rng = random.Random(3)
    source = essay(rng)
    pairs = similar_pairs({"new": fold(source).upper()}, against={"old": source, "old-copy": source})
    assert {(p.a, p.b) for p in pairs} == {("new", "old"), ("new", "old-copy")}


def test_the_shared_passages_are_shown_as_written_on_each_side():
    first = "<p>Mở đầu khác hẳn. Quận Tây Hồ cần một lối đi bộ liền mạch quanh hồ cho người dân và du khách.</p>"
    second = "Lời ngỏ. Quan Tay Ho can mot loi di bo lien mach quanh ho cho nguoi dan va du khach, het."
    [(mine, theirs)] = passages(first, second)
    assert mine.startswith("Quận Tây Hồ") and mine.endswith("du khách")
    assert theirs.startswith("Quan Tay Ho") and theirs.endswith("du khach")


@pytest.mark.django_db
def test_the_round_page_lists_an_entry_copied_from_an_earlier_contest(client, round_, judges, home):
    import datetime

    from django.utils import timezone

    from contest.judging import actions as judging_actions
    from contest.judging.models import Criterion, Round
    from contest.models import Entry
    from tests.factories import ContestPageFactory, make_entries

    rng = random.Random(8)
    text = essay(rng, 200)
    copied = Entry.objects.get(pk=round_.items.order_by("pk").first().object_id)
    Entry.objects.filter(pk=copied.pk).update(body=f"<p>{text}</p>")
    earlier = ContestPageFactory(parent=home, title="Cuộc thi năm trước", slug="nam-truoc", code_prefix="KVTH25")
    [old] = make_entries(earlier, 1)
    Entry.objects.filter(pk=old.pk).update(body=f"<p>{fold(text)}</p>")
    now = timezone.now()
    old_round = Round.objects.create(
        call=earlier, name="Vòng năm trước", scoring_opens_at=now, scoring_closes_at=now + datetime.timedelta(days=1)
    )
    Criterion.objects.create(round=old_round, name="Ý tưởng", max_points=10)
    judging_actions.add_items(old_round, [old])
    client.force_login(get_user_model().objects.create_superuser("btc", password="mat-khau-dai-123"))
    html = client.get(f"/admin/judging/{round_.pk}/similar/").content.decode()
    assert "Vòng năm trước" in html and copied.tracking_code in html and old.tracking_code in html
    assert " ".join(text.split()[:8]) in html  # the passage, side by side


@pytest.mark.django_db
def test_entries_of_other_contests_and_ideas_never_judged_are_compared_too(
    client, round_, judges, home, django_assert_max_num_queries
):
    import datetime

    from django.utils import timezone

    from contest.judging import queries as judging_queries
    from contest.models import Entry
    from ideas.models import Idea, IdeaCallPage, IdeaIndexPage, Sector
    from tests.factories import ContestPageFactory, make_entries, published_idea

    rng = random.Random(21)
    from_contest, from_idea, unrelated = essay(rng, 200), essay(rng, 200), essay(rng, 200)
    first, second, third = (Entry.objects.get(pk=item.object_id) for item in round_.items.order_by("pk")[:3])
    Entry.objects.filter(pk=first.pk).update(body=f"<p>{from_contest}</p>")
    Entry.objects.filter(pk=second.pk).update(body=f"<p>{from_idea}</p>")
    Entry.objects.filter(pk=third.pk).update(body=f"<p>{unrelated}</p>")
    earlier = ContestPageFactory(parent=home, title="Cuộc thi năm trước", slug="nam-truoc", code_prefix="KVTH25")
    [old] = make_entries(earlier, 1)  # never put in a round
    Entry.objects.filter(pk=old.pk).update(body=f"<p>{fold(from_contest)}</p>")
    index = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
    home.add_child(instance=index)
    call = IdeaCallPage(title="Hòm thư ý tưởng", slug="hom-thu", opens_at=timezone.now() - datetime.timedelta(days=1))
    index.add_child(instance=call)
    idea = published_idea(call, Sector.objects.create(name="Môi trường"), title="Một ý tưởng")
    Idea.objects.filter(pk=idea.pk).update(proposal=from_idea)

    with django_assert_max_num_queries(40):
        pairs = judging_queries.similar_texts(round_)
    found = {(pair["item"].object_id, pair["other_reference"]) for pair in pairs}
    assert (first.pk, old.tracking_code) in found and (second.pk, idea.code) in found
    assert not any(pair["item"].object_id == third.pk for pair in pairs)
    client.force_login(get_user_model().objects.create_superuser("btc", password="mat-khau-dai-123"))
    html = client.get(f"/admin/judging/{round_.pk}/similar/").content.decode()
    assert "Cuộc thi năm trước" in html and old.tracking_code in html
    assert "Hòm thư ý tưởng" in html and idea.code in html
    assert " ".join(from_idea.split()[:8]) in html  # the passage, side by side
