"""Starter packs: ordered lists of entries and links that members share and copy."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import owned_item_action, owned_pack, viewable_pack
from accounts.form_messages import save_and_say, say_errors
from accounts.forms import ExternalItemForm, ItemNoteForm, PackForm, unique_slug
from accounts.models import PackItem, StarterPack
from accounts.opml import opml_document
from accounts.redirects import safe_next
from accounts.targets import resolve, target_filter
from accounts.validators import has_bidi_controls

ITEMS = PackItem.objects.select_related(
    "resource__organisation", "person__affiliation", "event"
).order_by("position", "id")


def pack_full(pack: StarterPack) -> str:
    return f"A pack holds at most {StarterPack.MAX_ITEMS} items; “{pack.title}” is full."


@require_safe
def pack_list(request: HttpRequest) -> HttpResponse:
    """Public packs, featured first, with a simple search."""
    q = " ".join(request.GET.get("q", "").split())[:100]
    packs = StarterPack.objects.public().select_related("owner").annotate(n=Count("items"))
    if q:
        for word in q.split()[:8]:
            packs = packs.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(owner__username__icontains=word)
            )
    packs = packs.order_by("-is_featured", "title")[:200]
    return render(request, "packs/pack_list.html", {"packs": packs, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def my_packs(request: HttpRequest) -> HttpResponse:
    form = PackForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        pack = form.save()
        messages.success(request, f"Pack “{pack.title}” created.")
        return redirect(pack.get_absolute_url())
    packs = (
        StarterPack.objects.filter(owner=request.user).annotate(n=Count("items")).order_by("title")
    )
    return render(request, "packs/my_packs.html", {"packs": packs, "form": form})


@require_safe
def pack_detail(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    pack = viewable_pack(request, username, slug)
    items = list(ITEMS.filter(pack=pack))
    is_owner = request.user.is_authenticated and pack.owner_id == request.user.pk
    context = {
        "pack": pack,
        "items": items,
        "is_owner": is_owner,
        "share_url": request.build_absolute_uri(pack.get_absolute_url()),
        "external_form": ExternalItemForm(),
        "feed_count": sum(1 for item in items if item.resource_id and item.resource.feed_url),
    }
    return render(request, "packs/pack_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pack_edit(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    pack = owned_pack(request, username, slug)
    form = PackForm(request.POST or None, instance=pack, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Pack saved.")
        return redirect(pack.get_absolute_url())
    return render(request, "packs/pack_form.html", {"form": form, "pack": pack})


@login_required
@require_http_methods(["GET", "POST"])
def pack_delete(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    pack = owned_pack(request, username, slug)
    if request.method == "POST":
        title = pack.title
        with transaction.atomic():
            pack.lock()
            pack.delete()
        messages.success(request, f"Pack “{title}” deleted.")
        return redirect("accounts:my_packs")
    return render(request, "packs/pack_confirm_delete.html", {"pack": pack})


def add_item(request: HttpRequest, pack: StarterPack, added: str, **fields) -> None:
    """Add the item ``fields`` describe at the end of ``pack`` unless the pack is full, and
    tell the member which happened (``added`` names the item). The caller holds the pack's
    lock: the count and the last position stay true until the item is in."""
    if pack.items.count() >= StarterPack.MAX_ITEMS:
        messages.error(request, pack_full(pack))
        return
    top = pack.items.aggregate(top=Max("position"))["top"]
    PackItem.objects.create(pack=pack, position=0 if top is None else top + 1, **fields)
    pack.save(update_fields=["updated_at"])
    messages.success(request, f"Added {added}.")


@login_required
@require_POST
def pack_add(request: HttpRequest) -> HttpResponse:
    """Add a catalogue entry to one of the member's packs (from any card or page)."""
    obj = resolve(request.POST.get("kind", ""), request.POST.get("slug", ""))
    back = safe_next(request, obj.get_absolute_url())
    pack_slug = request.POST.get("pack", "")
    if pack_slug == "__new__":
        with transaction.atomic():
            pack = StarterPack.objects.create(
                owner=request.user,
                title="My starter pack",
                slug=unique_slug(request.user, "my-starter-pack"),
            )
    else:
        pack = owned_pack(request, request.user.username, pack_slug)
    with transaction.atomic():
        pack.lock()
        if pack.items.filter(**target_filter(obj)).exists():
            messages.info(request, f"{obj} is already in “{pack.title}”.")
        else:
            add_item(request, pack, f"{obj} to “{pack.title}”", **target_filter(obj))
    return HttpResponseRedirect(back)


@login_required
@require_POST
def pack_add_external(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    pack = owned_pack(request, username, slug)
    form = ExternalItemForm(request.POST)
    if not form.is_valid():
        say_errors(request, form)
        return redirect(pack.get_absolute_url())
    with transaction.atomic():
        pack.lock()
        title = form.cleaned_data["external_title"]
        add_item(request, pack, f"the link “{title}”", **form.cleaned_data)
    return redirect(pack.get_absolute_url())


@owned_item_action
def item_note(request: HttpRequest, pack: StarterPack, item: PackItem) -> HttpResponse:
    form = ItemNoteForm(request.POST, instance=item)
    save_and_say(request, form, "Note saved.", "A note can be 500 characters at most.")
    return redirect(pack.get_absolute_url() + f"#item-{item.pk}")


@owned_item_action
def item_move(request: HttpRequest, pack: StarterPack, item: PackItem) -> HttpResponse:
    """Move an item one place up or down (keyboard friendly: plain buttons)."""
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, "Choose up or down.")
        return redirect(pack.get_absolute_url())
    # The pack's row is locked (owned_item_action): no other change runs meanwhile.
    items = list(pack.items.order_by("position", "id"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
        pack.save(update_fields=["updated_at"])
    return redirect(pack.get_absolute_url() + f"#item-{item.pk}")


@owned_item_action
def item_remove(request: HttpRequest, pack: StarterPack, item: PackItem) -> HttpResponse:
    title = item.title
    item.delete()
    pack.save(update_fields=["updated_at"])
    messages.success(request, f"Removed {title}.")
    return redirect(pack.get_absolute_url())


@login_required
@require_POST
def pack_copy(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Copy a pack one can see into one's own packs, keeping "copied from"."""
    source = viewable_pack(request, username, slug)
    with transaction.atomic():
        copy = StarterPack.objects.create(
            owner=request.user,
            title=source.title,
            slug=unique_slug(request.user, source.title),
            description=source.description,
            visibility=StarterPack.Visibility.PRIVATE,
            copied_from=source,
        )
        PackItem.objects.bulk_create(
            PackItem(
                pack=copy,
                position=position,
                resource_id=item.resource_id,
                person_id=item.person_id,
                event_id=item.event_id,
                external_title=item.external_title,
                external_url=item.external_url,
                note=item.note,
            )
            for position, item in enumerate(source.items.order_by("position", "id"))
        )
    messages.success(
        request, f"Copied “{source.title}” to your packs (private until you share it)."
    )
    return redirect(copy.get_absolute_url())


@require_safe
def pack_markdown(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """An awesome-list style Markdown page of the pack."""
    pack = viewable_pack(request, username, slug)
    lines = [f"# {markdown_text(pack.title)}", ""]
    if pack.description:
        lines += [markdown_text(line) for line in pack.description.splitlines()] + [""]
    link = markdown_url(request.build_absolute_uri(pack.get_absolute_url()))
    lines += [f"A starter pack by {markdown_text(str(pack.owner))} on ASR Hub: <{link}>", ""]
    # Sections follow the member's order: a new heading whenever the kind changes,
    # so regrouping never moves an item away from where its owner put it.
    sections: list[tuple[str, list[str]]] = []
    for item in ITEMS.filter(pack=pack):
        if item.resource_id:
            section, url = item.resource.get_kind_display(), item.resource.url
            text = item.resource.summary
        elif item.person_id:
            section, url, text = (
                "People",
                request.build_absolute_uri(item.url),
                item.person.headline,
            )
        elif item.event_id:
            section, url, text = (
                "Events",
                item.event.url or request.build_absolute_uri(item.url),
                item.event.summary,
            )
        else:
            section, url, text = "Links", item.external_url, ""
        entry = f"- [{markdown_text(item.title)}]({markdown_url(url)})"
        if text:
            entry += f" — {markdown_text(text)}"
        if item.note:
            entry += f" *{markdown_text(item.note)}*"
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(entry)
    for section, entries in sections:
        lines += [f"## {section}", "", *entries, ""]
    response = HttpResponse("\n".join(lines), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{pack.slug}.md"'
    if pack.visibility != StarterPack.Visibility.PUBLIC:
        response["X-Robots-Tag"] = "noindex"
    return response


def markdown_text(text: str) -> str:
    """Plain text that Markdown shows as written: every punctuation mark it could read
    as syntax (emphasis, links, headings, lists, tables, HTML) is backslash-escaped."""
    text = " ".join(text.split())
    text = "".join("\\" + char if char in MARKDOWN_PUNCTUATION else char for char in text)
    # A list marker at the start of a line ("- ", "+ ", "1. ").
    text = re.sub(r"^([-+])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()<>#|~&!")


def markdown_url(url: str) -> str:
    """A link destination: only http(s), without text-direction controls (refused: the
    address shown would differ from where it goes), with the characters Markdown or a
    reader could misread percent-encoded."""
    if has_bidi_controls(url) or not url.startswith(("http://", "https://")):
        return "#"
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


@require_safe
def pack_opml(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """OPML 2.0 of the pack's resources that have feeds."""
    pack = viewable_pack(request, username, slug)
    items = ITEMS.filter(pack=pack, resource__isnull=False).exclude(resource__feed_url="")
    resources = [item.resource for item in items]
    response = HttpResponse(
        opml_document(pack.title, str(pack.owner), {"": resources}),
        content_type="text/x-opml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{pack.slug}.opml"'
    return response
