"""The two suggestion forms: a new entry, and a correction to one entry."""

from __future__ import annotations

from django import forms

from catalogue.models import Resource
from suggestions.models import Suggestion
from suggestions.services import known_entry
from suggestions.validators import http_url_validator, no_control_characters, single_line


class SuggestionURLField(forms.URLField):
    """http(s) only, no control characters (a NUL or \\x01 is a form error, never a 500)."""

    default_validators = [http_url_validator]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            no_control_characters(value)
        return super().to_python(value)


class PlainTextField(forms.CharField):
    """Plain text in a text area: 2,000 characters at most, no control characters."""

    default_validators = [no_control_characters]

    def __init__(self, *, rows: int = 5, **kwargs) -> None:
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)


class NewEntryForm(forms.ModelForm):
    title = forms.CharField(max_length=200, validators=[single_line])
    url = SuggestionURLField(label="URL", help_text="The entry's own address.")
    entry_kind = forms.ChoiceField(label="Kind", choices=Resource.Kind.choices)
    message = PlainTextField(
        label="Why it belongs in ASR Hub",
        help_text="Who it helps and what makes it good; plain text, 2,000 characters at most.",
    )

    class Meta:
        model = Suggestion
        fields = ("title", "url", "entry_kind", "message", "credit_publicly")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        entry = known_entry(url)
        if entry is not None and entry.is_published:
            raise forms.ValidationError(
                "ASR Hub already lists this address as “%(title)s”.", params={"title": entry}
            )
        return url


class CorrectionForm(forms.ModelForm):
    message = PlainTextField(
        label="What is wrong",
        help_text="What the page says and what it should say; plain text.",
    )
    evidence_url = SuggestionURLField(
        label="Evidence URL", help_text="Where a curator can check the right fact."
    )

    class Meta:
        model = Suggestion
        fields = ("message", "evidence_url")


class RejectForm(forms.Form):
    reason = PlainTextField(rows=3, help_text="The member sees this on their suggestions page.")


class DuplicateForm(forms.Form):
    of = forms.ModelChoiceField(
        label="Duplicate of suggestion number",
        queryset=Suggestion.objects.all(),
        required=False,
        widget=forms.NumberInput,
    )
    entry = forms.ModelChoiceField(
        label="…or of the existing entry",
        queryset=Resource.objects.only("pk", "title").order_by("title"),
        required=False,
    )

    def __init__(self, *args, selected: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.selected = set(selected or [])

    def clean(self) -> dict:
        data = super().clean()
        of, entry = data.get("of"), data.get("entry")
        if (of is None) == (entry is None):
            raise forms.ValidationError("Give one suggestion number or one entry.")
        if of is not None and of.pk in self.selected:
            raise forms.ValidationError("A suggestion cannot be a duplicate of itself.")
        return data
