"""Reads of honours that pages share: a ballot's tally and who voted, the public board
and a person's honours, the board's cache version, and the suggestions the movement's own
data makes (verified commitments, sustained excellent months)."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site import roles
from tayho_site.dashboard import WorkItem
from tayho_site.text import query_words

from ..models import CadreRating, Commitment, Person
from .models import Honour, HonourSettings, Nomination, Vote
from .permissions import is_council_member, nominating_units
from .suggestions import registered as registered_suggestions

SUSTAINED_MONTHS = 3  # consecutive finalised months rated excellent before the system suggests an honour


@dataclass
class Tally:
    approve: int
    reject: int
    abstain: int
    members: int
    needed: int

    @property
    def voted(self):
        return self.approve + self.reject + self.abstain

    @property
    def passed(self):
        return self.members > 0 and self.approve >= self.needed


def council_size() -> int:
    return get_user_model().objects.filter(groups__name=roles.EMULATION_COUNCIL, is_active=True).count()


def pass_share() -> Decimal:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return HonourSettings.for_site(site).pass_share if site else Decimal("0.5")


def approvals_needed(members: int, share: Decimal) -> int:
    """More approvals than `share` of the members (exact decimals: 0.57 × 100 needs 58);
    a share of 1 means every member."""
    if members <= 0:
        return 1
    return min(members, int((Decimal(share) * members).to_integral_value(rounding=ROUND_FLOOR)) + 1)


def tally(nomination) -> Tally:
    nomination = Nomination.objects.get(pk=nomination.pk)
    if nomination.secret_ballot:
        counts = {
            "approve": nomination.secret_approve,
            "reject": nomination.secret_reject,
            "abstain": nomination.secret_abstain,
        }
    else:
        counts = nomination.votes.aggregate(
            approve=Count("pk", filter=Q(choice=Vote.Choice.APPROVE)),
            reject=Count("pk", filter=Q(choice=Vote.Choice.REJECT)),
            abstain=Count("pk", filter=Q(choice=Vote.Choice.ABSTAIN)),
        )
    members = nomination.council_size if nomination.council_size is not None else council_size()
    return Tally(members=members, needed=approvals_needed(members, pass_share()), **counts)


def voters_count(nomination) -> int:
    return nomination.voters.count()


def open_votes(nomination):
    """Who voted how — for an open ballot only. A secret ballot never says (read afresh:
    the flag is set when voting opens)."""
    if Nomination.objects.filter(pk=nomination.pk, secret_ballot=True).exists():
        return []  # and there are no rows to show
    return list(nomination.votes.select_related("member").order_by("member__username"))


def board_version() -> str:
    """Changes whenever an honour is published or revoked, read from the database (one
    query), so every server agrees at once — with or without a shared cache."""
    latest = Honour.objects.aggregate(
        count=Count("pk"), published=Max("published_at"), revoked=Max("revoked_at"), revocations=Count("revoked_at")
    )
    stamp = "-".join(
        str(latest[key].timestamp() if hasattr(latest[key], "timestamp") else latest[key])
        for key in ("count", "published", "revoked", "revocations")
    )
    return stamp


def published():
    return Honour.objects.filter(revoked_at__isnull=True)


def board(*, year=None, category=None, unit=None, ward=None, query=""):
    honours = published().select_related("category", "unit", "photo")
    if year:
        honours = honours.filter(year=year)
    if category:
        honours = honours.filter(category=category)
    if unit:
        honours = honours.filter(unit__path__startswith=unit.path)
    if ward:
        honours = honours.filter(ward=ward)
    for word in query_words(query):
        honours = honours.filter(search_folded__contains=f" {word}")
    return honours


def profile(key: str):
    """The published honours of a person page's subject, newest first."""
    kind, number = key[0], int(key[1:])
    if number > 2**62:
        return []
    field = {"p": "person_id", "u": "unit_id", "h": "pk"}[kind]
    honours = published().filter(**{field: number}).select_related("category", "unit", "photo")
    if kind == "u":
        honours = honours.filter(collective=True)
    return list(honours)


# Merits confirmed in the monthly evaluations (e.g. answers residents confirmed as
# resolved) within one calendar year before the system suggests an honour.
MERITS_FOR_SUGGESTION = 3


def suggestions(today=None) -> list[dict]:
    """Nominations worth proposing that nobody has proposed yet: verified commitments,
    people rated excellent for SUSTAINED_MONTHS finalised months in a row (within the
    last year), and people with MERITS_FOR_SUGGESTION merits confirmed in the monthly
    evaluations of this year or the last; then those the sources other apps register
    (suggestions.py) give."""
    from ..evaluation import EXCELLENT
    from ..periods import months_back

    taken = set(
        Nomination.objects.exclude(status=Nomination.Status.WITHDRAWN)
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    )
    out = []
    for commitment in (
        Commitment.objects.filter(status=Commitment.Status.VERIFIED_DONE, public=True)
        .select_related("unit", "person")
        .order_by("-deadline")[:200]
    ):
        key = f"commitment:{commitment.pk}"
        if key not in taken:
            out.append(
                {
                    "key": key,
                    "source": Nomination.Source.COMMITMENT,
                    "person": commitment.person,
                    "unit": commitment.unit,
                    "note": commitment.title,
                    "year": commitment.year,
                }
            )
    today = today or timezone.localdate()
    first = months_back(today.replace(day=1), 12)[0]
    runs = {}
    for person_id, month, band in (
        CadreRating.objects.filter(unit_month__finalised_at__isnull=False, unit_month__month__gte=first)
        .order_by("person_id", "unit_month__month")
        .values_list("person_id", "unit_month__month", "head_rating")
    ):
        run = runs.setdefault(
            person_id, {"length": 0, "best": 0, "last": None, "end": None, "start": None, "run_start": None}
        )
        consecutive = (
            run["last"] is not None
            and (month.year * 12 + month.month) - (run["last"].year * 12 + run["last"].month) == 1
        )
        run["length"] = (run["length"] + 1 if consecutive else 1) if band == EXCELLENT else 0
        if run["length"] == 1:
            run["run_start"] = month
        run["last"] = month
        if run["length"] >= SUSTAINED_MONTHS and run["length"] > run["best"]:
            run["best"], run["end"], run["start"] = run["length"], month, run["run_start"]
    people = Person.objects.in_bulk([pk for pk, run in runs.items() if run["end"]])
    for person_id, run in runs.items():
        if not run["end"]:
            continue
        key = f"ratings:{person_id}:{run['start']:%Y-%m}"  # the run, however long it grows
        if key not in taken and person_id in people:
            person = people[person_id]
            out.append(
                {
                    "key": key,
                    "source": Nomination.Source.RATINGS,
                    "person": person,
                    "unit": person.unit,
                    "note": _("Rated excellent %(count)s months in a row, to %(month)s")
                    % {"count": run["best"], "month": f"{run['end']:%m/%Y}"},
                    "year": run["end"].year,
                }
            )
    out += merit_suggestions(today, taken)
    out += registered_suggestions(today, taken)
    return out


def merit_suggestions(today, taken) -> list[dict]:
    from ..queries import merit_counts

    out = []
    for year in (today.year - 1, today.year):
        january = today.replace(year=year, month=1, day=1)
        counts = merit_counts((january, january.replace(month=12, day=31)))
        wanted = {
            pk: n for pk, n in counts.items() if n >= MERITS_FOR_SUGGESTION and f"merits:{pk}:{year}" not in taken
        }
        for person in Person.objects.filter(pk__in=wanted).select_related("unit").order_by("full_name"):
            out.append(
                {
                    "key": f"merits:{person.pk}:{year}",
                    "source": Nomination.Source.MERITS,
                    "person": person,
                    "unit": person.unit,
                    "note": _("%(count)s merits confirmed in the monthly evaluations of %(year)s")
                    % {"count": wanted[person.pk], "year": year},
                    "year": year,
                }
            )
    return out


def suggestions_for(user) -> list[dict]:
    """The suggestions a user may act on: those of the units they nominate for."""
    unit_ids = set(nominating_units(user).values_list("pk", flat=True))
    return [s for s in suggestions() if s["unit"] is not None and s["unit"].pk in unit_ids] if unit_ids else []


def awaiting_council() -> dict:
    """Nominations waiting on the council: proposed (to be put to the vote) and being
    voted on. One query."""
    return Nomination.objects.aggregate(
        proposed=Count("pk", filter=Q(status=Nomination.Status.PROPOSED)),
        voting=Count("pk", filter=Q(status=Nomination.Status.VOTING)),
    )


def ballots_to_vote(user):
    """Ballots open that this council member has not voted on yet, oldest first."""
    return (
        Nomination.objects.filter(status=Nomination.Status.VOTING)
        .exclude(voters__member=user)
        .select_related("category")
        .order_by("created_at", "pk")
    )


def to_do(user) -> list:
    """The council member's "what is yours to do": the ballots open that they have not
    voted on; for the organisers, the nominations to put to the vote. Two queries at most."""
    items = []
    if is_council_member(user):
        for nomination in ballots_to_vote(user):
            items.append(
                WorkItem(
                    _("Vote: %(name)s") % {"name": nomination.nominee_name},
                    reverse("honours:nomination", args=[nomination.pk]),
                    None,
                    f"{nomination.category.name} {nomination.year}",
                )
            )
    if roles.is_organiser(user):
        proposed = Nomination.objects.filter(status=Nomination.Status.PROPOSED).select_related("category")
        for nomination in proposed.order_by("created_at", "pk"):
            items.append(
                WorkItem(
                    _("Put to the council's vote: %(name)s") % {"name": nomination.nominee_name},
                    reverse("honours:nomination", args=[nomination.pk]),
                    None,
                    f"{nomination.category.name} {nomination.year}",
                )
            )
    return items
