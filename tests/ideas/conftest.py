import datetime

import pytest
from django.utils import timezone

from ideas.models import IdeaCallPage, IdeaIndexPage, Sector
from tayho_site.models import Ward


@pytest.fixture
def index(home):
    page = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def call(index):
    page = IdeaCallPage(title="Hòm thư ý tưởng", slug="hom-thu", opens_at=timezone.now() - datetime.timedelta(days=1))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def sector(db):
    return Sector.objects.create(name="Môi trường và Hồ Tây")


@pytest.fixture
def ward(db):
    return Ward.objects.get_or_create(name="Phường Tây Hồ")[0]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the commit (the e-mails) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
