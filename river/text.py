"""Query text for the river, cleaned once (kept here so the catalogue's search can change
without touching the river)."""

from __future__ import annotations

import re

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
WORD = re.compile(r"\w+", re.UNICODE)
# Characters XML 1.0 cannot carry (C0 controls but tab, newline, return; DEL; C1).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def xml_safe(text: str) -> str:
    return CONTROL.sub("", text or "")


def normalise(q: str | None) -> str:
    """Collapse whitespace, drop NULs and cut an over-long query at a word boundary."""
    text = " ".join(CONTROL.sub(" ", q or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
    return text


def words(q: str) -> list[str]:
    return WORD.findall(q.lower())[:MAX_WORDS]
