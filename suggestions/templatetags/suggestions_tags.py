"""Suggestion bits shown on catalogue pages: the credit line and the report link."""

from __future__ import annotations

from django import template

from suggestions.models import Suggestion

register = template.Library()


@register.inclusion_tag("suggestions/partials/credit.html")
def suggested_by(resource) -> dict:
    """“Suggested by <member>” under an entry that came from a member's suggestion (1 query)."""
    credit = (
        Suggestion.objects.credits_for(resource)
        .select_related("member")
        .order_by("decided_at", "pk")
        .first()
    )
    return {"credit": credit}


@register.inclusion_tag("suggestions/partials/report_link.html")
def report_problem(obj, kind: str) -> dict:
    return {"obj": obj, "kind": kind}
