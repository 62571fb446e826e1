"""Deciding prizes and publishing a contest's results, audited; every entrant is told."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record
from tayho_site.mail import queue_email

from ..models import Award, ContestPage, Entry
from ..signals import results_published


def award(contest: ContestPage, entry: Entry, prize: str, position: int, *, by) -> Award:
    if entry.contest_id != contest.pk or entry.status != Entry.Status.CONFIRMED:
        raise ValueError("only a confirmed entry of this contest can win its prizes")
    with transaction.atomic():
        prize_award, _created = Award.objects.update_or_create(
            contest=contest,
            entry=entry,
            defaults={"prize": prize.strip()[:120], "position": position, "decided_by": by},
        )
        record("contest.award", entry, actor=by, prize=prize_award.prize, position=position)
    return prize_award


def withdraw_award(prize_award: Award, *, by):
    with transaction.atomic():
        record("contest.award.remove", prize_award.entry, actor=by, prize=prize_award.prize)
        prize_award.delete()


def publish_results(contest: ContestPage, *, by) -> int:
    """Put the results on the contest page and e-mail every confirmed entrant theirs.
    Returns how many entrants are told."""
    with transaction.atomic():
        contest = ContestPage.objects.select_for_update().get(pk=contest.pk)
        contest.results_published_at = timezone.now()
        contest.save_revision(user=by).publish(user=by)
        prizes = {a.entry_id: a.prize for a in Award.objects.filter(contest=contest)}
        told = 0
        for entry in Entry.objects.filter(contest=contest, status=Entry.Status.CONFIRMED).select_related("entrant"):
            if not entry.entrant.email:
                continue  # erased
            context = {"entry": entry, "contest": contest, "prize": prizes.get(entry.pk)}
            queue_email(
                entry.entrant.email,
                _("Results of “%(contest)s”") % {"contest": contest.title},
                render_to_string("contest/email/result.txt", context),
            )
            told += 1
        record("contest.results.publish", contest, actor=by, awards=len(prizes), told=told)
        results_published.send(sender=ContestPage, contest=contest, by=by)
    return told
