"""Input checks shared by the suggestion forms and the OPML hook."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# C0 controls and DEL; tab, line feed and carriage return are handled per field.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\t\n\r]")

http_url_validator = URLValidator(schemes=["http", "https"])


def no_control_characters(value: str) -> None:
    if CONTROL.search(value):
        raise ValidationError("Remove the control characters from this text.", code="control")


def single_line(value: str) -> None:
    no_control_characters(value)
    if LINE_BREAKS.search(value):
        raise ValidationError("Keep this on one line.", code="line_break")
