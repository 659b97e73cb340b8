"""Search quality on PostgreSQL: weighted full-text search, websearch syntax, prefixes,
snippets, and trigram typo tolerance with "did you mean"."""

import pytest
from django.db import connection

from catalogue.models import Resource
from tests.factories import OrganisationFactory, ResourceFactory, TopicFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL full-text search and pg_trgm"
    ),
]


def titles(response) -> list[str]:
    return [r.title for r in response.context["page_obj"].object_list]


@pytest.fixture
def speech(db):
    streaming = TopicFactory(slug="streaming", name="Streaming")
    nvidia = OrganisationFactory(title="NVIDIA", slug="nvidia")
    return {
        "whisper": ResourceFactory(title="openai/whisper", summary="Official Whisper code."),
        "speechbrain": ResourceFactory(title="SpeechBrain", summary="An all-in-one toolkit."),
        "nemo": ResourceFactory(
            title="NeMo", summary="A toolkit for conversational AI.", organisation=nvidia
        ),
        "riva": ResourceFactory(title="Riva", summary="Deploy speech AI.", topics=[streaming]),
        "notes": ResourceFactory(
            title="Field notes", summary="Notes.", description="A long essay about diarization."
        ),
        "podcast": ResourceFactory(title="Speech podcast", summary="Weekly interviews."),
    }


def test_the_vector_is_stored_and_kept_fresh(speech):
    riva = speech["riva"]
    assert Resource.objects.filter(pk=riva.pk, search_vector="streaming").exists()
    riva.topics.clear()
    assert not Resource.objects.filter(pk=riva.pk, search_vector="streaming").exists()


def test_matches_topics_and_organisation(client, speech):
    assert titles(client.get("/resources/?q=streaming")) == ["Riva"]
    assert "NeMo" in titles(client.get("/resources/?q=nvidia+toolkit"))


def test_title_outranks_description(client, speech):
    ResourceFactory(title="Diarization guide", summary="Who spoke when.")
    found = titles(client.get("/resources/?q=diarization"))
    assert found[:2] == ["Diarization guide", "Field notes"]


def test_websearch_syntax(client, speech):
    both = set(titles(client.get("/resources/?q=toolkit")))
    assert both == {"SpeechBrain", "NeMo"}
    assert titles(client.get("/resources/?q=toolkit+-conversational")) == ["SpeechBrain"]
    assert set(titles(client.get('/resources/?q="weekly interviews" or riva'))) == {
        "Speech podcast",
        "Riva",
    }


def test_the_last_word_matches_as_a_prefix(client, speech):
    assert "SpeechBrain" in titles(client.get("/resources/?q=speechbr"))
    assert "Speech podcast" in titles(client.get("/resources/?q=podc"))


def test_snippets_highlight_and_escape(client, speech):
    ResourceFactory(title="Tricky", summary="<script>alert(1)</script> whisper & friends")
    html = client.get("/resources/?q=whisper").content.decode()
    assert "<mark>Whisper</mark>" in html or "<mark>whisper</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "<mark>whisper</mark> &amp; friends" in html


@pytest.mark.parametrize(
    ("typo", "title"), [("wisper", "openai/whisper"), ("speechbrian", "SpeechBrain")]
)
def test_typos_find_the_entry_and_suggest_a_correction(client, speech, typo, title):
    response = client.get(f"/resources/?q={typo}")
    assert title in titles(response)
    assert response.context["suggestion"] in {"whisper", "speechbrain"}
    assert "Did you mean" in response.content.decode()


def test_featured_and_active_entries_rank_higher(client, speech):
    ResourceFactory(title="Toolkit A", summary="toolkit", status="archived")
    ResourceFactory(title="Toolkit B", summary="toolkit", is_featured=True)
    found = titles(client.get("/resources/?q=toolkit"))
    assert found.index("Toolkit B") < found.index("Toolkit A")


def test_the_fallback_probe_finds_at_most_a_few_ids(speech):
    from catalogue import search

    published = Resource.objects.published()
    found = search.first_ids(search.postgres_search(published, "toolkit").queryset, 3)
    assert sorted(found) == sorted([speech["speechbrain"].pk, speech["nemo"].pk])
    assert len(search.first_ids(published, 3)) == 3
    assert search.first_ids(search.postgres_search(published, "zzzqqq").queryset, 3) == []
    assert search.first_ids(published.none(), 3) == []
