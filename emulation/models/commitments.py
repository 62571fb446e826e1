"""Commitments ("đăng ký việc mới, việc khó"), their progress reports with evidence,
and the supervisors' remarks."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .movement import MovementPage
from .organisation import Person, Unit


class Commitment(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_VERIFICATION = "awaiting", _("Awaiting verification")
        VERIFIED_DONE = "verified", _("Verified done")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.REGISTERED, Status.IN_PROGRESS, Status.AWAITING_VERIFICATION)

    movement = models.ForeignKey(
        MovementPage, verbose_name=_("Movement"), on_delete=models.PROTECT, related_name="commitments"
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    unit = models.ForeignKey(Unit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="commitments")
    person = models.ForeignKey(
        Person,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("Empty when the unit itself commits."),
    )
    title = models.CharField(pgettext_lazy("commitment", "Task"), max_length=250)
    target = models.TextField(_("What will be different when it is done"), max_length=2000)
    deadline = models.DateField(_("Deadline"))
    supervisor = models.ForeignKey(
        Unit,
        verbose_name=_("Supervising organisation"),
        on_delete=models.PROTECT,
        related_name="supervised_commitments",
    )
    public = models.BooleanField(_("Shown to the public"), default=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    progress = models.PositiveSmallIntegerField(_("Progress (%)"), default=0)
    status_reason = models.TextField(_("Reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated at"))

    class Meta:
        verbose_name = _("Commitment")
        verbose_name_plural = _("Commitments")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        """Past its deadline and not verified done (nor withdrawn, nor judged not achieved)."""
        today = today or timezone.localdate()
        return self.status in self.OPEN and self.deadline < today


def evidence_path(instance, filename):
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"commitments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class ProgressReport(models.Model):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Commitment")
    )
    date = models.DateField(_("Date"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(_("Progress (%)"))
    narrative = models.TextField(_("What was done"), max_length=5000)
    evidence = models.FileField(_("Evidence"), upload_to=evidence_path, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Author")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Progress report")
        verbose_name_plural = _("Progress reports")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.commitment} · {self.percent}%"


class SupervisorRemark(models.Model):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="remarks", verbose_name=_("Commitment")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Author")
    )
    text = models.TextField(_("Remark"), max_length=3000)
    verdict = models.CharField(
        _("Verdict"),
        max_length=16,
        blank=True,
        choices=[("verified", _("Verified done")), ("not_achieved", _("Not achieved"))],
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Supervisor's remark")
        verbose_name_plural = _("Supervisors' remarks")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


class Milestone(models.Model):
    """A dated step on the way to a commitment's deadline; missed when its date has passed
    undone while the commitment is still open."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("Commitment")
    )
    title = models.CharField(_("Milestone"), max_length=250)
    due_on = models.DateField(_("Due by"))
    done_on = models.DateField(_("Done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("Milestone")
        verbose_name_plural = _("Milestones")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.done_on is None and self.due_on < today and self.commitment.status in Commitment.OPEN
