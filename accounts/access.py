"""One helper per owned object type: who may see or change what.

A private thing answers 404 to everyone but its owner, so its existence never leaks.
Views call these helpers instead of querying owned objects themselves.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Bookmark, PackItem, StarterPack


def viewable_pack(request: HttpRequest, username: str, slug: str) -> StarterPack:
    """A pack anyone may open by its link: public or unlisted, or the viewer's own."""
    pack = get_object_or_404(
        StarterPack.objects.select_related("owner", "copied_from__owner"),
        owner__username=username,
        slug=slug,
    )
    if pack.visibility == StarterPack.Visibility.PRIVATE and pack.owner_id != request.user.pk:
        raise Http404("No such pack.")
    return pack


def owned_pack(request: HttpRequest, username: str, slug: str) -> StarterPack:
    """The viewer's own pack, for editing; 404 for anyone else's."""
    if not request.user.is_authenticated or request.user.username != username:
        raise Http404("No such pack.")
    return get_object_or_404(
        StarterPack.objects.select_related("owner"), owner=request.user, slug=slug
    )


def owned_item(pack: StarterPack, item_id: int) -> PackItem:
    return get_object_or_404(PackItem, pk=item_id, pack=pack)


def owned_bookmarks(request: HttpRequest):
    """The viewer's bookmarks (views are login-protected; this never widens)."""
    return Bookmark.objects.filter(user=request.user)
