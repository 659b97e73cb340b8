"""Models and datasets: licence and languages as facets (issue 12)."""

import pytest

from catalogue.models import Resource
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def models():
    return [
        ResourceFactory(
            title="Parakeet TDT",
            kind=Resource.Kind.MODEL,
            licence=Resource.Licence.CC_BY_4,
            languages=Resource.Languages.ENGLISH,
        ),
        ResourceFactory(
            title="Omnilingual ASR",
            kind=Resource.Kind.MODEL,
            licence=Resource.Licence.APACHE_2,
            languages=Resource.Languages.MULTILINGUAL,
        ),
        ResourceFactory(title="A blog about speech", kind=Resource.Kind.BLOG),
    ]


def test_licence_and_languages_are_facets_with_counts(client, models):
    html = client.get("/resources/").content.decode()

    assert 'id="facet-licence"' in html and 'id="facet-languages"' in html
    assert 'value="cc-by-4.0"> <label for="f-licence-cc-by-4.0">CC BY 4.0 <span' in html
    assert 'value="multilingual"> <label for="f-languages-multilingual">' in html


def test_choosing_a_licence_narrows_the_results(client, models):
    page = client.get("/resources/", {"licence": "apache-2.0"}).content.decode()

    assert "Omnilingual ASR" in page
    assert "Parakeet TDT" not in page and "A blog about speech" not in page


def test_the_groups_are_left_out_where_no_result_has_them(client, models):
    html = client.get("/resources/", {"kind": "blog"}).content.decode()

    assert 'id="facet-licence"' not in html and 'id="facet-languages"' not in html
    assert 'id="facet-medium"' in html
