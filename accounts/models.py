"""Members and what they keep: bookmarks, starter packs and follows."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Event, Person, Resource


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractUser):
    """A member. The feed token opens their private feed, OPML and calendar URLs."""

    display_name = models.CharField(max_length=100, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    feed_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="When the member last opened their feed."
    )

    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:member_detail", args=[self.username])

    def rotate_feed_token(self) -> None:
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])


class CatalogueTarget(models.Model):
    """Exactly one of a resource, a person or an event (abstract)."""

    resource = models.ForeignKey(Resource, null=True, blank=True, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        abstract = True

    @property
    def target(self) -> Resource | Person | Event | None:
        return self.resource or self.person or self.event


ONE_TARGET = (
    Q(resource__isnull=False, person__isnull=True, event__isnull=True)
    | Q(resource__isnull=True, person__isnull=False, event__isnull=True)
    | Q(resource__isnull=True, person__isnull=True, event__isnull=False)
)


class BookmarkTag(models.Model):
    """A member's own label for bookmarks ("to read", "diarization"); private to them."""

    MAX_PER_BOOKMARK = 10

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmark_tags")
    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=50, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "slug"], name="bookmarktag_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:bookmark_tag", args=[self.slug])


class Bookmark(CatalogueTarget):
    """A member's saved resource, person or event, with a private note and tags."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    note = models.TextField(max_length=1000, blank=True)
    tags = models.ManyToManyField(BookmarkTag, blank=True, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="bookmark_one_target"),
            models.UniqueConstraint(
                fields=["user", "resource"],
                condition=Q(resource__isnull=False),
                name="bookmark_unique_resource",
            ),
            models.UniqueConstraint(
                fields=["user", "person"],
                condition=Q(person__isnull=False),
                name="bookmark_unique_person",
            ),
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=Q(event__isnull=False),
                name="bookmark_unique_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.target}"


class StarterPackQuerySet(models.QuerySet):
    def get_by_natural_key(self, username: str, slug: str):
        return self.get(owner__username=username, slug=slug)

    def public(self):
        return self.filter(visibility=StarterPack.Visibility.PUBLIC)

    def featured(self):
        return self.public().filter(is_featured=True)

    def containing(self, resource) -> StarterPackQuerySet:
        """Packs with ``resource`` among their items (each pack once)."""
        return self.filter(items__resource=resource).distinct()


class StarterPack(models.Model):
    """An owner's ordered list of entries and links, shareable and copyable."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private — only you"
        UNLISTED = "unlisted", "Unlisted — anyone with the link"
        PUBLIC = "public", "Public — listed on the site"

    MAX_ITEMS = 150

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="packs")
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    is_featured = models.BooleanField("featured", default=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StarterPackQuerySet.as_manager()

    class Meta:
        ordering = ["-is_featured", "title"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="starterpack_unique_slug")
        ]
        indexes = [models.Index(fields=["visibility", "is_featured"])]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, str]:
        return (self.owner.username, self.slug)

    natural_key.dependencies = ["accounts.user"]

    def lock(self) -> None:
        """Lock this pack's row until the transaction ends. Every change to a pack's
        items takes this lock first, so concurrent changes queue on one row in one order
        instead of deadlocking on item rows locked in different orders."""
        StarterPack.objects.select_for_update().filter(pk=self.pk).first()

    def get_absolute_url(self) -> str:
        return reverse("accounts:pack_detail", args=[self.owner.username, self.slug])


class PackItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, username: str, pack_slug: str, position: int):
        return self.get(pack__owner__username=username, pack__slug=pack_slug, position=position)

    def external(self):
        return self.exclude(external_url="")


class PackItem(CatalogueTarget):
    """One item of a pack: a catalogue entry or a plain external link, with a note."""

    pack = models.ForeignKey(StarterPack, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    external_title = models.CharField(max_length=200, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PackItemQuerySet.as_manager()

    class Meta:
        ordering = ["pack", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(ONE_TARGET & Q(external_url=""))
                | Q(
                    resource__isnull=True,
                    person__isnull=True,
                    event__isnull=True,
                    external_url__gt="",
                ),
                name="packitem_one_target",
            ),
        ]
        indexes = [models.Index(fields=["pack", "position"])]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, str, int]:
        return (*self.pack.natural_key(), self.position)

    natural_key.dependencies = ["accounts.starterpack"]

    @property
    def is_external(self) -> bool:
        return bool(self.external_url)

    @property
    def title(self) -> str:
        target = self.target
        return str(target) if target else self.external_title or self.external_url

    @property
    def url(self) -> str:
        target = self.target
        return target.get_absolute_url() if target else self.external_url


class ExternalLink(PackItem):
    """The plain links members added to packs: suggestions for the catalogue (admin)."""

    class Meta:
        proxy = True
        verbose_name = "suggested link"
        verbose_name_plural = "suggested links (from packs)"


class Follow(models.Model):
    """A member follows a resource: its feed entries enter their personal feed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.resource}"
