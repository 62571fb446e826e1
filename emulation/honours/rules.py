"""The rules of honours: who nominates, the council's vote (open or secret, once each),
the decision, publication and revocation; suggestions from the movement's own data; the
public board's queries. Each change is one transaction with its audit entry."""

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from tayho_site import roles
from tayho_site.audit import record
from tayho_site.sanitize import clean_html, strip_html
from tayho_site.text import query_words, search_words

from ..models import CadreRating, Commitment, Person, Unit
from ..permissions import managed_units
from .models import Evidence, Honour, HonourCategory, HonourSettings, Nomination, Vote, Voter

SUSTAINED_MONTHS = 3  # consecutive finalised months rated excellent before the system suggests an honour
CONTEST_CATEGORY = "Đạt giải cuộc thi viết"


class AlreadyVoted(Exception):
    """This member has voted on this nomination already."""


# --- Who may do what


def is_council_member(user) -> bool:
    return user.is_authenticated and roles.in_group(user, roles.EMULATION_COUNCIL)


def nominating_units(user):
    """Units a user may nominate for: all for organisers, else the units they manage."""
    return Unit.objects.all() if roles.is_organiser(user) else managed_units(user)


def visible_nominations(user):
    """Organisers and council members read every nomination; unit officers those of
    their units; nobody else any (the public sees published honours only)."""
    if roles.is_organiser(user) or is_council_member(user):
        return Nomination.objects.all()
    return Nomination.objects.filter(unit__in=managed_units(user))


def _require_organiser(user):
    if not roles.is_organiser(user):
        raise PermissionDenied


# --- Nominating

_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)|(?<!\d)\d{12}(?!\d)")


def has_contact_details(text: str) -> bool:
    """An e-mail address, a Vietnamese phone number or a 12-digit ID number (CCCD)."""
    return bool(_CONTACT.search(text or ""))



def nominate(*, by, category, year, achievements_html, unit=None, person=None, nominee_name="", collective=False,
             ward=None, source=Nomination.Source.UNIT, source_note="", source_key="", show_photo=False,
             show_position=False, evidence=()) -> Nomination:
    """A unit (or the organisers) proposes a person or a collective for an honour. One
    nomination per source record (a prize, a commitment, a run of months)."""
    if person is not None:
        unit = person.unit
        nominee_name = person.full_name
        collective = False
    if unit is not None and not nominating_units(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if unit is None and not roles.is_organiser(by):
        raise PermissionDenied
    errors = {}
    nominee_name = " ".join(strip_html(nominee_name or "").split())[:200]
    if not nominee_name:
        errors["nominee_name"] = _("Name the person or the collective.")
    if collective and (unit is None or not category.for_collectives):
        errors["category"] = _("This category honours individuals; a collective needs a category for collectives.")
    achievements = clean_html(achievements_html or "")
    if not strip_html(achievements).strip():
        errors["achievements"] = _("Describe the achievements.")
    elif has_contact_details(strip_html(achievements)):
        errors["achievements"] = _("The achievements are published: leave out phone numbers, e-mail addresses and "
                                   "ID numbers.")
    this_year = timezone.localdate().year
    if not 2000 <= int(year) <= this_year:
        errors["year"] = _("Give a year between 2000 and %(year)s.") % {"year": this_year}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if source_key and Nomination.objects.filter(source_key=source_key).exclude(
                status=Nomination.Status.WITHDRAWN).exists():
            raise ValidationError(_("This has been nominated already."))
        nomination = Nomination.objects.create(
            person=person, unit=unit, ward=ward, nominee_name=nominee_name, collective=collective, category=category,
            year=year, achievements=achievements, source=source, source_note=source_note[:300],
            source_key=source_key, proposed_by=by if getattr(by, "is_authenticated", False) else None,
            show_photo=show_photo, show_position=show_position)
        Evidence.objects.bulk_create(Evidence(nomination=nomination, file=upload, name=name[:200])
                                     for upload, name in evidence)
        record("honours.nominate", nomination, actor=by, source=source, category=category.name, year=year)
    return nomination


# --- The council


def open_voting(nomination, *, by, secret: bool) -> Nomination:
    _require_organiser(by)
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != Nomination.Status.PROPOSED:
            raise ValidationError(_("Only a proposed nomination can be put to the vote."))
        nomination.status = Nomination.Status.VOTING
        nomination.secret_ballot = secret
        nomination.council_size = council_size()
        nomination.save(update_fields=["status", "secret_ballot", "council_size"])
        record("honours.voting", nomination, actor=by, secret=secret)
    return nomination


def vote(nomination, *, member, choice) -> None:
    """A council member's vote, once. In a secret ballot the vote is stored without its
    member, and the audit log says only that the member voted."""
    if not is_council_member(member):
        raise PermissionDenied
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Choose approve, reject or abstain."))
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != Nomination.Status.VOTING:
            raise ValidationError(_("Voting on this nomination is not open."))
        try:
            with transaction.atomic():
                Voter.objects.create(nomination=nomination, member=member)
        except IntegrityError:
            raise AlreadyVoted from None
        if nomination.secret_ballot:
            # Only a count: no row that could be matched, by order or time, to its voter.
            field = f"secret_{choice}"
            Nomination.objects.filter(pk=nomination.pk).update(**{field: F(field) + 1})
            record("honours.vote", nomination, actor=member, secret=True)
        else:
            Vote.objects.create(nomination=nomination, member=member, choice=choice)
            record("honours.vote", nomination, actor=member, choice=choice)


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
        counts = {"approve": nomination.secret_approve, "reject": nomination.secret_reject,
                  "abstain": nomination.secret_abstain}
    else:
        counts = nomination.votes.aggregate(
            approve=Count("pk", filter=Q(choice=Vote.Choice.APPROVE)),
            reject=Count("pk", filter=Q(choice=Vote.Choice.REJECT)),
            abstain=Count("pk", filter=Q(choice=Vote.Choice.ABSTAIN)))
    members = nomination.council_size if nomination.council_size is not None else council_size()
    return Tally(members=members, needed=approvals_needed(members, pass_share()), **counts)


def may_see_counts(user, nomination) -> bool:
    """Organisers and council members see the counts of an open ballot as it goes; those of
    a secret ballot only once the decision is recorded (a running count, set beside the
    audit log's times, would tell who voted how)."""
    return (roles.is_organiser(user) or is_council_member(user)) and not nomination.counts_sealed


def voters_count(nomination) -> int:
    return nomination.voters.count()


def open_votes(nomination):
    """Who voted how — for an open ballot only. A secret ballot never says (read afresh:
    the flag is set when voting opens)."""
    if Nomination.objects.filter(pk=nomination.pk, secret_ballot=True).exists():
        return []  # and there are no rows to show
    return list(nomination.votes.select_related("member").order_by("member__username"))


def decide(nomination, *, by, number, date, signer) -> Nomination:
    """Record the council's decision from the tally: approved or not, with the decision's
    number, date and signer."""
    _require_organiser(by)
    errors = {}
    if not (number or "").strip():
        errors["decision_number"] = _("Give the number of the decision.")
    if date is None:
        errors["decision_date"] = _("Give the date of the decision.")
    if not (signer or "").strip():
        errors["decision_signer"] = _("Give who signed the decision.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != Nomination.Status.VOTING:
            raise ValidationError(_("Only a nomination under vote can be decided."))
        result = tally(nomination)
        if not result.voted:
            raise ValidationError(_("Nobody has voted yet."))
        if nomination.secret_ballot and result.voted * 2 <= result.members:
            # Counts revealed after a vote or two would tell how those few members voted.
            raise ValidationError(_(
                "A secret ballot is decided once more than half of the council's %(members)s members have voted "
                "(%(voted)s so far).") % {"members": result.members, "voted": result.voted})
        nomination.status = Nomination.Status.APPROVED if result.passed else Nomination.Status.REJECTED
        nomination.decision_number, nomination.decision_date = number.strip()[:60], date
        nomination.decision_signer, nomination.decided_at = signer.strip()[:200], timezone.now()
        nomination.save(update_fields=["status", "decision_number", "decision_date", "decision_signer",
                                       "decided_at"])
        record("honours.decide", nomination, actor=by, status=nomination.status, number=nomination.decision_number,
               approve=result.approve, reject=result.reject, abstain=result.abstain, members=result.members)
    return nomination


def withdraw(nomination, *, by, reason) -> Nomination:
    """The organisers, or the unit that proposed it, withdraw a nomination not yet decided
    (e.g. nobody votes, or the unit changed its mind). Audited; the source may be
    nominated again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing."))
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        proposer = nomination.unit is not None and managed_units(by).filter(pk=nomination.unit_id).exists()
        if not (roles.is_organiser(by) or (proposer and nomination.status == Nomination.Status.PROPOSED)):
            raise PermissionDenied
        if nomination.status not in (Nomination.Status.PROPOSED, Nomination.Status.VOTING):
            raise ValidationError(_("A decided nomination cannot be withdrawn."))
        nomination.status = Nomination.Status.WITHDRAWN
        nomination.save(update_fields=["status"])
        record("honours.withdraw", nomination, actor=by, reason=reason[:500])
    return nomination


def actions_for(user, nomination, honour=None) -> set:
    """What the signed-in user may do on a nomination's page now."""
    actions = set()
    status = nomination.status
    if is_council_member(user) and status == Nomination.Status.VOTING and not nomination.voters.filter(
            member=user).exists():
        actions.add("vote")
    if roles.is_organiser(user):
        actions |= {Nomination.Status.PROPOSED: {"open", "withdraw"}, Nomination.Status.VOTING: {"decide", "withdraw"},
                    Nomination.Status.APPROVED: set() if honour else {"publish"}}.get(status, set())
        if honour is not None and honour.revoked_at is None:
            actions.add("revoke")
    elif status == Nomination.Status.PROPOSED and nomination.unit_id and managed_units(user).filter(
            pk=nomination.unit_id).exists():
        actions.add("withdraw")
    return actions


# --- The public record


def board_version() -> str:
    """Changes whenever an honour is published or revoked, read from the database (one
    query), so every server agrees at once — with or without a shared cache."""
    latest = Honour.objects.aggregate(count=Count("pk"), published=Max("published_at"), revoked=Max("revoked_at"),
                                      revocations=Count("revoked_at"))
    stamp = "-".join(str(latest[key].timestamp() if hasattr(latest[key], "timestamp") else latest[key])
                     for key in ("count", "published", "revoked", "revocations"))
    return stamp


def publish(nomination, *, by, citation="") -> Honour:
    """The approved honour goes on the public board, with only what the person agreed to
    show."""
    _require_organiser(by)
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update(of=("self",)).select_related("person", "unit", "category") \
            .get(pk=nomination.pk)
        if nomination.status != Nomination.Status.APPROVED:
            raise ValidationError(_("Only an approved nomination can be published."))
        if Honour.objects.filter(nomination=nomination).exists():
            raise ValidationError(_("This honour is published already."))
        person = nomination.person
        citation = " ".join((citation or "").split())[:500] or _(
            "%(category)s, %(year)s") % {"category": nomination.category.name, "year": nomination.year}
        honour = Honour(
            nomination=nomination, name=nomination.nominee_name, collective=nomination.collective, person=person,
            unit=nomination.unit, ward=nomination.ward, category=nomination.category, year=nomination.year,
            position=person.position if person and nomination.show_position else "",
            photo=person.photo if person and nomination.show_photo else None,
            citation=citation, achievements=nomination.achievements, decision_number=nomination.decision_number,
            decision_date=nomination.decision_date, decision_signer=nomination.decision_signer)
        honour.search_folded = search_words(" ".join([honour.name, honour.citation, strip_html(honour.achievements),
                                                      nomination.unit.name if nomination.unit else ""]))
        honour.save()
        record("honours.publish", honour, actor=by, nomination=nomination.pk)
    return honour


def revoke(honour, *, by, reason) -> Honour:
    """Off the public board (false declaration, discipline…): the record and its reason
    stay, and the certificate's verification page says “revoked”."""
    _require_organiser(by)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason for revoking."))
    with transaction.atomic():
        honour = Honour.objects.select_for_update().get(pk=honour.pk)
        if honour.revoked_at:
            raise ValidationError(_("This honour has been revoked already."))
        honour.revoked_at, honour.revoked_reason = timezone.now(), reason[:500]
        honour.save(update_fields=["revoked_at", "revoked_reason"])
        record("honours.revoke", honour, actor=by, reason=honour.revoked_reason)
    return honour


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


# --- What the system suggests, and contest prizes


def suggestions(today=None) -> list[dict]:
    """Nominations worth proposing that nobody has proposed yet: verified commitments,
    and people rated excellent for SUSTAINED_MONTHS finalised months in a row (within the
    last year)."""
    from ..evaluation import EXCELLENT
    from ..periods import months_back

    taken = set(Nomination.objects.exclude(status=Nomination.Status.WITHDRAWN).exclude(source_key="")
                .values_list("source_key", flat=True))
    out = []
    for commitment in Commitment.objects.filter(status=Commitment.Status.VERIFIED_DONE, public=True).select_related(
            "unit", "person").order_by("-deadline")[:200]:
        key = f"commitment:{commitment.pk}"
        if key not in taken:
            out.append({"key": key, "source": Nomination.Source.COMMITMENT, "person": commitment.person,
                        "unit": commitment.unit, "note": commitment.title, "year": commitment.year})
    today = today or timezone.localdate()
    first = months_back(today.replace(day=1), 12)[0]
    runs = {}
    for person_id, month, band in CadreRating.objects.filter(
            unit_month__finalised_at__isnull=False, unit_month__month__gte=first).order_by(
            "person_id", "unit_month__month").values_list("person_id", "unit_month__month", "head_rating"):
        run = runs.setdefault(person_id, {"length": 0, "best": 0, "last": None, "end": None, "start": None,
                                          "run_start": None})
        consecutive = run["last"] is not None and (month.year * 12 + month.month) - (
            run["last"].year * 12 + run["last"].month) == 1
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
            out.append({"key": key, "source": Nomination.Source.RATINGS, "person": person, "unit": person.unit,
                        "note": _("Rated excellent %(count)s months in a row, to %(month)s") % {
                            "count": run["best"], "month": f"{run['end']:%m/%Y}"}, "year": run["end"].year})
    return out


def propose_suggestion(key: str, *, by, category) -> Nomination:
    """Turn one of `suggestions()` into a nomination (the organisers or the unit)."""
    match = next((s for s in suggestions() if s["key"] == key), None)
    if match is None:
        raise ValidationError(_("This suggestion is no longer open."))
    person = match["person"]
    return nominate(by=by, category=category, year=match["year"], achievements_html=f"<p>{escape(match['note'])}</p>",
                    person=person, unit=match["unit"], nominee_name=person.full_name if person else match["unit"].name,
                    collective=person is None, source=match["source"], source_note=match["note"], source_key=key)


def suggestions_for(user) -> list[dict]:
    """The suggestions a user may act on: those of the units they nominate for."""
    unit_ids = set(nominating_units(user).values_list("pk", flat=True))
    return [s for s in suggestions() if s["unit"] is not None and s["unit"].pk in unit_ids] if unit_ids else []


def propose_contest_prizes(contest, *, by) -> int:
    """When a contest's results are published, each prize whose author chose to show their
    full name becomes a proposed nomination (category “Đạt giải cuộc thi viết”). Pen names
    and anonymous or erased authors are left to the organisers. One nomination per
    contest and entry. Returns how many were proposed."""
    from contest.models import Award, Entrant

    category, _created = HonourCategory.objects.get_or_create(name=CONTEST_CATEGORY)
    made = 0
    for award in Award.objects.filter(contest=contest).select_related("entry__entrant__ward"):
        entrant = award.entry.entrant
        key = f"award:{contest.pk}:{award.entry_id}"
        if entrant.show_as != Entrant.ShowAs.FULL_NAME or not entrant.full_name.strip() or \
                Nomination.objects.filter(source_key=key).exclude(status=Nomination.Status.WITHDRAWN).exists():
            continue
        Nomination.objects.create(
            nominee_name=entrant.full_name.strip()[:200], ward=entrant.ward, category=category,
            year=(contest.results_published_at or timezone.now()).year,
            achievements=clean_html(
                f"<p>{escape(award.prize)}: “{escape(award.entry.title)}” — {escape(contest.title)}</p>"),
            source=Nomination.Source.CONTEST, source_note=f"{award.prize} · {contest.title}"[:300], source_key=key,
            proposed_by=by if getattr(by, "is_authenticated", False) else None)
        made += 1
    if made:
        record("honours.contest", contest, actor=by, proposed=made)
    return made
