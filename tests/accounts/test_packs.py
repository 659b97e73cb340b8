"""Starter packs: create, add, link, note, reorder, limits, visibility, copy, exports."""

import xml.etree.ElementTree as ET

import pytest

from accounts.models import PackItem, StarterPack
from tests.factories import (
    EventFactory,
    PackItemFactory,
    PersonFactory,
    ResourceFactory,
    StarterPackFactory,
)

pytestmark = pytest.mark.django_db


def make_pack(owner, **kwargs):
    return StarterPackFactory(owner=owner, slug="mine", title="Mine", **kwargs)


def test_create_a_pack(member_client, member):
    response = member_client.post(
        "/me/packs/", {"title": "Diarization reading", "description": "", "visibility": "private"}
    )
    pack = StarterPack.objects.get(owner=member)
    assert response["Location"] == pack.get_absolute_url() == "/packs/alice/diarization-reading/"
    member_client.post("/me/packs/", {"title": "Diarization reading", "visibility": "private"})
    assert set(StarterPack.objects.values_list("slug", flat=True)) == {
        "diarization-reading",
        "diarization-reading-2",
    }


def test_add_entries_of_every_kind_once(member_client, member):
    pack = make_pack(member)
    resource, person, event = ResourceFactory(), PersonFactory(), EventFactory()
    for kind, obj in (
        ("resource", resource),
        ("person", person),
        ("event", event),
        ("resource", resource),
    ):
        member_client.post("/packs/add/", {"kind": kind, "slug": obj.slug, "pack": "mine"})
    assert [i.target for i in pack.items.order_by("position")] == [resource, person, event]


def test_add_to_a_new_pack(member_client, member):
    resource = ResourceFactory()
    member_client.post(
        "/packs/add/", {"kind": "resource", "slug": resource.slug, "pack": "__new__"}
    )
    assert StarterPack.objects.get(owner=member).items.get().resource == resource


def test_cannot_add_to_someone_elses_pack(member_client, other_member):
    theirs = StarterPackFactory(owner=other_member, slug="theirs")
    resource = ResourceFactory()
    response = member_client.post(
        "/packs/add/", {"kind": "resource", "slug": resource.slug, "pack": "theirs"}
    )
    assert response.status_code == 404
    assert not theirs.items.exists()


def test_external_links_and_their_validation(member_client, member):
    pack = make_pack(member)
    url = f"{pack.get_absolute_url()}links/"
    member_client.post(
        url, {"external_title": "My notes", "external_url": "https://notes.example/asr"}
    )
    member_client.post(url, {"external_title": "Bad", "external_url": "javascript:alert(1)"})
    member_client.post(url, {"external_title": "", "external_url": "https://x.example"})
    assert list(pack.items.values_list("external_title", flat=True)) == ["My notes"]


def test_a_pack_holds_at_most_150_items(member_client, member):
    pack = make_pack(member)
    PackItem.objects.bulk_create(
        PackItem(
            pack=pack, position=n, external_title=f"L{n}", external_url=f"https://e.example/{n}"
        )
        for n in range(StarterPack.MAX_ITEMS)
    )
    resource = ResourceFactory()
    response = member_client.post(
        "/packs/add/", {"kind": "resource", "slug": resource.slug, "pack": "mine"}, follow=True
    )
    assert "at most 150 items" in response.content.decode()
    member_client.post(
        f"{pack.get_absolute_url()}links/",
        {"external_title": "One more", "external_url": "https://more.example"},
    )
    assert pack.items.count() == StarterPack.MAX_ITEMS


def test_notes_up_to_500_characters(member_client, member):
    pack = make_pack(member)
    item = PackItemFactory(pack=pack)
    url = f"{pack.get_absolute_url()}items/{item.pk}/note/"
    member_client.post(url, {"note": "n" * 500})
    item.refresh_from_db()
    assert len(item.note) == 500
    member_client.post(url, {"note": "n" * 501})
    item.refresh_from_db()
    assert len(item.note) == 500


def test_reorder_with_up_and_down(member_client, member):
    pack = make_pack(member)
    a, b, c = (PackItemFactory(pack=pack, position=n) for n in range(3))
    member_client.post(f"{pack.get_absolute_url()}items/{c.pk}/move/", {"direction": "up"})
    member_client.post(f"{pack.get_absolute_url()}items/{a.pk}/move/", {"direction": "up"})
    member_client.post(f"{pack.get_absolute_url()}items/{b.pk}/move/", {"direction": "sideways"})
    assert list(pack.items.order_by("position").values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    member_client.post(f"{pack.get_absolute_url()}items/{a.pk}/move/", {"direction": "down"})
    assert list(pack.items.order_by("position").values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]


def test_remove_an_item_and_delete_a_pack(member_client, member):
    pack = make_pack(member)
    item = PackItemFactory(pack=pack)
    member_client.post(f"{pack.get_absolute_url()}items/{item.pk}/remove/")
    assert not pack.items.exists()
    assert member_client.get(f"{pack.get_absolute_url()}delete/").status_code == 200
    member_client.post(f"{pack.get_absolute_url()}delete/")
    assert not StarterPack.objects.filter(pk=pack.pk).exists()


def test_visibility(client, member):
    private = StarterPackFactory(owner=member, slug="p", visibility="private")
    unlisted = StarterPackFactory(
        owner=member, slug="u", title="Unlisted one", visibility="unlisted"
    )
    public = StarterPackFactory(owner=member, slug="pub", title="Public one", visibility="public")
    assert client.get(private.get_absolute_url()).status_code == 404
    page = client.get(unlisted.get_absolute_url())
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in page.content.decode()
    assert "noindex" not in client.get(public.get_absolute_url()).content.decode()
    listing = client.get("/packs/").content.decode()
    assert "Public one" in listing and "Unlisted one" not in listing
    member_page = client.get("/members/alice/").content.decode()
    assert "Unlisted one" not in member_page


def test_copy_keeps_copied_from_and_is_private(client, member, other_member):
    source = StarterPackFactory(owner=member, slug="src", title="Source", visibility="unlisted")
    resource = ResourceFactory()
    PackItemFactory(pack=source, resource=resource, position=0, note="start here")
    PackItemFactory(
        pack=source,
        resource=None,
        external_title="Link",
        external_url="https://l.example",
        position=1,
    )
    client.force_login(other_member)
    response = client.post(f"{source.get_absolute_url()}copy/")
    copy = StarterPack.objects.get(owner=other_member)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.copied_from == source and copy.visibility == "private"
    assert [(i.resource, i.external_url, i.note) for i in copy.items.order_by("position")] == [
        (resource, "", "start here"),
        (None, "https://l.example", ""),
    ]
    private = StarterPackFactory(owner=member, slug="secret", visibility="private")
    assert client.post(f"{private.get_absolute_url()}copy/").status_code == 404


def test_markdown_and_opml_exports(client, member):
    pack = StarterPackFactory(owner=member, slug="pub", title="Reading [list]", visibility="public")
    with_feed = ResourceFactory(title="Blog & co", feed_url="https://blog.example/feed.xml")
    PackItemFactory(pack=pack, resource=with_feed, position=0, note="weekly")
    PackItemFactory(pack=pack, resource=ResourceFactory(title="No feed"), position=1)
    PackItemFactory(
        pack=pack, resource=None, external_title="Ext", external_url="https://e.example", position=2
    )
    markdown = client.get(f"{pack.get_absolute_url()}pack.md")
    assert markdown["Content-Type"].startswith("text/markdown")
    text = markdown.content.decode()
    assert text.startswith("# Reading \\[list\\]\n")
    assert "- [Blog \\& co](https://example.org/" in text and "*weekly*" in text
    assert "## Links" in text and "[Ext](https://e.example)" in text
    opml = client.get(f"{pack.get_absolute_url()}pack.opml")
    root = ET.fromstring(opml.content)  # noqa: S314 - our own output
    assert root.get("version") == "2.0"
    outlines = root.findall("./body/outline")
    assert [(o.get("text"), o.get("xmlUrl")) for o in outlines] == [
        ("Blog & co", "https://blog.example/feed.xml")
    ]


def test_resource_page_shows_public_packs_containing_it(client, member):
    resource = ResourceFactory()
    PackItemFactory(pack=StarterPackFactory(title="Shown", visibility="public"), resource=resource)
    PackItemFactory(
        pack=StarterPackFactory(title="Hidden", visibility="private"), resource=resource
    )
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Packs containing this" in html and "Shown" in html and "Hidden" not in html


def test_featured_packs_on_the_home_page(client):
    StarterPackFactory(title="Featured one", visibility="public", is_featured=True)
    StarterPackFactory(title="Plain one", visibility="public")
    html = client.get("/").content.decode()
    assert "Featured one" in html and "Plain one" not in html


def test_pack_search(client):
    StarterPackFactory(title="Diarization basics", visibility="public")
    StarterPackFactory(title="Streaming", visibility="public")
    html = client.get("/packs/?q=diariz").content.decode()
    assert "Diarization basics" in html and "Streaming" not in html
