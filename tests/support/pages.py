"""What a visitor reads on a page: its text, tags removed and white space folded."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.html import strip_tags


def visible_text(html: str) -> str:
    """Visible text, tags removed and white space collapsed."""
    return " ".join(strip_tags(html).split())


def page_text(response: HttpResponse) -> str:
    """The text of a page that answered 200."""
    assert response.status_code == 200
    return visible_text(response.content.decode())
