"""Every URL of the project is classified here; member data is proven private.

Adding a URL without classifying it fails ``test_every_url_is_classified``. For each
URL that shows or changes member data, the owner, another member and an anonymous
visitor get what they should, and nothing changes for the wrong people.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Bookmark, BookmarkTag, PackItem, StarterPack
from suggestions.models import Suggestion
from tests.factories import (
    BookmarkFactory,
    PackItemFactory,
    ResourceFactory,
    StarterPackFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.support.urls import project_routes

PUBLIC = "public"  # no member data
OWN = "own"  # the logged-in member's own things: anonymous → log in
TOKEN = "token"  # a member's secret token in the URL
OWNED = "owned"  # one member's object in the URL
STAFF = "staff"  # the admin's own pages, for staff with permission (tests/test_hardening.py)

ROUTES = {
    "favicon.ico": PUBLIC,
    "view_on_site": STAFF,
    "catalogue:home": PUBLIC,
    "catalogue:healthz": PUBLIC,
    "catalogue:resource_list": PUBLIC,
    "catalogue:resource_detail": PUBLIC,
    "catalogue:category_list": PUBLIC,
    "catalogue:category_detail": PUBLIC,
    "catalogue:person_list": PUBLIC,
    "catalogue:person_detail": PUBLIC,
    "events:event_list": PUBLIC,
    "events:calendar": PUBLIC,
    "events:event_detail": PUBLIC,
    "events:event_calendar": PUBLIC,
    "events:member_calendar": TOKEN,
    "accounts:signup": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:member_detail": PUBLIC,
    "accounts:pack_list": PUBLIC,
    "accounts:password_change": OWN,
    "accounts:password_change_done": OWN,
    "accounts:settings": OWN,
    "accounts:bookmarks": OWN,
    "accounts:my_packs": OWN,
    "accounts:bookmark_toggle": OWN,
    "accounts:pack_add": OWN,
    "accounts:bookmark_note": OWNED,
    "accounts:bookmark_edit": OWNED,
    "accounts:bookmark_tag": OWN,
    "accounts:bookmark_export": OWN,
    "accounts:pack_visibility": OWNED,
    "accounts:item_place": OWNED,
    "accounts:pack_detail": OWNED,
    "accounts:pack_edit": OWNED,
    "accounts:pack_delete": OWNED,
    "accounts:pack_copy": OWNED,
    "accounts:pack_add_external": OWNED,
    "accounts:item_note": OWNED,
    "accounts:item_move": OWNED,
    "accounts:item_remove": OWNED,
    "accounts:pack_markdown": OWNED,
    "accounts:pack_opml": OWNED,
    "feeds:new": PUBLIC,
    "following:toggle": OWN,
    "following:following": OWN,
    "following:rotate_token": OWN,
    "following:opml_import": OWN,
    "following:follow_pack": OWNED,
    "following:atom": TOKEN,
    "following:opml": TOKEN,
    "suggestions:suggest": OWN,
    "suggestions:report": OWN,
    "suggestions:mine": OWN,
    "suggestions:detail": OWNED,
    "digests:settings": OWN,
    "digests:resend": OWN,
    "digests:verify": TOKEN,
    "digests:unsubscribe": TOKEN,
    "river:latest": PUBLIC,
    "river:latest_atom": PUBLIC,
    "river:reader": OWN,
    "river:mark_all_read": OWN,
    "river:mark_read": OWN,
    "river:star": OWN,
    "river:rules": OWN,
    "river:rule_delete": OWNED,
}


def test_every_url_is_classified():
    names = {route.name for route in project_routes()}
    assert names - set(ROUTES) == set(), "classify the new URLs in tests/test_access_control.py"
    assert set(ROUTES) - names == set(), "remove URLs that no longer exist"


@pytest.fixture
def world(db):
    owner = UserFactory(username="owner")
    other = UserFactory(username="other")
    pack = StarterPackFactory(owner=owner, slug="secret", title="Secret", visibility="private")
    item = PackItemFactory(pack=pack, resource=ResourceFactory(), note="owner's note")
    bookmark = BookmarkFactory(user=owner, note="owner's bookmark note")
    suggestion = SuggestionFactory(member=owner, title="Secret tool", message="owner's note")
    clients = {"anonymous": Client()}
    for name, user in (("owner", owner), ("other", other)):
        clients[name] = Client()
        clients[name].force_login(user)
    return {
        "owner": owner,
        "pack": pack,
        "item": item,
        "bookmark": bookmark,
        "suggestion": suggestion,
        "clients": clients,
    }


def state() -> list:
    return [
        list(StarterPack.objects.order_by("pk").values()),
        list(PackItem.objects.order_by("pk").values()),
        list(Bookmark.objects.order_by("pk").values()),
        list(BookmarkTag.objects.order_by("pk").values()),
        list(Bookmark.tags.through.objects.order_by("pk").values()),
        list(Suggestion.objects.order_by("pk").values()),
    ]


PACK = "/packs/owner/secret/"
# (method, path builder, owner's status, other member's status, anonymous status)
# "login" means a redirect to the log-in page.
OWNED_CASES = {
    "pack_detail": ("get", lambda w: PACK, 200, 404, 404),
    "pack_markdown": ("get", lambda w: PACK + "pack.md", 200, 404, 404),
    "pack_opml": ("get", lambda w: PACK + "pack.opml", 200, 404, 404),
    "pack_edit": ("get", lambda w: PACK + "edit/", 200, 404, "login"),
    "pack_delete": ("get", lambda w: PACK + "delete/", 200, 404, "login"),
    "pack_copy": ("post", lambda w: PACK + "copy/", 302, 404, "login"),
    "pack_add_external": ("post", lambda w: PACK + "links/", 302, 404, "login"),
    "item_note": ("post", lambda w: f"{PACK}items/{w['item'].pk}/note/", 302, 404, "login"),
    "item_move": ("post", lambda w: f"{PACK}items/{w['item'].pk}/move/", 302, 404, "login"),
    "item_remove": ("post", lambda w: f"{PACK}items/{w['item'].pk}/remove/", 302, 404, "login"),
    "item_place": ("post", lambda w: f"{PACK}items/{w['item'].pk}/place/", 302, 404, "login"),
    "pack_visibility": ("post", lambda w: PACK + "visibility/", 302, 404, "login"),
    "bookmark_edit": (
        "post",
        lambda w: f"/me/bookmarks/{w['bookmark'].pk}/edit/",
        302,
        404,
        "login",
    ),
    "detail": ("get", lambda w: f"/me/suggestions/{w['suggestion'].pk}/", 200, 404, "login"),
    "bookmark_note": (
        "post",
        lambda w: f"/me/bookmarks/{w['bookmark'].pk}/note/",
        302,
        404,
        "login",
    ),
}


def check(response, expected) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(OWNED_CASES))
def test_owned_urls_for_owner_other_member_and_anonymous(world, name):
    assert OWNED in {ROUTES.get(f"{ns}:{name}") for ns in ("accounts", "following", "suggestions")}
    method, path, owner, other, anonymous = OWNED_CASES[name]
    url = path(world)
    data = {
        "note": "changed",
        "direction": "up",
        "external_title": "x",
        "external_url": "https://x.example",
        "position": "0",
        "visibility": "public",
        "tag_names": "changed",
    }
    before = state()
    for who, expected in (("other", other), ("anonymous", anonymous)):
        client = world["clients"][who]
        response = client.post(url, data) if method == "post" else client.get(url)
        check(response, expected)
        if expected != 200:
            assert "owner&#x27;s note" not in response.content.decode()
    # Wrong people changed nothing (copying makes a copy owned by the copier: not allowed here).
    assert state() == before
    client = world["clients"]["owner"]
    response = client.post(url, data) if method == "post" else client.get(url)
    check(response, owner)


OWN_PAGES = [
    "/me/bookmarks/",
    "/me/packs/",
    "/accounts/settings/",
    "/accounts/password/change/",
    "/me/following/",
    "/me/feed/",
    "/me/bookmarks/export.md",
    "/me/bookmarks/export.csv",
    "/me/bookmarks/export.html",
    "/me/suggestions/",
    "/suggest/",
    "/accounts/settings/mail/",
    "/me/feed/rules/",
]


@pytest.mark.parametrize("path", OWN_PAGES)
def test_own_pages_show_only_ones_own_things(world, path):
    check(world["clients"]["anonymous"].get(path), "login")
    assert world["clients"]["owner"].get(path).status_code == 200
    other = world["clients"]["other"].get(path)
    assert other.status_code == 200
    html = other.content.decode()
    assert "owner&#x27;s bookmark note" not in html and "Secret" not in html


def test_own_writes_need_a_login(world):
    resource = ResourceFactory()
    before = state()
    anonymous = world["clients"]["anonymous"]
    check(
        anonymous.post(
            "/packs/add/", {"kind": "resource", "slug": resource.slug, "pack": "secret"}
        ),
        "login",
    )
    check(anonymous.post("/me/packs/", {"title": "x", "visibility": "public"}), "login")
    suggestion = {"title": "x", "url": "https://x.example", "entry_kind": "blog", "message": "x"}
    check(anonymous.post("/suggest/", suggestion), "login")
    correction = {"message": "x", "evidence_url": "https://x.example"}
    check(anonymous.post(f"/suggest/resource/{resource.slug}/", correction), "login")
    assert state() == before
    # Another member cannot add to the owner's pack by naming it.
    other = world["clients"]["other"]
    response = other.post(
        "/packs/add/", {"kind": "resource", "slug": resource.slug, "pack": "secret"}
    )
    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", ["calendar.ics", "feed.atom", "following.opml"])
def test_token_urls_need_the_right_token(world, name):
    owner = world["owner"]
    anonymous = world["clients"]["anonymous"]
    assert anonymous.get(f"/u/{owner.feed_token}/{name}").status_code == 200
    assert anonymous.get(f"/u/not-a-token/{name}").status_code == 404
    old = owner.feed_token
    owner.rotate_feed_token()
    assert anonymous.get(f"/u/{old}/{name}").status_code == 404
    assert anonymous.get(f"/u/{owner.feed_token}/{name}").status_code == 200


def test_own_post_urls_need_a_login(world):
    resource = ResourceFactory(feed_url="https://example.org/feed.xml")
    anonymous = world["clients"]["anonymous"]
    before = (state(), world["owner"].feed_token)
    check(anonymous.post(f"/follow/{resource.slug}/"), "login")
    check(anonymous.post("/me/following/token/"), "login")
    check(anonymous.post("/me/following/import/"), "login")
    world["owner"].refresh_from_db()
    assert (state(), world["owner"].feed_token) == before


def river_state() -> list:
    from river.models import PostState, Reader, Rule

    return [
        list(PostState.objects.order_by("pk").values()),
        list(Reader.objects.order_by("pk").values()),
        list(Rule.objects.order_by("pk").values()),
    ]


def test_river_writes_need_a_login_and_touch_only_ones_own_state(world):
    from river.models import PostState, Reader, Rule
    from tests.factories import PostFactory

    post = PostFactory(sources=[ResourceFactory(feed_url="https://example.org/feed.xml")])
    owner = world["owner"]
    Reader.objects.create(user=owner, read_through=0)
    PostState.objects.create(user=owner, post=post, is_read=True, is_starred=True)
    rule = Rule.objects.create(user=owner, action="keep", phrases="owner's rule")
    writes = [
        (f"/me/feed/{post.pk}/read/", {"action": "unread"}),
        (f"/me/feed/{post.pk}/star/", {"action": "unstar"}),
        ("/me/feed/read/", {}),
        ("/me/feed/rules/", {"action": "block", "phrases": "x"}),
    ]
    before = river_state()
    for path, data in writes:
        check(world["clients"]["anonymous"].post(path, data), "login")
    assert river_state() == before
    check(world["clients"]["anonymous"].post(f"/me/feed/rules/{rule.pk}/delete/"), "login")
    other = world["clients"]["other"]
    assert other.post(f"/me/feed/rules/{rule.pk}/delete/").status_code == 404
    for path, data in writes:
        assert other.post(path, data).status_code == 302
    owner_rows = [
        [row for row in table if row.get("user_id") == owner.pk] for table in river_state()
    ]
    assert owner_rows == before
    assert "owner&#x27;s rule" not in other.get("/me/feed/rules/").content.decode()
    assert world["clients"]["owner"].post(f"/me/feed/rules/{rule.pk}/delete/").status_code == 302
