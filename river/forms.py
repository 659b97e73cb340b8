"""Forms for the river: the filters of /latest/ and /me/feed/, the reader's actions, rules."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from catalogue.models import Category, Resource, Topic
from river.models import Post, Rule
from river.text import normalise


class SlugChoiceField(forms.ModelMultipleChoiceField):
    """Repeatable slugs; an unknown slug is an error the page reports (never a 5xx)."""

    def __init__(self, queryset: QuerySet, **kwargs) -> None:
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)


class RiverFilterForm(forms.Form):
    """What to show: text, kinds of post, topics, categories, sources; all repeatable."""

    q = forms.CharField(required=False, strip=True)
    kind = forms.MultipleChoiceField(choices=Post.Kind.choices, required=False)
    topic = SlugChoiceField(Topic.objects.all())
    category = SlugChoiceField(Category.objects.all())
    source = SlugChoiceField(Resource.objects.published().with_feed())
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean_q(self) -> str:
        return normalise(self.cleaned_data["q"])

    def filters(self) -> dict:
        """The valid part of the input: a bad value drops only its own filter."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "kind": data.get("kind") or [],
            "topic": list(data.get("topic") or []),
            "category": list(data.get("category") or []),
            "source": list(data.get("source") or []),
            "page": data.get("page") or 1,
        }


class ShowForm(forms.Form):
    show = forms.ChoiceField(
        choices=[("unread", "Unread"), ("starred", "Starred"), ("all", "All")], required=False
    )

    def chosen(self) -> str:
        return (self.cleaned_data.get("show") if self.is_valid() else "") or "unread"


class MarkAllReadForm(forms.Form):
    up_to = forms.IntegerField(required=False, min_value=1)


class ToggleForm(forms.Form):
    """One post's read or star state; ``action`` is read/unread or star/unstar."""

    action = forms.ChoiceField(
        choices=[("read", "read"), ("unread", "unread"), ("star", "star"), ("unstar", "unstar")]
    )
    next = forms.CharField(required=False, max_length=2000)


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["action", "phrases", "resource"]
        labels = {"resource": "Source"}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(follows__user=user).order_by(
            "title"
        )
        self.fields["resource"].empty_label = "Everywhere"

    def clean_phrases(self) -> str:
        phrases = [" ".join(p.split()) for p in self.cleaned_data["phrases"].split(",")]
        phrases = [p for p in phrases if p]
        if not phrases:
            raise forms.ValidationError("Give at least one word or phrase.")
        if len(phrases) > 20:
            raise forms.ValidationError("At most 20 words or phrases per rule.")
        return ", ".join(phrases)
