import datetime

import pytest
from django.utils import timezone

from ideas.actions import authors, moderation
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


IDEA = {"title": "Thùng rác phân loại ven Hồ Tây",
        "problem": "Rác nhựa dồn ứ ở các điểm ngồi ven hồ vào cuối tuần.",
        "proposal": "Đặt thùng rác ba ngăn cách nhau hai trăm mét, có biển hướng dẫn.",
        "benefit": "Hồ sạch hơn, người dân quen phân loại rác."}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the commit (the e-mails) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def send(call, sector, *, email="nguoidan@example.vn", show_name=False, **extra):
    values = {**IDEA, "sector": sector, **extra}
    return authors.submit_idea(call, **values, author={"full_name": "Nguyễn Thị Hoa", "email": email,
                                                      "phone": "0912345678", "show_name": show_name},
                             consents=["rules", "personal_data"])


def published(call, sector, **extra):
    submission = send(call, sector, **extra)
    authors.confirm_idea(submission.idea)
    return moderation.publish(submission.idea, by=None)
