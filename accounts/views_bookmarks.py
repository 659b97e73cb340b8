"""Bookmarks beyond the search page: notes and tags, a page per tag, and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts import exports
from accounts.access import owned_bookmarks
from accounts.form_messages import save_and_say
from accounts.forms import BookmarkEditForm
from accounts.models import BookmarkTag
from accounts.redirects import safe_next

EXPORTS = {
    "md": ("text/markdown; charset=utf-8", "asrhub-bookmarks.md"),
    "csv": ("text/csv; charset=utf-8", "asrhub-bookmarks.csv"),
    "html": ("text/html; charset=utf-8", "asrhub-bookmarks.html"),
}


def with_targets(bookmarks):
    return bookmarks.select_related("resource", "person", "event").prefetch_related("tags")


@login_required
@require_POST
def bookmark_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a bookmark's note and tags (the collapsed control on each card)."""
    bookmark = get_object_or_404(owned_bookmarks(request), pk=pk)
    form = BookmarkEditForm(request.POST, instance=bookmark)
    save_and_say(request, form, f"Saved your note and tags on {bookmark.target}.")
    fallback = reverse("accounts:bookmarks") + f"#bookmark-{bookmark.pk}"
    return HttpResponseRedirect(safe_next(request, fallback))


@login_required
@require_safe
def bookmark_tag(request: HttpRequest, slug: str) -> HttpResponse:
    """Every bookmark the member gave one tag, newest first."""
    tag = get_object_or_404(BookmarkTag, user=request.user, slug=slug)
    bookmarks = with_targets(owned_bookmarks(request).filter(tags=tag))
    tags = (
        BookmarkTag.objects.filter(user=request.user)
        .annotate(n=Count("bookmarks"))
        .order_by("name")
    )
    context = {"tag": tag, "bookmarks": bookmarks, "tags": tags}
    response = render(request, "accounts/bookmark_tag.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_safe
def bookmark_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """All of the member's bookmarks as Markdown, CSV or a Netscape bookmark file."""
    if fmt not in EXPORTS:
        raise Http404("No such format.")
    rows = exports.rows_for(
        with_targets(owned_bookmarks(request)).order_by("-created_at", "-id"),
        request.build_absolute_uri,
    )
    if fmt == "md":
        body = exports.as_markdown(rows, str(request.user))
    elif fmt == "csv":
        body = exports.as_csv(rows)
    else:
        body = exports.as_netscape(rows)
    content_type, filename = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
