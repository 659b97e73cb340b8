"""Hardening found by probing a production-mode server (issue 16, item 7): request body
limits, NUL characters, private cache headers, admin permissions, the proxy trust.

The same probes run against a real gunicorn in ``bench/hardening.py``.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.models import PackItem, StarterPack, User
from catalogue.models import Resource
from tests.factories import (
    EventFactory,
    FollowFactory,
    ResourceFactory,
    StarterPackFactory,
    UserFactory,
)
from tests.support.urls import project_routes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


# --- Request bodies ---------------------------------------------------------------


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_huge_declared_body_is_refused_with_413_before_it_is_read(client):
    response = client.generic(
        "POST",
        "/accounts/login/",
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": Untouchable()},
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"


def test_a_real_body_over_the_limit_is_refused(client):
    big = "x" * (settings.ASRHUB_MAX_REQUEST_BODY + 1)
    response = client.post("/accounts/login/", {"username": "alice", "password": big})
    assert response.status_code == 413


def test_ordinary_forms_and_a_one_megabyte_upload_still_work(member_client):
    opml = b'<?xml version="1.0"?><opml version="2.0"><body></body></opml>'
    padding = b"<!--" + b" " * (1024 * 1024 - 200) + b"-->"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("f.opml", opml + padding, content_type="text/x-opml")
    response = member_client.post("/me/following/import/", {"file": upload})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "feeds/import_result.html"


def test_uploads_are_kept_in_memory_and_form_data_is_capped():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.ASRHUB_MAX_REQUEST_BODY
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024


# --- NUL characters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/packs/?q=%00",
        "/members/%00/",
        "/u/%00/feed.atom",
        "/u/%00/following.opml",
        "/u/%00/calendar.ics",
        "/packs/%00/x/pack.md",
        "/packs/alice/%00/",
        "/resources/?q=a%00b",
        "/resources/%00/",
        "/me/feed/?resource=%00",
        "/me/bookmarks/?q=%00",
    ],
)
def test_nul_anywhere_in_the_address_is_a_bad_request(member_client, path):
    assert member_client.get(path).status_code == 400


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/me/packs/", {"title": "a\x00b", "visibility": "private"}),
        ("/packs/add/", {"kind": "resource", "slug": "x\x00", "pack": "__new__"}),
        ("/packs/add/", {"kind": "resource", "slug": "x", "pack": "p\x00"}),
        ("/accounts/login/", {"username": "alice\x00", "password": "x"}),
        (
            "/accounts/signup/",
            {
                "username": "eve\x00",
                "email": "eve@example.org",
                "password1": "a-Long-enough-passw0rd",
                "password2": "a-Long-enough-passw0rd",
            },
        ),
    ],
)
def test_nul_in_form_fields_is_a_bad_request_and_changes_nothing(member_client, path, data):
    before = (User.objects.count(), StarterPack.objects.count(), PackItem.objects.count())
    assert member_client.post(path, data).status_code == 400
    after = (User.objects.count(), StarterPack.objects.count(), PackItem.objects.count())
    assert after == before


def test_nul_in_a_header_is_a_bad_request(client):
    assert client.get("/", HTTP_USER_AGENT="probe\x00").status_code == 400


def test_other_control_characters_are_fine(client, member):
    assert client.get("/packs/?q=%01%1b%7f").status_code == 200
    assert client.get("/members/%01/").status_code == 404


# --- Members' pages are private to caches ---------------------------------------------


@pytest.mark.parametrize(
    "path", ["/me/bookmarks/", "/me/packs/", "/me/feed/", "/me/following/", "/accounts/settings/"]
)
def test_members_pages_are_private_and_not_stored(member_client, path):
    response = member_client.get(path)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_the_following_opml_is_private_and_not_stored(client, member):
    FollowFactory(user=member, resource=ResourceFactory(feed_url="https://b.example/f.xml"))
    response = client.get(f"/u/{member.feed_token}/following.opml")
    assert response.status_code == 200
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}


def test_the_atom_feed_keeps_its_short_private_lifetime(client, member):
    response = client.get(f"/u/{member.feed_token}/feed.atom")
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "max-age=300"}


def test_public_pages_are_not_marked_private(client):
    assert "private" not in client.get("/").get("Cache-Control", "")


# --- Admin: actions and "view on site" need permissions ------------------------------


@pytest.fixture
def viewer(db):
    """Staff who may only view resources, events and packs."""
    user = UserFactory(username="viewer", is_staff=True)
    for model in ("resource", "event", "starterpack"):
        user.user_permissions.add(Permission.objects.get(codename=f"view_{model}"))
    client = Client()
    client.force_login(user)
    return client


DATA_CHANGING = {
    "catalogue_resource": [
        "publish",
        "unpublish",
        "mark_reviewed",
        "feature",
        "unfeature",
        "fetch_now",
        "check_links_now",
        "discover_feeds",
    ],
    "catalogue_event": ["publish", "unpublish", "feature", "add_next_edition"],
    "accounts_starterpack": ["feature", "unfeature"],
}


@pytest.mark.parametrize("changelist", sorted(DATA_CHANGING))
def test_view_only_staff_are_not_offered_data_changing_actions(viewer, curator_client, changelist):
    ResourceFactory(), EventFactory(), StarterPackFactory()  # actions show only with rows
    url = reverse(f"admin:{changelist}_changelist")
    shown = viewer.get(url)
    assert shown.status_code == 200
    for action in DATA_CHANGING[changelist]:
        assert f'value="{action}"' not in shown.content.decode()
        assert f'value="{action}"' in curator_client.get(url).content.decode()


def test_view_only_staff_cannot_run_an_action_by_post(viewer):
    resource = ResourceFactory(is_published=True, is_featured=False, feed_url="")
    pack = StarterPackFactory(visibility="public")
    for changelist, pk, action in [
        ("catalogue_resource", resource.pk, "unpublish"),
        ("catalogue_resource", resource.pk, "feature"),
        ("accounts_starterpack", pack.pk, "feature"),
    ]:
        viewer.post(
            reverse(f"admin:{changelist}_changelist"),
            {"action": action, "_selected_action": [pk], "index": 0},
        )
    resource.refresh_from_db()
    pack.refresh_from_db()
    assert resource.is_published and not resource.is_featured
    assert not pack.is_featured


def test_view_on_site_needs_permission_to_view_the_model(curator_client, member):
    private = StarterPackFactory(owner=member, slug="hidden-plans", visibility="private")
    content_type = ContentType.objects.get_for_model(StarterPack)
    url = f"/admin/r/{content_type.pk}/{private.pk}/"
    nosy = Client()
    nosy.force_login(UserFactory(username="nosy", is_staff=True))
    response = nosy.get(url)
    assert response.status_code == 404
    assert "hidden-plans" not in response.get("Location", "") + response.content.decode()
    allowed = curator_client.get(url)
    assert allowed.status_code == 302
    assert allowed["Location"].endswith("/packs/alice/hidden-plans/")


def test_view_on_site_still_needs_staff(client, member_client):
    event = EventFactory()
    url = f"/admin/r/{ContentType.objects.get_for_model(event).pk}/{event.pk}/"
    for visitor in (client, member_client):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert Resource.objects.count() == 0


# --- gunicorn trusts X-Forwarded-Proto only from the proxy ----------------------------


def load_gunicorn_config(monkeypatch, **env):
    for name in ("FORWARDED_ALLOW_IPS",):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gconf", ROOT / "deploy" / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_trusts_forwarded_headers_only_from_the_configured_proxy(monkeypatch):
    assert load_gunicorn_config(monkeypatch).forwarded_allow_ips == "127.0.0.1,::1"
    configured = load_gunicorn_config(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.5")
    assert configured.forwarded_allow_ips == "10.0.0.5"


def test_django_takes_the_scheme_from_gunicorn_not_from_the_header():
    assert getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None
    settings_text = (ROOT / "asrhub" / "settings.py").read_text()
    assert "SECURE_PROXY_SSL_HEADER =" not in settings_text


# --- Every route, on whichever database the suite runs (PostgreSQL in CI's PG run) -----


@pytest.mark.parametrize("route", project_routes(), ids=lambda route: route.name)
def test_nul_and_control_characters_in_every_route(member_client, route):
    """NUL in any URL parameter or the query is a 400; other control characters are
    never a server error."""
    FollowFactory()
    if route.parameters:
        nul = route.path(**{name: "a%00" for _, name in route.parameters})
        assert member_client.get(nul).status_code == 400, nul
        controls = route.path(
            **{name: "1" if c == "int" else "a%01%1b%7f%E2%80%AE" for c, name in route.parameters}
        )
        assert member_client.get(controls).status_code < 500, controls
        assert member_client.post(controls, {"q": "\x01\x1b"}).status_code < 500, controls
    else:
        path = route.path()
        assert member_client.get(path + "?q=%00&page=%00").status_code == 400, path
        assert member_client.get(path + "?q=%01%1b&resource=%7f").status_code < 500, path


# --- Fetch errors: curators see them, members get a plain word -------------------------


def test_members_never_see_raw_fetch_errors(member_client, member):
    raw = "connection to 10.1.2.3:8080 refused: [Errno 111] via resolver 192.168.0.53"
    failing = ResourceFactory(
        feed_url="https://a.example/f.xml", feed_error_count=3, feed_last_error=raw
    )
    answered = ResourceFactory(
        feed_url="https://b.example/f.xml",
        feed_error_count=1,
        feed_last_status=503,
        feed_last_error="HTTP 503 from upstream 10.9.9.9",
    )
    FollowFactory(user=member, resource=failing)
    FollowFactory(user=member, resource=answered)
    page = member_client.get("/me/following/").content.decode()
    assert "10.1.2.3" not in page and "192.168" not in page and "10.9.9.9" not in page
    assert "the feed could not be read" in page
    assert "the site answered HTTP 503" in page
