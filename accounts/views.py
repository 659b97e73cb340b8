"""Accounts: sign-up, settings, the public member page and bookmarks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.access import owned_bookmarks
from accounts.form_messages import save_and_say
from accounts.forms import BookmarkNoteForm, SettingsForm, SignUpForm
from accounts.models import Bookmark, StarterPack, User
from accounts.redirects import log_in_first, safe_next
from accounts.targets import resolve, target_filter
from catalogue.forms import SearchForm
from catalogue.fragments import bookmark_button
from catalogue.models import Event, Person, Resource
from catalogue.results import render_search, resource_search
from digests.services import address_owner, send_address_taken, send_verification

PENDING = "asrhub_pending_bookmark"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(safe_next(request, reverse("accounts:bookmarks")))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to ASR Hub, {user.username}.")
        owner = address_owner(user.email, other_than=user)
        if owner is not None:
            # Another account verified this address first: this one can never verify it,
            # its owner gets a notice instead of a link, and nothing here says so (the
            # answer is a sign-up's answer, logged in, whoever owns the address).
            send_address_taken(owner)
            messages.info(request, f"We sent a message to {user.email}.")
        elif send_verification(user):
            messages.info(request, f"We sent a message to {user.email}.")
        return HttpResponseRedirect(safe_next(request, reverse("accounts:my_packs")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        changed = "email" in form.changed_data
        owner = address_owner(email, other_than=request.user) if changed else None
        form.save()  # another account's verified address too: it can never verify it
        messages.success(request, "Your settings are saved.")
        if owner is not None:
            send_address_taken(owner, change=True)
            messages.info(request, f"We sent a message to {email}.")
        elif changed and send_verification(request.user):
            messages.info(request, f"We sent a message to {email}.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@require_safe
def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    packs = StarterPack.objects.public().filter(owner=member).order_by("title")
    return render(request, "accounts/member_detail.html", {"member": member, "packs": packs})


# --- Bookmarks ---------------------------------------------------------------------


@login_required
@require_safe
@vary_on_headers("HX-Request")
def bookmarks(request: HttpRequest) -> HttpResponse:
    """Bookmarked resources with the same search and facets as /resources/, newest first;
    bookmarked people and events below (filtered by the same text and topic)."""
    mine = owned_bookmarks(request)
    saved_at = mine.filter(resource=OuterRef("pk")).values("created_at")[:1]
    base = (
        Resource.objects.published()
        .filter(pk__in=mine.filter(resource__isnull=False).values("resource_id"))
        .annotate(bookmarked_at=Subquery(saved_at))
    )

    def notes_matching(q: str):
        return mine.filter(note__icontains=q, resource__isnull=False).values("resource_id")

    context = resource_search(
        request,
        base,
        SearchForm(request.GET),
        scope="",
        extra_sorts={"bookmarked": ("Newest bookmark", ["-bookmarked_at", "-pk"])},
        default="bookmarked",
        also_matching=notes_matching,
    )
    notes = dict(
        mine.filter(resource__in=[r.pk for r in context["page_obj"].object_list]).values_list(
            "resource_id", "pk"
        )
    )
    rows = {b.pk: b for b in mine.filter(pk__in=notes.values())}
    for resource in context["page_obj"].object_list:
        resource.bookmark = rows.get(notes.get(resource.pk))

    others = mine.filter(resource__isnull=True).select_related("person__affiliation", "event")
    q = context["q"]
    if q:
        others = others.filter(
            Q(person__name__icontains=q) | Q(event__name__icontains=q) | Q(note__icontains=q)
        )
    topics = [chip["value"] for chip in context["chips"] if chip["facet"] == "topic"]
    if topics:
        others = others.filter(
            Q(person__topics__slug__in=topics) | Q(event__topics__slug__in=topics)
        ).distinct()
    context["others"] = others.order_by("-created_at", "-id")[:200]
    return render_search(request, "accounts/bookmarks.html", context)


def toggle_bookmark_for(user: User, obj: Resource | Person | Event) -> bool:
    """Bookmark ``obj`` or remove the bookmark; True when it is now bookmarked."""
    existing = Bookmark.objects.filter(user=user, **target_filter(obj))
    if existing.exists():
        existing.delete()
        return False
    try:
        with transaction.atomic():
            Bookmark.objects.create(user=user, **target_filter(obj))
    except IntegrityError:  # a double click raced us
        pass
    return True


@require_POST
def bookmark_toggle(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    obj = resolve(kind, slug)
    back = safe_next(request, obj.get_absolute_url())
    if not request.user.is_authenticated:
        # Remember the click; it is completed right after logging in.
        request.session[PENDING] = [kind, slug]
        return log_in_first(request, back)
    bookmarked = toggle_bookmark_for(request.user, obj)
    if request.htmx:
        return HttpResponse(bookmark_button(request, obj, kind, bookmarked, back))
    messages.success(request, f"{'Bookmarked' if bookmarked else 'Removed bookmark for'} {obj}.")
    return HttpResponseRedirect(back)


@receiver(user_logged_in)
def complete_pending_bookmark(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    pending = request.session.pop(PENDING, None)
    if not pending:
        return
    try:
        obj = resolve(*pending)
    except Http404:  # the entry went away meanwhile
        return
    if not Bookmark.objects.filter(user=user, **target_filter(obj)).exists():
        Bookmark.objects.create(user=user, **target_filter(obj))
        messages.success(request, f"Bookmarked {obj}.")


@login_required
@require_POST
def bookmark_note(request: HttpRequest, pk: int) -> HttpResponse:
    bookmark = get_object_or_404(owned_bookmarks(request), pk=pk)
    form = BookmarkNoteForm(request.POST, instance=bookmark)
    save_and_say(request, form, "Note saved.", "The note is too long (1,000 characters at most).")
    return HttpResponseRedirect(safe_next(request, reverse("accounts:bookmarks")))
