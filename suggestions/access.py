"""The one way views fetch a member's own suggestion: 404 for anyone else."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from suggestions.models import Suggestion


def owned_suggestion(request: HttpRequest, pk: int) -> Suggestion:
    return get_object_or_404(
        Suggestion.objects.select_related("resource", "person", "event", "duplicate_of"),
        pk=pk,
        member=request.user,
    )
