"""Whole public pages from the cache for anonymous visitors, made stale by any change to
what they show. Runs on locmem here and on the real Redis in CI's second pass."""

import pytest
from django.contrib.auth.models import Group, User

from tayho_site import pagecache, roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the transaction's commit (the version bump), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def organiser(db):
    user = User.objects.create_user("bto", password="x" * 12)
    user.groups.add(Group.objects.get_or_create(name=roles.ORGANISERS)[0])
    return user


def test_second_visit_is_served_from_the_cache_without_the_database(client, home, cached, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    # The headers that protect the page are kept with it.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_a_page_makes_the_cached_copy_stale(client, home, cached, commit):
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    home.title = "Trang chủ mới của quận"
    commit(home.save_revision().publish)
    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert "Trang chủ mới của quận" in response.content.decode()


def test_nothing_is_cached_when_the_setting_is_off(client, home, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_signed_in_visitors_and_made_up_queries_are_never_served_from_the_cache(client, home, cached, organiser):
    client.get("/")
    assert client.get("/?page=2")["X-Cache"] == "miss"  # numbered pages are cached
    assert "X-Cache" not in client.get("/?utm_source=x")  # anything else is not
    client.force_login(organiser)
    response = client.get("/")
    assert "X-Cache" not in response


def test_a_page_with_a_form_is_never_stored(client, cached, demo):
    """The entry form sets a CSRF cookie: kept, every visitor would get one token."""
    from contest.models import ContestPage

    contest = ContestPage.objects.live().first()
    url = contest.url + "gui-bai/"
    for _ in range(2):
        response = client.get(url)
        assert "X-Cache" not in response


def test_languages_are_cached_apart(client, home, cached):
    client.get("/")
    english = client.get("/en/")
    assert english["X-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert client.get("/")["Content-Language"] == "vi"


def test_hiding_an_idea_takes_it_off_the_cached_gallery(client, demo, cached, commit, organiser):
    from ideas import queries
    from ideas.actions import moderation
    from ideas.models import IdeaIndexPage

    gallery = IdeaIndexPage.objects.get().url
    idea = queries.published_ideas().first()
    assert idea.title in client.get(gallery).content.decode()
    assert client.get(gallery)["X-Cache"] == "hit"
    commit(moderation.hide, idea, reason="Trùng nội dung", by=organiser)
    response = client.get(gallery)
    assert response["X-Cache"] == "miss"
    assert idea.title not in response.content.decode()


def test_revoking_an_honour_takes_it_off_the_cached_home_page_and_board(client, demo, cached, commit, organiser):
    from emulation.honours import actions, queries
    from emulation.honours.models import HonourIndexPage

    board = HonourIndexPage.objects.get().url
    honour = queries.published().first()
    for url in ("/", board):
        client.get(url)
        response = client.get(url)
        assert response["X-Cache"] == "hit" and honour.name in response.content.decode()
    commit(actions.revoke, honour, by=organiser, reason="Khai báo không đúng sự thật")
    for url in ("/", board):
        response = client.get(url)
        assert response["X-Cache"] == "miss"
        assert honour.name not in response.content.decode()


def test_a_new_pending_entry_leaves_the_cache_alone_but_confirming_it_does_not(client, cached, commit, home):
    from contest.actions import entries
    from tests.factories import ContestPageFactory, make_entries

    contest = ContestPageFactory(parent=home)
    client.get("/")
    before = pagecache.version()
    entry = commit(make_entries, contest, 1)[0]  # submitted (new rows) then confirmed (a change)
    assert pagecache.version() == before + 1
    commit(
        entries.submit_entry,
        contest,
        category=contest.categories.first(),
        title="Bài mới",
        body_html="<p>Nội dung</p>",
        consents=[],
        entrant={
            "full_name": "Tác giả",
            "pen_name": "",
            "birth_year": 1990,
            "phone": "",
            "email": "moi@example.vn",
            "address": "",
            "occupation": "",
            "show_as": "name",
        },
    )
    assert pagecache.version() == before + 1
    assert entry.pk


def test_an_unreachable_cache_serves_pages_uncached(client, home, cached, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    try:
        for _ in range(2):
            response = client.get("/")
            assert response.status_code == 200
            assert "X-Cache" not in response
    finally:
        caches["default"].close()


def test_a_page_made_private_leaves_the_cache_at_once(client, home, cached, commit):
    """A privacy setting is not a publication: the restriction itself must purge."""
    from wagtail.models import PageViewRestriction

    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    commit(
        PageViewRestriction.objects.create,
        page=home,
        restriction_type=PageViewRestriction.PASSWORD,
        password="mat-khau",
    )
    response = client.get("/")
    assert "X-Cache" not in response or response["X-Cache"] == "miss"
    assert response.status_code == 200 and 'name="password"' in response.content.decode()


def test_made_up_page_numbers_are_not_cached(client, home, cached):
    for query in ("?page=0", "?page=0002", "?page=99999"):
        client.get("/" + query)
        assert "X-Cache" not in client.get("/" + query), query


def test_a_lost_version_starts_again_above_every_old_one(client, home, cached):
    from django.core.cache import cache

    client.get("/")
    old = pagecache.version()
    cache.delete(pagecache.VERSION_KEY)  # Redis restarted or evicted it
    assert pagecache.version() > old
    assert client.get("/")["X-Cache"] == "miss"


# The front: hits answered before Django, as gunicorn calls tayho_site.wsgi.application.


@pytest.fixture
def front():
    from django.core.handlers.wsgi import WSGIHandler

    from tests.support.clients import WsgiClient

    return WsgiClient(pagecache.FrontPageCache(WSGIHandler()))


@pytest.fixture
def django_requests():
    """How many requests reached Django."""
    from django.core.signals import request_started

    seen = []

    def count(**_kwargs):
        seen.append(1)

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


def test_the_served_application_is_the_front(settings):
    from tayho_site import wsgi

    assert isinstance(wsgi.application, pagecache.FrontPageCache)


def test_the_front_answers_a_second_visit_without_django(
    front, home, cached, django_requests, django_assert_num_queries
):
    first = front.request("/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    assert len(django_requests) == 1
    with django_assert_num_queries(0):
        second = front.request("/", headers={"X-Request-ID": "proxy-id-12345"})
    assert len(django_requests) == 1  # Django never saw it
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert int(second["Content-Length"]) == len(first.content)
    # Every header the site set is kept, those of the security middleware too; the
    # request's own id is the proxy's, not the first visitor's.
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Content-Type"):
        assert second[name] == first[name], name
    assert second["X-Request-ID"] == "proxy-id-12345" != first["X-Request-ID"]
    assert "Set-Cookie" not in second
    head = front.request("/", method="HEAD")
    assert head["X-Cache"] == "hit" and head.content == b"" and int(head["Content-Length"]) == len(first.content)


def test_the_front_sends_the_kept_page_compressed_to_browsers_that_take_it(front, home, cached):
    import gzip

    first = front.request("/")
    compressed = front.request("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed["X-Cache"] == "hit" and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == first.content
    assert len(compressed.content) < len(first.content) / 2
    assert "Accept-Encoding" in compressed["Vary"]
    plain = front.request("/")
    assert "Content-Encoding" not in plain and plain.content == first.content
    refused = front.request("/", headers={"Accept-Encoding": "br, gzip;q=0"})
    assert "Content-Encoding" not in refused and refused.content == first.content


def test_the_front_serves_nothing_stale_after_a_change(front, home, cached, commit):
    front.request("/")
    assert front.request("/")["X-Cache"] == "hit"
    home.title = "Trang chủ đổi tên"
    commit(home.save_revision().publish)
    response = front.request("/")
    assert response["X-Cache"] == "miss" and "Trang chủ đổi tên" in response.content.decode()
    assert front.request("/")["X-Cache"] == "hit"


def test_the_front_leaves_signed_in_visitors_forms_and_other_languages_to_django(front, demo, cached, django_requests):
    from contest.models import ContestPage

    front.request("/")
    with_session = front.request("/", headers={"Cookie": "sessionid=abc; csrftoken=x"})
    assert "X-Cache" not in with_session
    form = ContestPage.objects.live().first().url + "gui-bai/"
    for _ in range(2):
        assert "X-Cache" not in front.request(form)
    # The URL alone chooses the language (Django's LocaleMiddleware with unprefixed
    # Vietnamese): an English browser on a Vietnamese URL gets the Vietnamese page.
    browser_in_english = front.request("/", headers={"Accept-Language": "en"})
    assert browser_in_english["X-Cache"] == "hit" and browser_in_english["Content-Language"] == "vi"
    english = front.request("/en/")
    assert english["X-Cache"] == "miss" and english["Content-Language"] == "en"
    assert front.request("/en/")["X-Cache"] == "hit"


def test_the_front_keeps_https_and_http_apart(front, home, cached, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    front.request("/", headers={"X-Forwarded-Proto": "https"})
    assert front.request("/", headers={"X-Forwarded-Proto": "https"})["X-Cache"] == "hit"
    assert front.request("/", headers={"X-Forwarded-Proto": "http"})["X-Cache"] == "miss"


def test_the_front_passes_everything_through_when_the_cache_is_off(front, home, settings, django_requests):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Cache" not in front.request("/")
    assert len(django_requests) == 2


def test_a_server_trusts_the_version_it_read_for_a_second_and_its_own_changes_at_once(
    front, home, cached, settings, monkeypatch, commit, django_requests
):
    from django.core.cache import cache

    from tayho_site import versions

    now = [1000.0]
    monkeypatch.setattr(versions, "_clock", lambda: now[0])
    monkeypatch.setattr(pagecache, "PAGES", versions.SharedVersion(pagecache.VERSION_KEY))
    settings.PAGE_CACHE_VERSION_SECONDS = 1
    front.request("/")
    assert front.request("/")["X-Cache"] == "hit"
    # Served from this process's memory: the cache is not asked at all.
    with monkeypatch.context() as patched:
        patched.setattr(cache, "get_many", lambda *a, **k: pytest.fail("asked the cache"))
        patched.setattr(cache, "get", lambda *a, **k: pytest.fail("asked the cache"))
        assert front.request("/")["X-Cache"] == "hit"
    # Another server's change: seen once the second is over.
    cache.incr(pagecache.VERSION_KEY)
    now[0] += 0.5
    assert front.request("/")["X-Cache"] == "hit"
    now[0] += 0.6
    assert front.request("/")["X-Cache"] == "miss"
    assert front.request("/")["X-Cache"] == "hit"
    # A page kept by a server that has already seen a newer version is served, and this
    # server takes that version at once (its own older copies are no longer served).
    assert front.request("/")["X-Cache"] == "hit"
    cache.incr(pagecache.VERSION_KEY)
    newer = cache.get(pagecache.VERSION_KEY)
    english_key = pagecache._key({"HTTP_HOST": "testserver", "PATH_INFO": "/en/", "wsgi.url_scheme": "http"})
    pagecache._keep(english_key, newer, [("Content-Type", "text/html; charset=utf-8")], b"<p>from the other server</p>")
    assert front.request("/en/").content == b"<p>from the other server</p>"
    assert front.request("/")["X-Cache"] == "miss"
    # A change made here: seen at once.
    home.title = "Đổi ngay tại máy này"
    commit(home.save_revision().publish)
    response = front.request("/")
    assert response["X-Cache"] == "miss" and "Đổi ngay tại máy này" in response.content.decode()
