"""A small catalogue with known facet values for the search tests."""

import pytest

from catalogue.models import Resource
from tests.factories import CategoryFactory, OrganisationFactory, ResourceFactory, TopicFactory


@pytest.fixture
def catalogue(db):
    communities = CategoryFactory(slug="communities", name="Communities")
    discord = CategoryFactory(slug="discord-servers", name="Discord servers", parent=communities)
    reading = CategoryFactory(slug="reading", name="Reading")
    whisper = TopicFactory(slug="whisper", name="Whisper")
    diarization = TopicFactory(slug="diarization", name="Diarization")
    hf = OrganisationFactory(slug="hugging-face", title="Hugging Face", categories=[reading])
    items = {
        "hf": hf,
        "hf-discord": ResourceFactory(
            slug="hf-discord",
            title="Hugging Face Discord",
            kind=Resource.Kind.DISCORD,
            medium=Resource.Medium.DISCUSS,
            organisation=hf,
            categories=[discord],
            topics=[whisper],
            summary="Chat about fine-tuning Whisper.",
        ),
        "whisper-repo": ResourceFactory(
            slug="openai-whisper",
            title="openai/whisper",
            kind=Resource.Kind.REPOSITORY,
            medium=Resource.Medium.CODE,
            categories=[reading],
            topics=[whisper],
            summary="Official Whisper code and weights.",
            is_featured=True,
        ),
        "pod": ResourceFactory(
            slug="speech-podcast",
            title="Speech Podcast",
            kind=Resource.Kind.PODCAST,
            medium=Resource.Medium.LISTEN,
            level=Resource.Level.BEGINNER,
            categories=[reading],
            topics=[diarization],
            summary="Beginner-friendly episodes about multilingual recognition.",
        ),
        "blog": ResourceFactory(
            slug="diarization-blog",
            title="Diarization Blog",
            kind=Resource.Kind.BLOG,
            categories=[communities],
            topics=[diarization, whisper],
            summary="Who spoke when: posts on speaker diarization.",
        ),
        "speechbrain": ResourceFactory(
            slug="speechbrain",
            title="SpeechBrain",
            kind=Resource.Kind.REPOSITORY,
            medium=Resource.Medium.CODE,
            categories=[reading],
            summary="An all-in-one speech toolkit.",
        ),
        "hidden": ResourceFactory(
            slug="draft", title="Draft Whisper notes", is_published=False, categories=[reading]
        ),
    }
    return items
