"""Accounts: sign-up, settings, the public member page and bookmarks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import owned_bookmarks
from accounts.forms import BookmarkNoteForm, SettingsForm, SignUpForm
from accounts.models import Bookmark, StarterPack, User
from accounts.targets import resolve, target_filter
from accounts.templatetags.account_tags import bookmark_button
from catalogue.models import Event, Person, Resource, Topic

PENDING = "asrhub_pending_bookmark"


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(safe_next(request, reverse("accounts:bookmarks")))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to ASR Hub, {user.username}.")
        return HttpResponseRedirect(safe_next(request, reverse("accounts:my_packs")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
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
def bookmarks(request: HttpRequest) -> HttpResponse:
    """The member's bookmarks, newest first, filterable by what they point at."""
    rows = owned_bookmarks(request).select_related(
        "resource__organisation", "person__affiliation", "event"
    )
    kind = request.GET.get("kind", "")
    kinds = {"resource": "Resources", "person": "People", "event": "Events"}
    if kind in kinds:
        rows = rows.filter(**{f"{kind}__isnull": False})
    resource_kind = request.GET.get("resource_kind", "")
    if resource_kind in Resource.Kind.values:
        rows = rows.filter(resource__kind=resource_kind)
    topic = request.GET.get("topic", "")
    if topic:
        rows = rows.filter(
            Q(resource__topics__slug=topic)
            | Q(person__topics__slug=topic)
            | Q(event__topics__slug=topic)
        ).distinct()
    q = request.GET.get("q", "").strip()[:200]
    if q:
        rows = rows.filter(
            Q(resource__title__icontains=q)
            | Q(person__name__icontains=q)
            | Q(event__name__icontains=q)
            | Q(note__icontains=q)
        )
    user = request.user
    topics = (
        Topic.objects.filter(
            Q(resources__bookmark__user=user)
            | Q(people__bookmark__user=user)
            | Q(events__bookmark__user=user)
        )
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    counts = {
        "resource": owned_bookmarks(request).filter(resource__isnull=False).count(),
        "person": owned_bookmarks(request).filter(person__isnull=False).count(),
        "event": owned_bookmarks(request).filter(event__isnull=False).count(),
    }
    resource_kinds = (
        owned_bookmarks(request)
        .filter(resource__isnull=False)
        .values_list("resource__kind", flat=True)
        .distinct()
    )
    context = {
        "bookmarks": rows.order_by("-created_at", "-id")[:500],
        "kinds": [(value, label, counts[value]) for value, label in kinds.items()],
        "kind": kind,
        "resource_kinds": [
            (value, Resource.Kind(value).label) for value in sorted(set(resource_kinds))
        ],
        "resource_kind": resource_kind,
        "topics": list(topics),
        "topic": topic,
        "q": q,
    }
    return render(request, "accounts/bookmarks.html", context)


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
        login_url = reverse("accounts:login") + "?" + urlencode({"next": back})
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return HttpResponseRedirect(login_url)
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
    if form.is_valid():
        form.save()
        messages.success(request, "Note saved.")
    else:
        messages.error(request, "The note is too long (1,000 characters at most).")
    return HttpResponseRedirect(safe_next(request, reverse("accounts:bookmarks")))
