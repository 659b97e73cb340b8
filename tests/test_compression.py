"""Pages and feeds are compressed for clients that accept gzip (issue 17)."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/resources/", "/feeds/new.atom", "/events/"])
def test_it_compresses_pages_and_feeds_for_clients_that_accept_gzip(client, path):
    response = client.get(path, headers={"accept-encoding": "gzip, deflate"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = gzip.decompress(b"".join(response) if response.streaming else response.content)
    assert body


def test_it_sends_plain_bodies_to_clients_that_do_not_accept_gzip(client):
    response = client.get("/resources/")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"<html" in response.content
