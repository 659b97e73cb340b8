"""Hypothesis throws generated query strings at the search pages: never a 5xx.

2,000 examples per run in total: 800 at /resources/, 600 at /people/ and 600 at
/categories/<slug>/. Marked ``fuzz`` (a minute or more): ``make test-fuzz`` and CI run it.
"""

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.filters import ResourceFilter
from tests.support.fuzzing import fuzz

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

NAMES = [*ResourceFilter.FACETS, "q", "sort", "page", "affiliation", "utm_source"]
VALUES = st.one_of(
    st.sampled_from(
        [
            "blog",
            "podcast",
            "whisper",
            "communities",
            "discord-servers",
            "beginner",
            "free",
            "weekly",
            "read",
            "moved",
            "relevance",
            "newest",
            "updated",
            "title",
            "2",
            "0",
            "-1",
            "99999999999999999999",
            "1e3",
            "NaN",
            "hugging-face",
            "academic",
            "",
            '"quoted phrase',
            "-word or",
            "wisper",
            "' OR 1=1 --",
            "%00",
            "\x00",
            "é🙂",
        ]
    ),
    st.text(max_size=300),
)
PAIRS = st.lists(st.tuples(st.sampled_from(NAMES) | st.text(max_size=20), VALUES), max_size=12)


def query(pairs) -> str:
    return urlencode([(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in pairs])


@fuzz(800)
@given(pairs=PAIRS)
def test_resources_never_fail(client, catalogue, pairs):
    response = client.get("/resources/?" + query(pairs))
    assert response.status_code in {200, 404}


@fuzz(600)
@given(pairs=PAIRS)
def test_people_never_fail(client, catalogue, pairs):
    response = client.get("/people/?" + query(pairs))
    assert response.status_code in {200, 404}


@fuzz(600)
@given(pairs=PAIRS, slug=st.sampled_from(["communities", "reading", "discord-servers", "nope"]))
def test_categories_never_fail(client, catalogue, pairs, slug):
    response = client.get(f"/categories/{slug}/?" + query(pairs))
    assert response.status_code in {200, 404}
    if slug != "nope" and response.status_code == 404:
        assert "page" in dict(pairs)
