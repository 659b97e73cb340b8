"""Popularity of catalogue entries, honestly counted: followers, bookmarks and public packs.

The counts live on :class:`catalogue.models.Resource` (``follower_count``,
``bookmark_count``, ``pack_count``) so that a result page reads them with its rows (no
query per card) and can sort by them. They are *recounted* (never incremented) from the
rows whenever a follow, bookmark or pack item of a resource is written or deleted, or a
pack changes (its visibility decides whether it counts): one ``UPDATE`` per write, and a
lost update cannot drift. Only public packs count: a private pack is nobody's business.

The receivers are connected in :meth:`AccountsConfig.ready`; writes that bypass signals
(``bulk_create`` of follows) call :func:`recount` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Bookmark, Follow, PackItem, StarterPack
from catalogue.models import Resource


def _count(queryset, distinct_field: str = "pk") -> Coalesce:
    rows = (
        queryset.filter(resource=OuterRef("pk"))
        .order_by()
        .values("resource")
        .annotate(n=Count(distinct_field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def counts() -> dict:
    """The three counts as expressions over ``Resource`` rows (for ``update``/``annotate``)."""
    return {
        "follower_count": _count(Follow.objects.all()),
        "bookmark_count": _count(Bookmark.objects.all()),
        "pack_count": _count(
            PackItem.objects.filter(pack__visibility=StarterPack.Visibility.PUBLIC), "pack"
        ),
    }


def recount(resource_ids: Iterable[int | None] | None = None) -> int:
    """Recount the popularity of these resources (all of them when ``None``); returns
    how many rows changed.

    Uses ``QuerySet.update``: no ``save`` signals, no catalogue version change."""
    resources = Resource.objects.all()
    if resource_ids is not None:
        ids = {pk for pk in resource_ids if pk}
        if not ids:
            return 0
        resources = resources.filter(pk__in=ids)
    # Only rows whose counts change are written (an unchanged row is not rewritten).
    return resources.exclude(Q(**counts())).update(**counts())


@receiver(post_save, sender=Follow)
@receiver(post_delete, sender=Follow)
@receiver(post_save, sender=Bookmark)
@receiver(post_delete, sender=Bookmark)
def follow_or_bookmark_changed(
    sender, instance, created: bool = True, raw: bool = False, **kwargs
) -> None:
    if (created or raw) and instance.resource_id:
        recount([instance.resource_id])


@receiver(post_save, sender=PackItem)
@receiver(post_delete, sender=PackItem)
def pack_item_changed(sender, instance, created: bool = True, raw: bool = False, **kwargs) -> None:
    if (created or raw) and instance.resource_id:
        recount([instance.resource_id])


@receiver(post_save, sender=StarterPack)
def pack_changed(sender, instance, created: bool, **kwargs) -> None:
    """A pack's visibility decides whether its resources count it."""
    if not created:
        recount(instance.items.exclude(resource=None).values_list("resource_id", flat=True))


@receiver(post_save, sender=Resource)
def resource_saved(sender, instance, created: bool, raw: bool, **kwargs) -> None:
    """A fixture's row (``loaddata``, ``load_catalogue``) carries no counts, and an edit
    (the admin) writes back the counts it read: recount either way."""
    if raw or not created:
        recount([instance.pk])
