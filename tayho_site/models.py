"""The general pages of the site, its site-wide settings, wards and holidays, consent
records, and the audit log's entries."""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import ContentBlock, HomeBlock
from .navigation import MenuTitleMixin
from .pagetree import KeptRestrictionsMixin, keep, public, site_settings
from .text import fold


class FoldedSearchMixin:
    """Makes a page findable by text typed without Vietnamese diacritics.

    The index holds a folded copy of the page's searchable text ("kỷ cương" is also
    indexed as "ky cuong"), and the search view folds the query the same way, so
    "ky cuong" and "kỷ cương" both find it, on SQLite and PostgreSQL alike.
    """

    folded_source_fields = ("title", "search_description")

    @property
    def summary(self):
        """A line or two that search results and listings show under the title."""
        return self.search_description or getattr(self, "intro", "")

    def folded_search_text(self):
        parts = []
        for name in self.folded_source_fields:
            value = getattr(self, name, None)
            if value is None:
                continue
            field = self._meta.get_field(name)
            if isinstance(field, StreamField):
                parts.extend(str(chunk) for chunk in field.get_searchable_content(value))
            else:
                parts.append(str(value))
        return fold(" ".join(parts))

    @classmethod
    def folded_search_fields(cls):
        return [index.SearchField("folded_search_text")]


class HomePage(KeptRestrictionsMixin, FoldedSearchMixin, Page):
    body = StreamField(HomeBlock(), blank=True, verbose_name=_("Content"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + FoldedSearchMixin.folded_search_fields()
    folded_source_fields = ("title", "search_description", "body")

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "tayho_site/home_page.html"

    def route(self, request, path_components):
        # The site's root: which page a path leads to is kept while the tree is unchanged.
        from .pagetree import route

        return route(self, request, path_components, super().route)

    class Meta:
        verbose_name = _("Home page")
        verbose_name_plural = _("Home pages")


class StandardPage(KeptRestrictionsMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    intro = models.TextField(_("Introduction"), blank=True, max_length=600)
    body = StreamField(ContentBlock(), blank=True, verbose_name=_("Content"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = (
        Page.search_fields
        + [
            index.SearchField("intro"),
            index.SearchField("body"),
        ]
        + FoldedSearchMixin.folded_search_fields()
    )
    folded_source_fields = ("title", "search_description", "intro", "body")
    template = "tayho_site/standard_page.html"

    class Meta:
        verbose_name = _("Standard page")
        verbose_name_plural = _("Standard pages")


class NewsIndexPage(KeptRestrictionsMixin, MenuTitleMixin, FoldedSearchMixin, Page):
    intro = models.TextField(_("Introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")] + FoldedSearchMixin.folded_search_fields()
    folded_source_fields = ("title", "search_description", "intro")
    subpage_types = ["tayho_site.NewsPage"]
    template = "tayho_site/news_index_page.html"
    page_size = 10

    class Meta:
        verbose_name = _("News index")
        verbose_name_plural = _("News indexes")

    def news_items(self):
        return public(NewsPage.objects.live().child_of(self)).select_related("image").order_by("-date", "-pk")

    def listed_news(self):
        """The news items as the list shows them (without their bodies, with their
        pictures' sizes), kept while the tree and the pictures are unchanged."""
        return keep(
            ("news-items", self.pk),
            lambda: tuple(self.news_items().defer_streamfields().prefetch_related("image__renditions")),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.listed_news(), self.page_size)
        context["news_page"] = paginator.get_page(request.GET.get("page"))
        return context


class NewsPage(KeptRestrictionsMixin, FoldedSearchMixin, Page):
    date = models.DateField(_("Date"), default=timezone.localdate)
    intro = models.TextField(_("Summary"), blank=True, max_length=600)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentBlock(), blank=True, verbose_name=_("Content"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("intro"), FieldPanel("image")], heading=_("Summary")),
        FieldPanel("body"),
    ]
    search_fields = (
        Page.search_fields
        + [
            index.SearchField("intro"),
            index.SearchField("body"),
            index.FilterField("date"),
        ]
        + FoldedSearchMixin.folded_search_fields()
    )
    folded_source_fields = ("title", "search_description", "intro", "body")
    parent_page_types = ["tayho_site.NewsIndexPage"]
    subpage_types = []
    template = "tayho_site/news_page.html"

    class Meta:
        verbose_name = _("News item")
        verbose_name_plural = _("News items")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    organisation = models.CharField(_("Organisation"), max_length=200, default="Ban Chấp hành Đảng bộ quận Tây Hồ")
    address = models.CharField(_("Address"), max_length=300, blank=True)
    phone = models.CharField(_("Phone"), max_length=40, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    working_hours = models.CharField(_("Working hours"), max_length=200, blank=True)
    footer_text = models.TextField(_("Footer text"), blank=True, max_length=600)

    panels = [
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email"), FieldPanel("working_hours")],
            heading=_("Contact"),
        ),
        FieldPanel("footer_text"),
    ]

    @classmethod
    def for_request(cls, request):
        # Read on every page (the footer): kept while the tree is unchanged.
        return site_settings(cls, request)

    class Meta:
        verbose_name = _("Site settings")
        verbose_name_plural = _("Site settings")


class ConsentRecord(models.Model):
    """A consent a person gave with a submission: what, under which version of the rules,
    when. Each kind of submission subclasses it with its own kinds and record."""

    kind = models.CharField(_("Kind"), max_length=20)
    policy_version = models.CharField(_("Policy version"), max_length=40)
    given_at = models.DateTimeField(_("Given at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_kind_display()} ({self.policy_version})"


class OptionList(models.Model):
    """A list residents pick from in forms (wards, sectors…): editable data, offered or
    not, in the organisers' order."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    active = models.BooleanField(_("Offered in forms"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("Order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Ward(OptionList):
    """A ward (phường) or other place residents pick in forms. Data, not a fixed list:
    administrative boundaries change (Vietnam reorganised its local levels in 2025)."""

    class Meta(OptionList.Meta):
        verbose_name = _("Ward")
        verbose_name_plural = _("Wards")


class CalendarDay(models.Model):
    """A public holiday, or a Saturday worked in exchange for a bridged holiday ("làm
    bù"): the days that deadlines in working days skip or count. The government announces
    them each year; organisers enter them here."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Public holiday (day off)")
        WORKING = "work", _("Working day (make-up day)")

    date = models.DateField(_("Date"), unique=True)
    kind = models.CharField(_("Kind"), max_length=4, choices=Kind.choices, default=Kind.DAY_OFF)
    name = models.CharField(_("Name"), max_length=120)

    panels = [FieldPanel("date"), FieldPanel("kind"), FieldPanel("name")]

    class Meta:
        verbose_name = _("Holiday or make-up day")
        verbose_name_plural = _("Holidays and make-up days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.name}"

    @classmethod
    def calendar(cls):
        """(days off, extra working days) as sets, for `tayho_site.workdays`."""
        rows = list(cls.objects.values_list("date", "kind"))
        return ({d for d, k in rows if k == cls.Kind.DAY_OFF}, {d for d, k in rows if k == cls.Kind.WORKING})


@register_setting(icon="lock")
class SecuritySettings(BaseSiteSetting):
    two_factor_groups = models.ManyToManyField(
        "auth.Group",
        blank=True,
        verbose_name=_("Groups that must use two-factor sign-in"),
        help_text=_(
            "Members of these groups pair an authenticator app before they can do anything else. "
            "Administrators (superusers) always must."
        ),
    )

    panels = [FieldPanel("two_factor_groups", widget=forms.CheckboxSelectMultiple)]

    class Meta:
        verbose_name = _("Security")
        verbose_name_plural = _("Security settings")

    @classmethod
    def for_site(cls, site):
        """The site's setting; a site's first one requires two-factor sign-in of the staff
        groups (roles.TWO_FACTOR_REQUIRED), as the migration did for the sites before it."""
        from django.contrib.auth.models import Group

        from .roles import TWO_FACTOR_REQUIRED

        if site is None:
            raise cls.DoesNotExist(f"{cls} does not exist for site None.")
        with transaction.atomic():  # never a first setting without its groups
            setting, created = cls.base_queryset().get_or_create(site=site)
            if created:
                setting.two_factor_groups.set(Group.objects.filter(name__in=TWO_FACTOR_REQUIRED))
        return setting


# --- The audit log (tayho_site.audit writes it).


class AppendOnly(Exception):
    """The audit log is never changed after the fact."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")

    def for_object(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


class AuditEntry(models.Model):
    at = models.DateTimeField(_("When"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        _("Acting as"),
        max_length=120,
        blank=True,
        help_text=_("For actions without an account, e.g. an author using their link."),
    )
    action = models.CharField(_("Action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Target type")
    )
    target_id = models.CharField(max_length=64, db_index=True, verbose_name=_("Target id"))
    target_label = models.CharField(_("Record"), max_length=255)
    summary = models.CharField(_("What happened"), max_length=500, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("Audit entry")
        verbose_name_plural = _("Audit log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")

    @property
    def action_label(self):
        from .audit import action_label

        return action_label(self.action)

    @property
    def readable_summary(self):
        """The summary, with a status change "pending → published" in the words of the
        record's own status field ("Chờ duyệt → Đã công khai")."""
        previous, status = self.data.get("previous"), self.data.get("status")
        model = self.target_type.model_class() if self.target_type_id else None
        if previous is None or status is None or model is None:
            return self.summary
        try:
            choices = dict(model._meta.get_field("status").flatchoices)
        except FieldDoesNotExist:  # no status field: keep the summary as written
            return self.summary
        return f"{choices.get(previous, previous)} → {choices.get(status, status)}"
