"""Calls for ideas (themed, with dates) and the standing idea box (no end), the ideas
residents send, who supports them, and each idea's public timeline.

As with contest entries, the author's identity (IdeaAuthor) is kept apart from the idea,
so a blind judging round and the public pages never read it."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from tayho_site.blocks import RICH_FEATURES
from tayho_site.models import ConsentRecord, FoldedSearchMixin, OptionList
from tayho_site.navigation import MenuTitleMixin
from tayho_site.pagetree import KeptRestrictionsMixin


class Sector(OptionList):
    """A field an idea belongs to (urban order, West Lake environment…). Data, editable."""

    class Meta(OptionList.Meta):
        verbose_name = _("Sector")
        verbose_name_plural = _("Sectors")


class IdeaIndexPage(KeptRestrictionsMixin, RoutablePageMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    """“Ý tưởng”: the calls, the gallery of every published idea and the public
    accountability page of the units ideas are referred to."""

    intro = models.TextField(_("Introduction"), blank=True, max_length=800)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")] + FoldedSearchMixin.folded_search_fields()
    folded_source_fields = ("title", "search_description", "intro")
    subpage_types = ["ideas.IdeaCallPage"]
    template = "ideas/idea_index_page.html"

    class Meta:
        verbose_name = _("Ideas index")
        verbose_name_plural = _("Idea indexes")

    @path("")
    def gallery(self, request):
        from .views import gallery

        return gallery(request, self)

    @path("trach-nhiem/")
    def accountability(self, request):
        from .views import accountability

        return accountability(request, self)

    @path("<int:pk>/")
    def idea(self, request, pk):
        from .views import idea_detail

        return idea_detail(request, self, pk)


class IdeaCallPage(KeptRestrictionsMixin, RoutablePageMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    """A themed call for ideas with dates, or — without a closing time — the standing
    idea box."""

    theme = models.CharField(_("Theme"), max_length=300, blank=True)
    intro = models.TextField(_("Introduction"), blank=True, max_length=800)
    body = RichTextField(_("About this call"), features=RICH_FEATURES, blank=True)
    opens_at = models.DateTimeField(_("Opens at"), default=timezone.now)
    closes_at = models.DateTimeField(
        _("Closes at"), null=True, blank=True, help_text=_("Leave empty for the standing idea box, open all year.")
    )
    results = RichTextField(
        _("Results"), features=RICH_FEATURES, blank=True, help_text=_("Shown once the results are published.")
    )
    results_published_at = models.DateTimeField(_("Results published at"), null=True, blank=True)
    referral_working_days = models.PositiveSmallIntegerField(
        _("Working days a unit has to answer"),
        default=10,
        help_text=_("The deadline of a referral, counted in working days (weekends and holidays excluded)."),
    )
    rules_version = models.CharField(
        _("Version of the rules"),
        max_length=40,
        default="1",
        help_text=_("Stored with each author's consent. Change it when the rules change."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]), FieldPanel("results_published_at")],
            heading=_("Dates (Hà Nội time)"),
        ),
        FieldPanel("results"),
        FieldRowPanel([FieldPanel("referral_working_days"), FieldPanel("rules_version")]),
    ]
    search_fields = (
        Page.search_fields
        + [index.SearchField("theme"), index.SearchField("intro")]
        + FoldedSearchMixin.folded_search_fields()
    )
    folded_source_fields = ("title", "search_description", "theme", "intro")
    parent_page_types = ["ideas.IdeaIndexPage"]
    subpage_types = []
    template = "ideas/idea_call_page.html"

    class Meta:
        verbose_name = _("Call for ideas")
        verbose_name_plural = _("Calls for ideas")

    @property
    def summary(self):
        return self.search_description or self.intro or self.theme

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing time must be after the opening time.")})

    @property
    def is_standing(self):
        return self.closes_at is None

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def results_are_public(self, now=None):
        now = now or timezone.now()
        return bool(self.results_published_at and self.results_published_at <= now)

    # The judging engine's plug (contest.judging.protocols.Call): what a round of this
    # call judges, and its decisions — selecting ideas.
    judging_decision_kind = "select"

    def judging_candidates(self):
        return Idea.objects.filter(call=self, status=Idea.Status.PUBLISHED)

    def judging_decisions(self) -> dict:
        return {
            pk: str(_("Selected"))
            for pk in Idea.objects.filter(
                call=self, status=Idea.Status.PUBLISHED, selected_at__isnull=False
            ).values_list("pk", flat=True)
        }

    def judging_award(self, idea, label, position, *, by):
        from .actions.selection import select

        select(idea, by=by)

    def judging_withdraw(self, idea, *, by):
        from .actions.selection import unselect

        unselect(idea, by=by)

    def judging_publish(self, *, by) -> int:
        from .actions.selection import publish_results

        return publish_results(self, by=by)

    @path("")
    def call_home(self, request):
        from .views import call_page

        return call_page(request, self)

    @path("gui-y-tuong/")
    def idea_form(self, request):
        from .views import idea_form

        return idea_form(request, self)

    @path("gui-y-tuong/da-gui/")
    def idea_sent(self, request):
        from .views import idea_sent

        return idea_sent(request, self)


def _attachment_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ideas/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Idea(models.Model):
    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("Awaiting e-mail confirmation")
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("idea", "Published")
        HIDDEN = "hidden", _("Hidden")
        DUPLICATE = "duplicate", _("Merged into another idea")
        SPAM = "spam", _("Spam")

    class Stage(models.TextChoices):
        """Where a published idea stands, for the public."""

        RECEIVED = "received", _("Under consideration")
        SELECTED = "selected", _("Selected")
        REFERRED = "referred", _("With the responsible unit")
        ACCEPTED = "accepted", _("Accepted, with a plan")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined, with reasons")

    call = models.ForeignKey(IdeaCallPage, verbose_name=_("Call"), on_delete=models.PROTECT, related_name="ideas")
    title = models.CharField(_("Title"), max_length=200)
    problem = models.TextField(_("The problem"), max_length=5000)
    proposal = models.TextField(_("The proposal"), max_length=10000)
    benefit = models.TextField(_("Expected benefit"), max_length=5000)
    sector = models.ForeignKey(Sector, verbose_name=_("Sector"), on_delete=models.PROTECT, related_name="ideas")
    ward = models.ForeignKey(
        "tayho_site.Ward", verbose_name=_("Ward"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("Place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    attachment = models.FileField(_("Picture or document"), upload_to=_attachment_path, blank=True)
    attachment_kind = models.CharField(max_length=8, blank=True, editable=False, verbose_name=_("Attachment kind"))
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.AWAITING_CONFIRMATION, db_index=True
    )
    stage = models.CharField(_("Stage"), max_length=12, choices=Stage.choices, default=Stage.RECEIVED, db_index=True)
    moderation_reason = models.CharField(_("Reason given to the author"), max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    supporters = models.PositiveIntegerField(_("Supporters"), default=0, db_index=True)
    selected_at = models.DateTimeField(_("Selected at"), null=True, blank=True)
    access_token_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("Access token hash")
    )
    search_folded = models.TextField(editable=False, blank=True, verbose_name=_("Search text"))
    created_at = models.DateTimeField(_("Sent at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Idea")
        verbose_name_plural = _("Ideas")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "published_at"]), models.Index(fields=["status", "supporters"])]

    def __str__(self):
        return f"{self.code} · {self.title}"

    @property
    def code(self):
        return f"YT-{self.pk:04d}" if self.pk else "YT-…"

    @property
    def judging_reference(self):
        """The idea's public code, for the organisers; judges see the round's code instead."""
        return self.code

    @classmethod
    def judging_corpus(cls, *, call_id):
        """What a round's texts are compared with for similar texts (contest.judging.protocols):
        every idea sent (not unconfirmed ones, not spam), of any call, as {pk, reference,
        source, text}, in one query."""
        rows = (
            cls.objects.exclude(status__in=[cls.Status.AWAITING_CONFIRMATION, cls.Status.SPAM])
            .order_by("pk")
            .values_list("pk", "call__title", "title", "problem", "proposal", "benefit")
        )
        for pk, call, title, problem, proposal, benefit in rows.iterator(chunk_size=500):
            yield {
                "pk": pk,
                "reference": cls(pk=pk).code,
                "source": call,
                "text": f"{title}\n{problem}\n{proposal}\n{benefit}",
            }

    def judging_identifiers(self):
        """What would name the author in a blind round's text (contest.judging.protocols)."""
        author = getattr(self, "author", None)
        if author is None:
            return []
        return [("name", author.full_name), ("phone", author.phone), ("email", author.email)]

    def judging_card(self, blind=True):
        """What a judge reads (the engine labels it with the round's code, never the idea's
        public one): the idea and how many residents support it; the author's name only in
        an open round. An idea withdrawn from publication since it was put in the round
        shows nothing of its text or file."""
        from django.utils.html import escape

        if not self.is_public:
            notice = escape(_("This idea is no longer published; do not score it."))
            return {
                "title": str(_("Withdrawn from publication")),
                "words": None,
                "body_html": f"<p>{notice}</p>",
                "category": self.sector.name,
                "supporters": None,
                "attachment": None,
            }
        body = "".join(
            f"<h3>{escape(heading)}</h3>"
            + "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
            for heading, text in (
                (_("The problem"), self.problem),
                (_("The proposal"), self.proposal),
                (_("Expected benefit"), self.benefit),
            )
        )
        card = {
            "title": self.title,
            "body_html": body,
            "category": self.sector.name,
            "words": None,
            "supporters": self.supporters,
            "attachment": self.attachment or None,
        }
        if not blind:
            author = IdeaAuthor.objects.filter(idea=self).first()
            card["author"] = author.shown_name if author else _("A resident (anonymous)")
        return card

    def get_absolute_url(self):
        from .actions.authors import public_path

        return public_path(self) if self.is_public else ""

    def referral_changed(self, referral, step):
        from .actions.referring import referral_changed

        referral_changed(self, referral, step)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_image(self):
        return self.attachment_kind in ("jpeg", "png")


class IdeaAuthor(models.Model):
    """Who sent an idea. Never shown, except the name when the author chose to show it."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="author", verbose_name=_("Idea"))
    full_name = models.CharField(_("Full name"), max_length=120)
    email = models.EmailField(_("E-mail"), db_index=True)
    phone = models.CharField(_("Phone"), max_length=20, blank=True)
    show_name = models.BooleanField(_("Show the name with the idea"), default=False)
    notify = models.BooleanField(_("E-mail me when the idea's status changes"), default=True)

    class Meta:
        verbose_name = _("Author of an idea")
        verbose_name_plural = _("Authors of ideas")

    def __str__(self):
        return self.full_name

    @property
    def shown_name(self):
        return self.full_name if self.show_name and self.full_name else _("A resident (anonymous)")


class IdeaConsent(ConsentRecord):
    class Kind(models.TextChoices):
        RULES = "rules", _("Accepts the rules of the idea box")
        PERSONAL_DATA = "personal_data", _("Personal data may be processed for this idea")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="consents", verbose_name=_("Idea"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("Kind"))

    class Meta:
        verbose_name = _("Consent")
        verbose_name_plural = _("Consents")
        constraints = [models.UniqueConstraint(fields=["idea", "kind"], name="one_idea_consent_per_kind")]


class Support(models.Model):
    """One resident's support of an idea, counted once confirmed from their e-mail. Only
    a keyed hash of the address is kept (tayho_site.submissions.hash_email): enough to
    count each address once, useless without SUPPORTER_HASH_KEYS."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("Idea"))
    email_hash = models.CharField(max_length=72, verbose_name=_("Email hash"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Confirmed at"))
    # Following: only a supporter who asked for the idea's news gives their address for it;
    # it is kept for that alone and erased when they stop.
    follow_email = models.EmailField(_("E-mail for the idea's news"), blank=True)
    following = models.BooleanField(_("Follows the idea"), default=False, db_index=True)

    class Meta:
        verbose_name = _("Support")
        verbose_name_plural = _("Supports")
        constraints = [models.UniqueConstraint(fields=["idea", "email_hash"], name="one_support_per_email")]

    def __str__(self):
        return f"{self.idea_id}:{self.email_hash[:8]}"


class IdeaEvent(models.Model):
    """A public step of an idea's life (received, published, selected, results…). The
    hand-overs between units are the referral's own steps; the timeline shows both."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        PUBLISHED = "published", pgettext_lazy("idea", "Published")
        MERGED = "merged", _("Another idea was merged into this one")
        SELECTED = "selected", _("Selected by the judges")
        UNSELECTED = "unselected", _("Selection withdrawn")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events", verbose_name=_("Idea"))
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("Kind"))
    text = models.CharField(max_length=500, blank=True, verbose_name=_("Text"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("Time"))

    class Meta:
        verbose_name = _("Idea event")
        verbose_name_plural = _("Idea events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.idea_id} · {self.kind}"
