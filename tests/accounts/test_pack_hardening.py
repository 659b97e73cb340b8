"""Packs under attack: what copies reveal, Markdown export escaping, text-direction
characters in links, and concurrent reordering on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import PackItem, StarterPack
from tests.factories import PackItemFactory, StarterPackFactory, UserFactory
from tests.support.threads import in_threads

pytestmark = pytest.mark.django_db


def test_a_copy_of_an_unlisted_pack_does_not_reveal_its_address(client, member, other_member):
    source = StarterPackFactory(
        owner=member, slug="link-only-7f3a", title="Link only", visibility="unlisted"
    )
    PackItemFactory(pack=source)
    client.force_login(other_member)
    client.post(f"{source.get_absolute_url()}copy/")
    copy = StarterPack.objects.get(owner=other_member)
    StarterPack.objects.filter(pk=copy.pk).update(visibility="public")
    for visitor in (Client(), client):
        page = visitor.get(copy.get_absolute_url()).content.decode()
        assert "link-only-7f3a" not in page
        assert "copied from a pack that is not public" in page
    listing = Client().get("/packs/").content.decode()
    assert "link-only-7f3a" not in listing


def test_a_copy_of_a_public_pack_links_to_it(client, member, other_member):
    source = StarterPackFactory(owner=member, slug="open", title="Open pack", visibility="public")
    client.force_login(other_member)
    client.post(f"{source.get_absolute_url()}copy/")
    copy = StarterPack.objects.get(owner=other_member)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert f'copied from <a href="{source.get_absolute_url()}">Open pack</a>' in page


def test_pack_markdown_escapes_titles_and_text(client, member):
    pack = StarterPackFactory(
        owner=member,
        slug="md",
        title="**Pwned** [click](javascript:alert(1)) <img src=x>",
        description="- not a list\n# not a heading",
    )
    PackItemFactory(
        pack=pack,
        resource=None,
        external_title="Look [here](https://evil.example)",
        external_url="https://e.example/a b(c)",
        note="_under_ `code`",
    )
    text = client.get(f"{pack.get_absolute_url()}pack.md").content.decode()
    lines = text.splitlines()
    assert lines[0] == (
        "# \\*\\*Pwned\\*\\* \\[click\\]\\(javascript:alert\\(1\\)\\) \\<img src=x\\>"
    )
    assert lines[2:4] == ["\\- not a list", "\\# not a heading"]
    assert (
        "- [Look \\[here\\]\\(https://evil.example\\)](https://e.example/a%20b%28c%29)"
        " *\\_under\\_ \\`code\\`*"
    ) in lines


def test_pack_markdown_drops_links_with_text_direction_controls(client, member):
    pack = StarterPackFactory(owner=member, slug="bidi")
    PackItemFactory(
        pack=pack,
        resource=None,
        external_title="Invoice",
        external_url="https://example.org/\u202egpj.exe",
    )
    text = client.get(f"{pack.get_absolute_url()}pack.md").content.decode()
    assert "- [Invoice](#)" in text
    assert "\u202e" not in text


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f"])
def test_links_with_text_direction_controls_are_refused(member_client, member, control):
    pack = StarterPackFactory(owner=member, slug="links")
    response = member_client.post(
        f"{pack.get_absolute_url()}links/",
        {"external_title": "Docs", "external_url": f"https://example.org/{control}fdp.exe"},
        follow=True,
    )
    assert "invisible text-direction characters" in response.content.decode()
    assert not PackItem.objects.filter(pack=pack).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_reordering_never_deadlocks():
    """Six sessions move items of one pack up and down at once (360 requests)."""
    owner = UserFactory(username="mover")
    pack = StarterPackFactory(owner=owner, slug="busy")
    items = [PackItemFactory(pack=pack, position=n) for n in range(8)]
    statuses: list[int] = []
    errors: list[str] = []
    barrier = threading.Barrier(6)

    def session(n: int) -> None:
        client = Client(raise_request_exception=True)
        client.force_login(owner)
        barrier.wait()
        try:
            for step in range(60):
                item = items[(n + step) % len(items)]
                direction = "up" if (n + step) % 2 else "down"
                response = client.post(
                    f"/packs/mover/busy/items/{item.pk}/move/", {"direction": direction}
                )
                statuses.append(response.status_code)
                if step % 20 == 0:
                    client.post(f"/packs/mover/busy/items/{item.pk}/note/", {"note": f"{n}"})
        except Exception as error:  # noqa: BLE001 - counted and reported below
            errors.append(repr(error))

    in_threads(session, 6)
    assert errors == []
    assert statuses == [302] * 360
    positions = sorted(PackItem.objects.filter(pack=pack).values_list("position", flat=True))
    assert positions == list(range(8))
