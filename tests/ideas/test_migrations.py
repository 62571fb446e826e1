"""Data migrations of the idea box, run on rows as the previous version stored them."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from ideas.actions import supports
from ideas.models import Support
from tayho_site.submissions import hash_email
from tests.factories import published_idea

pytestmark = pytest.mark.django_db

keyed_supporter_hashes = importlib.import_module("ideas.migrations.0005_keyed_supporter_hashes")


def test_no_plain_sha256_of_an_address_survives_the_migration(call, sector):
    idea = published_idea(call, sector)
    plain = Support.objects.create(
        idea=idea, email_hash=hashlib.sha256(b"ban@example.vn").hexdigest(), confirmed_at=timezone.now()
    )
    erased = Support.objects.create(idea=idea, email_hash="erased:41", confirmed_at=timezone.now())

    keyed_supporter_hashes.key_plain_hashes(apps, None)

    plain.refresh_from_db()
    erased.refresh_from_db()
    assert plain.email_hash == hash_email("ban@example.vn")
    assert hashlib.sha256(b"ban@example.vn").hexdigest() not in plain.email_hash
    assert erased.email_hash == "erased:41"  # retention's placeholder is no hash: left alone
    assert supports.request_support(idea, "ban@example.vn") == plain  # the supporter is still recognised
    assert Support.objects.count() == 2
