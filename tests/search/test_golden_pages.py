"""Five sample result pages render exactly as they did before the search code was
reorganised (golden pages written from the code of main as of December 2026, one JSON file per
database in ``golden/``).

The whole htmx fragment is compared byte for byte; for full pages, the ``<main>``
element (the page's own HTML: header and footer belong to the site's frame). Only the
per-request CSRF token, database ids and the factories' numbered addresses are replaced
before comparing. PostgreSQL and SQLite have a set each (PostgreSQL ranks and
highlights). To write the files again after an intended change:
``ASRHUB_WRITE_GOLDEN=1 pytest <this file>``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from catalogue.models import Person
from tests.factories import BookmarkFactory, PersonFactory, StarterPackFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')
IDS = re.compile(r"(pack-(?:resource|person|event)-|https://example\.org/resource-)\d+")
MAIN = re.compile(r"<main\b.*</main>", re.DOTALL)

PAGES = [
    # (name, member?, htmx?, url)
    ("resources_search", False, False, "/resources/?q=whisper"),
    ("resources_facets_htmx", False, True, "/resources/?q=whisper&kind=repository&sort=title"),
    ("resources_member", True, False, "/resources/?level=beginner&kind=podcast&kind=blog"),
    ("category_topic", False, False, "/categories/reading/?topic=whisper&sort=newest"),
    ("people_search", False, False, "/people/?q=speech&kind=academic"),
]


def normalise(html: str, htmx: bool) -> str:
    if not htmx:
        html = MAIN.search(html).group(0)
    return IDS.sub(r"\1N", TOKEN.sub(r"\1CSRF", html)) + "\n"


@pytest.fixture
def sample(catalogue, member):
    PersonFactory(name="Ada Speech", slug="ada-speech", headline="Speech researcher")
    PersonFactory(
        name="Grace Voice",
        slug="grace-voice",
        kind=Person.Kind.INDUSTRY,
        headline="Speech engineer",
    )
    BookmarkFactory(user=member, resource=catalogue["pod"])
    StarterPackFactory(owner=member, title="Listening list", slug="listening-list")
    return catalogue


@pytest.mark.parametrize(("name", "as_member", "htmx", "url"), PAGES)
def test_result_pages_are_unchanged(client, member, sample, name, as_member, htmx, url):
    if as_member:
        client.force_login(member)
    headers = {"HX-Request": "true"} if htmx else {}
    with time_machine.travel(NOW, tick=False):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    html = normalise(response.content.decode(), htmx)
    # PostgreSQL ranks and highlights matches: its pages differ from SQLite's.
    path = GOLDEN / f"{connection.vendor}.json"
    golden = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if os.environ.get("ASRHUB_WRITE_GOLDEN"):
        golden[name] = html
        path.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert html == golden[name]
