"""The catalogue: categories, topics, resources, people, events and feed entries."""

from __future__ import annotations

import datetime as dt
import time

from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from catalogue.search import TextSearch
from catalogue.search import search as search_text
from catalogue.search_sqlite import INDEX as FTS5_INDEX
from catalogue.search_sqlite import FTS5Document
from catalogue.versioning import TAXONOMY_KEY, TAXONOMY_TTL, catalogue_version

# How long a checked fact stays fresh, and how long a feed may stay quiet, before the
# curators' staleness queue lists the entry.
STALE_AFTER = dt.timedelta(days=180)
FEED_SILENT_AFTER = dt.timedelta(days=90)
# How long the home page still mentions a deadline that has passed.
JUST_PASSED = dt.timedelta(days=90)

_source_url = URLValidator(schemes=["http", "https"])


def validate_sources(value) -> None:
    """``sources`` is a list of http(s) URLs: they are shown as links on public pages."""
    if not isinstance(value, list):
        raise ValidationError("Give the sources as a list of URLs.")
    for url in value:
        if not isinstance(url, str):
            raise ValidationError("Each source is one URL.")
        try:
            _source_url(url)
        except ValidationError:
            raise ValidationError(f"Not an http(s) URL: {url[:100]}") from None


class Sourced:
    """Shared by entries that carry ``sources`` and ``checked_on``."""

    @property
    def source_links(self) -> list[str]:
        """The sources safe to show as links (anything else stays in the admin)."""
        links = []
        for url in self.sources if isinstance(self.sources, list) else []:
            try:
                _source_url(url)
            except (ValidationError, TypeError):
                continue
            links.append(url)
        return links

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or timezone.now().date()
        return self.checked_on is None or self.checked_on < today - STALE_AFTER


class CuratedEntry(Sourced, models.Model):
    """What curators keep on every resource, person and event: the sources and when they
    were checked, a review flag and note, whether it is live or featured, and when it
    was entered and last changed."""

    sources = models.JSONField(
        default=list,
        blank=True,
        help_text="The addresses the facts on this entry come from, one URL per item.",
    )
    checked_on = models.DateField(
        "checked on", null=True, blank=True, help_text="When a curator last checked the facts."
    )
    needs_review = models.BooleanField(default=False)
    curator_note = models.TextField(blank=True)
    is_published = models.BooleanField("published", default=False)
    is_featured = models.BooleanField("featured", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def validate_sources_field(entry) -> None:
    try:
        validate_sources(entry.sources)
    except ValidationError as error:
        raise ValidationError({"sources": error.messages}) from None


def flag(condition) -> Case:
    """1 where the condition holds, else 0: flags that add up to an urgency."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def not_checked_since(today: dt.date) -> Q:
    return Q(checked_on__isnull=True) | Q(checked_on__lt=today - STALE_AFTER)


class SlugQuerySet(models.QuerySet):
    """Natural keys are slugs, so fixtures load by slug and reload idempotently."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class PublishedQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Category(models.Model):
    """A node in a two-level tree, e.g. Communities › Discord servers."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level category. Only two levels are allowed.",
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:category_detail", args=[self.slug])

    def clean(self) -> None:
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": "Categories have two levels: pick a top-level parent."}
            )
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A category cannot be its own parent."})

    def self_and_descendant_ids(self) -> list[int]:
        return [self.pk, *self.children.values_list("pk", flat=True)]


# This process's copy of the tree: (catalogue version, when read, the tree).
_taxonomy: tuple[int, float, dict] | None = None


def taxonomy() -> dict:
    """Categories in tree order, cached briefly (forgotten when one is saved here).

    Kept in the process too while the catalogue version lasts (a saved category starts
    a new one), for as long as in the cache: a search asks for it two or three times,
    and each cache read unpickled every category."""
    global _taxonomy
    version = catalogue_version()
    kept = _taxonomy
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] < TAXONOMY_TTL:
        return kept[2]
    data = cache.get(TAXONOMY_KEY)
    if data is None:
        categories = list(Category.objects.only("slug", "name", "parent_id", "position"))
        parents = [c for c in categories if not c.parent_id]
        ordered = []
        for parent in sorted(parents, key=lambda c: (c.position, c.name)):
            ordered.append(parent)
            children = [c for c in categories if c.parent_id == parent.pk]
            ordered += sorted(children, key=lambda c: (c.position, c.name))
        data = {"categories": ordered}
        cache.set(TAXONOMY_KEY, data, TAXONOMY_TTL)
    _taxonomy = (version, time.monotonic(), data)
    return data


class Topic(models.Model):
    """A tag shared by resources, people and events (whisper, diarization, …)."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:resource_list") + f"?topic={self.slug}"


class ResourceQuerySet(PublishedQuerySet):
    def search(self, q: str) -> TextSearch:
        """The one entry point for text search over resources: ``q`` (cleaned once, by
        ``SearchForm``) applied on whichever database is in use (see
        :mod:`catalogue.search`). The matches are ``.queryset`` (ranked on PostgreSQL);
        the rest says what to tell the user (a suggestion, whether they are close matches).
        No text matches everything."""
        if not q:
            return TextSearch(self)
        return search_text(self, q)

    def featured(self):
        return self.filter(is_featured=True)

    def organisations(self):
        return self.filter(kind__in=Resource.ORGANISATION_KINDS)

    def with_feed(self):
        return self.exclude(feed_url="")

    def needing_a_look(self, now: dt.datetime | None = None):
        """Entries a curator should look at, the most urgent first.

        Each carries ``stale`` (not checked for 180 days), ``flagged`` (needs review),
        ``broken`` (link dead), ``silent`` (a fetched feed with no post for 90 days)
        and ``urgency``: a broken link outranks a review, which outranks a silent feed,
        which outranks an old check.
        """
        now = now or timezone.now()
        today = now.date()
        recent_post = FeedEntry.objects.filter(
            resource=OuterRef("pk"), published_at__gte=now - FEED_SILENT_AFTER
        )
        silent = ~Q(feed_url="") & Q(feed_checked_at__isnull=False) & ~Exists(recent_post)
        flags = {
            "stale": not_checked_since(today),
            "flagged": Q(needs_review=True),
            "broken": Q(link_health=Resource.LinkHealth.DEAD),
            "silent": silent,
        }
        weights = {"broken": 8, "flagged": 4, "silent": 2, "stale": 1}
        annotated = self.annotate(
            **{
                name: Case(
                    When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
                )
                for name, condition in flags.items()
            }
        )
        urgency = sum((models.F(name) * weight for name, weight in weights.items()), Value(0))
        return (
            annotated.annotate(urgency=urgency)
            .filter(urgency__gt=0)
            .order_by("-urgency", models.F("checked_on").asc(nulls_first=True), "title")
        )

    def due_for_fetch(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return (
            self.published()
            .with_feed()
            .filter(Q(feed_next_fetch_at__isnull=True) | Q(feed_next_fetch_at__lte=now))
        )


class Resource(CuratedEntry):
    """The main entry: a place to read, watch, listen, discuss, code or attend."""

    class Kind(models.TextChoices):
        ARXIV = "arxiv", "arXiv category"
        PAPER_TRACKER = "paper-tracker", "Paper tracker"
        BLOG = "blog", "Blog"
        NEWSLETTER = "newsletter", "Newsletter"
        PODCAST = "podcast", "Podcast"
        YOUTUBE = "youtube", "YouTube channel"
        SUBREDDIT = "subreddit", "Subreddit"
        DISCORD = "discord", "Discord server"
        FORUM = "forum", "Forum"
        REPOSITORY = "repository", "GitHub repository"
        AWESOME_LIST = "awesome-list", "Awesome list"
        BENCHMARK = "benchmark", "Benchmark or leaderboard"
        COMPANY = "company", "Company or lab"
        ORGANISATION = "organisation", "Professional organisation"
        MEETUP = "meetup", "Meetup or local community"
        SOCIAL = "social", "Social media account"
        WEBSITE = "website", "Website or documentation"
        MODEL = "model", "Model"
        DATASET = "dataset", "Dataset"

    class Level(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"
        ALL = "all", "All levels"

    class Cost(models.TextChoices):
        FREE = "free", "Free"
        FREEMIUM = "freemium", "Freemium"
        PAID = "paid", "Paid"
        MEMBERSHIP = "membership", "Membership"

    class Cadence(models.TextChoices):
        REALTIME = "realtime", "Continuous"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"
        OCCASIONAL = "occasional", "Occasional"

    class Medium(models.TextChoices):
        READ = "read", "Read"
        WATCH = "watch", "Watch"
        LISTEN = "listen", "Listen"
        DISCUSS = "discuss", "Discuss"
        CODE = "code", "Code"
        ATTEND = "attend", "Attend"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"
        MOVED = "moved", "Moved"
        RETIRED = "retired", "Retired"

    class Licence(models.TextChoices):
        """Licences as SPDX names; only what the source states."""

        APACHE_2 = "apache-2.0", "Apache 2.0"
        MIT = "mit", "MIT"
        BSD_3 = "bsd-3-clause", "BSD 3-Clause"
        GPL_3 = "gpl-3.0", "GPL 3.0"
        CC0 = "cc0-1.0", "CC0 1.0"
        CC_BY_4 = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA_4 = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC_BY_NC_4 = "cc-by-nc-4.0", "CC BY-NC 4.0"
        CC_BY_NC_SA_4 = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
        OTHER = "other", "Other (see description)"

    class Languages(models.TextChoices):
        """How many languages a model or dataset covers, as its source states."""

        ENGLISH = "english", "English only"
        FEW = "few", "A few languages"
        MULTILINGUAL = "multilingual", "Multilingual (dozens or more)"

    class LinkHealth(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "OK"
        UNKNOWN = "unknown", "Unknown (blocked or timed out)"
        DEAD = "dead", "Dead"

    ORGANISATION_KINDS = (Kind.COMPANY, Kind.ORGANISATION)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names people type for it, separated by commas: Whisper, NeMo, wav2vec2.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    categories = models.ManyToManyField(Category, related_name="resources", blank=True)
    topics = models.ManyToManyField(Topic, related_name="resources", blank=True)
    url = models.URLField("URL", max_length=500)
    feed_url = models.URLField("feed URL", max_length=500, blank=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences, plain text.")
    description = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    cost = models.CharField(max_length=20, choices=Cost.choices, blank=True)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, blank=True)
    medium = models.CharField(max_length=20, choices=Medium.choices, blank=True)
    licence = models.CharField(
        max_length=20, choices=Licence.choices, blank=True, help_text="Models and datasets."
    )
    languages = models.CharField(
        max_length=20, choices=Languages.choices, blank=True, help_text="Models and datasets."
    )
    audience_size = models.PositiveIntegerField(null=True, blank=True)
    audience_unit = models.CharField(
        max_length=40, blank=True, help_text="What the size counts: members, stars, attendees…"
    )
    audience_as_of = models.DateField(null=True, blank=True)
    organisation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="channels",
        limit_choices_to={"kind__in": ORGANISATION_KINDS},
        help_text="The company or organisation behind this resource.",
    )
    people = models.ManyToManyField(
        "Person", through="ResourcePerson", related_name="resources", blank=True
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    moved_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # Deleting the target would leave a "moved" entry pointing nowhere.
        on_delete=models.PROTECT,
        related_name="moved_from",
        help_text="The catalogue entry it moved to, if there is one.",
    )
    moved_to_url = models.URLField("moved to URL", max_length=500, blank=True)

    link_health = models.CharField(
        max_length=20, choices=LinkHealth.choices, default=LinkHealth.UNCHECKED
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_ok_at = models.DateTimeField("last OK", null=True, blank=True)
    link_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    link_final_url = models.URLField(max_length=1000, blank=True)
    link_failures = models.PositiveSmallIntegerField("consecutive failures", default=0)

    # Feed fetching state, kept exactly as the server sent it (see fetch_feeds).
    feed_etag = models.CharField(max_length=500, blank=True)
    feed_last_modified = models.CharField(max_length=100, blank=True)
    feed_checked_at = models.DateTimeField(null=True, blank=True)
    feed_ok_at = models.DateTimeField(null=True, blank=True)
    feed_next_fetch_at = models.DateTimeField(null=True, blank=True)
    feed_error_count = models.PositiveSmallIntegerField(default=0)
    feed_last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    feed_last_error = models.TextField(blank=True)

    # Popularity, recounted by the accounts app's write paths (follows, bookmarks, items
    # of public packs; see accounts/popularity.py): read with the rows, no query per card.
    follower_count = models.PositiveIntegerField("followers", default=0, editable=False)
    bookmark_count = models.PositiveIntegerField("bookmarks", default=0, editable=False)
    pack_count = models.PositiveIntegerField("in public packs", default=0, editable=False)

    search_vector = SearchVectorField(null=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["level"]),
            models.Index(fields=["cost"]),
            models.Index(fields=["cadence"]),
            models.Index(fields=["medium"]),
            models.Index(fields=["status"]),
            models.Index(fields=["link_health"]),
            models.Index(fields=["is_published", "title"]),
            models.Index(Lower("title"), name="resource_title_lower"),
            models.Index(fields=["-created_at"]),
            models.Index(fields=["-updated_at"]),
            # The "curated" and "followed" sorts, walked in order: a search with many
            # matches fills its page from the first rows instead of sorting them all.
            models.Index(
                F("is_featured").desc(),
                F("follower_count").desc(),
                Lower("title"),
                "id",
                name="resource_curated_order",
            ),
            models.Index(
                F("follower_count").desc(),
                F("is_featured").desc(),
                Lower("title"),
                "id",
                name="resource_followed_order",
            ),
            models.Index(
                fields=["feed_next_fetch_at"],
                name="resource_feed_due_idx",
                condition=~Q(feed_url=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="moved") | Q(moved_to__isnull=False) | ~Q(moved_to_url=""),
                name="resource_moved_needs_target",
                violation_error_message="A moved resource needs where it moved to.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:resource_detail", args=[self.slug])

    def clean(self) -> None:
        validate_sources_field(self)
        if self.status == self.Status.MOVED and not (self.moved_to_id or self.moved_to_url):
            raise ValidationError(
                {"moved_to_url": "A moved resource needs a target: an entry or a URL."}
            )
        if self.moved_to_id and self.moved_to_id == self.pk:
            raise ValidationError({"moved_to": "A resource cannot move to itself."})
        if self.organisation_id and self.organisation_id == self.pk:
            raise ValidationError({"organisation": "A resource cannot be its own organisation."})

    @property
    def is_organisation(self) -> bool:
        return self.kind in self.ORGANISATION_KINDS

    @property
    def moved_target_url(self) -> str:
        if self.moved_to_id:
            return self.moved_to.get_absolute_url()
        return self.moved_to_url

    @property
    def visit_url(self) -> str:
        """Where "Visit" goes: a moved entry's new address, otherwise its own."""
        if self.status == self.Status.MOVED:
            if self.moved_to_id:
                return self.moved_to.url
            if self.moved_to_url:
                return self.moved_to_url
        return self.url

    @property
    def former_url(self) -> str:
        """The old address of a moved entry, shown as "formerly"; empty otherwise."""
        return self.url if self.visit_url != self.url else ""


class PersonQuerySet(PublishedQuerySet):
    def for_page(self):
        """What a person's page shows: affiliation, topics, and roles in published
        resources."""
        roles = ResourcePerson.objects.filter(resource__is_published=True)
        return self.select_related("affiliation").prefetch_related(
            "topics", models.Prefetch("roles", roles.select_related("resource"))
        )

    def needing_a_look(self, today: dt.date | None = None):
        """People not checked for 180 days or flagged for review, flagged first."""
        today = today or timezone.now().date()
        return self.filter(not_checked_since(today) | Q(needs_review=True)).order_by(
            "-needs_review", models.F("checked_on").asc(nulls_first=True), "name"
        )


class Person(CuratedEntry):
    """Someone worth following: a researcher, engineer or educator."""

    class Kind(models.TextChoices):
        ACADEMIC = "academic", "Academic"
        INDUSTRY = "industry", "Industry"
        EDUCATOR = "educator", "Educator"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    headline = models.CharField(max_length=200, blank=True)
    affiliation = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"kind__in": Resource.ORGANISATION_KINDS},
    )
    affiliation_text = models.CharField(
        max_length=200, blank=True, help_text="When the affiliation is not in the catalogue."
    )
    bio = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    website = models.URLField(max_length=500, blank=True)
    twitter = models.CharField("X/Twitter handle", max_length=50, blank=True)
    bluesky = models.CharField("Bluesky handle", max_length=100, blank=True)
    github = models.CharField("GitHub username", max_length=50, blank=True)
    scholar = models.URLField("Google Scholar", max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, related_name="people", blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["is_published", "name"])]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:person_detail", args=[self.slug])

    def clean(self) -> None:
        validate_sources_field(self)

    @property
    def affiliation_name(self) -> str:
        return self.affiliation.title if self.affiliation_id else self.affiliation_text

    @property
    def twitter_url(self) -> str:
        return f"https://x.com/{self.twitter.lstrip('@')}" if self.twitter else ""

    @property
    def bluesky_url(self) -> str:
        return f"https://bsky.app/profile/{self.bluesky.lstrip('@')}" if self.bluesky else ""

    @property
    def github_url(self) -> str:
        return f"https://github.com/{self.github}" if self.github else ""


class ResourcePersonQuerySet(models.QuerySet):
    def get_by_natural_key(self, resource_slug: str, person_slug: str, role: str):
        return self.get(resource__slug=resource_slug, person__slug=person_slug, role=role)


class ResourcePerson(models.Model):
    """A person's role in a resource: creator of a toolkit, host of a podcast…"""

    class Role(models.TextChoices):
        CREATOR = "creator", "Creator"
        MAINTAINER = "maintainer", "Maintainer"
        LEAD = "lead", "Lead"
        EDITOR = "editor", "Editor"
        HOST = "host", "Host"
        AUTHOR = "author", "Author"
        CONTRIBUTOR = "contributor", "Contributor"
        MEMBER = "member", "Member"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)

    objects = ResourcePersonQuerySet.as_manager()

    class Meta:
        ordering = ["resource__title", "person__name"]
        verbose_name = "person on a resource"
        verbose_name_plural = "people on resources"
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "person", "role"], name="resourceperson_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} of {self.resource}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.resource.slug, self.person.slug, self.role)

    natural_key.dependencies = ["catalogue.resource", "catalogue.person"]


class EventQuerySet(PublishedQuerySet):
    def for_page(self):
        """What an event's page shows: organiser, topics, editions newest first with
        their deadlines in order, and published related resources by title."""
        deadlines = models.Prefetch("deadlines", Deadline.objects.order_by("due_at", "pk"))
        editions = Edition.objects.order_by("-year").prefetch_related(deadlines)
        related = Resource.objects.published().order_by("title")
        return self.select_related("organiser").prefetch_related(
            "topics",
            models.Prefetch("editions", editions),
            models.Prefetch("related_resources", related),
        )

    def without_next_edition(self, today: dt.date | None = None):
        """Events whose last dated edition is over, with no later edition entered.

        A later edition counts even undated (an expected one), so adding it takes the
        event out of the list.
        """
        today = today or timezone.now().date()
        dated = Edition.objects.filter(event=OuterRef("pk"), end_date__isnull=False)
        later = Edition.objects.filter(event=OuterRef("pk"), year__gt=OuterRef("last_year"))
        return (
            self.annotate(
                last_end=Subquery(dated.order_by("-end_date").values("end_date")[:1]),
                last_year=Subquery(dated.order_by("-year").values("year")[:1]),
            )
            .filter(last_end__lt=today)
            .exclude(Exists(later))
        )

    def needing_a_look(self, today: dt.date | None = None):
        """Events not checked for 180 days, flagged, or past with no next edition."""
        today = today or timezone.now().date()
        passed = self.without_next_edition(today).values("pk")
        return (
            self.annotate(
                passed=Case(
                    When(pk__in=passed, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .filter(not_checked_since(today) | Q(needs_review=True) | Q(passed=1))
            .order_by("-passed", "-needs_review", models.F("checked_on").asc(nulls_first=True))
        )


class Event(CuratedEntry):
    """A conference or recurring gathering; its dated editions carry deadlines."""

    class Kind(models.TextChoices):
        ACADEMIC = "academic", "Academic conference"
        INDUSTRY = "industry", "Industry conference"
        WORKSHOP = "workshop", "Workshop"
        MEETUP = "meetup", "Meetup"

    class Format(models.TextChoices):
        IN_PERSON = "in-person", "In person"
        HYBRID = "hybrid", "Hybrid"
        VIRTUAL = "virtual", "Virtual"

    class Cadence(models.TextChoices):
        ANNUAL = "annual", "Annual"
        BIENNIAL = "biennial", "Every two years"
        SEVERAL = "several", "Several times a year"
        IRREGULAR = "irregular", "Irregular"

    MONTHS = [(i, dt.date(2000, i, 1).strftime("%B")) for i in range(1, 13)]

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    full_name = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    url = models.URLField("URL", max_length=500, blank=True)
    organiser = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
        limit_choices_to={"kind__in": Resource.ORGANISATION_KINDS},
    )
    organiser_text = models.CharField(max_length=200, blank=True)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.ANNUAL)
    usual_month = models.PositiveSmallIntegerField(choices=MONTHS, null=True, blank=True)
    usual_month_end = models.PositiveSmallIntegerField(
        choices=MONTHS, null=True, blank=True, help_text="When it usually spans two months."
    )
    format = models.CharField(max_length=20, choices=Format.choices, blank=True)
    typical_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="Typical attendance."
    )
    typical_size_note = models.CharField(max_length=100, blank=True)
    topics = models.ManyToManyField(Topic, related_name="events", blank=True)
    related_resources = models.ManyToManyField(Resource, related_name="related_events", blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["format"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(usual_month__isnull=True) | Q(usual_month__gte=1, usual_month__lte=12),
                name="event_usual_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])

    def clean(self) -> None:
        validate_sources_field(self)

    @property
    def organiser_name(self) -> str:
        return self.organiser.title if self.organiser_id else self.organiser_text

    @property
    def usual_months_display(self) -> str:
        if not self.usual_month:
            return ""
        first = self.get_usual_month_display()
        if self.usual_month_end and self.usual_month_end != self.usual_month:
            return f"{first}–{self.get_usual_month_end_display()}"
        return first


class EditionQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug: str, year: int):
        return self.get(event__slug=event_slug, year=year)

    def dated(self):
        return self.filter(start_date__isnull=False)

    def upcoming(self, today: dt.date | None = None):
        """Dated editions that have not ended yet, soonest first."""
        today = today or timezone.now().date()
        return self.dated().filter(end_date__gte=today).order_by("start_date")

    def past(self, today: dt.date | None = None):
        today = today or timezone.now().date()
        return self.dated().filter(end_date__lt=today).order_by("-start_date")


class Edition(Sourced, models.Model):
    """One dated occurrence of an event: INTERSPEECH 2026 in Sydney."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="editions")
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150, blank=True, help_text="Defaults to event and year.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    format = models.CharField(max_length=20, choices=Event.Format.choices, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    is_expected = models.BooleanField(
        "expected",
        default=False,
        help_text="Dates inferred from the usual month, not announced: shown as expected.",
    )
    sources = models.JSONField(
        default=list, blank=True, help_text="The addresses the dates come from, one URL per item."
    )
    needs_review = models.BooleanField(default=False)
    curator_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["event__name", "-year"]
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["end_date"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "year"], name="edition_unique_year"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="edition_end_after_start",
                violation_error_message="An edition cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__isnull=False),
                name="edition_dates_both_or_neither",
                violation_error_message="Give both a start and an end date, or neither.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def natural_key(self) -> tuple[str, int]:
        return (self.event.slug, self.year)

    natural_key.dependencies = ["catalogue.event"]

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url() + f"#edition-{self.year}"

    @property
    def display_name(self) -> str:
        return self.name or f"{self.event.name} {self.year}"

    @property
    def is_dated(self) -> bool:
        return self.start_date is not None

    def clean(self) -> None:
        validate_sources_field(self)
        if (self.start_date is None) != (self.end_date is None):
            raise ValidationError("Give both a start and an end date, or neither.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "An edition cannot end before it starts."})


class DeadlineQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug: str, year: int, kind: str):
        return self.get(edition__event__slug=event_slug, edition__year=year, kind=kind)

    def upcoming(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return self.filter(due_at__gte=now).order_by("due_at")

    def just_passed(self, now: dt.datetime | None = None, within: dt.timedelta = JUST_PASSED):
        """Deadlines passed in the last ``within`` (three months), the latest first."""
        now = now or timezone.now()
        return self.filter(due_at__lt=now, due_at__gte=now - within).order_by("-due_at")


class Deadline(models.Model):
    """A dated deadline of an edition, stored as the exact UTC instant.

    A deadline announced as "23:59 Anywhere on Earth" (UTC−12) is stored as the
    instant it passes everywhere, with ``is_aoe`` set so pages can say so.
    """

    class Kind(models.TextChoices):
        ABSTRACT = "abstract", "Abstract"
        PAPER = "paper", "Paper submission"
        CAMERA_READY = "camera-ready", "Camera-ready"
        REGISTRATION = "registration", "Registration"
        OTHER = "other", "Other"

    AOE = dt.timezone(dt.timedelta(hours=-12), "AoE")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=150, blank=True)
    due_at = models.DateTimeField(help_text="The exact instant, in UTC.")
    is_aoe = models.BooleanField("announced as Anywhere on Earth", default=False)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised whenever the date changes (iCalendar)."
    )
    needs_review = models.BooleanField(default=False)
    curator_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["due_at"])]
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="deadline_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.display_label}"

    def natural_key(self) -> tuple[str, int, str]:
        return (*self.edition.natural_key(), self.kind)

    natural_key.dependencies = ["catalogue.edition"]

    @property
    def display_label(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def due_at_aoe(self) -> dt.datetime:
        return self.due_at.astimezone(self.AOE)

    @classmethod
    def aoe_instant(cls, day: dt.date, time: dt.time = dt.time(23, 59)) -> dt.datetime:
        """The UTC instant of a wall-clock time Anywhere on Earth (UTC−12)."""
        return dt.datetime.combine(day, time, tzinfo=cls.AOE).astimezone(dt.UTC)


class FeedEntryQuerySet(models.QuerySet):
    def newest(self):
        return self.order_by("-published_at", "-id")

    def for_member(self, user):
        """Entries of the resources this member follows, one row per feed (the river's
        ``Post.objects.for_member`` gives a post carried by two feeds once)."""
        return self.filter(resource__follows__user=user)


class FeedEntry(models.Model):
    """A post fetched from a resource's feed; the newest N are kept per resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    link = models.URLField(max_length=1000, blank=True)
    summary = models.TextField(blank=True, help_text="Sanitised HTML.")
    published_at = models.DateTimeField()
    first_seen_at = models.DateTimeField(default=timezone.now)

    objects = FeedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "feed entries"
        indexes = [
            models.Index(fields=["resource", "-published_at"]),
            models.Index(fields=["-published_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["resource", "guid"], name="feedentry_unique_guid")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.link or self.resource.get_absolute_url()


class ResourceSearchEntry(models.Model):
    """SQLite only: a row of the FTS5 index of :mod:`catalogue.search_sqlite`.

    Unmanaged (the migration creates the virtual table on SQLite, nothing on PostgreSQL):
    it lets a search join the index by rowid (``search_entry__document__match``) and
    order by its weighted BM25 ``rank`` in one statement. A correlated subquery per
    row, the alternative, was about 100 times slower at 1,000 entries.
    """

    resource = models.OneToOneField(
        Resource,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    # FTS5's hidden column named after its table: the left side of MATCH.
    document = FTS5Document(db_column=FTS5_INDEX)
    # Also hidden: BM25 with the column weights configured by search_sqlite.create().
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = FTS5_INDEX

    def __str__(self) -> str:
        return f"search entry of resource {self.pk}"
