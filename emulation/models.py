"""The organisation behind the emulation movement: units as a tree, and people.
Units and their kinds are data (boundaries and bodies change), never fixed choices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node


class UnitKind(models.Model):
    """E.g. party committee, People's Committee office, ward, party cell, mass organisation.
    The monthly evaluation rubric is chosen per kind."""

    name = models.CharField(_("Name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("Kind of unit")
        verbose_name_plural = _("Kinds of unit")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(MP_Node):
    name = models.CharField(_("Name"), max_length=200)
    kind = models.ForeignKey(UnitKind, verbose_name=_("Kind"), on_delete=models.PROTECT, related_name="units")
    active = models.BooleanField(_("Active"), default=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("Unit")
        verbose_name_plural = _("Units")

    def __str__(self):
        return self.name

    def with_descendants(self):
        """This unit and every unit below it: what its officers may see."""
        return Unit.get_tree(self)


class Person(models.Model):
    full_name = models.CharField(_("Full name"), max_length=120)
    position = models.CharField(_("Position"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="people")
    party_member = models.BooleanField(_("Party member"), default=False)
    email = models.EmailField(_("E-mail"), blank=True)
    photo = models.ForeignKey("wagtailimages.Image", verbose_name=_("Photo"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("User account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="person")
    active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("People")
        ordering = ["unit__path", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.unit})"


# --- The movement as content, and commitments ("đăng ký việc mới, việc khó").

from django.utils import timezone  # noqa: E402
from modelcluster.fields import ParentalKey  # noqa: E402
from wagtail.admin.panels import FieldPanel, InlinePanel  # noqa: E402
from wagtail.fields import RichTextField  # noqa: E402
from wagtail.models import Orderable, Page  # noqa: E402
from wagtail.search import index  # noqa: E402

from tayho_site.models import FoldedSearchMixin  # noqa: E402
from tayho_site.navigation import MenuTitleMixin  # noqa: E402


class MovementPage(MenuTitleMixin, FoldedSearchMixin, Page):
    """An emulation movement: its period, goals, task groups and the manifestations of
    violations it fights; its public commitments are listed on the page."""

    period_start = models.DateField(_("From"))
    period_end = models.DateField(_("Until"), null=True, blank=True)
    intro = models.TextField(_("Introduction"), blank=True, max_length=800)
    goals = RichTextField(_("Goals"), features=["bold", "italic", "ol", "ul", "link"], blank=True)
    task_groups = RichTextField(_("Task groups"), features=["bold", "italic", "ol", "ul", "link"], blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("period_start"), FieldPanel("period_end"), FieldPanel("intro"), FieldPanel("goals"),
        FieldPanel("task_groups"),
        InlinePanel("manifestations", heading=_("Manifestations of violations"), label=_("Manifestation")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("goals")] \
        + FoldedSearchMixin.folded_search_fields()
    folded_source_fields = ("title", "search_description", "intro", "goals", "task_groups")
    template = "emulation/movement_page.html"

    class Meta:
        verbose_name = _("Emulation movement")
        verbose_name_plural = _("Movement pages")

    def public_commitments(self):
        return (Commitment.objects.filter(movement=self, public=True)
                .exclude(status=Commitment.Status.WITHDRAWN).select_related("unit", "person")
                .order_by("deadline"))


class Manifestation(Orderable):
    """One of the manifestations of violations (Directive 24 lists 25); editable."""

    page = ParentalKey(MovementPage, on_delete=models.CASCADE, related_name="manifestations", verbose_name=_("Page"))
    text = models.CharField(_("Manifestation"), max_length=300)

    panels = [FieldPanel("text")]

    class Meta:
        verbose_name = _("Manifestation")
        verbose_name_plural = _("Manifestations")

    def __str__(self):
        return self.text


class Commitment(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_VERIFICATION = "awaiting", _("Awaiting verification")
        VERIFIED_DONE = "verified", _("Verified done")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.REGISTERED, Status.IN_PROGRESS, Status.AWAITING_VERIFICATION)

    movement = models.ForeignKey(MovementPage, verbose_name=_("Movement"), on_delete=models.PROTECT,
                                 related_name="commitments")
    year = models.PositiveSmallIntegerField(_("Year"))
    unit = models.ForeignKey(Unit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="commitments")
    person = models.ForeignKey(Person, verbose_name=_("Person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="commitments", help_text=_("Empty when the unit itself commits."))
    title = models.CharField(pgettext_lazy("commitment", "Task"), max_length=250)
    target = models.TextField(_("What will be different when it is done"), max_length=2000)
    deadline = models.DateField(_("Deadline"))
    supervisor = models.ForeignKey(Unit, verbose_name=_("Supervising organisation"), on_delete=models.PROTECT,
                                   related_name="supervised_commitments")
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


def _evidence_path(instance, filename):
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"commitments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class ProgressReport(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reports",
                                   verbose_name=_("Commitment"))
    date = models.DateField(_("Date"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(_("Progress (%)"))
    narrative = models.TextField(_("What was done"), max_length=5000)
    evidence = models.FileField(_("Evidence"), upload_to=_evidence_path, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("Author"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Progress report")
        verbose_name_plural = _("Progress reports")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.commitment} · {self.percent}%"


class SupervisorRemark(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="remarks",
                                   verbose_name=_("Commitment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("Author"))
    text = models.TextField(_("Remark"), max_length=3000)
    verdict = models.CharField(_("Verdict"), max_length=16, blank=True,
                               choices=[("verified", _("Verified done")), ("not_achieved", _("Not achieved"))])
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        verbose_name = _("Supervisor's remark")
        verbose_name_plural = _("Supervisors' remarks")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


# --- Monthly evaluation ("đánh giá cán bộ hằng tháng").

from decimal import Decimal  # noqa: E402

from django.core.validators import MaxValueValidator, MinValueValidator  # noqa: E402
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting  # noqa: E402

from . import evaluation as rules  # noqa: E402

BAND_CHOICES = [(rules.EXCELLENT, _("Excellent")), (rules.GOOD, _("Completed well")),
                (rules.COMPLETED, _("Completed")), (rules.NOT_COMPLETED, _("Not completed"))]
UNIT_RESULT_CHOICES = [(rules.UNIT_DONE, _("Done on time")), (rules.UNIT_LATE, _("Late")),
                       (rules.UNIT_NOT_DONE, _("Not done"))]


@register_setting(icon="tasks")
class EvaluationSettings(BaseSiteSetting):
    """The cap on good ratings when a unit's own month falls short."""

    threshold = models.CharField(_("Band the cap applies to (and above)"), max_length=16, choices=BAND_CHOICES,
                                 default=rules.GOOD)
    cap_when_late = models.DecimalField(_("Share allowed when the unit is late"), max_digits=3, decimal_places=2,
                                        default=0.7, validators=[MinValueValidator(0), MaxValueValidator(1)],
                                        help_text=_("Between 0 and 1, e.g. 0.7 for 70%."))
    cap_when_not_done = models.DecimalField(_("Share allowed when the unit has not done its work"), max_digits=3,
                                            decimal_places=2, default=0.5,
                                            validators=[MinValueValidator(0), MaxValueValidator(1)],
                                            help_text=_("Between 0 and 1, e.g. 0.5 for 50%."))

    class Meta:
        verbose_name = _("Monthly evaluation")
        verbose_name_plural = _("Evaluation settings")

    def cap(self):
        return {rules.UNIT_DONE: 1.0, rules.UNIT_LATE: float(self.cap_when_late),
                rules.UNIT_NOT_DONE: float(self.cap_when_not_done)}


class UnitMonth(models.Model):
    """A unit's month: its own result and its cadres' ratings, finalised once."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="months", verbose_name=_("Unit"))
    month = models.DateField(_("Month"), help_text=_("The first day of the month."))
    unit_result = models.CharField(_("The unit's own result"), max_length=12, choices=UNIT_RESULT_CHOICES,
                                   blank=True)
    finalised_at = models.DateTimeField(_("Finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Month of a unit")
        verbose_name_plural = _("Months of units")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_evaluation_month_per_unit")]

    def __str__(self):
        return f"{self.unit} · {self.month:%m/%Y}"


class CadreRating(models.Model):
    unit_month = models.ForeignKey(UnitMonth, on_delete=models.CASCADE, related_name="ratings",
                                   verbose_name=_("Unit month"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("Person"))
    self_rating = models.CharField(_("Self-assessment"), max_length=16, choices=BAND_CHOICES, blank=True)
    head_rating = models.CharField(_("Head's assessment"), max_length=16, choices=BAND_CHOICES, blank=True)
    self_points = models.DecimalField(_("Self-assessed points"), max_digits=6, decimal_places=2, null=True,
                                      blank=True)
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


# --- The points rubric of a kind of unit.

from modelcluster.models import ClusterableModel  # noqa: E402
from wagtail.admin.panels import MultiFieldPanel  # noqa: E402


class Rubric(ClusterableModel):
    """How cadres of one kind of unit are scored each month: criteria with points,
    deductions for the manifestations of violations, and the points each band needs."""

    kind = models.OneToOneField(UnitKind, verbose_name=_("Kind of unit"), on_delete=models.CASCADE,
                                related_name="rubric")
    excellent_from = models.DecimalField(_("Excellent from (points)"), max_digits=6, decimal_places=2,
                                         default=rules.DEFAULT_BANDS[rules.EXCELLENT])
    good_from = models.DecimalField(_("Completed well from (points)"), max_digits=6, decimal_places=2,
                                    default=rules.DEFAULT_BANDS[rules.GOOD])
    completed_from = models.DecimalField(_("Completed from (points)"), max_digits=6, decimal_places=2,
                                         default=rules.DEFAULT_BANDS[rules.COMPLETED])

    panels = [
        FieldPanel("kind"),
        MultiFieldPanel([FieldPanel("excellent_from"), FieldPanel("good_from"), FieldPanel("completed_from")],
                        heading=_("Rating bands")),
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
        return {rules.EXCELLENT: float(self.excellent_from), rules.GOOD: float(self.good_from),
                rules.COMPLETED: float(self.completed_from)}

    def maximum(self):
        return sum(float(criterion.max_points) for criterion in self.criteria.all())


class RubricCriterion(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Rubric"))
    text = models.CharField(_("Criterion"), max_length=300)
    max_points = models.DecimalField(_("Maximum points"), max_digits=6, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0.01"))])

    panels = [FieldPanel("text"), FieldPanel("max_points")]

    class Meta:
        verbose_name = _("Rubric criterion")
        verbose_name_plural = _("Rubric criteria")

    def __str__(self):
        return self.text


class RubricDeduction(Orderable):
    """Points taken off when a manifestation of violation is found in the month."""

    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="deductions", verbose_name=_("Rubric"))
    manifestation = models.ForeignKey(Manifestation, verbose_name=_("Manifestation"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("Description"), max_length=300, blank=True,
                            help_text=_("Shown instead of the manifestation's own wording when given."))
    points = models.DecimalField(_("Points deducted"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(0)])

    panels = [FieldPanel("manifestation"), FieldPanel("text"), FieldPanel("points")]

    class Meta:
        verbose_name = _("Rubric deduction")
        verbose_name_plural = _("Rubric deductions")

    def __str__(self):
        return self.text or (self.manifestation.text if self.manifestation else "")


# Honours live in emulation/honours/ and belong to this app.
from .honours.models import (  # noqa: E402, F401
    Evidence,
    Honour,
    HonourCategory,
    HonourIndexPage,
    HonourSettings,
    Nomination,
    Vote,
    Voter,
)
