"""The curators' suggestion queue: accept, reject with a reason, or mark duplicate.

Accepting a new entry opens the admin's own Resource add form, filled in from the
suggestion; the suggestion is accepted in the same transaction that saves the resource,
so an abandoned form leaves it pending. Accepting a correction opens the entry's change
form with the member's note. Rejecting or marking duplicate changes no catalogue row.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from catalogue.admin import ResourceAdmin
from catalogue.models import Resource
from suggestions.forms import DuplicateForm, RejectForm
from suggestions.models import Suggestion, queue_ordering


class ResourceFromSuggestionAdmin(ResourceAdmin):
    """The Resource add form, pre-filled from one suggestion, accepting it on save.

    Not registered: SuggestionAdmin.accept_view builds one per request, so the form is the
    catalogue's own (fields, inlines, permissions) and only the start and the end differ.
    """

    def __init__(self, model, admin_site, suggestion: Suggestion) -> None:
        super().__init__(model, admin_site)
        self.suggestion = suggestion

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        from_query = super().get_changeform_initial_data(request)
        return {**self.suggestion.resource_initial(), **from_query}

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self.suggestion.accept(request.user, entry=obj)

    def response_post_save_add(self, request: HttpRequest, obj) -> HttpResponseRedirect:
        self.message_user(
            request,
            f"Suggestion #{self.suggestion.pk} by {self.suggestion.member.username} accepted.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:suggestions_suggestion_changelist"))


def _decision_page(modeladmin, request, queryset, form, *, action: str, title: str, button: str):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "action": action,
        "button": button,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "suggestions/admin/decide.html", context)


@admin.action(description="Accept the selected suggestion", permissions=["change"])
def accept(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, "Accept one suggestion at a time.", messages.WARNING)
        return None
    suggestion = queryset.select_related("member", "resource", "person", "event").get()
    if not suggestion.is_pending:
        modeladmin.message_user(request, f"#{suggestion.pk} is already decided.", messages.WARNING)
        return None
    if suggestion.kind == Suggestion.Kind.NEW_ENTRY:
        return HttpResponseRedirect(
            reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk])
        )
    target = suggestion.target
    if target is None:
        modeladmin.message_user(
            request, "That entry has been removed; reject the suggestion.", messages.WARNING
        )
        return None
    suggestion.accept(request.user)
    modeladmin.message_user(
        request,
        f"Accepted #{suggestion.pk} from {suggestion.member.username}. What is wrong: "
        f"{suggestion.message} — evidence: {suggestion.evidence_url}",
        messages.INFO,
    )
    meta = target._meta
    return HttpResponseRedirect(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
    )


@admin.action(description="Reject the selected suggestions, with a reason", permissions=["change"])
def reject(modeladmin, request, queryset):
    pending = queryset.pending()
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        decided = list(pending.select_related("member"))
        for suggestion in decided:
            suggestion.reject(request.user, form.cleaned_data["reason"])
        modeladmin.message_user(request, f"Rejected {len(decided)} suggestions.", messages.SUCCESS)
        return None
    return _decision_page(
        modeladmin, request, pending, form, action="reject", title="Reject suggestions",
        button="Reject",
    )  # fmt: skip


@admin.action(description="Mark the selected suggestions as duplicates", permissions=["change"])
def mark_duplicate(modeladmin, request, queryset):
    pending = queryset.pending()
    selected = [s.pk for s in pending]
    form = DuplicateForm(request.POST if "apply" in request.POST else None, selected=selected)
    if form.is_valid():
        for suggestion in pending:
            suggestion.mark_duplicate(
                request.user, of=form.cleaned_data["of"], entry=form.cleaned_data["entry"]
            )
        modeladmin.message_user(
            request, f"Marked {len(selected)} suggestions duplicate.", messages.SUCCESS
        )
        return None
    return _decision_page(
        modeladmin, request, pending, form, action="mark_duplicate",
        title="Mark suggestions as duplicates", button="Mark duplicate",
    )  # fmt: skip


@admin.action(description="Reopen the selected suggestions", permissions=["change"])
def reopen(modeladmin, request, queryset):
    decided = list(queryset.exclude(status=Suggestion.Status.PENDING))
    for suggestion in decided:
        suggestion.reopen()
    modeladmin.message_user(request, f"Reopened {len(decided)} suggestions.", messages.SUCCESS)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["number", "headline", "status", "kind", "member", "created_at"]
    list_display_links = ["number", "headline"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["title", "url", "message", "evidence_url", "member__username"]
    list_select_related = ["member", "resource", "person", "event"]
    actions = [accept, reject, mark_duplicate, reopen]
    fieldsets = [
        (None, {"fields": ["member", "kind", "source", "created_at", "status", "go"]}),
        ("New entry", {"fields": ["title", "url", "entry_kind", "credit_publicly"]}),
        ("Message", {"fields": ["message", "evidence_url"]}),
        ("Entry concerned", {"fields": ["resource", "person", "event"]}),
        ("Decision", {"fields": ["reason", "duplicate_of", "decided_at", "decided_by"]}),
    ]
    readonly_fields = [
        "member", "kind", "source", "created_at", "status", "go", "title", "url", "entry_kind",
        "credit_publicly", "message", "evidence_url", "resource", "person", "event",
        "reason", "duplicate_of", "decided_at", "decided_by",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")

    def get_ordering(self, request) -> list:
        return queue_ordering()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # suggestions come from members

    @admin.display(description="#", ordering="pk")
    def number(self, obj: Suggestion) -> str:
        return f"#{obj.pk}"

    @admin.display(description="suggestion")
    def headline(self, obj: Suggestion) -> str:
        return obj.headline

    @admin.display(description="accept")
    def go(self, obj: Suggestion) -> str:
        if obj.kind == Suggestion.Kind.NEW_ENTRY and obj.is_pending:
            url = reverse("admin:suggestions_suggestion_accept", args=[obj.pk])
            return format_html('<a href="{}">Accept: add it to the catalogue…</a>', url)
        return "—"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="suggestions_suggestion_accept",
            ),
            *super().get_urls(),
        ]

    def accept_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The Resource add form pre-filled from a pending new-entry suggestion."""
        suggestion = self.get_object(request, object_id)
        if suggestion is None or suggestion.kind != Suggestion.Kind.NEW_ENTRY:
            raise Http404("No such suggestion of a new entry.")
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        if not suggestion.is_pending:
            self.message_user(request, f"#{suggestion.pk} is already decided.", messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
            )
        resource_admin = ResourceFromSuggestionAdmin(Resource, self.admin_site, suggestion)
        return resource_admin.add_view(
            request,
            extra_context={
                "title": f"Add resource from suggestion #{suggestion.pk}",
                "subtitle": f"{suggestion.member.username}: {suggestion.message}",
                "show_save_and_add_another": False,
            },
        )
