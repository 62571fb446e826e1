"""Reads of ideas that pages share: the gallery with its filters and sorts, an idea's
timeline, the moderation queue, the selected ideas of a call, what the public page
says of the author."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.judging.queries import in_blind_scoring
from referrals.models import Referral, ReferralStep
from tayho_site import pagetree
from tayho_site.submissions import (
    hash_token,
)
from tayho_site.text import query_words

from .models import Idea, IdeaCallPage

PAGE_SIZE = 12


SORTS = {"moi-nhat": ("-published_at", "-pk"), "nhieu-ung-ho": ("-supporters", "-published_at", "-pk")}


def public_author_name(idea: Idea):
    """Who the idea's public page says sent it (their name if they chose to show it), or
    None while a blind judging round scores the idea: a judge who looks the idea up by
    its title must not learn who wrote it."""
    if in_blind_scoring(idea):
        return None
    author = getattr(idea, "author", None)
    return author.shown_name if author else _("A resident (anonymous)")


def idea_for_token(access_token: str):
    return (
        Idea.objects.select_related("call", "sector", "ward", "author")
        .filter(access_token_hash=hash_token(access_token))
        .first()
    )


def idea_by_code(code: str):
    """The idea an organiser names by its code ("YT-0012", "yt-12", "12"), or None."""
    digits = (code or "").strip().upper().removeprefix("YT-").lstrip("0") or "0"
    return Idea.objects.filter(pk=int(digits)).first() if digits.isdigit() else None


def selected_ideas(call: IdeaCallPage):
    return (
        Idea.objects.filter(call=call, status=Idea.Status.PUBLISHED, selected_at__isnull=False)
        .select_related("sector", "ward")
        .order_by("-supporters", "pk")
    )


def referral_of(idea: Idea):
    return (
        Referral.objects.filter(subject_type=ContentType.objects.get_for_model(Idea), subject_id=str(idea.pk))
        .select_related("unit", "commitment")
        .order_by("-pk")
        .first()
    )


def published_ideas():
    return Idea.objects.filter(status=Idea.Status.PUBLISHED)


def calls_of(index):
    """The public live calls under the gallery `index`, newest first, to send an idea to:
    pages, kept while the tree is unchanged."""
    return pagetree.keep(
        ("idea-calls", index.pk),
        lambda: tuple(pagetree.public(IdeaCallPage.objects.live().child_of(index)).order_by("-opens_at")),
    )


def gallery(*, index=None, call=None, sector=None, ward=None, stage=None, query="", sort="moi-nhat"):
    """Published ideas of live, public calls (under `index`, or of one `call`), filtered and
    sorted for the gallery. The query is folded like the stored text, so "ho tay" finds
    "Hồ Tây".

    The live calls are read first (one query, kept while the page tree is unchanged) and
    their ids written into the ideas' query: PostgreSQL then sees how many ideas match
    and, for a word that thousands hold, reads the newest first until the page is full
    instead of sorting them all (a join to the pages left it guessing a handful). One
    `call`'s page needs no such query."""
    if call is not None:
        under_index = index is None or call.path.startswith(index.path)
        call_ids = [call.pk] if call.live and under_index else []
    else:

        def live_calls():
            # A private call's ideas are not shown to everyone either.
            calls = pagetree.public(IdeaCallPage.objects.live())
            if index is not None:
                calls = calls.filter(path__startswith=index.path)
            return tuple(calls.values_list("pk", flat=True))

        # Pages: kept while the tree is unchanged.
        call_ids = pagetree.keep(("live-idea-calls", getattr(index, "path", None)), live_calls)
    ideas = published_ideas().filter(call_id__in=call_ids).select_related("sector", "ward")
    if sector:
        ideas = ideas.filter(sector=sector)
    if ward:
        ideas = ideas.filter(ward=ward)
    if stage:
        ideas = ideas.filter(stage=stage)
    for word in query_words(query):
        ideas = ideas.filter(search_folded__contains=f" {word}")
    return ideas.order_by(*SORTS.get(sort, SORTS["moi-nhat"]))


def _on(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def timeline(idea: Idea, referral=None, tracking=None) -> list[dict]:
    """Every public step of an idea, oldest first: its own events and each step of its
    referrals (referred, transferred from → to with the reason, answered), then, from the
    `tracking` of its public commitment (referrals.queries.tracking), each progress report
    and each milestone (done, overdue or to come). Two queries."""
    rows = [
        {"at": event.at, "kind": event.kind, "label": event.get_kind_display(), "text": event.text}
        for event in idea.events.all()
    ]
    steps = (
        ReferralStep.objects.filter(
            referral__subject_type=ContentType.objects.get_for_model(Idea),
            referral__subject_id=str(idea.pk),
        )
        .exclude(kind=ReferralStep.Kind.REMINDED)
        .select_related("from_unit", "to_unit", "referral")
    )
    for step in steps:
        rows.append(
            {
                "at": step.at,
                "kind": step.kind,
                "label": step.get_kind_display(),
                "text": step.text,
                "from_unit": step.from_unit.name if step.from_unit else "",
                "to_unit": step.to_unit.name if step.to_unit else "",
                "due_on": step.referral.due_on if step.kind == ReferralStep.Kind.REFERRED else None,
                "outcome": step.referral.get_outcome_display() if step.kind == ReferralStep.Kind.ANSWERED else "",
            }
        )
    if tracking:
        for report in tracking["reports"]:
            rows.append(
                {
                    "at": _on(report["date"]),
                    "kind": "report",
                    "label": _("Progress report"),
                    "text": report["narrative"],
                    "percent": report["percent"],
                    "photo": report.get("photo", ""),
                    "date": report["date"],
                }
            )
        for milestone in tracking["milestones"]:
            rows.append(
                {
                    "at": _on(milestone["done_on"] or milestone["due_on"]),
                    "kind": "milestone",
                    "label": _("Milestone"),
                    "text": milestone["title"],
                    "due_on": milestone["due_on"],
                    "done_on": milestone["done_on"],
                    "overdue": milestone["overdue"],
                }
            )
    return sorted(rows, key=lambda row: row["at"])


def moderation_queue():
    return Idea.objects.filter(Q(status=Idea.Status.PENDING)).select_related("call", "sector").order_by("created_at")


def to_screen_count() -> int:
    """Ideas confirmed by their authors and waiting for the organisers' screening."""
    return Idea.objects.filter(status=Idea.Status.PENDING).count()
