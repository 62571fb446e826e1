"""The audit log: who did what to which record, when. Entries are written by the
rules that change things (one entry per transition, in the same transaction) and are
never changed or deleted afterwards, by anyone."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """The audit log is never changed after the fact."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")

    def for_object(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


class AuditEntry(models.Model):
    at = models.DateTimeField(_("When"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Who"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("Acting as"), max_length=120, blank=True,
                                   help_text=_("For actions without an account, e.g. an author using their link."))
    action = models.CharField(_("Action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("Target type"))
    target_id = models.CharField(max_length=64, db_index=True, verbose_name=_("Target id"))
    target_label = models.CharField(_("Record"), max_length=255)
    summary = models.CharField(_("What happened"), max_length=500, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("Audit entry")
        verbose_name_plural = _("Audit log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")

    @property
    def action_label(self):
        return action_label(self.action)

    @property
    def readable_summary(self):
        """The summary, with a status change "pending → published" in the words of the
        record's own status field ("Chờ duyệt → Đã công khai")."""
        previous, status = self.data.get("previous"), self.data.get("status")
        model = self.target_type.model_class() if self.target_type_id else None
        if previous is None or status is None or model is None:
            return self.summary
        try:
            choices = dict(model._meta.get_field("status").flatchoices)
        except FieldDoesNotExist:  # no status field: keep the summary as written
            return self.summary
        return f"{choices.get(previous, previous)} → {choices.get(status, status)}"


# What each action code means, for people reading the log. A code without a label
# is shown as it is.
ACTION_LABELS = {
    "account.two_factor.enable": _("Two-factor sign-in turned on"),
    "account.two_factor.verify": _("Two-factor code checked"),
    "account.two_factor.reset": _("Two-factor sign-in reset"),
    "contest.award": _("Prize awarded"),
    "contest.award.remove": _("Prize removed"),
    "contest.entry.confirm": _("Entry confirmed by its author"),
    "contest.entry.edit": _("Entry edited by its author"),
    "contest.entry.erase": _("Entry erased at its author's request"),
    "contest.entry.status": _("Entry status changed"),
    "contest.entry.submit": _("Entry sent"),
    "contest.entry.withdraw": _("Entry withdrawn by its author"),
    "contest.results.publish": _("Contest results published"),
    "emulation.commitment.register": _("Commitment registered"),
    "emulation.commitment.remark": _("Supervisor's remark"),
    "emulation.commitment.report": _("Progress reported"),
    "emulation.commitment.withdraw": _("Commitment withdrawn"),
    "emulation.month.finalise": _("Monthly evaluation finalised"),
    "emulation.month.open": _("Monthly evaluation opened"),
    "emulation.month.sync": _("Cadre list of the month updated"),
    "emulation.month.unit_result": _("Unit's result of the month set"),
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
    "ideas.idea.erase": _("Idea erased at its author's request"),
    "ideas.idea.merge": _("Idea merged into another"),
    "ideas.idea.moderate": _("Idea moderated"),
    "ideas.idea.notify": _("Author's notification choice changed"),
    "ideas.idea.select": _("Idea selected"),
    "ideas.idea.submit": _("Idea sent"),
    "ideas.idea.unselect": _("Idea no longer selected"),
    "ideas.support.rekey": _("Supporters' address hashes rekeyed"),
    "judging.advance": _("Items moved on to the next round"),
    "judging.assign": _("Judges assigned"),
    "judging.assign.delete": _("Assignment deleted"),
    "judging.assign.hand": _("Judge assigned by hand"),
    "judging.close": _("Judging round closed"),
    "judging.export": _("Scores exported"),
    "judging.items": _("Items added to the round"),
    "judging.open": _("Judging round opened"),
    "judging.published": _("Round results published"),
    "judging.reassign": _("Item reassigned to another judge"),
    "judging.recuse": _("Judge stepped aside (conflict of interest)"),
    "judging.remind": _("Late judges reminded"),
    "judging.review.reopen": _("Review reopened"),
    "judging.review.save": _("Review saved as a draft"),
    "judging.review.submit": _("Review submitted"),
    "referral.answer": _("Referral answered"),
    "referral.refer": _("Referred to a unit"),
    "referral.transfer": _("Referral transferred to another unit"),
    "retention.purge": _("Expired data deleted"),
    "security.two_factor.groups": _("Groups that must use two-factor sign-in changed"),
}


def action_label(code):
    return ACTION_LABELS.get(code, code)


def record(action: str, target, *, actor=None, actor_label: str = "", summary: str = "", **data) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction that makes the change."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user, actor_label=actor_label[:120], action=action,
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
        target_label=str(target)[:255], summary=str(summary)[:500], data=data,
    )
