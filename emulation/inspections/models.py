"""Inspections, their findings, the conclusions signed after them and the remedies those
require. A remedy is handed to its unit as a referral (its `referral`): the working-day
clock, transfers, answers and overdue marks are the referrals' own."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _stored_name(folder, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"inspections/{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


def evidence_path(instance, filename):
    return _stored_name("evidence", filename)


def document_path(instance, filename):
    return _stored_name("conclusions", filename)


class Inspection(models.Model):
    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SURPRISE = "surprise", _("Surprise check")

    class Subject(models.TextChoices):
        PROCEDURES = "procedures", _("Administrative procedures")
        HOURS = "hours", _("Working hours")
        ATTITUDE = "attitude", _("Attitude to residents")
        TOPIC = "topic", _("A topic")

    title = models.CharField(_("Title"), max_length=250)
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices, default=Kind.PLANNED)
    subject = models.CharField(_("Subject"), max_length=12, choices=Subject.choices)
    topic = models.CharField(_("Topic"), max_length=250, blank=True)
    units = models.ManyToManyField("emulation.Unit", related_name="inspections", verbose_name=_("Units inspected"))
    starts_on = models.DateField(_("From"))
    ends_on = models.DateField(_("To"))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inspection_teams", verbose_name=_("Team"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Inspection")
        verbose_name_plural = _("Inspections")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="inspection_dates")
        ]

    def __str__(self):
        return self.title


class Finding(models.Model):
    """What the inspection found at one unit, as one of the Directive's manifestations;
    people are named only where it applies, and never shown publicly. A finding may
    instead be exemplary conduct (`exemplary`, with no manifestation): it is proposed as a
    merit of the unit's month and suggested for an honour (honours.py here)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("Inspection")
    )
    unit = models.ForeignKey(
        "emulation.Unit", on_delete=models.PROTECT, related_name="inspection_findings", verbose_name=_("Unit")
    )
    people = models.ManyToManyField(
        "emulation.Person", blank=True, related_name="inspection_findings", verbose_name=_("People concerned")
    )
    manifestation = models.ForeignKey(
        "emulation.Manifestation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Manifestation"),
    )
    exemplary = models.BooleanField(
        _("Exemplary conduct"),
        default=False,
        help_text=_("Conduct worth following rather than a failing: it may be proposed for an honour."),
    )
    found_on = models.DateField(_("Found on"), db_index=True)
    text = models.TextField(_("What was found"), max_length=5000)
    evidence = models.FileField(_("Evidence"), upload_to=evidence_path, blank=True)
    evidence_kind = models.CharField(max_length=8, blank=True, editable=False, verbose_name=_("Evidence kind"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Finding")
        verbose_name_plural = _("Findings")
        ordering = ["found_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exemplary=True) | models.Q(manifestation__isnull=False),
                name="finding_names_a_manifestation",
            )
        ]

    def __str__(self):
        return f"{self.unit} · {_('Exemplary conduct') if self.exemplary else self.manifestation}"


class Conclusion(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="conclusions", verbose_name=_("Inspection")
    )
    number = models.CharField(_("Number"), max_length=60)
    signed_on = models.DateField(_("Signed on"), db_index=True)
    signer = models.CharField(_("Signed by"), max_length=200)
    document = models.FileField(_("Document"), upload_to=document_path, blank=True)
    document_kind = models.CharField(max_length=8, blank=True, editable=False, verbose_name=_("Document kind"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Conclusion")
        verbose_name_plural = _("Conclusions")
        ordering = ["signed_on", "pk"]

    def __str__(self):
        return self.number


class Remedy(models.Model):
    """One thing a conclusion requires of one unit, handed to it as a referral."""

    conclusion = models.ForeignKey(
        Conclusion, on_delete=models.CASCADE, related_name="remedies", verbose_name=_("Conclusion")
    )
    unit = models.ForeignKey(
        "emulation.Unit", on_delete=models.PROTECT, related_name="inspection_remedies", verbose_name=_("Unit")
    )
    text = models.TextField(_("What must be done"), max_length=2000)
    referral = models.OneToOneField(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remedy",
        verbose_name=_("Referral"),
    )

    class Meta:
        verbose_name = _("Remedy")
        verbose_name_plural = _("Remedies")
        ordering = ["conclusion", "pk"]

    def __str__(self):
        return self.text[:80]


class WeeklyReport(models.Model):
    """The figures of one week's report, kept as issued so that past weeks can be read and
    compared: {"units": {unit id: {...}}, "totals": {...}}. One per week (its Monday)."""

    week_of = models.DateField(_("Week of"), unique=True)
    figures = models.JSONField(_("Figures"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Weekly inspection report")
        verbose_name_plural = _("Weekly inspection reports")
        ordering = ["-week_of"]

    def __str__(self):
        return f"{self.week_of:%Y-%m-%d}"
