"""Members' writes that span several models (STYLE.md: a small function, not before)."""

from __future__ import annotations

from collections.abc import Iterable

from accounts import popularity
from accounts.models import Follow, User
from catalogue.models import Resource


def follow_all(user: User, resources: Iterable[Resource]) -> list[int]:
    """Follow each of ``resources`` that ``user`` does not follow yet, once; returns the
    newly followed resources' ids. A bulk insert sends no signals, so the follower
    counts are recounted here."""
    already = set(Follow.objects.filter(user=user).values_list("resource_id", flat=True))
    new = [resource.pk for resource in resources if resource.pk not in already]
    Follow.objects.bulk_create(
        [Follow(user=user, resource_id=pk) for pk in new], ignore_conflicts=True
    )
    popularity.recount(new)
    return new
