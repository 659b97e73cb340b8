"""Hypothesis drives 10,000 generated requests per run at every public GET endpoint and
the main POST forms, anonymous and logged in: never a 5xx, and another member's data
never changes.

7,000 GET requests (every URL pattern: generated slugs, usernames, tokens, page numbers
and query strings) and 3,000 POST requests (sign-up, log-in, pack edit, OPML upload,
bookmark note, suggestion, problem report). Marked ``fuzz``: ``make test-fuzz`` (and CI, on
SQLite) runs it, ``make test`` leaves it out.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Bookmark, Follow, PackItem, StarterPack
from river.models import PostState, Reader, Rule
from suggestions.models import Suggestion
from tests.factories import (
    BookmarkFactory,
    CategoryFactory,
    EditionFactory,
    EventFactory,
    FollowFactory,
    PackItemFactory,
    PersonFactory,
    PostFactory,
    ResourceFactory,
    StarterPackFactory,
    TopicFactory,
    UserFactory,
)
from tests.support.fuzzing import fuzz
from tests.support.urls import project_routes

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]


TEXT = st.text(max_size=60)
# NUL (which PostgreSQL text cannot hold) and the other control and format characters,
# alone and inside ordinary words.
CONTROL = st.builds(
    lambda before, controls, after: before + controls + after,
    st.text("abc-", max_size=3),
    st.text(st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=4),
    st.text("xyz.", max_size=3),
)
NASTY = st.sampled_from(
    ["", "0", "-1", "99999999999999999999", "%00", "\x00", "../../etc/passwd", "' OR 1=1 --",
     "<script>alert(1)</script>", "é🙂", "a" * 300, "null", "NaN", "1e9", " ", "%2F",
     "a\x00b", "\x01", "\x1b[2J", "\x7f", "\r\nSet-Cookie: x=1", "\u202egpj.exe", "\ufeff",
     "%0d%0a", "%01", "\x00" * 3]
) | CONTROL  # fmt: skip


@pytest.fixture
def world(db):
    topic = TopicFactory(slug="whisper")
    category = CategoryFactory(slug="reading", parent=CategoryFactory(slug="top"))
    resource = ResourceFactory(
        slug="blog",
        feed_url="https://feeds.example/blog.xml",
        topics=[topic],
        categories=[category],
    )
    person = PersonFactory(slug="someone")
    event = EventFactory(slug="interspeech")
    EditionFactory(event=event)
    fuzzer = UserFactory(username="fuzzer")
    victim = UserFactory(username="victim")
    own_pack = StarterPackFactory(owner=fuzzer, slug="mine", visibility="public")
    PackItemFactory(pack=own_pack, resource=resource)
    secret = StarterPackFactory(owner=victim, slug="secret", visibility="private")
    shared = StarterPackFactory(owner=victim, slug="shared", visibility="public")
    PackItemFactory(pack=secret, resource=resource, note="victim's note")
    PackItemFactory(pack=shared, person=person, resource=None)
    BookmarkFactory(user=victim, resource=resource, note="private")
    bookmark = BookmarkFactory(user=fuzzer, resource=None, person=person)
    FollowFactory(user=victim, resource=resource)
    post = PostFactory(sources=[resource], topics=[topic])
    Reader.objects.create(user=victim, read_through=post.pk)
    PostState.objects.create(user=victim, post=post, is_read=False, is_starred=True)
    victims_rule = Rule.objects.create(user=victim, action="keep", phrases="whisper")
    logged_in = Client()
    logged_in.force_login(fuzzer)
    return {
        "clients": [Client(), logged_in],
        "values": {
            "slug": [
                "blog",
                "someone",
                "interspeech",
                "reading",
                "top",
                "whisper",
                "mine",
                "secret",
                "shared",
            ],
            "username": ["fuzzer", "victim", "nobody"],
            "token": [fuzzer.feed_token, victim.feed_token, "nope"],
            "kind": ["resource", "person", "event"],
            "int": [str(bookmark.pk), str(post.pk), str(victims_rule.pk), "1", "2"],
        },
        "victim": victim,
    }


def victim_state(victim) -> list:
    return [
        list(StarterPack.objects.filter(owner=victim).order_by("pk").values()),
        list(PackItem.objects.filter(pack__owner=victim).order_by("pk").values()),
        list(Bookmark.objects.filter(user=victim).order_by("pk").values()),
        list(Follow.objects.filter(user=victim).order_by("pk").values()),
        list(Suggestion.objects.filter(member=victim).order_by("pk").values()),
        victim.__class__.objects.filter(pk=victim.pk).values("password", "email", "feed_token")[0],
        list(PostState.objects.filter(user=victim).order_by("pk").values()),
        list(Reader.objects.filter(user=victim).values()),
        list(Rule.objects.filter(user=victim).order_by("pk").values()),
    ]


ROUTES = list(project_routes())


def value_for(converter: str, name: str, data, known: dict) -> str:
    pool = known["int"] if converter == "int" else known.get(name, known["slug"])
    choice = data.draw(st.one_of(st.sampled_from(pool), TEXT, NASTY))
    if converter == "int":
        return choice if choice.isdigit() else str(data.draw(st.integers(0, 10**6)))
    return quote(choice, safe="") or "x"


@fuzz(7000)
@given(data=st.data())
def test_get_anything(world, data):
    route = data.draw(st.sampled_from(ROUTES))
    values = {
        name: value_for(converter, name, data, world["values"])
        for converter, name in route.parameters
    }
    query = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "q",
                        "page",
                        "sort",
                        "kind",
                        "topic",
                        "category",
                        "resource",
                        "medium",
                        "next",
                        "source",
                        "show",
                    ]
                )
                | TEXT,
                st.one_of(TEXT, NASTY),
            ),
            max_size=6,
        )
    )
    path = route.path(**values)
    client = data.draw(st.sampled_from(world["clients"]))
    before = victim_state(world["victim"])
    response = client.get(path + ("?" + urlencode(query) if query else ""))
    assert response.status_code < 500, path
    if "\x00" in unquote(path) + "".join(key + value for key, value in query):
        assert response.status_code == 400, (path, query)
    assert victim_state(world["victim"]) == before


def opml(data) -> bytes:
    urls = data.draw(
        st.lists(st.one_of(TEXT, st.just("https://feeds.example/blog.xml")), max_size=5)
    )
    body = "".join(f'<outline xmlUrl="{u}"/>' for u in urls)
    choices = [
        f"<opml version='2.0'><body>{body}</body></opml>".encode("utf-8", "replace"),
        data.draw(st.binary(max_size=500)),
        b"<!DOCTYPE x [<!ENTITY a 'b'>]><opml/>",
    ]
    return data.draw(st.sampled_from(choices))


@fuzz(3000)
@given(data=st.data())
def test_post_the_main_forms(world, data):
    form = data.draw(
        st.sampled_from(
            [
                "signup",
                "login",
                "pack",
                "opml",
                "note",
                "add",
                "link",
                "suggest",
                "report",
                "river",
                "all-read",
                "rule",
            ]  # fmt: skip
        )
    )
    field = st.one_of(TEXT, NASTY)
    if form == "signup":
        path, payload = "/accounts/signup/", {
            "username": data.draw(field), "email": data.draw(field),
            "password1": data.draw(field), "password2": data.draw(field),
        }  # fmt: skip
    elif form == "login":
        path, payload = "/accounts/login/", {
            "username": data.draw(st.sampled_from(["fuzzer", "victim"]) | field),
            "password": data.draw(field), "next": data.draw(field),
        }  # fmt: skip
    elif form == "pack":
        slug = data.draw(st.sampled_from(["mine", "secret", "shared"]))
        owner = "victim" if slug != "mine" else "fuzzer"
        path, payload = f"/packs/{owner}/{slug}/edit/", {
            "title": data.draw(field), "description": data.draw(field),
            "visibility": data.draw(st.sampled_from(["public", "private", "unlisted"]) | field),
        }  # fmt: skip
    elif form == "opml":
        path = "/me/following/import/"
        payload = {"file": SimpleUploadedFile("x.opml", opml(data), content_type="text/xml")}
    elif form == "note":
        pk = data.draw(st.sampled_from(world["values"]["int"]))
        path, payload = f"/me/bookmarks/{pk}/note/", {"note": data.draw(field)}
    elif form == "add":
        path, payload = "/packs/add/", {
            "kind": data.draw(st.sampled_from(["resource", "person", "event"]) | field),
            "slug": data.draw(st.sampled_from(world["values"]["slug"]) | field),
            "pack": data.draw(st.sampled_from(["mine", "secret", "__new__"]) | field),
            "next": data.draw(field),
        }  # fmt: skip
    elif form == "suggest":
        path, payload = "/suggest/", {
            "title": data.draw(field), "url": data.draw(st.just("https://x.example/") | field),
            "entry_kind": data.draw(st.sampled_from(["blog", "model"]) | field),
            "message": data.draw(field), "credit_publicly": data.draw(field),
        }  # fmt: skip
    elif form == "report":
        kind = data.draw(st.sampled_from(["resource", "person", "event"]) | field)
        slug = data.draw(st.sampled_from(world["values"]["slug"]) | field)
        path = f"/suggest/{quote(kind, safe='') or 'x'}/{quote(slug, safe='') or 'x'}/"
        payload = {"message": data.draw(field), "evidence_url": data.draw(field)}
    elif form == "river":
        pk = data.draw(st.sampled_from(world["values"]["int"]))
        verb = data.draw(st.sampled_from(["read", "star"]))
        path, payload = f"/me/feed/{pk}/{verb}/", {
            "action": data.draw(st.sampled_from(["read", "unread", "star", "unstar"]) | field),
            "next": data.draw(field),
        }  # fmt: skip
    elif form == "all-read":
        path, payload = "/me/feed/read/", {"up_to": data.draw(field), "next": data.draw(field)}
    elif form == "rule":
        path, payload = "/me/feed/rules/", {
            "action": data.draw(st.sampled_from(["keep", "block"]) | field),
            "phrases": data.draw(field), "resource": data.draw(field),
        }  # fmt: skip
    else:
        slug = data.draw(st.sampled_from(["mine", "secret"]))
        owner = "victim" if slug == "secret" else "fuzzer"
        path, payload = f"/packs/{owner}/{slug}/links/", {
            "external_title": data.draw(field), "external_url": data.draw(field),
        }  # fmt: skip
    client = data.draw(st.sampled_from(world["clients"]))
    before = victim_state(world["victim"])
    response = client.post(path, payload)
    assert response.status_code < 500, (path, payload)
    if any("\x00" in v for v in payload.values() if isinstance(v, str)):
        assert response.status_code == 400, (path, payload)
    assert victim_state(world["victim"]) == before
