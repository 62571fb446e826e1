"""The writing contest as content (pages) and its entries (records).

An entrant's identity (Entrant) is kept in its own table, apart from the entry's text,
so that judging can be blind: the judging side reads Entry and never joins Entrant.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from tayho_site.blocks import RICH_FEATURES
from tayho_site.models import ConsentRecord, FoldedSearchMixin
from tayho_site.navigation import MenuTitleMixin
from tayho_site.pagetree import KeptRestrictionsMixin, public


class ContestIndexPage(KeptRestrictionsMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    intro = models.TextField(_("Introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")] + FoldedSearchMixin.folded_search_fields()
    folded_source_fields = ("title", "search_description", "intro")
    subpage_types = ["contest.ContestPage"]
    template = "contest/contest_index_page.html"

    class Meta:
        verbose_name = _("Contest index")
        verbose_name_plural = _("Contest indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        contests = list(public(ContestPage.objects.live().child_of(self)).order_by("-opens_at"))
        now = timezone.now()
        context["current"] = [c for c in contests if c.state(now) in (ContestPage.UPCOMING, ContestPage.OPEN)]
        context["past"] = [c for c in contests if c.state(now) not in (ContestPage.UPCOMING, ContestPage.OPEN)]
        return context


class ContestPage(KeptRestrictionsMixin, RoutablePageMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    UPCOMING, OPEN, JUDGING, RESULTS = "upcoming", "open", "judging", "results"
    STATE_LABELS = {
        UPCOMING: _("Upcoming"),
        OPEN: _("Open for entries"),
        JUDGING: _("Judging"),
        RESULTS: _("Results published"),
    }

    theme = models.CharField(_("Theme"), max_length=300)
    intro = models.TextField(_("Introduction"), blank=True, max_length=800)
    rules = RichTextField(_("Rules"), features=RICH_FEATURES)
    eligibility = RichTextField(_("Who may take part"), features=RICH_FEATURES, blank=True)
    prizes = RichTextField(_("Prizes"), features=RICH_FEATURES, blank=True)
    contact = RichTextField(_("Organiser contacts"), features=["bold", "link"], blank=True)
    opens_at = models.DateTimeField(_("Opens at"))
    closes_at = models.DateTimeField(_("Closes at"))
    results_published_at = models.DateTimeField(_("Results published at"), null=True, blank=True)
    min_words = models.PositiveIntegerField(_("Minimum words"), default=500)
    max_words = models.PositiveIntegerField(_("Maximum words"), default=3000)
    code_prefix = models.CharField(
        _("Tracking code prefix"),
        max_length=12,
        default="KVTH",
        help_text=_("Tracking codes look like PREFIX-0042, e.g. KVTH26-0042."),
    )
    max_entries_per_person = models.PositiveSmallIntegerField(
        _("Entries per person and category"),
        default=1,
        help_text=_("More entries from the same e-mail in a category are flagged for the organisers."),
    )
    keep_text_after_erasure = models.BooleanField(
        _("Keep the anonymous text when an entrant asks for erasure after the contest"),
        default=False,
        help_text=_("Only if the rules say so. Before the closing time an erasure always removes the entry."),
    )
    rules_version = models.CharField(
        _("Version of the rules"),
        max_length=40,
        default="1",
        help_text=_("Stored with each entrant's consent. Change it when the rules change."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]), FieldPanel("results_published_at")],
            heading=_("Dates (Hà Nội time)"),
        ),
        InlinePanel("categories", heading=_("Categories"), label=_("Category"), min_num=1),
        FieldPanel("rules"),
        FieldPanel("eligibility"),
        FieldPanel("prizes"),
        FieldPanel("contact"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_words"), FieldPanel("max_words")]),
                FieldRowPanel([FieldPanel("code_prefix"), FieldPanel("max_entries_per_person")]),
                FieldPanel("rules_version"),
                FieldPanel("keep_text_after_erasure"),
            ],
            heading=_("Entry settings"),
        ),
    ]
    search_fields = (
        Page.search_fields
        + [
            index.SearchField("theme"),
            index.SearchField("intro"),
            index.SearchField("rules"),
        ]
        + FoldedSearchMixin.folded_search_fields()
    )
    folded_source_fields = ("title", "search_description", "theme", "intro", "rules")
    parent_page_types = ["contest.ContestIndexPage", "tayho_site.HomePage"]
    subpage_types = []
    template = "contest/contest_page.html"

    class Meta:
        verbose_name = _("Writing contest")
        verbose_name_plural = _("Writing contests")

    @property
    def summary(self):
        return self.search_description or self.intro or self.theme

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing time must be after the opening time.")
        if self.min_words and self.max_words and self.max_words < self.min_words:
            errors["max_words"] = _("The maximum must not be below the minimum.")
        if errors:
            raise ValidationError(errors)

    def state(self, now=None):
        """Where the contest stands, from its dates: upcoming, open, judging, results."""
        now = now or timezone.now()
        if self.results_published_at and self.results_published_at <= now:
            return self.RESULTS
        if now < self.opens_at:
            return self.UPCOMING
        if now < self.closes_at:
            return self.OPEN
        return self.JUDGING

    def state_label(self):
        return self.STATE_LABELS[self.state()]

    def published_awards(self):
        if self.state() != self.RESULTS:
            return []
        return list(self.awards.select_related("entry__entrant").order_by("position", "pk"))

    def is_open(self, now=None):
        return self.state(now) == self.OPEN

    # The judging engine's plug (contest.judging.protocols.Call): what a round of this
    # contest judges, and its decisions — prizes.
    judging_decision_kind = "prize"

    def judging_candidates(self):
        return Entry.objects.filter(contest=self, status=Entry.Status.CONFIRMED)

    def judging_decisions(self) -> dict:
        return dict(Award.objects.filter(contest=self).values_list("entry_id", "prize"))

    def judging_award(self, entry, prize, position, *, by):
        from .actions.results import award

        award(self, entry, prize, position, by=by)

    def judging_withdraw(self, entry, *, by):
        from .actions.results import withdraw_award

        for prize_award in Award.objects.filter(contest=self, entry=entry):
            withdraw_award(prize_award, by=by)

    def judging_publish(self, *, by) -> int:
        from .actions.results import publish_results

        return publish_results(self, by=by)

    @path("")
    def contest_home(self, request):
        return self.render(request)

    @path("gui-bai/")
    def entry_form(self, request):
        from .views import entry_form

        return entry_form(request, self)

    @path("gui-bai/da-gui/")
    def entry_sent(self, request):
        from .views import entry_sent

        return entry_sent(request, self)


class ContestCategory(Orderable):
    page = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="categories", verbose_name=_("Page"))
    name = models.CharField(_("Name"), max_length=120)
    description = models.CharField(_("Description"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("Category")
        verbose_name_plural = _("Categories")

    def __str__(self):
        return self.name


def _attachment_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"entries/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Entry(models.Model):
    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("Awaiting e-mail confirmation")
        CONFIRMED = "confirmed", _("Received")
        WITHDRAWN = "withdrawn", _("Withdrawn by the author")
        DISQUALIFIED = "disqualified", _("Disqualified")

    contest = models.ForeignKey(
        ContestPage, on_delete=models.PROTECT, related_name="entries", verbose_name=_("Contest")
    )
    category = models.ForeignKey(
        ContestCategory, on_delete=models.PROTECT, related_name="entries", verbose_name=_("Category")
    )
    title = models.CharField(_("Title"), max_length=200)
    body = models.TextField(_("Text"), help_text=_("Sanitised HTML."))
    word_count = models.PositiveIntegerField(_("Words"))
    attachment = models.FileField(_("Attachment"), upload_to=_attachment_path, blank=True)
    attachment_name = models.CharField(_("Attachment file name"), max_length=200, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.AWAITING_CONFIRMATION, db_index=True
    )
    tracking_code = models.CharField(_("Tracking code"), max_length=24, unique=True, null=True, blank=True)
    # The private link carries a token; only its hash is stored.
    access_token_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("Access token hash")
    )
    flagged_reason = models.CharField(_("Flag for the organisers"), max_length=300, blank=True)
    disqualification_reason = models.TextField(
        _("Reason for disqualification"),
        blank=True,
        max_length=1000,
        help_text=_("Required when the entry is disqualified; the author sees it."),
    )
    # Fingerprint of the text (tayho_site.text.simhash) to spot near-identical entries.
    body_simhash = models.BigIntegerField(default=0, editable=False, verbose_name=_("Body simhash"))
    created_at = models.DateTimeField(_("Sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Last changed"), auto_now=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("Withdrawn at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("Personal data erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Entry")
        verbose_name_plural = _("Entries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self):
        return f"{self.tracking_code or _('(unconfirmed)')} · {self.title}"

    def can_change(self, now=None):
        """The author may still edit or withdraw: not yet withdrawn or disqualified, and the
        contest still takes entries."""
        return self.status in (self.Status.AWAITING_CONFIRMATION, self.Status.CONFIRMED) and self.contest.is_open(now)

    @property
    def judging_reference(self):
        """The entry's own code, for the organisers; judges see the round's code instead."""
        return self.tracking_code or f"#{self.pk}"

    def judging_card(self, blind=True):
        """What a judge sees of the entry (the engine labels it with the round's code). In a
        blind round nothing that names the author: not the name, not the tracking code, not
        the attachment's original file name."""
        card = {
            "title": self.title,
            "body_html": self.body,
            "category": self.category.name,
            "words": self.word_count,
            "attachment": self.attachment or None,
        }
        if not blind:
            card["author"] = self.entrant.pen_name or self.entrant.full_name
        return card

    @classmethod
    def judging_corpus(cls, *, call_id):
        """What a round's texts are compared with for similar texts (contest.judging.protocols):
        every entry sent to another contest, as {pk, reference, source, text}, in one query."""
        rows = (
            cls.objects.exclude(contest_id=call_id)
            .exclude(status=cls.Status.AWAITING_CONFIRMATION)
            .order_by("pk")
            .values_list("pk", "tracking_code", "contest__title", "title", "body")
        )
        for pk, code, contest, title, body in rows.iterator(chunk_size=500):
            yield {"pk": pk, "reference": code or f"#{pk}", "source": contest, "text": f"{title}\n{body}"}

    def judging_identifiers(self):
        """What would name the author in a blind round's text (contest.judging.protocols)."""
        entrant = getattr(self, "entrant", None)
        if entrant is None:
            return []
        return [
            ("name", entrant.full_name),
            ("pen_name", entrant.pen_name),
            ("phone", entrant.phone),
            ("email", entrant.email),
            ("ward", entrant.ward.name if entrant.ward_id else ""),
            ("workplace", entrant.occupation),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.status == self.Status.DISQUALIFIED and not self.disqualification_reason.strip():
            raise ValidationError({"disqualification_reason": _("Give the reason: the author will see it.")})


class Entrant(models.Model):
    """Who wrote an entry. Kept apart from the text for blind judging."""

    class ShowAs(models.TextChoices):
        FULL_NAME = "name", _("My full name")
        PEN_NAME = "pen_name", _("My pen name")
        ANONYMOUS = "anonymous", _("Do not show a name")

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="entrant", verbose_name=_("Entry"))
    full_name = models.CharField(_("Full name"), max_length=120)
    pen_name = models.CharField(_("Pen name"), max_length=120, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Year of birth"))
    phone = models.CharField(_("Phone"), max_length=20)
    email = models.EmailField(_("E-mail"), db_index=True)
    ward = models.ForeignKey(
        "tayho_site.Ward", verbose_name=_("Ward"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("Address"), max_length=300, blank=True)
    occupation = models.CharField(_("Occupation or unit"), max_length=200, blank=True)
    show_as = models.CharField(
        _("Name shown with results"), max_length=12, choices=ShowAs.choices, default=ShowAs.FULL_NAME
    )

    class Meta:
        verbose_name = _("Entrant")
        verbose_name_plural = _("Entrants")

    def __str__(self):
        return self.full_name


class EntryConsent(ConsentRecord):
    class Kind(models.TextChoices):
        RULES = "rules", _("Accepts the contest rules")
        ORIGINAL = "original", _("The work is original and unpublished")
        PERSONAL_DATA = "personal_data", _("Personal data may be processed for this contest")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="consents", verbose_name=_("Entry"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("Kind"))

    class Meta:
        verbose_name = _("Consent")
        verbose_name_plural = _("Consents")
        constraints = [models.UniqueConstraint(fields=["entry", "kind"], name="one_consent_per_kind")]


class TrackingCodeCounter(models.Model):
    """The last number handed out per contest; locked while the next one is taken."""

    contest = models.OneToOneField(ContestPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("Contest"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("Last number"))

    class Meta:
        verbose_name = _("Tracking code counter")
        verbose_name_plural = _("Tracking code counters")

    def __str__(self):
        return f"{self.contest_id}: {self.last_number}"


class Award(models.Model):
    """A prize an entry won, decided by the organisers from a round's ranking."""

    contest = models.ForeignKey(ContestPage, on_delete=models.CASCADE, related_name="awards", verbose_name=_("Contest"))
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Entry"))
    prize = models.CharField(_("Prize"), max_length=120)
    position = models.PositiveSmallIntegerField(_("Order on the results page"), default=1)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("Decided by")
    )
    decided_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Decided at"))

    class Meta:
        verbose_name = _("Award")
        verbose_name_plural = _("Awards")
        ordering = ["contest_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["contest", "entry"], name="one_award_per_entry")]

    def __str__(self):
        return f"{self.prize}: {self.entry}"

    @property
    def shown_name(self):
        """The name the author agreed to show with the results."""
        entrant = self.entry.entrant
        if entrant.show_as == Entrant.ShowAs.PEN_NAME and entrant.pen_name:
            return entrant.pen_name
        if entrant.show_as == Entrant.ShowAs.FULL_NAME and entrant.full_name:
            return entrant.full_name
        return _("Anonymous author")

    @property
    def excerpt(self):
        from tayho_site.sanitize import strip_html

        words = strip_html(self.entry.body).split()
        return " ".join(words[:45]) + (" …" if len(words) > 45 else "")
