"""Monthly evaluation ("đánh giá cán bộ hằng tháng"): the settings of the cap rule, a
unit's month with a rating line per cadre, and the points rubric of a kind of unit."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from .. import evaluation as rules
from .movement import Manifestation
from .organisation import Person, Unit, UnitKind

BAND_CHOICES = [
    (rules.EXCELLENT, _("Excellent")),
    (rules.GOOD, _("Completed well")),
    (rules.COMPLETED, _("Completed")),
    (rules.NOT_COMPLETED, _("Not completed")),
]


UNIT_RESULT_CHOICES = [
    (rules.UNIT_DONE, _("Done on time")),
    (rules.UNIT_LATE, _("Late")),
    (rules.UNIT_NOT_DONE, _("Not done")),
]


@register_setting(icon="tasks")
class EvaluationSettings(BaseSiteSetting):
    """The cap on good ratings when a unit's own month falls short."""

    threshold = models.CharField(
        _("Band the cap applies to (and above)"), max_length=16, choices=BAND_CHOICES, default=rules.GOOD
    )
    cap_when_late = models.DecimalField(
        _("Share allowed when the unit is late"),
        max_digits=3,
        decimal_places=2,
        default=0.7,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Between 0 and 1, e.g. 0.7 for 70%."),
    )
    cap_when_not_done = models.DecimalField(
        _("Share allowed when the unit has not done its work"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Between 0 and 1, e.g. 0.5 for 50%."),
    )

    class Meta:
        verbose_name = _("Monthly evaluation")
        verbose_name_plural = _("Evaluation settings")

    def cap(self):
        return {
            rules.UNIT_DONE: 1.0,
            rules.UNIT_LATE: float(self.cap_when_late),
            rules.UNIT_NOT_DONE: float(self.cap_when_not_done),
        }


class UnitMonth(models.Model):
    """A unit's month: its own result and its cadres' ratings, finalised once."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="months", verbose_name=_("Unit"))
    month = models.DateField(_("Month"), help_text=_("The first day of the month."))
    unit_result = models.CharField(_("The unit's own result"), max_length=12, choices=UNIT_RESULT_CHOICES, blank=True)
    finalised_at = models.DateTimeField(_("Finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Month of a unit")
        verbose_name_plural = _("Months of units")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_evaluation_month_per_unit")]

    def __str__(self):
        return f"{self.unit} · {self.month:%m/%Y}"


class CadreRating(models.Model):
    unit_month = models.ForeignKey(
        UnitMonth, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("Unit month")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("Person"))
    self_rating = models.CharField(_("Self-assessment"), max_length=16, choices=BAND_CHOICES, blank=True)
    head_rating = models.CharField(_("Head's assessment"), max_length=16, choices=BAND_CHOICES, blank=True)
    self_points = models.DecimalField(_("Self-assessed points"), max_digits=6, decimal_places=2, null=True, blank=True)
    head_points = models.DecimalField(_("Head's points"), max_digits=6, decimal_places=2, null=True, blank=True)
    # {"criteria": {criterion id: points}, "deductions": [deduction ids], "comment": "..."}
    self_detail = models.JSONField(default=dict, blank=True, verbose_name=_("Self detail"))
    head_detail = models.JSONField(default=dict, blank=True, verbose_name=_("Head detail"))

    class Meta:
        verbose_name = _("Rating")
        verbose_name_plural = _("Ratings")
        constraints = [models.UniqueConstraint(fields=["unit_month", "person"], name="one_rating_per_person_month")]

    def __str__(self):
        return f"{self.person.full_name} · {self.unit_month}"


class MonthProposal(models.Model):
    """A deduction or a merit proposed for a unit's month by a registered source (e.g.
    an overdue referral, an inspection finding), which the head confirms or rejects with
    a reason. A source proposes each of its records once: (month, source, key) is unique."""

    class Kind(models.TextChoices):
        DEDUCTION = "deduction", _("Deduction")
        MERIT = "merit", _("Merit")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting a decision")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    unit_month = models.ForeignKey(
        UnitMonth, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("Unit month")
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices)
    # SET_NULL, not PROTECT: manifestations are edited inline on the movement page.
    manifestation = models.ForeignKey(
        Manifestation,
        verbose_name=_("Manifestation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("Cadre concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    source = models.CharField(_("Source"), max_length=40)
    source_key = models.CharField(_("Key in the source"), max_length=120)
    title = models.CharField(_("Title"), max_length=250)
    url = models.CharField(_("Link to the record"), max_length=500, blank=True)
    state = models.CharField(_("State"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True)
    reason = models.TextField(_("Reason"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Proposal for the month")
        verbose_name_plural = _("Proposals for the month")
        ordering = ["unit_month", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_month", "source", "source_key"], name="one_proposal_per_source_record_month"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"


class Rubric(ClusterableModel):
    """How cadres of one kind of unit are scored each month: criteria with points,
    deductions for the manifestations of violations, and the points each band needs."""

    kind = models.OneToOneField(
        UnitKind, verbose_name=_("Kind of unit"), on_delete=models.CASCADE, related_name="rubric"
    )
    excellent_from = models.DecimalField(
        _("Excellent from (points)"), max_digits=6, decimal_places=2, default=rules.DEFAULT_BANDS[rules.EXCELLENT]
    )
    good_from = models.DecimalField(
        _("Completed well from (points)"), max_digits=6, decimal_places=2, default=rules.DEFAULT_BANDS[rules.GOOD]
    )
    completed_from = models.DecimalField(
        _("Completed from (points)"), max_digits=6, decimal_places=2, default=rules.DEFAULT_BANDS[rules.COMPLETED]
    )

    panels = [
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("excellent_from"), FieldPanel("good_from"), FieldPanel("completed_from")],
            heading=_("Rating bands"),
        ),
        InlinePanel("criteria", heading=_("Criteria"), label=_("Criterion"), min_num=1),
        InlinePanel("deductions", heading=_("Deductions"), label=_("Deduction")),
    ]

    class Meta:
        verbose_name = _("Evaluation rubric")
        verbose_name_plural = _("Evaluation rubrics")

    def __str__(self):
        return str(self.kind)

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.excellent_from >= self.good_from >= self.completed_from:
            raise ValidationError(_("The points must not increase from “Excellent” down to “Completed”."))

    def thresholds(self):
        return {
            rules.EXCELLENT: float(self.excellent_from),
            rules.GOOD: float(self.good_from),
            rules.COMPLETED: float(self.completed_from),
        }

    def maximum(self):
        return sum(float(criterion.max_points) for criterion in self.criteria.all())


class RubricCriterion(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Rubric"))
    text = models.CharField(_("Criterion"), max_length=300)
    max_points = models.DecimalField(
        _("Maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    panels = [FieldPanel("text"), FieldPanel("max_points")]

    class Meta:
        verbose_name = _("Rubric criterion")
        verbose_name_plural = _("Rubric criteria")

    def __str__(self):
        return self.text


class RubricDeduction(Orderable):
    """Points taken off when a manifestation of violation is found in the month."""

    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="deductions", verbose_name=_("Rubric"))
    manifestation = models.ForeignKey(
        Manifestation,
        verbose_name=_("Manifestation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(
        _("Description"),
        max_length=300,
        blank=True,
        help_text=_("Shown instead of the manifestation's own wording when given."),
    )
    points = models.DecimalField(
        _("Points deducted"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )

    panels = [FieldPanel("manifestation"), FieldPanel("text"), FieldPanel("points")]

    class Meta:
        verbose_name = _("Rubric deduction")
        verbose_name_plural = _("Rubric deductions")

    def __str__(self):
        return self.text or (self.manifestation.text if self.manifestation else "")
