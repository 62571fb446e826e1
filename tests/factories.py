"""factory_boy factories. Pages are added under a parent (the home page by default)
through Wagtail's tree API, then published, as an editor would."""

import datetime

import factory
from wagtail.models import Page

from tayho_site.models import HomePage, NewsIndexPage, NewsPage, StandardPage


class PageFactory(factory.Factory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Trang {n}")
    slug = factory.Sequence(lambda n: f"trang-{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        parent = parent or HomePage.objects.first() or Page.get_first_root_node()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.live = False
            page.save()
        return page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    intro = "Giới thiệu ngắn."
    show_in_menus = True


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Tin tức"
    slug = factory.Sequence(lambda n: f"tin-tuc-{n}")
    show_in_menus = True


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Tin số {n}")
    slug = factory.Sequence(lambda n: f"tin-so-{n}")
    intro = "Tóm tắt bản tin."
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Nội dung bản tin.</p>")])
