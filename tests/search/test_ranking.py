"""Ranking on both databases: names first, a small boost for featured and active
entries, retired and archived ones sunk, the same "did you mean", and "Relevance"
offered only when the order is a ranking."""

import pytest

from catalogue import search
from catalogue.models import Resource
from tests.factories import OrganisationFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def slugs(client, q: str, **params) -> list[str]:
    response = client.get("/resources/", {"q": q, **params})
    assert response.status_code == 200
    return [resource.slug for resource in response.context["page_obj"].object_list]


@pytest.fixture
def mentions(db):
    """Entries that mention Whisper often, featured, before the one named Whisper."""
    for n in range(3):
        ResourceFactory(
            slug=f"whisper-notes-{n}",
            title=f"Fine-tuning notes {n}",
            summary="Whisper, Whisper and Whisper again: fine-tuning Whisper.",
            description="Whisper " * 20,
            is_featured=True,
        )
    ResourceFactory(slug="whisperx", title="m-bain/whisperX", summary="Word timestamps.")
    return ResourceFactory(
        slug="openai-whisper",
        title="openai/whisper",
        aliases="Whisper, OpenAI Whisper",
        summary="Code and weights of the speech recognition model.",
    )


def test_an_alias_that_is_the_query_comes_first(client, mentions):
    assert slugs(client, "whisper")[0] == "openai-whisper"
    assert slugs(client, "Whisper")[0] == "openai-whisper"
    assert slugs(client, "openai whisper")[0] == "openai-whisper"


def test_a_title_that_is_the_query_comes_first(client, mentions):
    assert slugs(client, "whisperx")[0] == "whisperx"
    ResourceFactory(slug="nemo", title="NVIDIA/NeMo", summary="A toolkit.")
    ResourceFactory(slug="nemo-talk", title="A talk", summary="NeMo NeMo NeMo.")
    assert slugs(client, "nemo")[0] == "nemo"  # owner/name: the name is the query


def test_a_title_that_starts_with_the_query_outranks_mentions(client):
    ResourceFactory(slug="wav2vec-2", title="wav2vec 2.0", summary="Self-supervised model.")
    ResourceFactory(
        slug="blog", title="Speech blog", summary="wav2vec, wav2vec and wav2vec.", is_featured=True
    )
    assert slugs(client, "wav2vec") == ["wav2vec-2", "blog"]


def test_featured_and_active_entries_get_a_small_boost(client):
    moved = {"status": "moved", "moved_to_url": "https://example.org/"}
    ResourceFactory(slug="plain", title="Toolkit A", summary="A toolkit.", **moved)
    ResourceFactory(slug="active", title="Toolkit B", summary="A toolkit.", status="active")
    ResourceFactory(
        slug="featured", title="Toolkit C", summary="A toolkit.", is_featured=True, **moved
    )
    assert slugs(client, "toolkit") == ["featured", "active", "plain"]


@pytest.mark.parametrize("status", [Resource.Status.RETIRED, Resource.Status.ARCHIVED])
def test_retired_and_archived_entries_sink(client, status):
    ResourceFactory(slug="old", title="Kaldi recipes", summary="Kaldi recipes.", status=status)
    ResourceFactory(slug="mention", title="A guide", description="Mentions kaldi recipes.")
    assert slugs(client, "kaldi") == ["mention", "old"]
    # Its exact name still finds it first: names first, even for a retired entry.
    assert slugs(client, "kaldi recipes") == ["old", "mention"]


def test_a_name_match_is_not_outranked_by_boosts(client):
    ResourceFactory(slug="featured-mention", title="News", summary="Riva news.", is_featured=True)
    ResourceFactory(
        slug="riva",
        title="NVIDIA Riva",
        summary="Deploy speech AI.",
        status="moved",
        moved_to_url="https://example.org/",
    )
    assert slugs(client, "riva")[0] == "riva"


def test_topics_and_organisation_count_for_both_databases(client):
    nvidia = OrganisationFactory(slug="nvidia", title="NVIDIA")
    ResourceFactory(slug="riva", title="Riva", summary="Deploy.", organisation=nvidia)
    ResourceFactory(slug="live", title="Live", summary="x", topics=[TopicFactory(name="Streaming")])
    assert slugs(client, "streaming") == ["live"]
    assert "riva" in slugs(client, "nvidia")


def test_the_last_word_matches_as_a_prefix_and_words_are_stemmed(client):
    ResourceFactory(slug="sb", title="SpeechBrain", summary="Recognising speech with models.")
    assert slugs(client, "speechbr") == ["sb"]
    assert slugs(client, "recognise model") == ["sb"]
    assert slugs(client, "speechbr zzzz") == []  # every word must match


@pytest.mark.parametrize(
    ("typo", "suggestion", "first"),
    [
        ("wisper", "whisper", "openai-whisper"),
        ("speechbrian", "speechbrain", "speechbrain"),
        ("interspech", "interspeech", "isca"),
        ("wisper models", "whisper models", "models"),
    ],
)
def test_typos_suggest_a_correction_and_find_the_entry(client, mentions, typo, suggestion, first):
    ResourceFactory(slug="speechbrain", title="speechbrain/speechbrain", summary="A toolkit.")
    ResourceFactory(slug="isca", title="ISCA", summary="Runs INTERSPEECH.", aliases="INTERSPEECH")
    ResourceFactory(slug="models", title="Models", summary="Whisper models.")
    response = client.get("/resources/", {"q": typo})
    assert response.context["suggestion"] == suggestion
    assert response.context["page_obj"].object_list[0].slug == first
    assert (
        f'Did you mean <a href="?q={suggestion.replace(" ", "%20")}">' in response.content.decode()
    )


def test_correct_words_get_no_suggestion(client, mentions):
    response = client.get("/resources/", {"q": "whisper"})
    assert response.context["suggestion"] == ""
    assert not response.context["fuzzy"]
    assert search.suggest("whis", ["whisper"]) == ""  # being typed: the prefix finds it
    assert search.suggest("qzxv", ["whisper"]) == ""  # nothing close


def test_a_few_exact_hits_stay_after_the_corrected_ones(client, mentions):
    ResourceFactory(slug="typo-page", title="Common typos", summary="People write wisper.")
    found = slugs(client, "wisper")
    assert found[0] == "openai-whisper"
    assert "typo-page" in found


def test_relevance_is_offered_only_when_the_order_is_a_ranking(client, mentions):
    ranked = client.get("/resources/", {"q": "whisper"})
    assert ranked.context["sort"] == "relevance"
    assert ("relevance", "Relevance") in ranked.context["sorts"]
    assert '<option value="relevance" selected>Relevance</option>' in ranked.content.decode()
    for q in ["", "%%%"]:
        response = client.get("/resources/", {"q": q, "sort": "relevance"})
        assert response.context["sort"] == "curated"
        assert "relevance" not in dict(response.context["sorts"])
        assert ">Relevance<" not in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"whisper',
        'whisper"',
        "*",
        "whisper*",
        "^whisper",
        "NEAR(whisper model)",
        "whisper NEAR model",
        "-",
        "- whisper",
        "(",
        ")",
        "(whisper",
        "title:whisper",
        "{title summary}: whisper",
        "whisper AND",
        "OR whisper OR",
        "NOT whisper",
        "whisper\x00model",
        "\x00",
        "'; DROP TABLE catalogue_resource; --",
        "whisper + model",
        "a the of",
        "wav2vec-2.0",
        "ÆØÅ 🙂 whisper",
        "x" * 500,
    ],
)
def test_hostile_queries_never_fail(client, mentions, q):
    for params in ({"q": q}, {"q": q, "sort": "relevance"}, {"q": q, "kind": "repository"}):
        response = client.get("/resources/", params)
        # NUL is refused before any view (asrhub.middleware); everything else searches.
        assert response.status_code == (400 if "\x00" in q else 200), (q, params)
    assert Resource.objects.filter(slug="openai-whisper").exists()


def test_after_an_edit_the_previous_words_serve_until_the_response_is_sent(client, mentions):
    """Stale-while-revalidate: a visitor after an edit never waits for the vocabulary
    (every title is read to build it); the rebuild runs once that response is sent."""
    assert "zyxophone" not in search.vocabulary(Resource)
    mentions.title = "Zyxophone"
    mentions.save()  # a new catalogue version
    assert "zyxophone" not in search.vocabulary(Resource)  # the previous words, at once
    assert "zyxophone" not in search.vocabulary(Resource)  # one rebuild scheduled, not two
    response = client.get("/resources/", {"q": "zyxofone"})
    assert response.status_code == 200  # rebuilt after this response...
    assert "zyxophone" in search.vocabulary(Resource)  # ...so the next one has the word
    # (A search rendered with the previous words stays cached with them, up to
    # RESULTS_TTL: only a brand-new word is missing from its "did you mean".)
    assert client.get("/resources/", {"q": "zyxophne"}).context["suggestion"] == "zyxophone"
