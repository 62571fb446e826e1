"""What a judging round stores. A round belongs to a call page (a contest, or an idea
call) and judges "items": each item points to the thing judged (an entry, an idea)
through a generic relation, so this module imports no app's models.

The models belong to the contest app (its tables and migrations): each says so with
`app_label`, since the engine is an app of its own (contest.judging)."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from tayho_site import roles


def new_seed():
    return secrets.randbelow(1_000_000)


# No 0/O, 1/I/L: a code is read aloud and copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_item_code() -> str:
    """A random code such as "K7Q-X3M": what judges call an item. Drawn afresh for each
    round, it says nothing of the entry or idea behind it (not its tracking code, not
    its number, not the order things were sent in)."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{letters[:3]}-{letters[3:]}"


class Round(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SCORING = "scoring", _("Scoring")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Results published")

    METHOD_CHOICES = [
        ("mean", _("Weighted mean")),
        ("trimmed", _("Trimmed mean")),
        ("zscore", _("Per-judge normalised (z-score)")),
    ]

    call = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("Call"), on_delete=models.CASCADE, related_name="judging_rounds"
    )
    name = models.CharField(_("Name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("Order"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("Previous round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
    )
    scoring_opens_at = models.DateTimeField(_("Scoring opens at"))
    scoring_closes_at = models.DateTimeField(_("Scoring closes at"))
    judges_per_item = models.PositiveSmallIntegerField(_("Judges per item"), default=3)
    blind = models.BooleanField(_("Blind"), default=True, help_text=_("Judges never see who wrote an item."))
    advance_count = models.PositiveIntegerField(_("Items that advance"), null=True, blank=True)
    method = models.CharField(_("Ranking method"), max_length=12, choices=METHOD_CHOICES, default="mean")
    tie_breakers = models.JSONField(
        _("Tie-break rules"), default=list, blank=True, help_text=_('E.g. [["criterion", "Ý tưởng"], ["reviews"]].')
    )
    seed = models.PositiveIntegerField(_("Assignment seed"), default=new_seed)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    judges = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Panel"),
        blank=True,
        related_name="judging_rounds",
        limit_choices_to={"groups__name": roles.JUDGES},
        help_text=_("Members of the judges' group (Ban giám khảo)."),
    )
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"groups__name": roles.JUDGES},
        help_text=_(
            "Reads the discussions of items whose judges disagree and records the consensus score (organisers may too)."
        ),
    )
    disagreement_percent = models.PositiveSmallIntegerField(
        _("Disagreement threshold (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Judges disagree when their totals for an item spread (standard deviation) over more than "
            "this share of the rubric's range: the item is flagged and goes to a discussion."
        ),
    )
    agreement = models.FloatField(
        _("Agreement (Krippendorff's alpha)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("How far the judges agreed, computed when the round closes: 1 perfect, 0 as if at random."),
    )
    feedback_to_entrants = models.BooleanField(
        _("Feedback to entrants"),
        default=False,
        help_text=_(
            "After the results, each entrant's private page shows the judges' comments for the author "
            "(judges unnamed) and the mean points per criterion."
        ),
    )

    panels = [
        FieldPanel("call"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("previous")]),
        FieldRowPanel([FieldPanel("scoring_opens_at"), FieldPanel("scoring_closes_at")]),
        MultiFieldPanel(
            [
                FieldPanel("judges_per_item"),
                FieldPanel("blind"),
                FieldPanel("judges"),
                FieldPanel("chair"),
                FieldPanel("seed"),
            ],
            heading=_("Panel"),
        ),
        InlinePanel("criteria", heading=_("Rubric"), label=_("Criterion"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("method"),
                FieldPanel("tie_breakers"),
                FieldPanel("advance_count"),
                FieldPanel("disagreement_percent"),
            ],
            heading=_("Ranking"),
        ),
        FieldPanel("feedback_to_entrants"),
    ]

    class Meta:
        app_label = "contest"
        verbose_name = _("Judging round")
        verbose_name_plural = _("Judging rounds")
        ordering = ["call_id", "position"]

    @property
    def disagreement_share(self) -> float:
        """The disagreement threshold as a share of the rubric's range (0.2 for 20 %)."""
        return (self.disagreement_percent or 20) / 100

    def __str__(self):
        return f"{self.call.title} · {self.name}"


class Criterion(Orderable):
    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Round"))
    name = models.CharField(_("Name"), max_length=120)
    guidance = models.TextField(_("Guidance for judges"), blank=True, max_length=1500)
    max_points = models.PositiveSmallIntegerField(_("Maximum points"), default=10)
    weight = models.DecimalField(_("Weight"), max_digits=5, decimal_places=2, default=1)

    panels = [
        FieldPanel("name"),
        FieldPanel("guidance"),
        FieldRowPanel([FieldPanel("max_points"), FieldPanel("weight")]),
    ]

    class Meta(Orderable.Meta):
        app_label = "contest"
        verbose_name = _("Criterion")
        verbose_name_plural = _("Criteria")

    def __str__(self):
        return self.name


class Item(models.Model):
    """One thing a round judges: an entry, an idea…"""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items", verbose_name=_("Round"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Content type")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("Object id"))
    subject = GenericForeignKey("content_type", "object_id")
    code = models.CharField(
        _("Code"),
        max_length=32,
        default=new_item_code,
        help_text=_("What judges see: random, drawn for this round only."),
    )
    calibration = models.BooleanField(
        _("Calibration item"),
        default=False,
        help_text=_("Every judge scores it first and sees how their scores sit against the panel's; it is not ranked."),
    )

    class Meta:
        app_label = "contest"
        verbose_name = _("Judged item")
        verbose_name_plural = _("Judged items")
        constraints = [
            models.UniqueConstraint(fields=["round", "content_type", "object_id"], name="judging_item_once_per_round"),
            models.UniqueConstraint(fields=["round", "code"], name="judging_item_code_once_per_round"),
        ]
        ordering = ["round_id", "code"]

    def __str__(self):
        return self.code


class Conflict(models.Model):
    """A judge may not score an item: declared ahead, or a recusal."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("Item"))
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("Judge")
    )
    reason = models.CharField(_("Reason"), max_length=500)
    declared_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Declared at"))

    class Meta:
        app_label = "contest"
        verbose_name = _("Conflict of interest")
        verbose_name_plural = _("Conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["item", "judge"], name="judging_conflict_once")]

    def __str__(self):
        return f"{self.judge} ≠ {self.item}"


class Assignment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("Item"))
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judging_assignments", verbose_name=_("Judge")
    )
    by_hand = models.BooleanField(_("Assigned by hand"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))
    recused_at = models.DateTimeField(_("Recused at"), null=True, blank=True)

    class Meta:
        app_label = "contest"
        verbose_name = _("Assignment")
        verbose_name_plural = _("Assignments")
        constraints = [models.UniqueConstraint(fields=["item", "judge"], name="judging_assignment_once")]

    def __str__(self):
        return f"{self.item} → {self.judge}"


class Review(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("score", "Submitted")

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("Assignment")
    )
    points = models.JSONField(_("Points"), default=dict, help_text=_("Criterion id → points."))
    comment = models.TextField(pgettext_lazy("assessment", "Comment"), blank=True, max_length=5000)
    feedback = models.TextField(
        _("Comment for the author"),
        blank=True,
        max_length=5000,
        help_text=_("Shown to the author, without your name, if the round gives feedback to entrants."),
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated at"))
    first_points = models.JSONField(
        _("First points"), null=True, blank=True, help_text=_("The points first submitted, kept when revised.")
    )
    revised_at = models.DateTimeField(_("Revised at"), null=True, blank=True)

    class Meta:
        app_label = "contest"
        verbose_name = _("Review")
        verbose_name_plural = _("Reviews")

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"


class DiscussionPost(models.Model):
    """A message in the discussion of an item whose judges disagree. Its judges read one
    another as "Judge A, B, C"; the chair and the organisers read and write too."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="discussion", verbose_name=_("Item"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Author")
    )
    body = models.TextField(_("Message"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        app_label = "contest"
        verbose_name = _("Discussion message")
        verbose_name_plural = _("Discussion messages")
        ordering = ["item_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.item} · {self.created_at:%Y-%m-%d %H:%M}"


class Consensus(models.Model):
    """The score the chair settles on for an item whose judges disagreed, with the reason;
    the ranking uses it instead of the judges' scores, and says so."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="consensus", verbose_name=_("Item"))
    score = models.FloatField(_("Consensus score"), help_text=_("A weighted total, in the rubric's range."))
    reason = models.TextField(_("Reason"), max_length=3000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Decided by")
    )
    decided_at = models.DateTimeField(auto_now=True, verbose_name=_("Decided at"))

    class Meta:
        app_label = "contest"
        verbose_name = _("Consensus score")
        verbose_name_plural = _("Consensus scores")

    def __str__(self):
        return f"{self.item}: {self.score:g}"


class Redaction(models.Model):
    """What a scan found of the author's name (phone, e-mail, ward, workplace) in an
    item's text before a blind round, and the text judges read once the organisers
    redact it. The subject's own text is never changed."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="redaction", verbose_name=_("Item"))
    hits = models.JSONField(_("Found"), default=list, blank=True)
    scanned_at = models.DateTimeField(_("Scanned at"), auto_now=True)
    title = models.CharField(_("Redacted title"), max_length=500, blank=True)
    body_html = models.TextField(_("Redacted text"), blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Redacted by"),
    )
    redacted_at = models.DateTimeField(_("Redacted at"), null=True, blank=True)

    class Meta:
        app_label = "contest"
        verbose_name = _("Redaction")
        verbose_name_plural = _("Redactions")

    def __str__(self):
        return f"{self.item}: {len(self.hits)}"
