"""factory_boy factories. Pages are added under a parent (the home page by default)
through Wagtail's tree API, then published, as an editor would."""

import datetime

import factory
from django.utils import timezone
from wagtail.models import Page

from contest.models import ContestCategory, ContestPage
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


class ContestPageFactory(PageFactory):
    """An open contest by default: opened yesterday, closes in 30 days."""

    class Meta:
        model = ContestPage

    title = factory.Sequence(lambda n: f"Cuộc thi {n}")
    slug = factory.Sequence(lambda n: f"cuoc-thi-{n}")
    theme = "Ý tưởng cho Tây Hồ"
    rules = "<p>Thể lệ.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    min_words = 5
    max_words = 60
    code_prefix = "KVTH26"

    @classmethod
    def _create(cls, model_class, *args, parent=None, categories=("Nhân dân", "Thanh niên"), **kwargs):
        page = model_class(*args, **kwargs)
        for order, name in enumerate(categories):
            page.categories.add(ContestCategory(name=name, sort_order=order))
        parent = parent or HomePage.objects.first() or Page.get_first_root_node()
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
