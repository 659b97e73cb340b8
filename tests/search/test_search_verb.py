"""``Resource.objects.search(q)``: the one entry point for text search, and the form
that cleans ``q`` once."""

import pytest

from catalogue.forms import SearchForm
from catalogue.models import Resource

pytestmark = pytest.mark.django_db


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def test_search_narrows_a_queryset_to_the_matches(catalogue):
    found = Resource.objects.published().search("whisper diarization")
    assert slugs(found.queryset) == {"diarization-blog"}


def test_search_keeps_what_the_queryset_excluded_out(catalogue):
    found = Resource.objects.published().search("whisper")
    assert "draft" not in slugs(found.queryset)  # "Draft Whisper notes" is unpublished


def test_no_text_matches_everything(catalogue):
    found = Resource.objects.published().search("")
    assert found.queryset.count() == Resource.objects.published().count() == 6
    assert found.suggestion == "" and not found.fuzzy


@pytest.mark.parametrize(
    ("raw", "text", "problems"),
    [
        ("  whisper \t large\x00v3 ", "whisper large v3", []),
        ("", "", []),
        ("word " * 60, ("word " * 40).strip(), ["Your search was cut to 200 characters."]),
    ],
)
def test_the_form_cleans_the_text_once(raw, text, problems):
    form = SearchForm({"q": raw})
    assert form.text == text
    assert form.problems() == problems
