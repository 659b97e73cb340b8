"""The SQLite page query compiled once per shape is the query the ORM compiles for the
search itself, parameters included, whatever the text (catalogue/sqlite_page.py)."""

import json

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from catalogue import results, search, search_sqlite, sqlite_page
from catalogue.filters import SORTS
from catalogue.models import Resource
from tests.factories import ResourceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the page query of the SQLite search"),
]

TEXTS = [
    "whisper",
    "ai",
    "a whisper",
    "speech recognition",
    'openai/whisper "fine tuning"',
    "100% word_error\\rate",
    "nemo -toolkit",
    "wav2vec or hubert",
    "Ünïcode ÄSR",
    "x\x01\x02y",
    "it's — MMS",
]
IDS = [3, 1, 4, 15, 9, 26]


def orm_query(q: str, sort: str) -> tuple[str, list]:
    """What the ORM compiles for this very search: no marker anywhere."""
    candidates = Resource.objects.filter(
        pk__in=RawSQL("SELECT value FROM json_each(%s)", (json.dumps(IDS),))
    )
    if q:
        expression = search_sqlite.match_expression(q)
        queryset = search.sqlite_ranked(candidates, expression, q)
    else:
        queryset = candidates
    ordered = queryset.order_by(*results.ordering(queryset, sort, {})).values_list("pk")
    sql, params = ordered.query.sql_with_params()
    return f"{sql} LIMIT %s OFFSET %s", [*params, 20, 40]


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("q", ["", *TEXTS])
def test_the_compiled_shape_with_the_searchs_values_is_the_orms_query(q, sort):
    shape = sqlite_page.name_shape(q) if q else None
    sql, template = sqlite_page.compiled(sort, shape, lambda qs, s: results.ordering(qs, s, {}))
    params = [*sqlite_page.parameters(template, IDS, q, shape), 20, 40]
    assert (sql, params) == orm_query(q, sort)


def test_cards_show_the_organisation_and_a_moved_entrys_new_address(client):
    lab = ResourceFactory(title="Speech Lab", kind="organisation", url="https://lab.example/")
    target = ResourceFactory(title="Zeta New Home", url="https://new.example/zeta")
    ResourceFactory(
        title="Zeta Toolkit",
        organisation=lab,
        status=Resource.Status.MOVED,
        moved_to=target,
        url="https://old.example/zeta",
    )
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/resources/?q=zeta+toolkit").content.decode()
    assert "by Speech Lab" in html
    assert 'href="https://new.example/zeta" rel="noopener">Visit' in html
    assert not [q for q in captured if "catalogue_resource" in q["sql"] and "LIMIT 21" in q["sql"]]
