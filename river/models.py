"""The river: every post of every published feed, stored once, and each member's reader.

A post that arrives from several feeds (an arXiv paper cross-listed in eess.AS and
cs.SD, the same link in two blogs) is one :class:`Post` with one :class:`PostSource`
per feed. Read state is a per-member watermark on post ids (arrival order) plus
per-post overrides, so "mark all read" is one row update however many posts it covers.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.models import Follow
from catalogue.models import Resource, Topic
from river.text import words

UNREAD_CAP = 100
# A guid that can identify a post across feeds (a URL or URN, not a bare counter or our
# own content hash): river.ingest.globally_unique says the same in Python.
GLOBAL_GUID = (
    Q(GreaterThanOrEqual(Length("guid"), 12))
    & (Q(guid__contains=":") | Q(guid__contains="/"))
    & ~Q(guid__startswith="sha256:")
)


class RawCount(models.Subquery):
    """``(SELECT count(*) FROM (<subquery>) AS capped)``: counts a sliced subquery."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS capped)"
    output_field = models.IntegerField()


class PostQuerySet(models.QuerySet):
    def newest(self, filters: dict | None = None):
        """Newest first. With one topic chosen (``matching`` then joins its links), in the
        order of that topic's links: PostgreSQL walks the ``(topic, -date)`` index instead
        of walking every post and checking each for the topic."""
        if filters and len(filters["topic"]) == 1:
            return self.order_by("-post_topics__published_at", "-id")
        return self.order_by("-published_at", "-id")

    def public(self):
        """Posts that at least one published resource carries."""
        return self.from_sources(Resource.objects.published().values("pk"))

    def search(self, q: str):
        """Full-text on PostgreSQL (websearch syntax, English stemming, over the stored
        vector of title and summary); on SQLite every word must appear in one of them."""
        if not q:
            return self
        if connection.vendor == "postgresql":
            query = SearchQuery(q, search_type="websearch", config="english")
            return self.filter(search_vector=query)
        queryset = self
        for word in words(q):
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

    def matching(self, filters: dict):
        """Apply the river's filters (as :meth:`RiverFilterForm.filters` gives them)."""
        queryset = self.search(filters["q"])
        if filters["kind"]:
            queryset = queryset.of_kind(filters["kind"])
        if len(filters["topic"]) == 1:
            # A join (one link per post and topic): newest(filters) orders by its date.
            queryset = queryset.filter(post_topics__topic=filters["topic"][0].pk)
        elif filters["topic"]:
            queryset = queryset.about([t.pk for t in filters["topic"]])
        if filters["category"]:
            ids = {pk for c in filters["category"] for pk in c.self_and_descendant_ids()}
            queryset = queryset.from_sources(
                Resource.objects.filter(categories__in=ids).values("pk")
            )
        if filters["source"]:
            queryset = queryset.from_sources([r.pk for r in filters["source"]])
        return queryset

    def from_sources(self, resource_ids):
        """Posts that came from any of these resources (ids or a values() queryset)."""
        links = PostSource.objects.filter(post=OuterRef("pk"))
        if isinstance(resource_ids, list | tuple | set):
            links = links.filter(resource_id__any=list(resource_ids))  # river.lookups
        else:
            links = links.filter(resource__in=resource_ids)
        return self.filter(Exists(links))

    def for_member(self, user):
        """Posts from what this member follows (each post once, however many sources).

        The followed ids are inlined (one small query first) so that PostgreSQL plans with
        the real number of sources: for a member who follows hundreds, walking the newest
        posts beats collecting all of theirs and sorting them.
        """

        ids = list(Follow.objects.filter(user=user).values_list("resource_id", flat=True))
        return self.from_sources(ids)

    def of_kind(self, kinds):
        return self.filter(kind__in=kinds)

    def about(self, topic_ids):
        return self.filter(
            Exists(PostTopic.objects.filter(post=OuterRef("pk"), topic__in=topic_ids))
        )

    def unread_by(self, reader: Reader):
        """Unread: newer than the watermark and not marked read, or marked unread.

        The marked-unread ids are few and are inlined, so PostgreSQL can combine two index
        scans on the primary key instead of running a subquery for every post.
        """
        marked_unread = [pk for pk, (read, _) in reader.states.items() if read is False]
        read = PostState.objects.filter(user_id=reader.user_id, post=OuterRef("pk"), is_read=True)
        return self.filter(
            Q(pk__in=marked_unread) | (Q(pk__gt=reader.read_through) & ~Exists(read))
        )

    def starred_by(self, user):
        return self.filter(
            Exists(PostState.objects.filter(user=user, post=OuterRef("pk"), is_starred=True))
        )

    def expired(self, now=None):
        """Older than the retention period and starred by nobody."""
        days = settings.ASRHUB_RIVER_RETENTION_DAYS
        cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
        return self.filter(published_at__lt=cutoff).exclude(
            Exists(PostState.objects.filter(post=OuterRef("pk"), is_starred=True))
        )


class Post(models.Model):
    """One post, however many feeds it arrived from."""

    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        RELEASE = "release", "Release"
        BLOG = "blog", "Blog post"
        VIDEO = "video", "Video"
        EPISODE = "episode", "Episode"
        DISCUSSION = "discussion", "Discussion"

    guid = models.CharField(max_length=500, db_index=True)
    link = models.URLField(max_length=1000, blank=True)
    canonical_link = models.CharField(max_length=1000, blank=True, db_index=True)
    arxiv_id = models.CharField("arXiv id", max_length=40, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BLOG)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True, help_text="Sanitised HTML (nh3).")
    authors = models.CharField(max_length=1000, blank=True)
    version = models.CharField(max_length=100, blank=True, help_text="Releases only.")
    published_at = models.DateTimeField()
    first_seen_at = models.DateTimeField(default=timezone.now)
    search_vector = SearchVectorField(null=True, editable=False)
    sources = models.ManyToManyField(Resource, through="PostSource", related_name="posts")
    topics = models.ManyToManyField(Topic, through="PostTopic", related_name="posts")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        # The dedup keys, enforced so that two fetches running at once cannot store one
        # post twice (river.ingest catches the conflict and joins the existing post).
        constraints = [
            models.UniqueConstraint(
                fields=["arxiv_id"], condition=~Q(arxiv_id=""), name="post_unique_arxiv_id"
            ),
            models.UniqueConstraint(
                fields=["canonical_link"],
                condition=~Q(canonical_link=""),
                name="post_unique_canonical_link",
            ),
            models.UniqueConstraint(
                fields=["guid"], condition=GLOBAL_GUID, name="post_unique_global_guid"
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="post_newest"),
            models.Index(fields=["kind", "-published_at"], name="post_kind_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}" if self.arxiv_id else ""


class PostSource(models.Model):
    """That a post arrived from a resource's feed, under that feed's own guid."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_sources")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="post_sources")
    guid = models.CharField(max_length=500)
    published_at = models.DateTimeField(help_text="The post's, copied for per-source order.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "guid"], name="postsource_unique_guid"),
            models.UniqueConstraint(fields=["post", "resource"], name="postsource_unique_post"),
        ]
        indexes = [
            models.Index(fields=["resource", "-published_at"], name="postsource_newest"),
            models.Index(fields=["resource", "post"], name="postsource_resource_post"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.guid}"


class PostTopic(models.Model):
    """A post is about a topic: from a source's topics or its own title and summary."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="post_topics")
    published_at = models.DateTimeField(help_text="The post's, copied for per-topic order.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "topic"], name="posttopic_unique"),
        ]
        # Newest first with the post id as tie-break, as /latest/?topic= orders: an index
        # scan needs no sort however many posts the topic has.
        indexes = [
            models.Index(fields=["topic", "-published_at", "-post"], name="posttopic_newest_id")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} about {self.topic_id}"


class Reader(models.Model):
    """A member's reader: every post with an id up to ``read_through`` counts as read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    read_through = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} read through {self.read_through}"

    @cached_property
    def states(self) -> dict[int, tuple[bool | None, bool]]:
        """This member's stored states, post id → (is_read, is_starred), from one query.

        Few by design: mark-all-read clears read overrides, so only the posts marked since
        and the starred ones have a row.
        """
        rows = PostState.objects.filter(user_id=self.user_id).values_list(
            "post_id", "is_read", "is_starred"
        )
        return {pk: (read, starred) for pk, read, starred in rows}

    @classmethod
    def of(cls, user) -> Reader:
        """The member's reader, unsaved (everything unread) until they first mark something."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def mark_all_read(self, up_to: int | None = None) -> int:
        """Mark every post up to ``up_to`` (by arrival; default: every post so far) read.

        Posts that arrive later keep their unread state. Per-post overrides at or below the
        mark are cleared, so one UPDATE covers them all; returns the new watermark.
        """
        newest = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        mark = min(up_to, newest) if up_to else newest
        self.read_through = max(self.read_through, mark)
        self.save()
        states = PostState.objects.filter(user_id=self.user_id, post_id__lte=self.read_through)
        states.filter(is_starred=False).delete()
        states.exclude(is_read=None).update(is_read=None)
        return self.read_through

    def is_read(self, post: Post) -> bool:
        read, _ = self.states.get(post.pk, (None, False))
        return read if read is not None else post.pk <= self.read_through

    def is_starred(self, post: Post) -> bool:
        return self.states.get(post.pk, (None, False))[1]

    def set_state(self, post: Post, action: str) -> None:
        """Apply one of read, unread, star, unstar to a post for this member."""
        state, _ = PostState.objects.get_or_create(user_id=self.user_id, post=post)
        if action in {"read", "unread"}:
            wanted = action == "read"
            # Store only what differs from the watermark, so the table stays small.
            state.is_read = None if wanted == (post.pk <= self.read_through) else wanted
        else:
            state.is_starred = action == "star"
        if state.is_read is None and not state.is_starred:
            state.delete()
        else:
            state.save()

    def unread_counts(self, resource_ids: list[int], rules: list[Rule]) -> dict[int, int]:
        """Unread posts per followed source (resource id → count), rules applied.

        Counts stop at ``UNREAD_CAP`` per source (shown as "100+"): past the watermark each
        source is an index range read up to the cap, so a member who follows 500 busy
        sources and never marks anything read costs 500 short range reads, not a count of
        every post they follow. Posts marked read are subtracted and posts marked unread
        below the watermark added (their ids are few and inlined).
        """
        if not resource_ids:
            return {}
        links = PostSource.objects.filter(resource_id__any=resource_ids)
        if rules:
            links = links.filter(post__in=passing(Post.objects.all(), rules).values("pk"))

        def per_source(queryset) -> dict[int, int]:
            return dict(queryset.values_list("resource_id").annotate(n=models.Count("*")))

        capped = PostSource.objects.filter(resource=OuterRef("pk"), post_id__gt=self.read_through)
        if rules:
            capped = capped.filter(post__in=passing(Post.objects.all(), rules).values("pk"))
        capped = capped.values("post_id")[:UNREAD_CAP]
        counts = dict(
            Resource.objects.filter(pk__any=resource_ids)
            .order_by()
            .annotate(n=RawCount(capped))
            .values_list("pk", "n")
        )
        # The overrides are few: inlined, each aggregate reads only their own links.
        marked_read = [
            pk for pk, (read, _) in self.states.items() if read and pk > self.read_through
        ]
        marked_unread = [pk for pk, (read, _) in self.states.items() if read is False]
        if marked_read:
            for pk, n in per_source(links.filter(post_id__in=marked_read)).items():
                counts[pk] -= n
        if marked_unread:
            for pk, n in per_source(links.filter(post_id__in=marked_unread)).items():
                counts[pk] = counts.get(pk, 0) + n
        return {pk: n for pk, n in counts.items() if n > 0}


class PostState(models.Model):
    """One member's state of one post: read/unread overriding the watermark, starred."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_states"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="states")
    is_read = models.BooleanField(null=True, help_text="None: the watermark decides.")
    is_starred = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="poststate_unique")]
        indexes = [
            models.Index(fields=["user", "is_starred"], name="poststate_starred"),
            models.Index(fields=["user", "is_read"], name="poststate_read"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.post_id}: read={self.is_read} starred={self.is_starred}"


class Rule(models.Model):
    """Keep only posts that mention one of these words, or block those that do."""

    class Action(models.TextChoices):
        KEEP = "keep", "Keep only posts mentioning"
        BLOCK = "block", "Hide posts mentioning"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="river_rules"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    phrases = models.CharField(
        max_length=500, help_text="Comma-separated words or phrases, matched in title and summary."
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only posts from this source; empty: everywhere.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.phrases}"

    def phrase_list(self) -> list[str]:
        return [p.strip() for p in self.phrases.split(",") if p.strip()]


def mentions_any(phrases: list[str]) -> Q:
    """Title or summary contains one of the phrases (case-insensitive)."""
    condition = Q(pk__in=[])
    for phrase in phrases:
        condition |= Q(title__icontains=phrase) | Q(summary__icontains=phrase)
    return condition


def from_source(resource_id: int) -> Q:
    return Q(Exists(PostSource.objects.filter(post=OuterRef("pk"), resource_id=resource_id)))


def passing(queryset: PostQuerySet, rules: list[Rule]) -> PostQuerySet:
    """Apply a member's keep/block rules: keep rules narrow (a post must mention one of
    their phrases), block rules hide; a rule with a source applies to that source's posts."""
    keep: dict[int | None, list[str]] = {}
    block: dict[int | None, list[str]] = {}
    for rule in rules:
        target = keep if rule.action == Rule.Action.KEEP else block
        target.setdefault(rule.resource_id, []).extend(rule.phrase_list())
    for resource_id, phrases in keep.items():
        if resource_id is None:
            queryset = queryset.filter(mentions_any(phrases))
        else:
            queryset = queryset.exclude(from_source(resource_id) & ~mentions_any(phrases))
    for resource_id, phrases in block.items():
        if resource_id is None:
            queryset = queryset.exclude(mentions_any(phrases))
        else:
            queryset = queryset.exclude(from_source(resource_id) & mentions_any(phrases))
    return queryset
