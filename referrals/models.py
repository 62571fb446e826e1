"""Referrals: something (an idea, later perhaps a petition) handed to a responsible unit
with a deadline in working days. Hand-overs keep the original clock and are counted;
every step is on a trail the public can read; notes between units stay private."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted, with a plan")
        DONE = "done", _("Already done")
        DECLINED = "declined", _("Declined, with reasons")

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Subject type")
    )
    subject_id = models.CharField(max_length=64, verbose_name=_("Subject ID"))
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(_("Title"), max_length=250)
    original_unit = models.ForeignKey(
        "emulation.Unit", verbose_name=_("First unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "emulation.Unit", verbose_name=_("Responsible unit"), on_delete=models.PROTECT, related_name="referrals"
    )
    supervisor = models.ForeignKey(
        "emulation.Unit",
        verbose_name=_("Supervising organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_referrals",
    )
    received_on = models.DateField(_("Referred on"))
    working_days = models.PositiveSmallIntegerField(_("Working days to answer"))
    due_on = models.DateField(_("Answer due by"), db_index=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    outcome = models.CharField(_("Answer"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("Answer given"), blank=True, max_length=5000)
    plan_date = models.DateField(_("Planned completion"), null=True, blank=True)
    answered_on = models.DateField(_("Answered on"), null=True, blank=True)
    transfers = models.PositiveSmallIntegerField(_("Times transferred"), default=0)
    reopenings = models.PositiveSmallIntegerField(
        _("Times reopened"), default=0, help_text=_("How often a resident said the answer did not resolve it.")
    )
    reopened_on = models.DateField(_("Reopened on"), null=True, blank=True)
    passed_around_on = models.DateField(
        _("Passed around since"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Set when the referral came back to a unit that had passed it on, or was transferred more times "
            "than allowed."
        ),
    )
    commitment = models.ForeignKey(
        "emulation.Commitment",
        verbose_name=_("Public commitment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        help_text=_("The unit's public commitment made when it accepted the idea with a date."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Referral")
        verbose_name_plural = _("Referrals")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on < today

    @property
    def passed_around(self):
        return self.passed_around_on is not None

    @property
    def clock_started_on(self):
        """The working-day clock runs from the referral, or from its last reopening."""
        return self.reopened_on or self.received_on

    def answered_late(self):
        return self.answered_on is not None and self.answered_on > self.due_on


class ReferralStep(models.Model):
    """One step of the public trail: referred, transferred (from → to, with the reason),
    answered, reminded."""

    class Kind(models.TextChoices):
        REFERRED = "referred", _("Referred")
        TRANSFERRED = "transferred", _("Transferred")
        ANSWERED = "answered", _("Answered")
        REMINDED = "reminded", _("Reminder sent")
        CONFIRMED = "confirmed", _("Confirmed resolved by the resident")
        REOPENED = "reopened", _("Reopened: not resolved, says the resident")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Referral"))
    kind = models.CharField(_("Step"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("Date"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("Time"))
    from_unit = models.ForeignKey(
        "emulation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("From unit")
    )
    to_unit = models.ForeignKey(
        "emulation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("To unit")
    )
    text = models.TextField(_("Reason or answer"), blank=True, max_length=5000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Actor"),
    )

    class Meta:
        verbose_name = _("Step of a referral")
        verbose_name_plural = _("Steps of referrals")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.referral} · {self.get_kind_display()}"


def _verdict_photo_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"referrals/verdicts/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Verdict(models.Model):
    """The resident's word on one answer: resolved, or not (which reopens the referral
    with the same unit). One per answer; the unit is the one that gave the answer."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("Referral")
    )
    answer = models.OneToOneField(
        ReferralStep, on_delete=models.CASCADE, related_name="verdict", verbose_name=_("Answer judged")
    )
    unit = models.ForeignKey("emulation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("Unit"))
    resolved = models.BooleanField(_("Resolved"))
    comment = models.TextField(_("Comment of the resident"), blank=True, max_length=2000)
    photo = models.FileField(_("Photo"), upload_to=_verdict_photo_path, blank=True)
    photo_kind = models.CharField(max_length=8, blank=True, editable=False, verbose_name=_("Photo kind"))
    given_on = models.DateField(_("Given on"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Resident's verdict")
        verbose_name_plural = _("Residents' verdicts")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.referral} · {self.resolved}"


class ReferralNote(models.Model):
    """A working note of the unit holding the referral: never public, never shown to
    another unit."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes", verbose_name=_("Referral"))
    unit = models.ForeignKey("emulation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("Unit"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Author")
    )
    text = models.TextField(_("Note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Private note")
        verbose_name_plural = _("Private notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


def _report_document_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"referrals/reports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class BuckReport(models.Model):
    """A resident's report of being passed from desk to desk ("Phản ánh việc đùn đẩy, né
    tránh"). It lives here, not in ideas, because what happens to it is a referral: the
    organisers refer it (referrals.actions.refer, the report as the subject) to the unit
    that supervises the office named, on the same working-day clock, and it counts on the
    same accountability page. Sent from the public form (confirmed by e-mail, read through
    a private link) or entered by ward staff for a resident without e-mail (`entered_by`)."""

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("Awaiting e-mail confirmation")
        PENDING = "pending", _("Awaiting screening")
        PUBLISHED = "published", _("Published as an anonymised summary")
        PRIVATE = "private", _("Kept private")
        REFUSED = "refused", _("Refused")

    office = models.ForeignKey(
        "emulation.Unit",
        verbose_name=_("Office concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office_text = models.CharField(_("Office or procedure"), max_length=250)
    asked = models.TextField(_("What was asked"), max_length=5000)
    sent_where = models.TextField(_("Who sent the resident where"), max_length=5000)
    first_on = models.DateField(_("First visit"))
    last_on = models.DateField(_("Last visit"))
    document = models.FileField(_("Document"), upload_to=_report_document_path, blank=True)
    document_kind = models.CharField(max_length=8, blank=True, editable=False, verbose_name=_("Document kind"))
    full_name = models.CharField(_("Full name"), max_length=120)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Phone"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("Consent given at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Entered by ward staff"),
    )
    access_token_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("Access token hash")
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.AWAITING_CONFIRMATION, db_index=True
    )
    summary = models.TextField(_("Anonymised summary"), blank=True, max_length=3000)
    reason = models.TextField(_("Reason given to the author"), blank=True, max_length=2000)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    screened_at = models.DateTimeField(_("Screened at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Report of passing the buck")
        verbose_name_plural = _("Reports of passing the buck")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.code} · {self.office_text}"

    @property
    def code(self):
        return f"PA-{self.pk:05d}" if self.pk else "PA"

    def referral_changed(self, referral, step):
        from .actions import report_referral_changed

        report_referral_changed(self, referral, step)

    @property
    def public_title(self):
        """What the public and the units read as its title: the office, never the author."""
        return _("Report %(code)s: %(office)s") % {"code": self.code, "office": self.office_text}
