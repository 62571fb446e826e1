"""The demo's accounts: one per role, each signing in at once and finding work waiting;
passwords random per database and printed again on the next run; never in production."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tayho_site import roles, twofactor

pytestmark = pytest.mark.django_db

ROLE_ACCOUNTS = {
    "bantochuc": roles.ORGANISERS,
    "giamkhao1": roles.JUDGES,
    "giamkhao2": roles.JUDGES,
    "giamkhao3": roles.JUDGES,
    "canbonoivu": roles.UNIT_OFFICERS,
    "giamsatmttq": roles.SUPERVISORS,
    "hoidong1": roles.EMULATION_COUNCIL,
    "hoidong2": roles.EMULATION_COUNCIL,
    "hoidong3": roles.EMULATION_COUNCIL,
    "bientap": roles.EDITORS,
}


def passwords_in(accounts_file):
    return {name: kept["password"] for name, kept in json.loads(accounts_file.read_text()).items()}


def load(accounts_file):
    out = io.StringIO()
    call_command("load_demo", "--small", "--accounts-file", str(accounts_file), stdout=out)
    return out.getvalue()


def test_every_role_signs_in_at_once_and_finds_work_waiting(client, tmp_path):
    from contest.judging.models import Assignment
    from emulation.honours.models import Nomination
    from emulation.models import Commitment, UnitMonth
    from ideas.models import Idea
    from referrals.models import Referral
    from tayho_site.models import AuditEntry

    printed = load(tmp_path / "accounts")
    passwords = passwords_in(tmp_path / "accounts")
    assert (tmp_path / "accounts").stat().st_mode & 0o077 == 0, "the password file is its owner's alone"
    assert "base64" not in printed and "Subject:" not in printed
    User = get_user_model()
    for username, group in ROLE_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.groups.filter(name=group).exists(), username
        assert passwords[username] in printed and username in printed
        assert not twofactor.required_for(user), username
        signed_in = client.post("/dang-nhap/", {"username": username, "password": passwords[username]})
        assert signed_in.status_code == 302, username
        client.logout()
    assert twofactor.required_for(User.objects.get(username="admin"))
    assert AuditEntry.objects.filter(action="security.two_factor.groups").count() == 1

    for n in (1, 2, 3):
        assert Assignment.objects.filter(judge__username=f"giamkhao{n}", item__round__status="scoring").exists()
    officer = User.objects.get(username="canbonoivu")
    unit = officer.person.unit
    assert UnitMonth.objects.filter(unit=unit, month=timezone.localdate().replace(day=1), finalised_at=None).exists()
    open_referrals = Referral.objects.filter(unit=unit, status=Referral.Status.OPEN)
    assert any(referral.is_overdue() for referral in open_referrals)
    supervisor = User.objects.get(username="giamsatmttq")
    assert Commitment.objects.filter(
        supervisor=supervisor.person.unit, status=Commitment.Status.AWAITING_VERIFICATION
    ).exists()
    assert Nomination.objects.filter(status=Nomination.Status.VOTING, secret_ballot=True, council_size=3).exists()
    assert Idea.objects.filter(status=Idea.Status.PENDING).count() >= 3

    client.post("/dang-nhap/", {"username": "giamkhao1", "password": passwords["giamkhao1"]})
    assert client.get("/cham-bai/").status_code == 200
    client.logout()
    client.post("/dang-nhap/", {"username": "canbonoivu", "password": passwords["canbonoivu"]})
    assert client.get("/thi-dua/danh-gia/").status_code == 200


def test_a_second_run_adds_nothing_and_prints_the_same_passwords(tmp_path):
    from wagtail.images.models import Image
    from wagtail.models import Page

    from contest.models import Entry
    from emulation.honours.models import Honour, Nomination
    from ideas.models import Idea
    from referrals.models import Referral
    from tayho_site.models import AuditEntry, NewsPage

    models = [Page, Entry, Idea, Referral, Honour, Nomination, Image, AuditEntry, get_user_model()]
    first = load(tmp_path / "accounts")
    editor = get_user_model().objects.get(username="bientap")
    editor.set_password("a-new-password-of-the-editor")
    editor.save()
    counts = {model: model.objects.count() for model in models}
    # Alive: referrals in every state, pictures drawn for the honours and the news.
    referrals = list(Referral.objects.all())
    assert {r.outcome for r in referrals if r.status == Referral.Status.ANSWERED} == set(Referral.Outcome.values)
    assert any(r.transfers for r in referrals) and any(r.answered_late() for r in referrals)
    assert any(r.is_overdue() for r in referrals) and any(r.status == "open" and not r.is_overdue() for r in referrals)
    assert all(honour.photo_id for honour in Honour.objects.all())
    assert all(news.image_id for news in NewsPage.objects.all())
    assert Entry.objects.values("category").distinct().count() == 4
    second = load(tmp_path / "accounts")
    assert {model: model.objects.count() for model in models} == counts
    passwords = passwords_in(tmp_path / "accounts")
    for username in ["admin", *ROLE_ACCOUNTS]:
        assert passwords[username] in first
        assert (passwords[username] in second) == (username != "bientap")
    assert "(đã đổi; không hiển thị)" in second  # the editor's new password is kept, not reset
    assert get_user_model().objects.get(username="bientap").check_password("a-new-password-of-the-editor")


def test_the_demo_refuses_production_settings(settings, tmp_path):
    from wagtail.models import Page

    settings.DEMO_DATA_ALLOWED = False
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="Không nạp dữ liệu mẫu"):
        load(tmp_path / "accounts")
    assert Page.objects.count() == pages
    assert not (tmp_path / "accounts").exists()


def test_production_settings_forbid_the_demo():
    import ast
    from pathlib import Path

    from django.conf import settings

    source = (Path(settings.BASE_DIR) / "tayho_site" / "settings" / "production.py").read_text()
    values = {
        node.targets[0].id: node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert values["DEMO_DATA_ALLOWED"].value is False
