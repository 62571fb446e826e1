"""Every state change of honours: nominating, the council's vote (open or secret, once
each), the decision, withdrawal, publication and revocation, proposals from suggestions
and contest prizes. Each checks who may act and is one transaction with its audit entry."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from tayho_site import roles
from tayho_site.audit import record
from tayho_site.sanitize import clean_html, strip_html
from tayho_site.text import search_words

from ..permissions import managed_units
from .models import Evidence, Honour, HonourCategory, Nomination, Vote, Voter
from .permissions import is_council_member, nominating_units, require_organiser
from .queries import council_size, suggestions, tally

CONTEST_CATEGORY = "Đạt giải cuộc thi viết"


class AlreadyVoted(Exception):
    """This member has voted on this nomination already."""


_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)|(?<!\d)\d{12}(?!\d)")


def has_contact_details(text: str) -> bool:
    """An e-mail address, a Vietnamese phone number or a 12-digit ID number (CCCD)."""
    return bool(_CONTACT.search(text or ""))


def nominate(
    *,
    by,
    category,
    year,
    achievements_html,
    unit=None,
    person=None,
    nominee_name="",
    collective=False,
    ward=None,
    source=Nomination.Source.UNIT,
    source_note="",
    source_key="",
    show_photo=False,
    show_position=False,
    evidence=(),
) -> Nomination:
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
        errors["achievements"] = _(
            "The achievements are published: leave out phone numbers, e-mail addresses and ID numbers."
        )
    this_year = timezone.localdate().year
    if not 2000 <= int(year) <= this_year:
        errors["year"] = _("Give a year between 2000 and %(year)s.") % {"year": this_year}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if (
            source_key
            and Nomination.objects.filter(source_key=source_key).exclude(status=Nomination.Status.WITHDRAWN).exists()
        ):
            raise ValidationError(_("This has been nominated already."))
        nomination = Nomination.objects.create(
            person=person,
            unit=unit,
            ward=ward,
            nominee_name=nominee_name,
            collective=collective,
            category=category,
            year=year,
            achievements=achievements,
            source=source,
            source_note=source_note[:300],
            source_key=source_key,
            proposed_by=by if getattr(by, "is_authenticated", False) else None,
            show_photo=show_photo,
            show_position=show_position,
        )
        Evidence.objects.bulk_create(
            Evidence(nomination=nomination, file=upload, name=name[:200]) for upload, name in evidence
        )
        record("honours.nominate", nomination, actor=by, source=source, category=category.name, year=year)
    return nomination


def open_voting(nomination, *, by, secret: bool) -> Nomination:
    require_organiser(by)
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


def decide(nomination, *, by, number, date, signer) -> Nomination:
    """Record the council's decision from the tally: approved or not, with the decision's
    number, date and signer."""
    require_organiser(by)
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
            raise ValidationError(
                _(
                    "A secret ballot is decided once more than half of the council's %(members)s members have voted "
                    "(%(voted)s so far)."
                )
                % {"members": result.members, "voted": result.voted}
            )
        nomination.status = Nomination.Status.APPROVED if result.passed else Nomination.Status.REJECTED
        nomination.decision_number, nomination.decision_date = number.strip()[:60], date
        nomination.decision_signer, nomination.decided_at = signer.strip()[:200], timezone.now()
        nomination.save(update_fields=["status", "decision_number", "decision_date", "decision_signer", "decided_at"])
        record(
            "honours.decide",
            nomination,
            actor=by,
            status=nomination.status,
            number=nomination.decision_number,
            approve=result.approve,
            reject=result.reject,
            abstain=result.abstain,
            members=result.members,
        )
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


def publish(nomination, *, by, citation="") -> Honour:
    """The approved honour goes on the public board, with only what the person agreed to
    show."""
    require_organiser(by)
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("person", "unit", "category")
            .get(pk=nomination.pk)
        )
        if nomination.status != Nomination.Status.APPROVED:
            raise ValidationError(_("Only an approved nomination can be published."))
        if Honour.objects.filter(nomination=nomination).exists():
            raise ValidationError(_("This honour is published already."))
        person = nomination.person
        citation = " ".join((citation or "").split())[:500] or _("%(category)s, %(year)s") % {
            "category": nomination.category.name,
            "year": nomination.year,
        }
        honour = Honour(
            nomination=nomination,
            name=nomination.nominee_name,
            collective=nomination.collective,
            person=person,
            unit=nomination.unit,
            ward=nomination.ward,
            category=nomination.category,
            year=nomination.year,
            position=person.position if person and nomination.show_position else "",
            photo=person.photo if person and nomination.show_photo else None,
            citation=citation,
            achievements=nomination.achievements,
            decision_number=nomination.decision_number,
            decision_date=nomination.decision_date,
            decision_signer=nomination.decision_signer,
        )
        honour.search_folded = search_words(
            " ".join(
                [
                    honour.name,
                    honour.citation,
                    strip_html(honour.achievements),
                    nomination.unit.name if nomination.unit else "",
                ]
            )
        )
        honour.save()
        record("honours.publish", honour, actor=by, nomination=nomination.pk)
    return honour


def revoke(honour, *, by, reason) -> Honour:
    """Off the public board (false declaration, discipline…): the record and its reason
    stay, and the certificate's verification page says “revoked”."""
    require_organiser(by)
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


def propose_suggestion(key: str, *, by, category) -> Nomination:
    """Turn one of `suggestions()` into a nomination (the organisers or the unit)."""
    match = next((s for s in suggestions() if s["key"] == key), None)
    if match is None:
        raise ValidationError(_("This suggestion is no longer open."))
    person = match["person"]
    return nominate(
        by=by,
        category=category,
        year=match["year"],
        achievements_html=f"<p>{escape(match['note'])}</p>",
        person=person,
        unit=match["unit"],
        nominee_name=person.full_name if person else match["unit"].name,
        collective=person is None,
        source=match["source"],
        source_note=match["note"],
        source_key=key,
    )


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
        if (
            entrant.show_as != Entrant.ShowAs.FULL_NAME
            or not entrant.full_name.strip()
            or Nomination.objects.filter(source_key=key).exclude(status=Nomination.Status.WITHDRAWN).exists()
        ):
            continue
        Nomination.objects.create(
            nominee_name=entrant.full_name.strip()[:200],
            ward=entrant.ward,
            category=category,
            year=(contest.results_published_at or timezone.now()).year,
            achievements=clean_html(
                f"<p>{escape(award.prize)}: “{escape(award.entry.title)}” — {escape(contest.title)}</p>"
            ),
            source=Nomination.Source.CONTEST,
            source_note=f"{award.prize} · {contest.title}"[:300],
            source_key=key,
            proposed_by=by if getattr(by, "is_authenticated", False) else None,
        )
        made += 1
    if made:
        record("honours.contest", contest, actor=by, proposed=made)
    return made
