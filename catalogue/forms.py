"""The search text of the search pages, cleaned once and passed on."""

from __future__ import annotations

from django import forms

from catalogue import search


class SearchTextField(forms.CharField):
    """Whitespace collapsed, NUL characters dropped, cut at a word to
    ``search.MAX_QUERY_LENGTH``; ``cut`` says whether it was cut."""

    cut = False

    def to_python(self, value) -> str:
        text, self.cut = search.normalise(value)
        return text


class SearchForm(forms.Form):
    """``q`` of a search page. Always valid: any text is searchable."""

    q = SearchTextField(required=False)

    @property
    def text(self) -> str:
        """The cleaned search text ("" for none)."""
        self.is_valid()
        return self.cleaned_data["q"]

    def problems(self) -> list[str]:
        """What to tell the user about their text."""
        self.is_valid()
        cut = self.fields["q"].cut
        return [f"Your search was cut to {search.MAX_QUERY_LENGTH} characters."] if cut else []
