"""Create synthetic river posts for benchmarks, with set-based SQL (no ORM per row).

    manage.py generate_posts --posts 1000000 --sources 2000

Sources are synthetic published resources with feeds (slugs ``synthetic-source-``),
created once and reused. Posts are spread over the sources, one in twenty is carried by
a second source (as a cross-listed paper is), each has one or two topics, and they are
published 30 seconds apart up to now. ``--delete`` removes the synthetic posts and sources.
On PostgreSQL the rows come from ``generate_series`` and the search vectors are computed
in the same INSERT; SQLite (for tests) counts with a recursive CTE instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from catalogue.models import Resource, Topic
from river.models import Post

PREFIX = "synthetic-source-"
SOURCE_KINDS = [
    Resource.Kind.ARXIV,
    Resource.Kind.REPOSITORY,
    Resource.Kind.BLOG,
    Resource.Kind.PODCAST,
    Resource.Kind.YOUTUBE,
    Resource.Kind.FORUM,
]
POST_KIND_OF = {
    Resource.Kind.ARXIV: Post.Kind.PAPER,
    Resource.Kind.REPOSITORY: Post.Kind.RELEASE,
    Resource.Kind.BLOG: Post.Kind.BLOG,
    Resource.Kind.PODCAST: Post.Kind.EPISODE,
    Resource.Kind.YOUTUBE: Post.Kind.VIDEO,
    Resource.Kind.FORUM: Post.Kind.DISCUSSION,
}
# Word lists indexed by different moduli so titles vary; "speech" is in about a third.
OPENERS = ["Streaming", "Multilingual", "Robust", "Efficient", "Self-supervised", "Low-latency"]
SUBJECTS = [
    "speech recognition",
    "Whisper fine-tuning",
    "speaker diarization",
    "CTC decoding",
    "RNN-T training",
    "keyword spotting",
    "speech translation",
    "Conformer encoders",
    "noisy audio",
    "child speech",
    "code-switching",
    "medical dictation",
]
ENDINGS = [
    "for low-resource languages",
    "at scale",
    "on edge devices",
    "with LLMs",
    "in the wild",
    "without labels",
    "for podcasts",
    "in real time",
]
SUMMARIES = [
    "We study {s} and report word error rates on LibriSpeech and Common Voice.",
    "A new release with faster inference, bug fixes and updated speech models.",
    "This episode discusses {s}, evaluation and open datasets.",
    "Notes from the community: benchmarks, tooling and open questions about {s}.",
]
STEP_SECONDS = 30


def case(index_sql: str, values: list[str]) -> str:
    """A CASE expression choosing values[index % len(values)] (both databases)."""
    arms = " ".join(f"WHEN {i} THEN %s" for i in range(len(values)))
    return f"(CASE ({index_sql}) %% {len(values)} {arms} END)"


class Command(BaseCommand):
    help = "Create N synthetic river posts (set-based SQL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--sources", type=int, default=200)
        parser.add_argument("--delete", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["delete"]:
            deleted, _ = Post.objects.filter(guid__startswith="synthetic:").delete()
            Resource.objects.filter(slug__startswith=PREFIX).delete()
            self.stdout.write(f"Deleted {deleted} synthetic rows.")
            return
        if options["posts"] < 1 or options["sources"] < 1:
            raise CommandError("--posts and --sources must be at least 1.")
        topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            sources = self.sources(options["sources"], topics)
            self.posts(options["posts"], sources, topics)
        self.stdout.write(
            f"{Post.objects.count()} posts from {len(sources)} synthetic sources (and others)."
        )

    def sources(self, count: int, topics: list[int]) -> list[tuple[int, str]]:
        existing = Resource.objects.filter(slug__startswith=PREFIX).count()
        new = [
            Resource(
                title=f"Synthetic feed {n}",
                slug=f"{PREFIX}{n}",
                kind=SOURCE_KINDS[n % len(SOURCE_KINDS)],
                url=f"https://example.org/sources/{n}/",
                feed_url=f"https://example.org/sources/{n}/feed.xml",
                summary="A synthetic source for benchmarks.",
                is_published=True,
            )
            for n in range(existing, count)
        ]
        Resource.objects.bulk_create(new, batch_size=1000)
        rows = list(
            Resource.objects.filter(slug__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "kind")[:count]
        )
        if topics:
            through = Resource.topics.through
            through.objects.bulk_create(
                [
                    through(resource_id=pk, topic_id=topics[i % len(topics)])
                    for i, (pk, _) in enumerate(rows)
                ],
                ignore_conflicts=True,
                batch_size=1000,
            )
        return rows

    def posts(self, count: int, sources: list[tuple[int, str]], topics: list[int]) -> None:
        start = Post.objects.filter(guid__startswith="synthetic:").count()
        postgres = connection.vendor == "postgresql"
        now = timezone.now()
        if postgres:
            series = "SELECT g AS i FROM generate_series(%s, %s) AS g"
            published = "(%s::timestamptz - ((%s - i) * interval '30 seconds'))"
            concat_i = "i::text"
        else:
            series = (
                "WITH RECURSIVE n(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
                "SELECT i FROM n"
            )
            published = (
                "strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '-' || ((%s - i) * 30) || ' seconds')"
            )
            concat_i = "CAST(i AS TEXT)"
        first, last = start + 1, start + count
        title = (
            f"{case('i', OPENERS)} || ' ' || {case('i / 7', SUBJECTS)} || ' ' || "
            f"{case('i / 3', ENDINGS)}"
        )
        subject_for_summary = case("i / 11", SUBJECTS)
        summaries = [s.format(s="__S__") for s in SUMMARIES]
        # Summary: one of four templates with a subject spliced in.
        arms = []
        params_summary: list = []
        for n, template in enumerate(summaries):
            head, _, tail = template.partition("__S__")
            if _:
                arms.append(f"WHEN {n} THEN %s || {subject_for_summary} || %s")
                params_summary += [head, *SUBJECTS, tail]
            else:
                arms.append(f"WHEN {n} THEN %s")
                params_summary.append(head)
        summary_sql = f"(CASE (i / 5) %% {len(summaries)} {' '.join(arms)} END)"
        source_index = f"(i %% {len(sources)})"
        kind_sql = case(f"{source_index}", [POST_KIND_OF[k] for _, k in sources])
        vector = (
            ", setweight(to_tsvector('english', t.title), 'A') || "
            "setweight(to_tsvector('english', t.summary), 'B')"
            if postgres
            else ""
        )
        vector_column = ", search_vector" if postgres else ""
        # Every interpolated piece is a constant or an integer of ours; values are parameters.
        sql = (
            "INSERT INTO river_post (guid, link, canonical_link, arxiv_id, kind, title, "  # noqa: S608
            "summary, "
            f"authors, version, published_at, first_seen_at{vector_column}) "
            "SELECT t.guid, t.link, t.canonical_link, '', t.kind, t.title, t.summary, '', '', "
            f"t.published_at, t.published_at{vector} FROM ("
            f"SELECT 'synthetic:' || {concat_i} AS guid, "
            f"'https://example.org/posts/' || {concat_i} AS link, "
            f"'example.org/posts/' || {concat_i} AS canonical_link, "
            f"{kind_sql} AS kind, {title} AS title, {summary_sql} AS summary, "
            f"{published} AS published_at FROM ({series}) AS s) AS t"
        )
        params = (
            [POST_KIND_OF[k] for _, k in sources]
            + OPENERS
            + SUBJECTS
            + ENDINGS
            + params_summary
            + [now, last, first, last]
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            self.link_sources(cursor, sources, first, last, postgres)
            if topics:
                self.link_topics(cursor, topics, first, last)

    def link_sources(self, cursor, sources, first: int, last: int, postgres: bool) -> None:
        # The i-th synthetic post carries guid 'synthetic:i'; its number picks its source.
        ids = [pk for pk, _ in sources]
        table = "river_postsource (post_id, resource_id, guid, published_at)"
        values = "p.guid, p.published_at"
        self.link(cursor, table, values, ids, first, last, offset=0, condition="")
        # One post in twenty is cross-listed: also carried by the next source.
        if len(ids) > 1:
            self.link(cursor, table, values, ids, first, last, offset=1, condition="20")

    def link_topics(self, cursor, topics, first: int, last: int) -> None:
        columns = "river_posttopic (post_id, topic_id, published_at)"
        self.link(cursor, columns, "p.published_at", topics, first, last, offset=0, condition="")
        self.link(cursor, columns, "p.published_at", topics, first, last, offset=7, condition="3")

    def link(
        self,
        cursor,
        table: str,
        extra: str,
        ids: list[int],
        first: int,
        last: int,
        *,
        offset: int,
        condition: str,
    ) -> None:
        """Link post number i to ids[(i + offset) % len(ids)] (every ``condition``-th post).

        PostgreSQL indexes an array literal (constant time per row); SQLite, only used
        for small test runs, joins a VALUES list.
        """
        postgres = connection.vendor == "postgresql"
        number = "substr(p.guid, 11)::int" if postgres else "CAST(substr(p.guid, 11) AS INTEGER)"
        index = f"(({number} + {offset}) %% {len(ids)})"
        where = f"p.guid LIKE 'synthetic:%%' AND {number} BETWEEN %s AND %s"
        if condition:
            where += f" AND {number} %% {condition} = 0"
        if postgres:
            array = "ARRAY[" + ",".join(str(int(pk)) for pk in ids) + "]"
            select = f"SELECT p.id, ({array})[{index} + 1], {extra} FROM river_post p"  # noqa: S608
        else:
            values = " UNION ALL ".join(
                f"SELECT {k} AS k, {int(pk)} AS pk" for k, pk in enumerate(ids)
            )
            select = (
                f"SELECT p.id, t.pk, {extra} FROM river_post p JOIN ({values}) t ON t.k = {index}"  # noqa: S608
            )
        cursor.execute(f"INSERT INTO {table} {select} WHERE {where}", [first, last])  # noqa: S608
