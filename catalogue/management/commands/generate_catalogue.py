"""Create realistic synthetic resources next to the real ones, for benchmarks.

    manage.py generate_catalogue --resources 100000

Entries get varied titles, summaries and descriptions built from the field's own
vocabulary, every kind, level, cost, cadence and medium, one or two categories and one
to four topics. Their slugs start with ``synthetic-``; running the command again tops
the synthetic entries up to the number asked for, and ``--delete`` removes them.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from catalogue.models import Category, Resource, Topic
from catalogue.search import refresh_search_vectors
from catalogue.versioning import catalogue_changed

PREFIX = "synthetic-"
SUBJECTS = [
    "speech recognition",
    "ASR",
    "Whisper",
    "wav2vec 2.0",
    "Conformer",
    "diarization",
    "speaker verification",
    "streaming ASR",
    "multilingual speech",
    "low-resource languages",
    "speech translation",
    "keyword spotting",
    "CTC",
    "RNN-T",
    "end-to-end models",
    "self-supervised learning",
    "HuBERT",
    "noise robustness",
    "voice activity detection",
    "speech enhancement",
    "text normalisation",
    "punctuation restoration",
    "lattice rescoring",
    "language models",
    "on-device inference",
    "quantisation",
    "Kaldi",
    "ESPnet",
    "NeMo",
    "SpeechBrain",
    "LibriSpeech",
    "Common Voice",
    "medical dictation",
    "court transcription",
    "live captioning",
    "voice assistants",
    "call-centre analytics",
    "audio LLMs",
]
FORMS = [
    "{adj} notes on {s}",
    "The {s} {noun}",
    "{s} weekly",
    "{adj} {s}",
    "{s} in practice",
    "Inside {s}",
    "{s} for {who}",
    "{s} digest",
    "Learning {s}",
    "{s} and {s2}",
]
ADJECTIVES = ["Practical", "Open", "Applied", "Modern", "Deep", "Gentle", "Hands-on", "Fast"]
NOUNS = ["podcast", "journal", "lab", "hub", "collective", "review", "channel", "forum"]
WHO = ["beginners", "researchers", "engineers", "product teams", "students", "linguists"]
SENTENCES = [
    "Covers {s} with worked examples and code.",
    "Regular posts about {s} and {s2}.",
    "A community of practitioners discussing {s}.",
    "Benchmarks and comparisons of {s} systems.",
    "Interviews with people building {s} products.",
    "Paper summaries on {s}, with links to implementations.",
    "Tutorials that take you from zero to {s}.",
]


class Command(BaseCommand):
    help = "Create synthetic resources (slugs synthetic-…) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--resources", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=20261125)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--delete", action="store_true", help="Remove synthetic entries.")

    def handle(self, *args, **options) -> None:
        if options["delete"]:
            deleted, _ = Resource.objects.filter(slug__startswith=PREFIX).delete()
            self.stdout.write(f"Deleted {deleted} rows.")
            return
        wanted = options["resources"]
        if wanted < 0:
            raise CommandError("--resources must be zero or more.")
        categories = list(
            Category.objects.filter(parent__isnull=False).values_list("pk", flat=True)
        )
        topics = list(Topic.objects.values_list("pk", flat=True))
        if not categories or not topics:
            raise CommandError("Load the catalogue first (manage.py load_catalogue).")
        existing = Resource.objects.filter(slug__startswith=PREFIX).count()
        rng = random.Random(options["seed"] + existing)  # noqa: S311 - synthetic data
        start = existing
        while start < wanted:
            count = min(options["batch"], wanted - start)
            with transaction.atomic():
                self.create_batch(rng, start, count, categories, topics)
            start += count
            self.stdout.write(f"{start}/{wanted}")
        refresh_search_vectors()
        if (
            connection.vendor == "postgresql"
            and start > existing
            and not connection.in_atomic_block
        ):
            # Rows inserted in bulk and then rewritten with their search vectors leave
            # half the table dead: compact it, as a catalogue built one save at a time
            # (with autovacuum) would be, and gather the statistics the planner needs
            # to choose between the GIN index and a scan.
            with connection.cursor() as cursor:
                for table in (
                    "catalogue_resource",
                    "catalogue_resource_topics",
                    "catalogue_resource_categories",
                ):
                    cursor.execute(f"VACUUM (FULL, ANALYZE) {connection.ops.quote_name(table)}")
        catalogue_changed()  # bulk creation sends no signals
        self.stdout.write(self.style.SUCCESS(f"{wanted} synthetic resources in the catalogue."))

    def create_batch(self, rng, start, count, categories, topics) -> None:
        now = timezone.now()
        resources = []
        for number in range(start, start + count):
            s, s2 = rng.sample(SUBJECTS, 2)
            title = rng.choice(FORMS).format(
                adj=rng.choice(ADJECTIVES), s=s, s2=s2, noun=rng.choice(NOUNS), who=rng.choice(WHO)
            )
            summary = " ".join(
                sentence.format(s=rng.choice(SUBJECTS), s2=rng.choice(SUBJECTS))
                for sentence in rng.sample(SENTENCES, 2)
            )
            description = " ".join(
                sentence.format(s=rng.choice(SUBJECTS), s2=rng.choice(SUBJECTS))
                for sentence in rng.sample(SENTENCES, 4)
            )
            created = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 700))
            resources.append(
                Resource(
                    title=f"{title} {number}",
                    slug=f"{PREFIX}{number}",
                    kind=rng.choice(Resource.Kind.values),
                    url=f"https://example.org/synthetic/{number}",
                    summary=summary[:300],
                    description=description,
                    level=rng.choice(Resource.Level.values),
                    cost=rng.choice(Resource.Cost.values),
                    cadence=rng.choice(Resource.Cadence.values),
                    medium=rng.choice(Resource.Medium.values),
                    status=rng.choices(["active", "archived"], weights=[19, 1])[0],
                    is_published=True,
                    is_featured=rng.random() < 0.02,
                    created_at=created,
                    updated_at=created,
                )
            )
        created = Resource.objects.bulk_create(resources, batch_size=1000)
        if not created[0].pk:  # databases that do not return ids
            created = list(Resource.objects.filter(slug__in=[r.slug for r in resources]).only("pk"))
        category_links = Resource.categories.through
        topic_links = Resource.topics.through
        category_rows, topic_rows = [], []
        for resource in created:
            for category in rng.sample(categories, min(len(categories), rng.randint(1, 2))):
                category_rows.append(category_links(resource_id=resource.pk, category_id=category))
            for topic in rng.sample(topics, min(len(topics), rng.randint(1, 4))):
                topic_rows.append(topic_links(resource_id=resource.pk, topic_id=topic))
        category_links.objects.bulk_create(category_rows, batch_size=2000)
        topic_links.objects.bulk_create(topic_rows, batch_size=2000)
