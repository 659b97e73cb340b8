"""Filters for /events/ and /events/calendar.ics: kind, format, topic, month and q.

Every facet is repeatable and its values are OR-ed; facets are AND-ed together.
Each filter narrows by primary key (``pk__in`` a subquery) so the queryset never
gains duplicate rows, which keeps the facet counts simple and exact.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from catalogue.models import Edition, Event, Topic
from catalogue.search import every_word

MAX_QUERY_LENGTH = 200
MONTH_CHOICES = [(str(number), name) for number, name in Event.MONTHS]


def month_q(month: int, today: dt.date) -> Q:
    """Events that happen in ``month``: usually, or in a dated upcoming edition.

    A usual range may wrap the year (November–January).
    """
    usual = (
        Q(usual_month=month)
        | Q(usual_month_end=month)
        | Q(usual_month__lt=month, usual_month_end__gt=month)
        | Q(usual_month_end__lt=F("usual_month"), usual_month__lt=month)
        | Q(usual_month_end__lt=F("usual_month"), usual_month_end__gt=month)
    )
    editions = Edition.objects.upcoming(today).filter(
        Q(start_date__month=month) | Q(end_date__month=month)
    )
    return usual | Q(pk__in=editions.values("event_id"))


def format_q(value: str) -> Q:
    """An event's own format, or the format of any of its editions."""
    return Q(format=value) | Q(pk__in=Edition.objects.filter(format=value).values("event_id"))


def matching_every_word(queryset: QuerySet, terms: list[str], *lookups: str) -> QuerySet:
    """The rows where each term matches one of ``lookups``, through a subquery of keys so
    that lookups across relations never repeat a row. No term: every row."""
    if not terms:
        return queryset
    condition = every_word(terms, *lookups)
    return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


def with_topics(queryset: QuerySet, topics) -> QuerySet:
    """The rows tagged with any of ``topics`` (people and events); none given: every row."""
    if not topics:
        return queryset
    model = queryset.model
    links = model.topics.through.objects.filter(topic__in=topics)
    return queryset.filter(pk__in=links.values(f"{model._meta.model_name}_id"))


class LenientMixin:
    """Keep the known values of a repeatable facet and set the unknown ones aside.

    Django rejects the whole field when one value is unknown; a stale or mistyped
    link should still apply the values that make sense. ``ignored`` lists the rest.
    """

    ignored: list[str]

    def known(self, values: list[str]) -> list[str]:
        raise NotImplementedError

    def clean(self, value):
        values = [str(item) for item in self.raw_values(value)]
        usable = [item for item in values if "\x00" not in item and len(item) <= 100]
        known = set(self.known(usable)) if usable else set()
        self.ignored = [item for item in values if item not in known]
        return self.to_final([item for item in dict.fromkeys(values) if item in known])

    def raw_values(self, value) -> list:
        return self.to_python(value) or []

    def to_final(self, values: list[str]):
        return values


class LenientMultipleChoiceField(LenientMixin, django_filters.fields.MultipleChoiceField):
    def known(self, values: list[str]) -> list[str]:
        return [item for item in values if self.valid_value(item)]


class LenientModelMultipleChoiceField(LenientMixin, forms.ModelMultipleChoiceField):
    def raw_values(self, value) -> list:
        # to_python would look the values up (and fail on the first unknown one).
        if not value:
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    def known(self, values: list[str]) -> list[str]:
        self._found = list(self.queryset.filter(**{f"{self.to_field_name}__in": values}))
        return [getattr(obj, self.to_field_name) for obj in self._found]

    def to_final(self, values: list[str]):
        return [
            obj for obj in getattr(self, "_found", []) if getattr(obj, self.to_field_name) in values
        ]


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class LenientModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LenientModelMultipleChoiceField


class ExceptFacetMixin:
    """For disjunctive counts: a facet's options are counted with every *other* filter."""

    form: forms.Form
    filters: dict
    queryset: QuerySet

    def queryset_without(self, facet: str | None) -> QuerySet:
        """The queryset with every valid filter applied except ``facet``'s."""
        self.errors  # noqa: B018 - validates the form so cleaned_data exists
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != facet:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def choice_counts(self, field: str, choices) -> list[tuple[str, str, int]]:
        """(value, label, count) for each of a choice field's ``choices``, counted with
        every filter but ``field``'s own."""
        counts = dict(
            self.queryset_without(field)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values_list(field, "n")
        )
        return [(value, label, counts.get(value, 0)) for value, label in choices]


class EventFilterForm(forms.Form):
    def clean_q(self) -> str:
        return " ".join((self.cleaned_data.get("q") or "").split())


class EventFilter(ExceptFacetMixin, django_filters.FilterSet):
    """The event facets. Pass ``today`` to pin the date that "upcoming" means."""

    q = django_filters.CharFilter(
        method="filter_q",
        label="Search events",
        max_length=MAX_QUERY_LENGTH,
    )
    kind = LenientMultipleChoiceFilter(
        choices=Event.Kind.choices, method="filter_kind", widget=forms.CheckboxSelectMultiple
    )
    format = LenientMultipleChoiceFilter(
        choices=Event.Format.choices, method="filter_format", widget=forms.CheckboxSelectMultiple
    )
    topic = LenientModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        method="filter_topic",
        widget=forms.CheckboxSelectMultiple,
    )
    month = LenientMultipleChoiceFilter(
        choices=MONTH_CHOICES, method="filter_month", widget=forms.CheckboxSelectMultiple
    )

    FACETS = ("kind", "format", "topic", "month")

    class Meta:
        model = Event
        fields = ["q", "kind", "format", "topic", "month"]
        form = EventFilterForm

    def __init__(self, data=None, queryset=None, *, today: dt.date | None = None, **kwargs):
        if queryset is None:
            queryset = Event.objects.published()
        super().__init__(data, queryset, **kwargs)
        self.today = today or timezone.now().date()

    # Filter methods -----------------------------------------------------------
    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return matching_every_word(
            queryset,
            (value or "").split()[:10],
            "name__icontains",
            "full_name__icontains",
            "summary__icontains",
            "organiser_text__icontains",
            "organiser__title__icontains",
        )

    def filter_kind(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(kind__in=value) if value else queryset

    def filter_format(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        condition = Q()
        for item in value:
            condition |= format_q(item)
        return queryset.filter(condition)

    def filter_topic(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return with_topics(queryset, value)

    def filter_month(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        condition = Q()
        for item in value:
            condition |= month_q(int(item), self.today)
        return queryset.filter(condition)

    # Disjunctive facets ---------------------------------------------------------
    def selected(self, facet: str) -> list[str]:
        """The valid selected values of a facet, as strings."""
        self.errors  # noqa: B018
        value = self.form.cleaned_data.get(facet) or []
        if facet == "topic":
            return [topic.slug for topic in value]
        return [str(item) for item in value]

    def facets(self) -> list[dict]:
        """Each facet's options with disjunctive counts; one query per facet."""
        return [
            self._facet("kind", "Kind", self._kind_counts()),
            self._facet("format", "Format", self._format_counts()),
            self._facet("topic", "Topic", self._topic_counts()),
            self._facet("month", "Month", self._month_counts()),
        ]

    def _facet(self, name: str, label: str, options: list[tuple[str, str, int]]) -> dict:
        selected = set(self.selected(name))
        rows = [
            {"value": value, "label": text, "count": count, "selected": value in selected}
            for value, text, count in options
            if count or value in selected
        ]
        rows.sort(key=lambda row: not row["selected"])  # selected first, order kept
        return {"name": name, "label": label, "options": rows, "selected": bool(selected)}

    def _kind_counts(self) -> list[tuple[str, str, int]]:
        return self.choice_counts("kind", Event.Kind.choices)

    def _format_counts(self) -> list[tuple[str, str, int]]:
        base = self.queryset_without("format")
        counts = base.aggregate(
            **{
                f"f{index}": Count("pk", filter=format_q(value))
                for index, (value, _label) in enumerate(Event.Format.choices)
            }
        )
        return [
            (value, label, counts[f"f{index}"] or 0)
            for index, (value, label) in enumerate(Event.Format.choices)
        ]

    def _topic_counts(self) -> list[tuple[str, str, int]]:
        base = self.queryset_without("topic")
        topics = (
            Topic.objects.filter(events__in=base.values("pk"))
            .annotate(n=Count("events", distinct=True))
            .order_by("name")
        )
        options = [(topic.slug, topic.name, topic.n) for topic in topics]
        present = {slug for slug, _name, _n in options}
        # A selected topic no event has any more still shows, so it can be cleared.
        extra = [
            (topic.slug, topic.name, 0)
            for topic in self.form.cleaned_data.get("topic") or []
            if topic.slug not in present
        ]
        return extra + options

    def _month_counts(self) -> list[tuple[str, str, int]]:
        base = self.queryset_without("month")
        counts = base.aggregate(
            **{
                f"m{number}": Count("pk", filter=month_q(number, self.today))
                for number in range(1, 13)
            }
        )
        return [(str(number), name, counts[f"m{number}"] or 0) for number, name in Event.MONTHS]

    def error_messages(self) -> list[str]:
        """Plain messages for input that was ignored (unknown facet values and so on)."""
        messages = []
        for name, errors in self.errors.items():
            label = self.filters[name].label or name if name in self.filters else name
            for error in errors:
                messages.append(f"{str(label).capitalize()}: {error} It was ignored.")
        for name in self.FACETS:
            for value in getattr(self.form.fields[name], "ignored", []):
                shown = value if len(value) <= 40 else value[:40] + "…"
                messages.append(
                    f"{name.capitalize()}: “{shown}” is not a known value; it was ignored."
                )
        return messages
