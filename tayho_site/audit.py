"""The audit log: who did what to which record, when. Entries (models.AuditEntry) are
written by the rules that change things (one entry per transition, in the same
transaction) and are never changed or deleted afterwards, by anyone."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

# What each action code means, for people reading the log. A code without a label
# is shown as it is.
ACTION_LABELS = {
    "account.two_factor.enable": _("Two-factor sign-in turned on"),
    "account.two_factor.reset": _("Two-factor sign-in reset"),
    "account.two_factor.verify": _("Two-factor code checked"),
    "contest.award": _("Prize awarded"),
    "contest.award.remove": _("Prize removed"),
    "contest.entry.confirm": _("Entry confirmed by its author"),
    "contest.entry.edit": _("Entry edited by its author"),
    "contest.entry.erase": _("Entry erased at its author's request"),
    "contest.entry.status": _("Entry status changed"),
    "contest.entry.submit": _("Entry sent"),
    "contest.entry.withdraw": _("Entry withdrawn by its author"),
    "contest.results.publish": _("Contest results published"),
    "emulation.commitment.milestone": _("Milestone added to a commitment"),
    "emulation.commitment.milestone_done": _("Milestone of a commitment marked done"),
    "emulation.commitment.register": _("Commitment registered"),
    "emulation.commitment.remark": _("Supervisor's remark"),
    "emulation.commitment.report": _("Progress reported"),
    "emulation.commitment.reschedule": _("Commitment's deadline moved"),
    "emulation.commitment.withdraw": _("Commitment withdrawn"),
    "emulation.month.finalise": _("Monthly evaluation finalised"),
    "emulation.month.gather": _("Proposals gathered for the month"),
    "emulation.month.open": _("Monthly evaluation opened"),
    "emulation.month.sync": _("Cadre list of the month updated"),
    "emulation.month.unit_result": _("Unit's result of the month set"),
    "emulation.proposal.confirm": _("Proposal for the month confirmed"),
    "emulation.proposal.reject": _("Proposal for the month rejected"),
    "emulation.rating.head": _("Head's rating of a cadre"),
    "emulation.rating.self": _("Cadre's self-assessment"),
    "honours.contest": _("Nominations made from contest prizes"),
    "honours.decide": _("Council decision recorded"),
    "honours.nominate": _("Nomination made"),
    "honours.publish": _("Honour published"),
    "honours.revoke": _("Honour revoked"),
    "honours.vote": _("Council member voted"),
    "honours.voting": _("Council vote opened"),
    "honours.withdraw": _("Nomination withdrawn"),
    "ideas.call.results": _("Idea call results published"),
    "ideas.idea.confirm": _("Idea confirmed by its author"),
    "ideas.idea.enter": _("Idea entered by staff for a resident"),
    "ideas.idea.erase": _("Idea erased at its author's request"),
    "ideas.idea.merge": _("Idea merged into another"),
    "ideas.idea.moderate": _("Idea moderated"),
    "ideas.idea.notify": _("Author's notification choice changed"),
    "ideas.idea.select": _("Idea selected"),
    "ideas.idea.submit": _("Idea sent"),
    "ideas.idea.unselect": _("Idea no longer selected"),
    "ideas.support.follow": _("Supporter follows the idea"),
    "ideas.support.rekey": _("Supporters' address hashes rekeyed"),
    "ideas.support.unfollow": _("Supporter stopped following the idea"),
    "inspection.conclude": _("Inspection conclusion recorded"),
    "inspection.finding": _("Inspection finding recorded"),
    "inspection.open": _("Inspection opened"),
    "inspection.weekly_report": _("Weekly inspection report kept and sent"),
    "judging.advance": _("Items moved on to the next round"),
    "judging.assign": _("Judges assigned"),
    "judging.assign.delete": _("Assignment deleted"),
    "judging.assign.hand": _("Judge assigned by hand"),
    "judging.assign.one_more": _("One more judge assigned to an uncertain item"),
    "judging.calibration": _("Calibration items set"),
    "judging.close": _("Judging round closed"),
    "judging.consensus": _("Consensus score recorded"),
    "judging.discussion.post": _("Judge wrote in a discussion"),
    "judging.export": _("Scores exported"),
    "judging.items": _("Items added to the round"),
    "judging.open": _("Judging round opened"),
    "judging.published": _("Round results published"),
    "judging.reassign": _("Item reassigned to another judge"),
    "judging.recuse": _("Judge stepped aside (conflict of interest)"),
    "judging.redact": _("Identifying words hidden from judges"),
    "judging.remind": _("Late judges reminded"),
    "judging.reopen_scoring": _("Judging round opened for scoring again"),
    "judging.review.reopen": _("Review reopened"),
    "judging.review.revise": _("Judge revised a score after discussion"),
    "judging.review.save": _("Review saved as a draft"),
    "judging.review.submit": _("Review submitted"),
    "judging.scan": _("Blind texts scanned for names"),
    "referral.answer": _("Referral answered"),
    "referral.refer": _("Referred to a unit"),
    "referral.transfer": _("Referral transferred to another unit"),
    "referral.verdict": _("Resident's verdict on an answer"),
    "referrals.report.confirm": _("Report of passing the buck confirmed by its author"),
    "referrals.report.enter": _("Report entered by staff for a resident"),
    "referrals.report.erase": _("Report erased at its author's request"),
    "referrals.report.screen": _("Report screened"),
    "referrals.report.submit": _("Report of passing the buck sent"),
    "retention.purge": _("Expired data deleted"),
    "security.two_factor.groups": _("Groups that must use two-factor sign-in changed"),
}


def action_label(code):
    return ACTION_LABELS.get(code, code)


def record(action: str, target, *, actor=None, actor_label: str = "", summary: str = "", **data) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction that makes the change."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label[:120],
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_label=str(target)[:255],
        summary=str(summary)[:500],
        data=data,
    )
