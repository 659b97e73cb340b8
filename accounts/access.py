"""One helper per owned object type: who may see or change what.

A private thing answers 404 to everyone but its owner, so its existence never leaks.
Views call these helpers instead of querying owned objects themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

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


def owned_item_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST view on one item of the member's own pack, called as ``view(request, pack,
    item)``; 404 for anyone else's pack or item."""

    @login_required
    @require_POST
    @wraps(view)
    def action(request: HttpRequest, username: str, slug: str, item_id: int) -> HttpResponse:
        pack = owned_pack(request, username, slug)
        with transaction.atomic():
            pack.lock()  # before the item: it may be moved or removed meanwhile
            return view(request, pack, owned_item(pack, item_id))

    return action


def owned_bookmarks(request: HttpRequest):
    """The viewer's bookmarks (views are login-protected; this never widens)."""
    return Bookmark.objects.filter(user=request.user)
