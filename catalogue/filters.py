"""Faceted search for /resources/, /categories/<slug>/ and /people/.

Every facet is multi-select and repeatable in the URL; values within a facet are
OR-ed and facets are AND-ed. Counts are disjunctive: each facet's counts apply the
search text and every *other* facet's selection. Every filter narrows by primary key,
so querysets never gain duplicate rows. Resource facets are counted from the bit sets
of :mod:`catalogue.facet_index` (at most one query: the ids the search matches); the
people facets are counted in SQL, one query each.
"""

from __future__ import annotations

import hashlib
import re

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Count, Exists, Q, QuerySet

from catalogue import facet_index, search
from catalogue.event_filters import (
    ExceptFacetMixin,
    LenientModelMultipleChoiceFilter,
    LenientMultipleChoiceFilter,
    matching_every_word,
    with_topics,
)
from catalogue.facet_index import CHOICE_FACETS
from catalogue.models import Category, Person, Resource, Topic, taxonomy
from catalogue.versioning import FACETS_TTL, catalogue_version

SORTS = {
    "relevance": "Relevance",
    "curated": "Featured first",
    "followed": "Most followed",
    "title": "Title",
    "newest": "Newest",
    "updated": "Recently updated",
}


SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")


class SlugListField(forms.Field):
    """Any number of slug-looking values; the rest is set aside in ``ignored``.

    Whether a slug exists is learnt from the facet's own counting query, so a
    selection costs no extra query.
    """

    widget = forms.CheckboxSelectMultiple

    def clean(self, value) -> list[str]:
        values = [str(item) for item in (value or [])]
        self.ignored = [item for item in values if not SLUG.match(item)]
        return list(dict.fromkeys(item for item in values if SLUG.match(item)))


class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


def checkbox_choice(choices, label: str) -> LenientMultipleChoiceFilter:
    return LenientMultipleChoiceFilter(
        choices=choices, label=label, method="filter_choice", widget=forms.CheckboxSelectMultiple
    )


class FacetMixin(ExceptFacetMixin):
    """Disjunctive facet machinery shared by the resource and people filters."""

    FACETS: tuple[str, ...] = ()
    SLUG_FACETS: tuple[str, ...] = ()
    SPARSE_FACETS: tuple[str, ...] = ()

    def selected(self, facet: str) -> list[str]:
        self.errors  # noqa: B018
        value = self.form.cleaned_data.get(facet) or []
        return [getattr(item, "slug", item) for item in value]

    def make_facet(self, name: str, label: str, options: list[tuple[str, str, int]]) -> dict:
        known = {value for value, _text, _count in options}
        selected = set(self.selected(name)) & known
        rows = [
            {"value": value, "label": text, "count": count, "selected": value in selected}
            for value, text, count in options
            if count or value in selected
        ]
        rows.sort(key=lambda row: not row["selected"])  # selected first, order kept
        return {
            "name": name,
            "label": label,
            "options": rows,
            "selected": bool(selected),
            "known": known,
            # A facet only some kinds have (licence: models and datasets) is left out
            # of the panel where no result has it, rather than shown empty.
            "hidden": not rows and name in self.SPARSE_FACETS,
        }

    def chips(self) -> list[dict]:
        """Each selected value, with its facet, for the removable chips."""
        labels = {
            (facet["name"], option["value"]): option["label"].lstrip("— ")
            for facet in self.facets()
            for option in facet["options"]
        }
        return [
            {"facet": name, "value": value, "label": labels[(name, value)]}
            for name in self.FACETS
            for value in self.selected(name)
            if (name, value) in labels
        ]

    def ignored_messages(self) -> list[str]:
        self.errors  # noqa: B018
        known = {facet["name"]: facet.get("known", set()) for facet in self.facets()}
        messages = []
        for name in self.FACETS:
            ignored = list(getattr(self.form.fields[name], "ignored", []))
            if name in self.SLUG_FACETS:
                ignored += [
                    v for v in self.form.cleaned_data.get(name) or [] if v not in known[name]
                ]
            for value in ignored:
                shown = value if len(value) <= 40 else value[:40] + "…"
                messages.append(f"{name.capitalize()}: “{shown}” is not a known value; ignored.")
        return messages


class ResourceFilter(FacetMixin, django_filters.FilterSet):
    """The resource facets, within the results of the text search (``Resource.objects.search``)."""

    kind = checkbox_choice(Resource.Kind.choices, "Kind")
    category = SlugListFilter(label="Category", method="filter_category")
    topic = SlugListFilter(label="Topic", method="filter_topic")
    level = checkbox_choice(Resource.Level.choices, "Level")
    cost = checkbox_choice(Resource.Cost.choices, "Cost")
    cadence = checkbox_choice(Resource.Cadence.choices, "Cadence")
    medium = checkbox_choice(Resource.Medium.choices, "Medium")
    status = checkbox_choice(Resource.Status.choices, "Status")
    licence = checkbox_choice(Resource.Licence.choices, "Licence")
    languages = checkbox_choice(Resource.Languages.choices, "Languages")

    FACETS = (
        "kind", "category", "topic", "level", "cost", "cadence", "medium", "status",
        "licence", "languages",
    )  # fmt: skip
    SLUG_FACETS = ("category", "topic")
    SPARSE_FACETS = ("licence", "languages")

    class Meta:
        model = Resource
        fields = [
            "kind", "category", "topic", "level", "cost", "cadence", "medium", "status",
            "licence", "languages",
        ]  # fmt: skip

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        base: QuerySet | None = None,
        text: str = "",
        cache_scope: str = "",
        base_mask=None,
        **kwargs,
    ):
        """``base`` is the queryset after the text search (facets count within it), and
        ``text`` that search's (cleaned) text.

        ``cache_scope`` names what ``base`` was narrowed to before the search (e.g. a
        category); with it, facet counts are cached. ``base_mask(index)``, when the view
        knows it, is the bit set of ``base`` (saves the query for its ids).
        """
        if queryset is None:
            queryset = Resource.objects.published()
        super().__init__(data, base if base is not None else queryset, **kwargs)
        self._facets: list[dict] | None = None
        self._facets_looked_up = False
        self.text = text
        self.cache_scope = cache_scope
        self.base_mask = base_mask

    # Filter methods ---------------------------------------------------------------
    def filter_choice(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_category(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        links = Resource.categories.through.objects.filter(
            Q(category__slug__in=value) | Q(category__parent__slug__in=value)
        )
        # Unknown slugs are ignored: when none is known the filter is a no-op (in SQL).
        return queryset.filter(
            Q(pk__in=links.values("resource_id")) | ~Exists(Category.objects.filter(slug__in=value))
        )

    def filter_topic(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        links = Resource.topics.through.objects.filter(topic__slug__in=value)
        return queryset.filter(
            Q(pk__in=links.values("resource_id")) | ~Exists(Topic.objects.filter(slug__in=value))
        )

    # Facets ---------------------------------------------------------------------------
    def facets(self) -> list[dict]:
        """All facets; cached per scope, search text and selection until the catalogue changes."""
        if self.cached_facets() is None:
            self._facets = self.compute_facets()
            if self.cache_scope:
                cache.set(self.cache_key(), self._facets, FACETS_TTL)
        return self._facets

    def cached_facets(self) -> list[dict] | None:
        """The facets if they are cached already (or computed), else None (looked up once)."""
        if self._facets is None and self.cache_scope and not self._facets_looked_up:
            self._facets_looked_up = True
            self._facets = cache.get(self.cache_key())
        return self._facets

    def has_selection(self) -> bool:
        self.errors  # noqa: B018
        return any(self.form.cleaned_data.get(name) for name in self.FACETS)

    def cache_key(self) -> str:
        self.errors  # noqa: B018
        selection = [
            (name, sorted(str(value) for value in self.form.cleaned_data.get(name) or []))
            for name in self.FACETS
        ]
        raw = repr((self.cache_scope, self.text, search.is_postgres(), selection))
        digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
        return f"catalogue:facets:{catalogue_version()}:{digest}"

    def compute_facets(self) -> list[dict]:
        """Every facet's disjunctive counts, from the bit sets of :mod:`facet_index`.

        One query at most: the ids the base (search text, category, bookmarks) matches;
        none when the view knows the base's bit set (``base_mask``).
        """
        index = facet_index.current()
        base = self.base_mask(index) if self.base_mask else index.mask_of(self.base_ids())
        selections = self._selection_masks(index)

        def others(facet: str) -> int:
            mask = base
            for name, selected in selections.items():
                if name != facet:
                    mask &= selected
            return mask

        facets = []
        for name in self.FACETS:
            within = others(name)
            if name == "category":
                label = "Category"
                options = [
                    (
                        category.slug,
                        f"{'— ' if category.parent_id else ''}{category.name}",
                        (index.categories.get(category.pk, 0) & within).bit_count(),
                    )
                    for category in taxonomy()["categories"]
                ]
            elif name == "topic":
                label = "Topic"
                counted = [
                    (slug, topic_name, (index.topics.get(pk, 0) & within).bit_count())
                    for pk, slug, topic_name in index.topic_rows
                ]
                # Busiest first (so unknown selections can be told apart, all are listed).
                options = sorted(counted, key=lambda row: (-row[2], row[1].casefold(), row[1]))
            else:
                label, choices = CHOICE_FACETS[name]
                masks = index.choices[name]
                options = [
                    (value, text, (masks.get(value, 0) & within).bit_count())
                    for value, text in choices
                ]
            facets.append(self.make_facet(name, label, options))
        return facets

    def results_mask(self) -> int | None:
        """The bit set of the filtered results (base and every selection), when the base's
        is known without a query for its ids; else None."""
        if self.base_mask is None:
            return None
        index = facet_index.current()
        mask = self.base_mask(index)
        for selected in self._selection_masks(index).values():
            mask &= selected
        return mask

    def base_ids(self):
        return self.queryset.order_by().values_list("pk", flat=True)

    def _selection_masks(self, index: facet_index.FacetIndex) -> dict[str, int]:
        """Each facet with an effective selection: the bit set of what it lets through.

        The same rules as the filter methods: values within a facet are OR-ed; a
        category brings its children; unknown category and topic slugs are ignored, and a
        selection of only unknown slugs filters nothing.
        """
        self.errors  # noqa: B018
        data = self.form.cleaned_data
        masks: dict[str, int] = {}
        for name in CHOICE_FACETS:
            if values := data.get(name):
                mask = 0
                for value in values:
                    mask |= index.choices[name].get(value, 0)
                masks[name] = mask
        slugs = {
            "category": {c.slug: c.pk for c in taxonomy()["categories"]},
            "topic": {slug: pk for pk, slug, _name in index.topic_rows},
        }
        sets = {"category": index.categories, "topic": index.topics}
        for name in ("category", "topic"):
            known = [slugs[name][slug] for slug in data.get(name) or [] if slug in slugs[name]]
            if known:
                mask = 0
                for pk in known:
                    mask |= sets[name].get(pk, 0)
                masks[name] = mask
        return masks


def people_matching(queryset: QuerySet, q: str) -> QuerySet:
    """The people of ``queryset`` matching every word of ``q`` (all when it has none):
    the ``q`` of :class:`PersonFilter`, also used alone (the people above resource
    results), without building a filter set and its form."""
    return matching_every_word(
        queryset,
        search.words(q or ""),
        "name__icontains",
        "headline__icontains",
        "affiliation_text__icontains",
        "affiliation__title__icontains",
        "twitter__icontains",
    )


class PersonFilter(FacetMixin, django_filters.FilterSet):
    """People: q, kind, topic and affiliation (an organisation's slug)."""

    q = django_filters.CharFilter(method="filter_q", label="Search people")
    kind = checkbox_choice(Person.Kind.choices, "Kind")
    topic = LenientModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label="Topic",
        method="filter_topic",
        widget=forms.CheckboxSelectMultiple,
    )
    affiliation = LenientModelMultipleChoiceFilter(
        queryset=Resource.objects.filter(kind__in=Resource.ORGANISATION_KINDS),
        to_field_name="slug",
        label="Affiliation",
        method="filter_affiliation",
        widget=forms.CheckboxSelectMultiple,
    )

    FACETS = ("kind", "topic", "affiliation")

    class Meta:
        model = Person
        fields = ["q", "kind", "topic", "affiliation"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Person.objects.published()
        super().__init__(data, queryset, **kwargs)
        self._facets: list[dict] | None = None

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return people_matching(queryset, value)

    def filter_choice(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_topic(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return with_topics(queryset, value)

    def filter_affiliation(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(affiliation__in=value) if value else queryset

    def facets(self) -> list[dict]:
        if self._facets is None:
            kinds = self.choice_counts("kind", Person.Kind.choices)
            topics = (
                Topic.objects.filter(people__in=self.queryset_without("topic").values("pk"))
                .annotate(n=Count("people", distinct=True))
                .order_by("-n", "name")
            )
            organisations = (
                Resource.objects.filter(
                    members__in=self.queryset_without("affiliation").values("pk")
                )
                .annotate(n=Count("members", distinct=True))
                .order_by("-n", "title")
            )
            self._facets = [
                self.make_facet("kind", "Kind", kinds),
                self.make_facet("topic", "Topic", [(t.slug, t.name, t.n) for t in topics]),
                self.make_facet(
                    "affiliation", "Affiliation", [(o.slug, o.title, o.n) for o in organisations]
                ),
            ]
        return self._facets
