"""Curators can find a post in the admin and see every source it came from."""

import pytest

from tests.factories import PostFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_curators_see_posts_with_their_sources(curator_client):
    a, b = ResourceFactory(title="Feed A"), ResourceFactory(title="Feed B")
    post = PostFactory(title="Shared paper", sources=[a, b])
    listing = curator_client.get("/admin/river/post/?q=Shared")
    assert listing.status_code == 200 and "Shared paper" in listing.content.decode()
    page = curator_client.get(f"/admin/river/post/{post.pk}/change/").content.decode()
    assert "Feed A" in page and "Feed B" in page
    assert curator_client.get("/admin/river/post/add/").status_code == 403


def test_members_cannot_open_the_river_admin(member_client):
    response = member_client.get("/admin/river/post/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
