"""The owner's controls on a pack's page: visibility there, no copy of one's own pack,
and placing an item where it is dropped."""

import pytest

from accounts.models import StarterPack
from tests.factories import PackItemFactory, StarterPackFactory

pytestmark = pytest.mark.django_db


def order(pack) -> list[int]:
    return list(pack.items.order_by("position", "id").values_list("pk", flat=True))


@pytest.fixture
def pack(member):
    return StarterPackFactory(owner=member, slug="mine", title="Mine", visibility="unlisted")


def test_the_owner_sees_and_can_change_the_visibility_on_the_pack_page(member_client, pack):
    html = member_client.get(pack.get_absolute_url()).content.decode()
    assert '<label for="pack-visibility">Visibility</label>' in html
    assert '<option value="unlisted" selected>Unlisted — anyone with the link</option>' in html
    response = member_client.post(f"{pack.get_absolute_url()}visibility/", {"visibility": "public"})
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    pack.refresh_from_db()
    assert pack.visibility == StarterPack.Visibility.PUBLIC


def test_a_bad_visibility_changes_nothing(member_client, pack):
    response = member_client.post(f"{pack.get_absolute_url()}visibility/", {"visibility": "all"})
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.visibility == "unlisted"


def test_others_see_the_visibility_but_cannot_change_it(client, other_member, pack):
    client.force_login(other_member)
    html = client.get(pack.get_absolute_url()).content.decode()
    assert '<span class="badge">Unlisted — anyone with the link</span>' in html
    assert 'id="pack-visibility"' not in html
    response = client.post(f"{pack.get_absolute_url()}visibility/", {"visibility": "public"})
    assert response.status_code == 404
    pack.refresh_from_db()
    assert pack.visibility == "unlisted"


def test_changing_visibility_is_post_only(member_client, pack):
    assert member_client.get(f"{pack.get_absolute_url()}visibility/").status_code == 405


def test_the_owner_is_not_offered_a_copy_of_their_own_pack(member_client, pack):
    assert "Copy to my packs" not in member_client.get(pack.get_absolute_url()).content.decode()


def test_other_members_are_offered_a_copy(client, other_member, pack):
    client.force_login(other_member)
    assert "Copy to my packs" in client.get(pack.get_absolute_url()).content.decode()


def test_place_an_item_anywhere_in_one_request(member_client, pack):
    a, b, c, d = (PackItemFactory(pack=pack, position=n) for n in range(4))
    url = f"{pack.get_absolute_url()}items/{d.pk}/place/"
    response = member_client.post(url, {"position": 1}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"order": [a.pk, d.pk, b.pk, c.pk]}
    assert order(pack) == [a.pk, d.pk, b.pk, c.pk]
    assert list(pack.items.order_by("position").values_list("position", flat=True)) == [0, 1, 2, 3]
    # Without JavaScript's Accept header it redirects back to the item.
    response = member_client.post(f"{pack.get_absolute_url()}items/{a.pk}/place/", {"position": 9})
    assert response["Location"] == f"{pack.get_absolute_url()}#item-{a.pk}"
    assert order(pack) == [d.pk, b.pk, c.pk, a.pk]


def test_a_bad_position_is_refused_and_changes_nothing(member_client, pack):
    a, b = (PackItemFactory(pack=pack, position=n) for n in range(2))
    url = f"{pack.get_absolute_url()}items/{b.pk}/place/"
    for bad in ({"position": -1}, {"position": "first"}, {}):
        response = member_client.post(url, bad, headers={"Accept": "application/json"})
        assert response.status_code == 400
    assert order(pack) == [a.pk, b.pk]


def test_only_the_owner_places_items(client, other_member, pack):
    a, b = (PackItemFactory(pack=pack, position=n) for n in range(2))
    client.force_login(other_member)
    url = f"{pack.get_absolute_url()}items/{b.pk}/place/"
    assert client.post(url, {"position": 0}).status_code == 404
    other = StarterPackFactory(owner=other_member, slug="theirs")
    elsewhere = f"{other.get_absolute_url()}items/{b.pk}/place/"
    assert client.post(elsewhere, {"position": 0}).status_code == 404
    assert order(pack) == [a.pk, b.pk]


def test_the_drag_script_loads_only_for_the_owner(client, member_client, pack):
    PackItemFactory(pack=pack)
    assert "js/pack-order.js" in member_client.get(pack.get_absolute_url()).content.decode()
    client.logout()
    assert "js/pack-order.js" not in client.get(pack.get_absolute_url()).content.decode()


def test_the_owners_note_is_a_collapsed_control(member_client, pack):
    item = PackItemFactory(pack=pack, note="Read first")
    html = member_client.get(pack.get_absolute_url()).content.decode()
    assert '<p class="item-note">Read first</p>' in html
    assert '<details class="note-control">\n        <summary>Edit note' in html
    assert f'<label for="item-note-{item.pk}">Note</label>' in html
