"""Members suggest new entries and report problems; they follow the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.targets import kind_of, resolve
from suggestions.access import owned_suggestion
from suggestions.forms import CorrectionForm, NewEntryForm
from suggestions.models import DAILY_LIMIT, Suggestion
from suggestions.services import DailyLimitReached, file_suggestion, remaining_today

LIMIT_MESSAGE = (
    f"You have sent {DAILY_LIMIT} suggestions in the last 24 hours, the most we take in a "
    "day. Nothing was saved; please send this one tomorrow."
)
PAGE_SIZE = 50


def _file(request: HttpRequest, form, template: str, context: dict) -> HttpResponse:
    """Save a valid form's suggestion, or show the form again (429 past the daily limit)."""
    suggestion = form.save(commit=False)
    suggestion.member = request.user
    try:
        file_suggestion(suggestion)
    except DailyLimitReached:
        form.add_error(None, LIMIT_MESSAGE)
        return render(request, template, {**context, "form": form}, status=429)
    messages.success(request, "Thank you: curators will look at your suggestion.")
    return redirect("suggestions:mine")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    template = "suggestions/suggest.html"
    context = {"remaining": remaining_today(request.user)}
    form = NewEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.instance.kind = Suggestion.Kind.NEW_ENTRY
        if form.is_valid():
            return _file(request, form, template, context)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    target = resolve(kind, slug)
    template = "suggestions/report.html"
    context = {"target": target, "remaining": remaining_today(request.user)}
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.instance.kind = Suggestion.Kind.CORRECTION
        setattr(form.instance, kind_of(target), target)
        if form.is_valid():
            return _file(request, form, template, context)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    suggestions = Suggestion.objects.of_member(request.user).select_related(
        "resource", "person", "event", "duplicate_of"
    )
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/mine.html",
        {"page_obj": page, "remaining": remaining_today(request.user)},
    )


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "suggestions/detail.html", {"suggestion": owned_suggestion(request, pk)})
