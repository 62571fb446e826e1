"""The audit log: who did what to which record, when. Entries are written by the
rules that change things (one entry per transition, in the same transaction) and are
never changed or deleted afterwards, by anyone."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
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
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, db_index=True)
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


def record(action: str, target, *, actor=None, actor_label: str = "", summary: str = "", **data) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction that makes the change."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user, actor_label=actor_label[:120], action=action,
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
        target_label=str(target)[:255], summary=str(summary)[:500], data=data,
    )
