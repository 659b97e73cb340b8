"""Every line of UPDATES-2026-12.md, applied or consciously held back (fixtures/README.md).

The tables below are written from that file, line by line, not from the fixtures.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from catalogue.models import Deadline, Edition, Event, Person, Resource

pytestmark = pytest.mark.django_db


def aoe(day: str) -> dt.datetime:
    return Deadline.aoe_instant(dt.date.fromisoformat(day))


# event, year → dates, place, needs_review (single source, conflict or third-party page)
EDITIONS = [
    ("slt", 2026, "2026-12-13", "2026-12-16", "Palermo", "Italy", True),
    ("neurips", 2026, "2026-12-06", "2026-12-12", "Sydney", "Australia", False),
    ("icassp", 2027, "2027-05-16", "2027-05-21", "Toronto", "Canada", False),
    ("interspeech", 2027, "2027-08-29", "2027-09-02", "São Paulo", "Brazil", True),
    ("interspeech", 2026, "2026-09-27", "2026-10-01", "Sydney", "Australia", True),
    ("naacl", 2027, "2027-06-01", "2027-06-05", "San Francisco", "United States", False),
    ("acl", 2027, "2027-08-17", "2027-08-22", "Kyoto", "Japan", True),
    ("emnlp", 2026, "2026-10-24", "2026-10-29", "Budapest", "Hungary", False),
]


@pytest.mark.parametrize(("slug", "year", "start", "end", "city", "country", "review"), EDITIONS)
def test_each_edition_line_is_applied(
    real_catalogue, slug, year, start, end, city, country, review
):
    edition = Edition.objects.get(event__slug=slug, year=year)
    assert (edition.start_date.isoformat(), edition.end_date.isoformat()) == (start, end)
    assert (edition.city, edition.country) == (city, country)
    assert edition.needs_review is review
    assert edition.sources and all(url.startswith("https://") for url in edition.sources)


# event, year, deadline kind → the instant (23:59 Anywhere on Earth), needs_review
DEADLINES = [
    ("slt", 2026, "paper", "2026-06-17", True),
    ("neurips", 2026, "paper", "2026-05-06", False),
    ("icassp", 2027, "paper", "2026-09-16", False),
    # The sources give the day only: AoE is an assumption, so a curator confirms it.
    ("naacl", 2027, "other", "2026-10-12", True),
]


@pytest.mark.parametrize(("slug", "year", "kind", "day", "review"), DEADLINES)
def test_each_deadline_line_is_applied(real_catalogue, slug, year, kind, day, review):
    deadline = Deadline.objects.get(edition__event__slug=slug, edition__year=year, kind=kind)
    assert deadline.due_at == aoe(day)
    assert deadline.is_aoe
    assert deadline.needs_review is review


def test_the_missing_events_are_entered_asru_without_an_edition(real_catalogue):
    slt = Event.objects.published().get(slug="slt")
    asru = Event.objects.published().get(slug="asru")
    assert (slt.cadence, asru.cadence) == ("biennial", "biennial")
    assert asru.needs_review and not asru.editions.exists()
    # Not announced, so not entered: the deadlines of INTERSPEECH 2027 and ACL 2027.
    for slug in ("interspeech", "acl"):
        assert not Deadline.objects.filter(edition__event__slug=slug, edition__year=2027).exists()


def test_naacl_is_not_annual_and_emnlp_spans_october_and_november(real_catalogue):
    naacl = Event.objects.get(slug="naacl")
    assert naacl.cadence == "irregular"
    assert "Nations of the Americas" in naacl.full_name
    emnlp = Event.objects.get(slug="emnlp")
    assert (emnlp.usual_month, emnlp.usual_month_end) == (10, 11)


def test_events_not_found_are_left_undated(real_catalogue):
    for slug, year in [("emnlp", 2027), ("icml", 2027), ("neurips", 2027)]:
        assert not Edition.objects.filter(event__slug=slug, year=year).exists()
    for slug in ["voice-summit", "speechtek", "ai-summit", "rework-summits"]:
        assert not Edition.objects.filter(event__slug=slug).exists()


# slug → the state each correction line asks for
CORRECTIONS = [
    ("papers-with-code", {"status": "moved", "moved_to__slug": "papers-with-code-relaunch"}),
    ("papers-with-code-sota", {"status": "moved", "moved_to__slug": "papers-with-code-relaunch"}),
    ("papers-with-code-newsletter", {"status": "retired"}),
    ("papers-with-code-relaunch", {"url": "https://paperswithcode.co", "status": "active"}),
    ("assemblyai-lemur", {"status": "retired", "summary__contains": "LLM Gateway"}),
    ("esb-benchmark", {"needs_review": False, "description__contains": "2210.13352"}),
    ("open-asr-leaderboard", {"description__contains": "RTFx"}),
    ("hugging-face-asr-models", {"summary__contains": "27,000"}),
    ("usm", {"summary__contains": "100+ languages"}),
    ("mms", {"summary__contains": "4,000"}),
    ("nvidia-canary", {"description__contains": "canary-180m-flash"}),
    ("faster-whisper", {"summary__contains": "up to 4 times faster"}),
    ("openai-blog", {"status": "moved", "moved_to_url": "https://openai.com/news/"}),
    ("arxiv-sanity", {"needs_review": True, "moved_to_url": "https://arxiv-sanity-lite.com"}),
    ("awesome-speech-recognition", {"is_published": False}),
    ("changelog", {"kind": "podcast"}),
]


@pytest.mark.parametrize(("slug", "expected"), CORRECTIONS)
def test_each_correction_is_applied(real_catalogue, slug, expected):
    assert Resource.objects.filter(slug=slug, **expected).exists(), slug


def test_people_corrections(real_catalogue):
    gandhi = Person.objects.get(slug="sanchit-gandhi")
    assert gandhi.affiliation.slug == "mistral-ai" and "Mistral AI" in gandhi.headline
    # Appears to be at Mistral AI, with no primary statement: not shown, flagged.
    von_platen = Person.objects.get(slug="patrick-von-platen")
    assert von_platen.needs_review and von_platen.affiliation_name == ""
    assert "Mistral" in von_platen.curator_note and "Mistral" not in von_platen.headline
    lecun = Person.objects.get(slug="yann-lecun")
    assert lecun.affiliation_name == "AMI Labs" and "left Meta" in lecun.headline
    hannun = Person.objects.get(slug="awni-hannun")
    assert hannun.needs_review and "Apple" not in hannun.affiliation_name
    povey = Person.objects.published().filter(slug="daniel-povey", roles__resource__slug="kaldi")
    assert povey.exists()


FEEDS = {
    "openai-blog": "https://openai.com/news/rss.xml",
    "nvidia-developer-blog": "https://developer.nvidia.com/blog/feed/",
    "microsoft-research-blog": "https://www.microsoft.com/en-us/research/feed/",
    "google-research-blog": "https://research.google/blog/rss/",
    "yannic-kilcher": "https://www.youtube.com/feeds/videos.xml?channel_id=UCZHmQk67mSJgfCCTn7xBfew",
    "two-minute-papers": "https://www.youtube.com/feeds/videos.xml?channel_id=UCbfYPyITQ-7l4upoX8nvctg",
    "arxiv-insights": "https://www.youtube.com/feeds/videos.xml?channel_id=UCNIkB2IeJ-6AmZv7bQ1oBYg",
    "hugging-face-youtube": "https://www.youtube.com/feeds/videos.xml?channel_id=UCHlNU7kIZhRgSbhHvFoy72w",
    "twiml-ai-podcast": "https://feeds.megaphone.fm/MLN2155636147",
    "practical-ai": "https://changelog.com/practicalai/feed",
}


def test_each_feed_line_is_applied_and_unverified_ones_flagged(real_catalogue):
    feeds = dict(Resource.objects.filter(slug__in=FEEDS).values_list("slug", "feed_url"))
    assert feeds == FEEDS
    # "unverified as official" and "one source": filled, and flagged for a curator.
    assert Resource.objects.get(slug="google-research-blog").needs_review
    assert Resource.objects.get(slug="arxiv-insights").needs_review
    # "unverified: leave for discovery": held back.
    assert Resource.objects.get(slug="assemblyai-blog").feed_url == ""
    assert Resource.objects.get(slug="deepgram-learn").feed_url == ""


# Every entry UPDATES lists as missing, by the address it gives.
MISSING = {
    "model": [
        "huggingface.co/nvidia/parakeet-tdt-0.6b-v3",
        "huggingface.co/nvidia/canary-qwen-2.5b",
        "huggingface.co/openai/whisper-large-v3-turbo",
        "github.com/huggingface/distil-whisper",
        "github.com/moonshine-ai/moonshine",
        "github.com/kyutai-labs/delayed-streams-modeling",
        "huggingface.co/collections/mistralai/voxtral",
        "huggingface.co/collections/ibm-granite/granite-speech-models",
        "huggingface.co/Qwen/Qwen3-ASR-1.7B",
        "github.com/facebookresearch/omnilingual-asr",
        "huggingface.co/espnet/owsm_v3.1_ebf",
        "huggingface.co/facebook/w2v-bert-2.0",
        "github.com/FunAudioLLM/SenseVoice",
    ],
    "repository": [
        "github.com/ggml-org/whisper.cpp",
        "github.com/k2-fsa/icefall",
        "github.com/k2-fsa/sherpa-onnx",
        "github.com/lhotse-speech/lhotse",
        "github.com/wenet-e2e/wenet",
        "github.com/modelscope/FunASR",
        "github.com/alphacep/vosk-api",
        "github.com/pyannote/pyannote-audio",
    ],
    "dataset": [
        "github.com/SpeechColab/GigaSpeech",
        "huggingface.co/datasets/MLCommons/peoples_speech",
        "huggingface.co/datasets/facebook/multilingual_librispeech",
        "huggingface.co/datasets/google/fleurs",
        "github.com/revdotcom/speech-datasets",
        "huggingface.co/datasets/edinburghcstr/ami",
        "github.com/facebookresearch/voxpopuli",
    ],
    "website": [
        "openslr.org",
        "huggingface.co/learn/audio-course",
        "huggingface.co/hf-audio",
    ],
    "benchmark": [
        "artificialanalysis.ai/speech-to-text",
        "arxiv.org/abs/2105.01051",
        "github.com/Picovoice/speech-to-text-benchmark",
        "iwslt.org",
    ],
    "paper-tracker": ["paperswithcode.co"],
    "newsletter": ["services.isca-speech.org/iscapad/"],
    "awesome-list": [
        "github.com/gail-yxie/awesome-asr",
        "github.com/sindresorhus/awesome-whisper",
        "github.com/zzw922cn/awesome-speech-recognition-speech-synthesis-papers",
    ],
    "company": ["mistral.ai"],
}


@pytest.mark.parametrize(
    ("kind", "address"), [(kind, address) for kind, items in MISSING.items() for address in items]
)
def test_each_missing_entry_is_added(real_catalogue, kind, address):
    found = Resource.objects.published().filter(kind=kind, url__contains=address)
    assert found.exists(), address
    assert all(r.checked_on == dt.date(2026, 12, 1) for r in found)


BEST_KNOWN = [
    "LibriSpeech",
    "Common Voice",
    "TED-LIUM",
    "Switchboard",
    "WSJ",
    "VoxCeleb",
    "Libri-Light",
    "SPGISpeech",
    "Earnings-21",
    "GigaSpeech",
    "FLEURS",
    "TIMIT",
]


@pytest.mark.parametrize("name", BEST_KNOWN)
def test_the_fields_best_known_datasets_are_datasets(real_catalogue, name):
    assert Resource.objects.published().filter(kind="dataset", title__icontains=name).exists()


def test_the_catalogue_reaches_150_entries_each_sourced_and_checked(real_catalogue):
    assert Resource.objects.published().count() >= 150
    assert Resource.objects.filter(kind="model").count() >= 13
    assert Resource.objects.filter(kind="dataset").count() >= 15
    for model in (Resource, Person, Event):
        for entry in model.objects.all():
            assert entry.checked_on is not None, entry
            assert entry.sources, entry
            assert all(url.startswith(("https://", "http://")) for url in entry.sources), entry


def test_aliases_cover_the_names_people_type(real_catalogue):
    for slug, alias in [
        ("openai-whisper", "Whisper"),
        ("nvidia-nemo", "NeMo"),
        ("wav2vec-2", "wav2vec2"),
        ("espnet", "ESPnet"),
        ("k2", "k2"),
    ]:
        assert alias in Resource.objects.get(slug=slug).aliases.split(", ")


def test_needs_review_always_carries_a_note(real_catalogue):
    for model in (Resource, Person, Event, Edition, Deadline):
        assert not model.objects.filter(needs_review=True, curator_note="").exists(), model


HELD_BACK = [
    "AssemblyAI blog",
    "Deepgram",
    "ASRU 2027",
    "INTERSPEECH 2027",
    "ACL 2027",
    "EMNLP 2027",
    "Patrick von Platen",
    "NeurIPS 2026 satellites",
]


def test_the_held_back_lines_are_listed_with_reasons():
    readme = (Path(settings.BASE_DIR) / "fixtures" / "README.md").read_text()
    held_back = readme.split("## Held back", 1)[1]
    for item in HELD_BACK:
        assert item in held_back, item


def test_loading_the_catalogue_creates_no_usable_feed_token(real_catalogue):
    curators = User.objects.get(username="asrhub-curators")
    assert curators.feed_token == ""
    client = Client()
    assert client.get("/u/curators-feed-token-not-used-0000000000/feed.atom").status_code == 404
    assert client.get("/u/curators-feed-token-not-used-0000000000/calendar.ics").status_code == 404
    assert client.get("/u//feed.atom").status_code == 404
    fixtures = (Path(settings.BASE_DIR) / "fixtures" / "packs.yaml").read_text()
    assert "feed_token: ''" in fixtures and "curators-feed-token" not in fixtures
