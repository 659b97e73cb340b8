"""The catalogue in fixtures/: complete enough, consistent, and idempotent to load."""

import pytest
from django.core.management import call_command

from catalogue.models import Category, Edition, Event, Person, Resource, Topic
from tests.support.db import snapshot

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_at_least_the_promised_entries(real_catalogue):
    assert Resource.objects.published().count() >= 100
    assert Person.objects.published().count() >= 10
    assert Event.objects.published().count() >= 9


def test_loading_twice_changes_nothing(real_catalogue):
    before = snapshot()
    call_command("load_catalogue", verbosity=0)
    assert snapshot() == before


def test_every_resource_is_classified(real_catalogue):
    unclassified = Resource.objects.filter(categories__isnull=True).values_list("slug", flat=True)
    assert list(unclassified) == []
    # Every leaf category is used, so no facet value leads nowhere.
    leaves = Category.objects.filter(parent__isnull=False, resources__isnull=True)
    assert list(leaves.values_list("slug", flat=True)) == []
    assert Topic.objects.filter(resources__isnull=False).distinct().count() >= 15


def test_feed_urls_follow_only_the_known_patterns(real_catalogue):
    patterns = (
        "https://rss.arxiv.org/rss/",
        "https://github.com/",
        "https://www.reddit.com/r/",
        "https://huggingface.co/blog/feed.xml",
        "https://www.youtube.com/feeds/videos.xml?channel_id=",
        # Addresses listed one by one in UPDATES-2026-12.md.
        "https://openai.com/news/rss.xml",
        "https://developer.nvidia.com/blog/feed/",
        "https://www.microsoft.com/en-us/research/feed/",
        "https://research.google/blog/rss/",
        "https://feeds.megaphone.fm/MLN2155636147",
        "https://changelog.com/practicalai/feed",
    )
    for resource in Resource.objects.exclude(feed_url=""):
        url = resource.feed_url
        substack = url.startswith("https://") and ".substack.com/feed" in url
        assert url.startswith(patterns) or substack, (resource.slug, url)
        if url.startswith("https://github.com/"):
            assert url.endswith("/releases.atom"), url
        if url.startswith("https://www.reddit.com/r/"):
            assert url.endswith("/.rss"), url


def test_curation_notes_are_applied(real_catalogue):
    moved = Resource.objects.filter(status=Resource.Status.MOVED)
    assert all(r.moved_to_id or r.moved_to_url for r in moved)
    papers_with_code = Resource.objects.filter(url__contains="paperswithcode.com")
    assert papers_with_code.exists()
    # Shut in 2025, relaunched in 2026: the site and its tables moved; the newsletter is retired.
    assert {r.slug: r.status for r in papers_with_code} == {
        "papers-with-code": "moved",
        "papers-with-code-sota": "moved",
        "papers-with-code-newsletter": "retired",
    }
    assert Resource.objects.filter(
        url__startswith="https://huggingface.co/spaces/hf-audio/open_asr_leaderboard"
    ).exists()
    assert not Resource.objects.filter(url__contains="ai.googleblog.com").exists()
    # Every X/Twitter handle is unverified.
    assert not Person.objects.exclude(twitter="").filter(needs_review=False).exists()
    flagged = Resource.objects.filter(needs_review=True)
    assert flagged.exists()
    assert not flagged.filter(curator_note="").exists()


def test_editions_from_the_curation_notes_stay_flagged_for_review(real_catalogue):
    # CURATION.md: the 2025 and 2026 ICASSP and INTERSPEECH dates are to confirm.
    known = [("icassp", 2025), ("interspeech", 2025), ("icassp", 2026), ("interspeech", 2026)]
    for slug, year in known:
        assert Edition.objects.get(event__slug=slug, year=year).needs_review, (slug, year)
    assert Edition.objects.dated().count() >= 10


# Every entry the guide names, written from the guide (not from the fixtures): the
# guide's name for it and a fragment of the URL it gives (or of the title when it
# gives none). Conferences are events; people are people.
GUIDE_RESOURCES = [
    ("arXiv cs.SD (Sound)", "url", "arxiv.org/list/cs.SD"),
    ("arXiv cs.CL (Computation and Language)", "url", "arxiv.org/list/cs.CL"),
    ("arXiv eess.AS (Audio and Speech Processing)", "url", "arxiv.org/list/eess.AS"),
    ("Daily arXiv e-mails", "title", "arXiv daily e-mail"),
    ("Google Scholar alerts", "url", "scholar.google.com"),
    ("arXiv Sanity", "url", "arxiv-sanity.com"),
    ("Papers with Code", "url", "paperswithcode.com/task/speech-recognition"),
    ("OpenAI research", "url", "openai.com/research"),
    ("OpenAI blog", "url", "openai.com/blog"),
    ("@OpenAI", "url", "x.com/OpenAI"),
    ("Meta AI", "url", "ai.meta.com"),
    ("Meta research", "url", "research.facebook.com"),
    ("facebookresearch GitHub", "url", "github.com/facebookresearch"),
    ("Wav2Vec 2.0", "title", "wav2vec 2.0"),
    ("HuBERT", "title", "HuBERT"),
    ("MMS", "title", "Massively Multilingual Speech"),
    ("SeamlessM4T", "title", "SeamlessM4T"),
    ("Google AI Blog (moved)", "url", "research.google/blog"),
    ("Google research publications", "url", "research.google/pubs"),
    ("Google TechTalks", "title", "Google TechTalks"),
    ("USM", "title", "Universal Speech Model"),
    ("Conformer", "title", "Conformer"),
    ("NVIDIA developer blog", "url", "developer.nvidia.com/blog"),
    ("NVIDIA GitHub", "url", "github.com/NVIDIA"),
    ("NVIDIA NeMo developer", "url", "developer.nvidia.com/nemo"),
    ("Canary", "title", "Canary"),
    ("Riva", "title", "Riva"),
    ("Microsoft Research blog", "url", "microsoft.com/en-us/research/blog"),
    ("Microsoft speech & language", "url", "research-area/speech-language"),
    ("Azure Speech Services", "title", "Azure"),
    ("WavLM", "title", "WavLM"),
    ("UniSpeech", "title", "UniSpeech"),
    ("Hugging Face blog", "url", "huggingface.co/blog"),
    ("Hugging Face ASR models", "url", "pipeline_tag=automatic-speech-recognition"),
    ("Hugging Face forum", "url", "discuss.huggingface.co"),
    ("AssemblyAI", "url", "assemblyai.com"),
    ("AssemblyAI blog", "url", "assemblyai.com/blog"),
    ("@AssemblyAI", "url", "x.com/AssemblyAI"),
    ("LeMUR", "title", "LeMUR"),
    ("Deepgram", "url", "deepgram.com"),
    ("Deepgram blog", "url", "deepgram.com/learn"),
    ("@DeepgramAI", "url", "x.com/DeepgramAI"),
    ("Nova", "title", "Nova"),
    ("Rev.ai", "url", "rev.ai"),
    ("Rev.ai blog", "url", "rev.ai/blog"),
    ("Yannic Kilcher", "url", "youtube.com/@YannicKilcher"),
    ("Two Minute Papers", "url", "youtube.com/@TwoMinutePapers"),
    ("Arxiv Insights", "url", "youtube.com/@ArxivInsights"),
    ("AssemblyAI YouTube", "url", "youtube.com/@AssemblyAI"),
    ("Hugging Face YouTube", "url", "youtube.com/@HuggingFace"),
    ("INTERSPEECH YouTube", "title", "INTERSPEECH"),
    ("r/speechrecognition", "url", "reddit.com/r/speechrecognition"),
    ("r/MachineLearning", "url", "reddit.com/r/MachineLearning"),
    ("r/LanguageTechnology", "url", "reddit.com/r/LanguageTechnology"),
    ("Hugging Face Discord", "url", "hf.co/join/discord"),
    ("EleutherAI Discord", "title", "EleutherAI"),
    ("LAION Discord", "title", "LAION"),
    ("University speech forums", "title", "University speech recognition forums"),
    ("openai/whisper", "url", "github.com/openai/whisper"),
    ("speechbrain/speechbrain", "url", "github.com/speechbrain/speechbrain"),
    ("espnet/espnet", "url", "github.com/espnet/espnet"),
    ("NVIDIA/NeMo", "url", "github.com/NVIDIA/NeMo"),
    ("huggingface/transformers", "url", "github.com/huggingface/transformers"),
    ("m-bain/whisperX", "url", "github.com/m-bain/whisperX"),
    ("faster-whisper", "url", "faster-whisper"),
    ("awesome-speech-recognition", "title", "awesome-speech-recognition"),
    ("The Batch", "url", "deeplearning.ai/the-batch"),
    ("Import AI", "url", "importai.substack.com"),
    ("Papers with Code newsletter", "title", "Papers with Code Newsletter"),
    ("TWIML AI Podcast", "title", "TWIML"),
    ("The AI Podcast (NVIDIA)", "title", "The AI Podcast"),
    ("Practical AI", "title", "Practical AI"),
    ("Changelog", "title", "Changelog"),
    ("ISCA", "url", "isca-speech.org"),
    ("IEEE Signal Processing Society", "url", "signalprocessingsociety.org"),
    ("IEEE Xplore", "title", "IEEE Xplore"),
    ("Papers with Code SOTA", "title", "SOTA"),
    ("HuggingFace leaderboards", "url", "huggingface.co/spaces"),
    ("Open ASR Leaderboard (curation)", "url", "hf-audio/open_asr_leaderboard"),
    ("ESB benchmark", "title", "ESB"),
    ("LibriSpeech", "title", "LibriSpeech"),
    ("Common Voice", "title", "Common Voice"),
    ("Nuance Communications", "title", "Nuance Communications"),
    ("Nuance blog", "title", "Nuance blog"),
    ("AMIA", "title", "American Medical Informatics Association"),
    ("@NuanceMedical", "url", "x.com/NuanceMedical"),
    ("Verbit blog", "title", "Verbit blog"),
    ("Court reporting associations", "title", "Court reporting"),
    ("@AccessibleTech communities", "title", "Accessible tech"),
    ("Caption accessibility forums", "title", "Caption accessibility"),
    ("CMU speech lab", "title", "Carnegie Mellon"),
    ("MIT speech lab", "title", "MIT"),
    ("Stanford speech lab", "title", "Stanford"),
    ("Johns Hopkins speech lab", "title", "Johns Hopkins"),
    ("Meetup.com speech groups", "url", "meetup.com/find/?keywords=speech"),
    ("Local AI/ML meetups", "title", "Local AI/ML meetups"),
    ("Company-hosted events", "title", "research lab events"),
    ("CHiME challenges", "title", "CHiME"),
    ("ACL", "title", "Association for Computational Linguistics"),
]
GUIDE_PEOPLE = [
    "Awni Hannun",
    "Jacob Andreas",
    "Alexei Baevski",
    "Bhiksha Raj",
    "Sanchit Gandhi",
    "Patrick von Platen",
    "Jon Barker",
    "Shinji Watanabe",
    "Yann LeCun",
    "Andrej Karpathy",
    "Andrew Ng",
    "Jack Clark",
]
GUIDE_EVENTS = [
    "INTERSPEECH",
    "ICASSP",
    "ACL",
    "EMNLP",
    "NAACL",
    "NeurIPS",
    "ICML",
    "VOICE Summit",
    "SpeechTEK",
    "The AI Summit",
    "RE•WORK",
]


@pytest.mark.parametrize(("name", "field", "fragment"), GUIDE_RESOURCES)
def test_every_resource_of_the_guide_is_in_the_catalogue(real_catalogue, name, field, fragment):
    found = Resource.objects.published().filter(**{f"{field}__icontains": fragment})
    assert found.exists(), f"{name} is missing"


def test_every_person_and_event_of_the_guide_is_in_the_catalogue(real_catalogue):
    people = set(Person.objects.published().values_list("name", flat=True))
    assert set(GUIDE_PEOPLE) <= people
    events = list(Event.objects.published().values_list("name", flat=True))
    for name in GUIDE_EVENTS:
        assert any(name.lower() in event.lower() for event in events), name


def test_the_guides_packs_ship_as_featured_packs_of_a_curator_account(real_catalogue):
    from accounts.models import StarterPack, User

    curators = User.objects.get(username="asrhub-curators")
    assert not curators.has_usable_password()
    packs = StarterPack.objects.featured().filter(owner=curators)
    assert packs.count() >= 7
    titles = set(packs.values_list("title", flat=True))
    assert "Recommended Starter Pack" in titles
    for word in ("Casual", "Moderate", "Deep", "Staying current", "Networking", "Hands-on"):
        assert any(title.startswith(word) for title in titles), word
    assert all(pack.items.count() >= 5 for pack in packs)
