"""Honours: nominations, the emulation council's votes and decisions, and the honours
the public sees on the honour board (with their certificates and verification pages).

A secret ballot keeps who voted (so each member votes once) apart from how: it stores no
vote rows at all, only three counts on the nomination.

The models belong to the emulation app (its tables and migrations): each says so with
`app_label`, since this package is an app of its own (emulation.honours) that the
emulation app never imports."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page
from wagtail.search import index

from tayho_site.models import FoldedSearchMixin, OptionList
from tayho_site.navigation import MenuTitleMixin
from tayho_site.pagetree import KeptRestrictionsMixin


class HonourCategory(OptionList):
    """E.g. exemplary individual, breakthrough in public service, contest prize winner,
    “Lao động tiên tiến”, “Chiến sĩ thi đua cơ sở”, certificate of merit."""

    for_collectives = models.BooleanField(_("Also for collectives"), default=False)

    panels = OptionList.panels + [FieldPanel("for_collectives")]

    class Meta(OptionList.Meta):
        app_label = "emulation"
        verbose_name = _("Honour category")
        verbose_name_plural = _("Honour categories")


@register_setting(icon="pick")
class HonourSettings(BaseSiteSetting):
    pass_share = models.DecimalField(
        _("Approvals needed (share of the council's members)"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "A nomination passes with more approvals than this share of all council members, e.g. 0.5 "
            "for more than half."
        ),
    )

    class Meta:
        app_label = "emulation"
        verbose_name = _("Honours")
        verbose_name_plural = _("Honour settings")


class Nomination(models.Model):
    class Source(models.TextChoices):
        UNIT = "unit", _("A unit's proposal")
        CONTEST = "contest", _("A contest prize")
        COMMITMENT = "commitment", _("A verified commitment")
        RATINGS = "ratings", _("Sustained excellent monthly ratings")
        MERITS = "merits", _("Merits confirmed in the monthly evaluations")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VOTING = "voting", _("Council voting")
        APPROVED = "approved", _("Approved by the council")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "emulation.Person",
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        "emulation.Unit",
        verbose_name=_("Unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        help_text=_("The collective honoured, or the person's unit."),
    )
    ward = models.ForeignKey(
        "tayho_site.Ward", verbose_name=_("Ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominee_name = models.CharField(_("Name shown"), max_length=200)
    collective = models.BooleanField(_("A collective"), default=False)
    category = models.ForeignKey(
        HonourCategory, verbose_name=_("Category"), on_delete=models.PROTECT, related_name="nominations"
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    achievements = models.TextField(_("Achievements"), help_text=_("Sanitised HTML."))
    source = models.CharField(_("Where it came from"), max_length=12, choices=Source.choices, default=Source.UNIT)
    source_note = models.CharField(_("Source"), max_length=300, blank=True)
    source_key = models.CharField(
        max_length=80,
        blank=True,
        db_index=True,
        editable=False,
        help_text="e.g. award:12, commitment:5, ratings:7:2026-09 — one nomination each",
        verbose_name=_("Source key"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Proposed by"),
    )
    secret_ballot = models.BooleanField(_("Secret ballot"), default=False)
    # A secret ballot keeps only these counts (no vote rows that could be matched to voters);
    # the council's size is taken when voting opens.
    secret_approve = models.PositiveSmallIntegerField(default=0, editable=False, verbose_name=_("Secret votes for"))
    secret_reject = models.PositiveSmallIntegerField(default=0, editable=False, verbose_name=_("Secret votes against"))
    secret_abstain = models.PositiveSmallIntegerField(default=0, editable=False, verbose_name=_("Secret abstentions"))
    council_size = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("Council size")
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    show_photo = models.BooleanField(_("The person agreed to publish their photo"), default=False)
    show_position = models.BooleanField(_("The person agreed to publish their position"), default=False)
    decision_number = models.CharField(_("Decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("Decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("Signed by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Decided at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created at"))

    class Meta:
        app_label = "emulation"
        verbose_name = _("Nomination")
        verbose_name_plural = _("Nominations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.nominee_name} · {self.category} {self.year}"

    SECRET_COUNTS = ("secret_approve", "secret_reject", "secret_abstain")

    @property
    def counts_sealed(self) -> bool:
        """A secret ballot's counts are read by nobody until the decision is recorded (nor
        ever, if the nomination is withdrawn): a running count, read after each vote beside
        who voted when, would tell how each member voted."""
        return self.secret_ballot and self.status not in (self.Status.APPROVED, self.Status.REJECTED)


def evidence_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"nominations/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Evidence(models.Model):
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("Nomination")
    )
    file = models.FileField(_("File"), upload_to=evidence_path)
    name = models.CharField(_("File name"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Uploaded at"))

    class Meta:
        app_label = "emulation"
        verbose_name = _("Evidence")
        verbose_name_plural = _("Evidence")

    def __str__(self):
        return self.name


class Voter(models.Model):
    """That a member voted on a nomination (once); how is in `Vote` (open ballot) or only in
    the nomination's counts (secret ballot)."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="voters", verbose_name=_("Nomination")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Member")
    )
    voted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Voted at"))

    class Meta:
        app_label = "emulation"
        verbose_name = _("Voter")
        verbose_name_plural = _("Voters")
        constraints = [models.UniqueConstraint(fields=["nomination", "member"], name="one_vote_per_member")]

    def __str__(self):
        return f"{self.nomination_id}:{self.member_id}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("vote", "Approve")
        REJECT = "reject", pgettext_lazy("vote", "Reject")
        ABSTAIN = "abstain", _("Abstain")

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="votes", verbose_name=_("Nomination")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Member")
    )
    choice = models.CharField(max_length=8, choices=Choice.choices, verbose_name=_("Choice"))

    class Meta:
        app_label = "emulation"
        verbose_name = _("Vote")
        verbose_name_plural = _("Votes")

    def __str__(self):
        return f"{self.nomination_id}:{self.choice}"


def new_code():
    return secrets.token_urlsafe(9)


class Honour(models.Model):
    """A published honour: what the board, the feeds and the certificate show. Only what
    the person agreed to publish is copied here; never contact details or ID numbers."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="honour", verbose_name=_("Nomination")
    )
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False, verbose_name=_("Code"))
    name = models.CharField(_("Name"), max_length=200)
    collective = models.BooleanField(default=False, verbose_name=_("Collective"))
    person = models.ForeignKey(
        "emulation.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Person")
    )
    unit = models.ForeignKey(
        "emulation.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Unit")
    )
    ward = models.ForeignKey(
        "tayho_site.Ward", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ward")
    )
    position = models.CharField(_("Position"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Photo"),
    )
    category = models.ForeignKey(
        HonourCategory, on_delete=models.PROTECT, related_name="honours", verbose_name=_("Category")
    )
    year = models.PositiveSmallIntegerField(_("Year"), db_index=True)
    citation = models.CharField(_("Citation"), max_length=500)
    achievements = models.TextField(_("Achievements"))
    decision_number = models.CharField(max_length=60, verbose_name=_("Decision number"))
    decision_date = models.DateField(verbose_name=_("Decision date"))
    decision_signer = models.CharField(max_length=200, verbose_name=_("Decision signer"))
    published_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("Published at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Revoked at"))
    revoked_reason = models.CharField(_("Reason for revoking"), max_length=500, blank=True)
    search_folded = models.TextField(editable=False, blank=True, verbose_name=_("Search text"))

    class Meta:
        app_label = "emulation"
        verbose_name = _("Honour")
        verbose_name_plural = _("Honours")
        ordering = ["-year", "-published_at", "pk"]
        indexes = [models.Index(fields=["revoked_at", "year"])]

    def __str__(self):
        return f"{self.name} · {self.category} {self.year}"

    @property
    def profile_key(self):
        """Who the person page is about: a person, a collective (unit) or, for people the
        platform does not list (e.g. contest winners), this honour alone."""
        if self.person_id:
            return f"p{self.person_id}"
        if self.collective and self.unit_id:
            return f"u{self.unit_id}"
        return f"h{self.pk}"

    @property
    def is_valid(self):
        return self.revoked_at is None


class HonourIndexPage(KeptRestrictionsMixin, RoutablePageMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    """“Bảng vinh danh”: the honoured, a page per person, verification pages,
    certificates, an Atom feed and a JSON list."""

    intro = models.TextField(_("Introduction"), blank=True, max_length=800)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")] + FoldedSearchMixin.folded_search_fields()
    folded_source_fields = ("title", "search_description", "intro")
    subpage_types = []
    max_count = 1
    template = "emulation/honours/board.html"

    class Meta:
        app_label = "emulation"
        verbose_name = _("Honour board")
        verbose_name_plural = _("Honour boards")

    @path("")
    def board(self, request):
        from .views import board

        return board(request, self)

    @re_path(r"^(?P<key>[puh]\d{1,18})/$")
    def profile(self, request, key):
        from .views import profile

        return profile(request, self, key)

    @path("xac-minh/<str:code>/")
    def verify(self, request, code):
        from .views import verify

        return verify(request, self, code)

    @path("chung-nhan/<str:code>/")
    def certificate(self, request, code):
        from .views import certificate

        return certificate(request, self, code)

    @path("chung-nhan/<str:code>/pdf/")
    def certificate_pdf(self, request, code):
        from .views import certificate_pdf

        return certificate_pdf(request, self, code)

    @path("feed/")
    def feed(self, request):
        from .views import feed

        return feed(request, self)

    @path("api/")
    def api(self, request):
        from .views import api

        return api(request, self)
