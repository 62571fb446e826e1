"""Ward staff enter an idea for a resident who has no e-mail, with the resident's consent,
named on the trail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ideas.models import Idea, IdeaEvent
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import IDEA, member

pytestmark = pytest.mark.django_db
URL = "/ho-so-y-tuong/nhap-ho/"


def data(call, sector, **overrides):
    values = {
        **IDEA,
        "call": str(call.pk),
        "sector": str(sector.pk),
        "ward": "",
        "place": "",
        "latitude": "",
        "longitude": "",
        "full_name": "Nguyễn Văn Bình",
        "email": "",
        "phone": "",
        "accept_rules": "on",
        "personal_data": "on",
    }
    values.update(overrides)
    return values


def test_ward_staff_enter_an_idea_for_a_resident_without_email(client, call, sector, tree):
    clerk = member("motcua", tree["a"], roles.WARD_STAFF)
    client.force_login(clerk)
    assert reverse("ideas:staff_entry") == URL
    assert client.post(URL, data(call, sector, personal_data="")).status_code == 400  # no consent, nothing saved
    assert not Idea.objects.exists()
    response = client.post(URL, data(call, sector))
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.status, idea.author.email, idea.author.notify) == ("pending", "", False)
    assert idea.consents.count() == 2 and IdeaEvent.objects.filter(idea=idea, kind="received").exists()
    assert not mail.outbox  # no confirmation to send
    assert AuditEntry.objects.get(action="ideas.idea.enter").actor == clerk
    page = client.get(response.url).content.decode()
    private = re.search(r">https?://testserver(/ho-so-y-tuong/[^<]+/)</a>", page).group(1)
    assert private not in client.get(response.url).content.decode()  # shown once
    client.logout()
    assert IDEA["title"] in client.get(private).content.decode()


def test_only_ward_staff_and_organisers_enter_ideas(client, call, sector, tree):
    officer = member("canbo", tree["a"], roles.UNIT_OFFICERS)
    client.force_login(officer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data(call, sector)).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the sign-in page
    assert not Idea.objects.exists()
