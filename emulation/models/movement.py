"""The movement as content: its page, with the manifestations of violations that
Directive 24-CT/TU lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from tayho_site.models import FoldedSearchMixin
from tayho_site.navigation import MenuTitleMixin
from tayho_site.pagetree import KeptRestrictionsMixin


class MovementPage(KeptRestrictionsMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    """An emulation movement: its period, goals, task groups and the manifestations of
    violations it fights; its public commitments are listed on the page."""

    period_start = models.DateField(_("From"))
    period_end = models.DateField(_("Until"), null=True, blank=True)
    intro = models.TextField(_("Introduction"), blank=True, max_length=800)
    goals = RichTextField(_("Goals"), features=["bold", "italic", "ol", "ul", "link"], blank=True)
    task_groups = RichTextField(_("Task groups"), features=["bold", "italic", "ol", "ul", "link"], blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("period_start"),
        FieldPanel("period_end"),
        FieldPanel("intro"),
        FieldPanel("goals"),
        FieldPanel("task_groups"),
        InlinePanel("manifestations", heading=_("Manifestations of violations"), label=_("Manifestation")),
    ]
    search_fields = (
        Page.search_fields
        + [index.SearchField("intro"), index.SearchField("goals")]
        + FoldedSearchMixin.folded_search_fields()
    )
    folded_source_fields = ("title", "search_description", "intro", "goals", "task_groups")
    template = "emulation/movement_page.html"

    class Meta:
        verbose_name = _("Emulation movement")
        verbose_name_plural = _("Movement pages")

    def public_commitments(self):
        Commitment = self.commitments.model
        return (
            Commitment.objects.filter(movement=self, public=True)
            .exclude(status=Commitment.Status.WITHDRAWN)
            .select_related("unit", "person")
            .order_by("deadline")
        )


class Manifestation(Orderable):
    """One of the manifestations of violations (Directive 24 lists 25); editable."""

    page = ParentalKey(MovementPage, on_delete=models.CASCADE, related_name="manifestations", verbose_name=_("Page"))
    text = models.CharField(_("Manifestation"), max_length=300)
    code = models.SlugField(
        _("Code"),
        max_length=60,
        blank=True,
        help_text=_(
            "Optional: a short code (e.g. tra-loi-qua-han) by which records found elsewhere, such as overdue "
            "referrals, are proposed as this manifestation in the monthly evaluation."
        ),
    )

    panels = [FieldPanel("text"), FieldPanel("code")]

    class Meta:
        verbose_name = _("Manifestation")
        verbose_name_plural = _("Manifestations")

    def __str__(self):
        return self.text
