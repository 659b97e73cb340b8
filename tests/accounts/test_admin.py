"""Admin for curators: members, packs (feature action, items inline), suggested links."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import StarterPack, User
from tests.factories import PackItemFactory, ResourceFactory, StarterPackFactory
from tests.support.admin import run_action

pytestmark = pytest.mark.django_db


def test_curators_see_members_and_packs(curator_client, member):
    pack = StarterPackFactory(owner=member, title="Alice's picks", visibility="public")
    PackItemFactory(pack=pack, resource=ResourceFactory(title="Inline entry"), position=0)
    users = curator_client.get(reverse("admin:accounts_user_changelist"))
    assert users.status_code == 200
    assert "alice" in users.content.decode()
    packs = curator_client.get(reverse("admin:accounts_starterpack_changelist"))
    assert "Alice&#x27;s picks" in packs.content.decode()
    change = curator_client.get(reverse("admin:accounts_starterpack_change", args=[pack.pk]))
    assert change.status_code == 200
    assert "items-TOTAL_FORMS" in change.content.decode()


def test_feature_action_features_only_public_packs(curator_client, member):
    public = StarterPackFactory(owner=member, slug="pub", visibility="public")
    private = StarterPackFactory(owner=member, slug="priv", visibility="private")
    response = run_action(curator_client, "feature", public, private, follow=True)
    assert response.status_code == 200
    public.refresh_from_db()
    private.refresh_from_db()
    assert public.is_featured
    assert not private.is_featured
    assert "not public" in response.content.decode()
    run_action(curator_client, "unfeature", public)
    public.refresh_from_db()
    assert not public.is_featured


def test_suggested_links_list_only_external_items(curator_client, member):
    pack = StarterPackFactory(owner=member, slug="links")
    PackItemFactory(
        pack=pack,
        position=0,
        resource=None,
        external_title="A new blog",
        external_url="https://new-blog.example/",
    )
    PackItemFactory(pack=pack, position=1, resource=ResourceFactory(title="Catalogued one"))
    page = curator_client.get(reverse("admin:accounts_externallink_changelist"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "https://new-blog.example/" in body
    assert "Catalogued one" not in body


def test_members_cannot_use_the_admin(member_client):
    response = member_client.get(reverse("admin:accounts_starterpack_changelist"))
    assert response.status_code == 302


def test_fixtures_ship_the_featured_packs_from_the_guide():
    call_command("load_catalogue", verbosity=0)
    curators = User.objects.get(username="asrhub-curators")
    assert not curators.has_usable_password()
    assert curators.is_staff
    featured = StarterPack.objects.filter(owner=curators, is_featured=True, visibility="public")
    titles = " | ".join(featured.values_list("title", flat=True))
    assert featured.count() >= 7
    for word in ("Recommended", "Casual", "Moderate", "Deep", "current", "Networking", "Hands-on"):
        assert word in titles
    assert all(pack.items.exists() for pack in featured)
