"""Resolve "resource/whisper" style references to catalogue entries."""

from __future__ import annotations

from django.http import Http404

from catalogue.models import Event, Person, Resource

KINDS = {"resource": Resource, "person": Person, "event": Event}


def resolve(kind: str, slug: str) -> Resource | Person | Event:
    model = KINDS.get(kind)
    if model is None:
        raise Http404("Unknown kind of entry.")
    try:
        return model.objects.published().get(slug=slug)
    except model.DoesNotExist:
        raise Http404("No such entry.") from None


def kind_of(obj) -> str:
    return {Resource: "resource", Person: "person", Event: "event"}[type(obj)]


def target_filter(obj) -> dict:
    """Keyword arguments selecting rows that point at ``obj``."""
    return {kind_of(obj): obj}
