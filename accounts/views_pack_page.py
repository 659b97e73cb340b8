"""The owner's controls on a pack's own page: visibility, and drag-and-drop placing.

Kept apart from ``views_packs`` so the page's small enhancements stay in one place. The
up/down buttons (``views_packs.item_move``) remain the keyboard and no-JavaScript path;
``item_place`` is what the drag-and-drop script posts to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.access import owned_item, owned_pack
from accounts.forms import ItemPlaceForm, PackVisibilityForm


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def pack_visibility(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    pack = owned_pack(request, username, slug)
    form = PackVisibilityForm(request.POST, instance=pack)
    if form.is_valid():
        form.save()
        messages.success(request, f"“{pack.title}” is now {pack.get_visibility_display()}.")
    else:
        messages.error(request, "Choose private, unlisted or public.")
    return redirect(pack.get_absolute_url())


@login_required
@require_POST
def item_place(request: HttpRequest, username: str, slug: str, item_id: int) -> HttpResponse:
    """Put an item at a given place, shifting the others (one request per drop)."""
    pack = owned_pack(request, username, slug)
    item = owned_item(pack, item_id)
    form = ItemPlaceForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"error": "Give a position from 0."}, status=400)
        messages.error(request, "Give a position from 0.")
        return redirect(pack.get_absolute_url())
    with transaction.atomic():
        # The pack row first, then its items: every writer locks in the same order.
        pack.lock()
        items = list(pack.items.order_by("position", "id"))
        if not any(row.pk == item.pk for row in items):  # removed meanwhile
            return redirect(pack.get_absolute_url())
        rest = [row for row in items if row.pk != item.pk]
        target = min(form.cleaned_data["position"], len(rest))
        rest.insert(target, next(row for row in items if row.pk == item.pk))
        changed = False
        for position, row in enumerate(rest):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
                changed = True
        if changed:
            pack.save(update_fields=["updated_at"])
    if wants_json(request):
        return JsonResponse({"order": [row.pk for row in rest]})
    return redirect(pack.get_absolute_url() + f"#item-{item.pk}")
