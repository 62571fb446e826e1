"""StreamField blocks of the general pages. Other apps' pages are chosen by string
(`page_type="contest.ContestPage"`), never imported, so this package imports no app."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock as WagtailImageBlock


class ImageBlock(WagtailImageBlock):
    """Wagtail's image block, whose chooser otherwise shows the untranslatable label
    "Image" (taken from the child's name) in the Vietnamese editor."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        self.child_blocks["image"].label = _("Image")


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    image = ImageBlock(label=_("Image"), required=False)
    button_text = blocks.CharBlock(label=_("Button text"), required=False, max_length=40)
    button_page = blocks.PageChooserBlock(label=_("Button links to"), required=False)

    class Meta:
        icon = "title"
        label = _("Hero")
        template = "tayho_site/blocks/hero.html"


class FeaturedCallBlock(blocks.StructBlock):
    """A call for essays or ideas that the home page puts forward."""

    page = blocks.PageChooserBlock(label=_("Page"))
    label = blocks.CharBlock(label=_("Label"), required=False, max_length=60)
    summary = blocks.TextBlock(label=_("Summary"), required=False, max_length=400)
    button_text = blocks.CharBlock(label=_("Button text"), required=False, max_length=40)

    class Meta:
        icon = "pick"
        label = _("Featured call")
        template = "tayho_site/blocks/featured_call.html"


class LatestNewsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    index = blocks.PageChooserBlock(
        label=_("News index"),
        page_type="tayho_site.NewsIndexPage",
        required=False,
        help_text=_("Leave empty to show news from the whole site."),
    )
    count = blocks.IntegerBlock(label=_("Number of items"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "list-ul"
        label = _("Latest news")
        template = "tayho_site/blocks/latest_news.html"


class RecentHonoursBlock(blocks.StructBlock):
    """The newest honours from the honour board (the emulation app's `honours_tags`)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    board = blocks.PageChooserBlock(label=_("Honour board"), page_type="emulation.HonourIndexPage")
    count = blocks.IntegerBlock(label=_("Number of honours"), default=4, min_value=1, max_value=12)

    class Meta:
        icon = "pick"
        label = _("Recent honours")
        template = "tayho_site/blocks/recent_honours.html"


class HighlightBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Figure"), required=False, max_length=20)
    title = blocks.CharBlock(label=_("Title"), max_length=100)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=300)
    page = blocks.PageChooserBlock(label=_("Links to"), required=False)


class HighlightsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    items = blocks.ListBlock(HighlightBlock(), label=_("Items"), min_num=1, max_num=8)

    class Meta:
        icon = "doc-full"
        label = _("Highlights")
        template = "tayho_site/blocks/highlights.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "tayho_site/blocks/quote.html"


# What editors may format in rich text on the site's pages and calls (contests, idea calls).
RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link"]


class ContentBlock(blocks.StreamBlock):
    """The body of standard pages and news."""

    heading = blocks.CharBlock(
        label=_("Heading"), max_length=160, form_classname="title", template="tayho_site/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_FEATURES)
    image = ImageBlock(label=_("Image"), template="tayho_site/blocks/image.html")
    quote = QuoteBlock()


class HomeBlock(blocks.StreamBlock):
    hero = HeroBlock()
    featured_call = FeaturedCallBlock()
    latest_news = LatestNewsBlock()
    recent_honours = RecentHonoursBlock()
    highlights = HighlightsBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul", "h2", "h3"])
