"""Validators for what members choose: usernames that cannot pass for someone else's."""

from __future__ import annotations

import importlib
import unicodedata
from functools import cache
from types import ModuleType

from django.core.exceptions import ValidationError

LOOK_ALIKE = "This username looks like another one; choose one written in a single alphabet."


@cache
def confusables() -> ModuleType:
    """confusable_homoglyphs' look-alike tables, loaded on first use: importing the module
    parses 900 KB of JSON into about 6 MB of dictionaries, which every web worker would
    otherwise carry from its first request (the URLs import the sign-up form) though
    only a username needs them (docs/performance.md, "Worker memory")."""
    return importlib.import_module("confusable_homoglyphs.confusables")


def latin_skeleton(value: str) -> str:
    """``value`` with every non-ASCII character that looks like an ASCII one replaced by it."""
    found = confusables().is_confusable(value, greedy=True, preferred_aliases=["latin"]) or []
    swaps = {}
    for item in found:
        ascii_twins = [glyph["c"] for glyph in item["homoglyphs"] if glyph["c"].isascii()]
        if not item["character"].isascii() and ascii_twins:
            swaps[item["character"]] = ascii_twins[0]
    return "".join(swaps.get(char, char) for char in value)


def validate_username_lookalikes(value: str, taken=None) -> None:
    """Refuse usernames that mix alphabets with look-alike letters ("аlice" with a
    Cyrillic а), that are not in Unicode normal form (compatibility characters such as
    "ａlice"), or whose Latin look-alike is taken (``taken(name)`` tells)."""
    if unicodedata.normalize("NFKC", value) != value:
        raise ValidationError(LOOK_ALIKE, code="lookalike")
    if confusables().is_dangerous(value):
        raise ValidationError(LOOK_ALIKE, code="lookalike")
    skeleton = latin_skeleton(value)
    if taken is not None and skeleton != value and taken(skeleton):
        raise ValidationError(LOOK_ALIKE, code="lookalike")


# Explicit embedding, override and isolate controls, and the invisible marks: they make
# a link read differently from where it goes ("Trojan Source").
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def has_bidi_controls(value: str) -> bool:
    return any(char in BIDI_CONTROLS for char in value)


def validate_no_bidi_controls(value: str) -> None:
    if has_bidi_controls(value):
        raise ValidationError(
            "Addresses cannot contain invisible text-direction characters.", code="bidi"
        )
