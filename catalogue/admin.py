"""The curators' admin: every catalogue model, with filters, inlines and bulk actions."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import path

from catalogue.admin_events import DeadlineAdminForm, add_next_edition, deadlines_summary
from catalogue.admin_feeds import FEED_ACTIONS
from catalogue.admin_staleness import (
    NextEditionFilter,
    StalenessFilter,
    mark_checked,
    staleness_view,
)
from catalogue.models import (
    Category,
    CuratedEntry,
    Deadline,
    Edition,
    Event,
    FeedEntry,
    Person,
    Resource,
    ResourcePerson,
    Topic,
)
from catalogue.url_kinds import url_kind_warning
from catalogue.versioning import catalogue_changed


class OptionsFilter(admin.SimpleListFilter):
    """A list filter whose ``options`` map each value to its label and to a function
    that narrows the queryset; any other value leaves the queryset whole."""

    options: dict[str, tuple[str, Callable[[QuerySet], QuerySet]]] = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.options.items()]

    def queryset(self, request, queryset):
        option = self.options.get(self.value())
        return option[1](queryset) if option else queryset


class FeedHealthFilter(OptionsFilter):
    title = "feed health"
    parameter_name = "feed"
    options = {
        "none": ("No feed", lambda qs: qs.filter(feed_url="")),
        "ok": ("Fetching fine", lambda qs: qs.exclude(feed_url="").filter(feed_error_count=0)),
        "failing": (
            "Failing",
            lambda qs: qs.exclude(feed_url="").filter(feed_error_count__gt=0),
        ),
    }


def curation_action(name: str, description: str, message: str, **fields):
    """An admin action named ``name`` that sets ``fields`` on the selected entries in one
    UPDATE and says ``message`` (with ``{count}``)."""

    def action(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(**fields)
        catalogue_changed()  # a bulk update sends no signals: start new cached counts
        modeladmin.message_user(request, message.format(count=count), messages.SUCCESS)

    action.__name__ = action.__qualname__ = name
    return admin.action(description=description, permissions=["change"])(action)


publish = curation_action(
    "publish", "Publish selected entries", "Published {count} entries.", is_published=True
)
unpublish = curation_action(
    "unpublish", "Unpublish selected entries", "Unpublished {count} entries.", is_published=False
)
mark_reviewed = curation_action(
    "mark_reviewed",
    "Mark selected entries as reviewed",
    "Marked {count} entries reviewed.",
    needs_review=False,
)
feature = curation_action(
    "feature", "Feature selected entries", "Featured {count} entries.", is_featured=True
)
unfeature = curation_action(
    "unfeature", "Stop featuring selected entries", "Unfeatured {count} entries.", is_featured=False
)


CURATION_ACTIONS = [publish, unpublish, mark_reviewed, mark_checked, feature, unfeature]


class ChildCategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0
    verbose_name = "subcategory"
    verbose_name_plural = "subcategories"


class TopLevelFilter(OptionsFilter):
    title = "level in tree"
    parameter_name = "tree"
    options = {
        "top": ("Top level", lambda qs: qs.filter(parent__isnull=True)),
        "child": ("Subcategories", lambda qs: qs.filter(parent__isnull=False)),
    }


class ResourceCountAdmin(admin.ModelAdmin):
    """Lists how many resources each row classifies."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_resources=Count("resources"))

    @admin.display(description="resources", ordering="n_resources")
    def resource_count(self, obj: Category | Topic) -> int:
        return obj.n_resources


@admin.register(Category)
class CategoryAdmin(ResourceCountAdmin):
    list_display = ["__str__", "slug", "position", "resource_count"]
    list_filter = [TopLevelFilter]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [ChildCategoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


@admin.register(Topic)
class TopicAdmin(ResourceCountAdmin):
    list_display = ["name", "slug", "resource_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RolesInline(admin.TabularInline):
    """People's roles on resources, seen from one side."""

    model = ResourcePerson
    extra = 0


class PeopleOnResourceInline(RolesInline):
    fk_name = "resource"
    autocomplete_fields = ["person"]
    verbose_name = "person involved"
    verbose_name_plural = "people involved"


class ResourcesOfPersonInline(RolesInline):
    fk_name = "person"
    autocomplete_fields = ["resource"]
    verbose_name = "resource"
    verbose_name_plural = "resources this person is involved in"


class ChannelsOfOrganisationInline(admin.TabularInline):
    """The resources an organisation runs (its blog, forum, Discord, GitHub…)."""

    model = Resource
    fk_name = "organisation"
    fields = ["title", "kind", "url", "is_published"]
    readonly_fields = ["title", "kind", "url", "is_published"]
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name = "resource of this organisation"
    verbose_name_plural = "resources of this organisation"

    def has_add_permission(self, request, obj=None):
        return False


# What the link checker and the feed fetcher record: shown to curators, never edited.
LINK_STATE = ["link_checked_at", "link_ok_at", "link_status", "link_final_url", "link_failures"]
FEED_STATE = [
    "feed_checked_at",
    "feed_ok_at",
    "feed_next_fetch_at",
    "feed_error_count",
    "feed_last_status",
    "feed_last_error",
    "feed_etag",
    "feed_last_modified",
]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    # Few, short columns so the list fits a 1366 px screen beside the filters; the rest
    # (status, featured, dates) are one filter or click away.
    list_display = ["title", "kind", "state", "review", "health"]
    list_filter = [
        "kind",
        "categories",
        "topics",
        "status",
        "needs_review",
        StalenessFilter,
        "link_health",
        FeedHealthFilter,
        "is_published",
        "is_featured",
        "level",
        "cost",
        "medium",
    ]
    search_fields = ["title", "aliases", "slug", "url", "feed_url", "summary", "curator_note"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "moved_to", "categories", "topics"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    actions = [*CURATION_ACTIONS, *FEED_ACTIONS]
    readonly_fields = ["created_at", "updated_at", *LINK_STATE, *FEED_STATE]
    fieldsets = [
        (None, {"fields": ["title", "aliases", "slug", "kind", "url", "summary", "description"]}),
        (
            "Classification",
            {"fields": ["categories", "topics", "level", "cost", "cadence", "medium"]},
        ),
        (
            "Organisation and audience",
            {"fields": ["organisation", ("audience_size", "audience_unit", "audience_as_of")]},
        ),
        ("Lifecycle", {"fields": ["status", "moved_to", "moved_to_url"]}),
        (
            "Licence and sources",
            {"fields": [("licence", "languages"), "sources", "checked_on"]},
        ),
        ("Curation", {"fields": ["is_published", "is_featured", "needs_review", "curator_note"]}),
        ("Feed", {"fields": ["feed_url", *FEED_STATE], "classes": ["collapse"]}),
        ("Link health", {"fields": ["link_health", *LINK_STATE], "classes": ["collapse"]}),
        ("Dates", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [PeopleOnResourceInline, ChannelsOfOrganisationInline]

    def get_urls(self):
        queue = self.admin_site.admin_view(lambda request: staleness_view(self, request))
        return [
            path("staleness/", queue, name="catalogue_resource_staleness"),
            *super().get_urls(),
        ]

    def get_inlines(self, request, obj):
        if obj is not None and obj.is_organisation:
            return self.inlines
        return [PeopleOnResourceInline]

    class Media:
        css = {"all": ["css/admin-resources.css"]}

    @admin.display(description="state", ordering="is_published")
    def state(self, obj: Resource) -> str:
        """Live or draft, then the status when not active; ★ when featured."""
        words = ["live" if obj.is_published else "draft"]
        if obj.status != Resource.Status.ACTIVE:
            words.append(obj.get_status_display().lower())
        if obj.is_featured:
            words.append("★")
        return " ".join(words)

    @admin.display(description="review", boolean=True, ordering="needs_review")
    def review(self, obj: Resource) -> bool:
        return obj.needs_review

    @admin.display(description="health", ordering="link_health")
    def health(self, obj: Resource) -> str:
        problems = []
        if obj.link_health == Resource.LinkHealth.DEAD:
            problems.append("link dead")
        if obj.feed_url and obj.feed_error_count:
            problems.append("feed failing")
        if problems:
            return ", ".join(problems)
        return "OK" if obj.link_health == Resource.LinkHealth.OK else "—"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # A hint, not a rule: mirrors and moved sites exist, so the entry is saved.
        warning = url_kind_warning(obj.kind, obj.url)
        if warning:
            self.message_user(request, warning, messages.WARNING)


class CuratedEntryAdmin(admin.ModelAdmin):
    """People and events: the entry's own fields, then what curators keep on every entry
    (:class:`CuratedEntry`), in the model's order."""

    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = CURATION_ACTIONS

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        curated = {field.name for field in CuratedEntry._meta.local_fields}
        return [f for f in fields if f not in curated] + [f for f in fields if f in curated]


@admin.register(Person)
class PersonAdmin(CuratedEntryAdmin):
    list_display = ["name", "kind", "affiliation_name", "is_published", "needs_review"]
    list_filter = ["kind", "topics", "needs_review", "is_published", "is_featured"]
    search_fields = ["name", "slug", "headline", "affiliation_text", "twitter", "github"]
    autocomplete_fields = ["affiliation", "topics"]
    list_select_related = ["affiliation"]
    inlines = [ResourcesOfPersonInline]


class DeadlineInline(admin.TabularInline):
    model = Deadline
    form = DeadlineAdminForm
    fields = [
        "kind",
        "label",
        "due_at",
        "aoe_date",
        "is_aoe",
        "needs_review",
        "curator_note",
        "sequence",
    ]
    readonly_fields = ["sequence"]
    extra = 0


class EditionInline(admin.StackedInline):
    model = Edition
    fields = [
        ("year", "name"),
        ("start_date", "end_date"),
        ("city", "country", "format"),
        "url",
        ("is_expected", "sources"),
        ("needs_review", "curator_note"),
        "deadlines",
    ]
    readonly_fields = ["deadlines"]
    extra = 0
    show_change_link = True

    @admin.display(description="deadlines")
    def deadlines(self, obj: Edition) -> str:
        return deadlines_summary(obj)


class UpcomingFilter(OptionsFilter):
    title = "dates"
    parameter_name = "when"
    options = {
        "upcoming": ("Upcoming", lambda qs: qs.upcoming()),
        "past": ("Past", lambda qs: qs.past()),
        "undated": ("Not dated yet", lambda qs: qs.filter(start_date__isnull=True)),
    }


@admin.register(Event)
class EventAdmin(CuratedEntryAdmin):
    list_display = [
        "name",
        "kind",
        "format",
        "usual_months_display",
        "is_published",
        "needs_review",
    ]
    list_filter = ["kind", "format", "topics", "needs_review", NextEditionFilter, "is_published"]
    search_fields = ["name", "slug", "full_name", "summary", "organiser_text"]
    autocomplete_fields = ["organiser", "topics", "related_resources"]
    actions = [*CURATION_ACTIONS, add_next_edition]
    inlines = [EditionInline]

    @admin.display(description="usually")
    def usual_months_display(self, obj: Event) -> str:
        return obj.usual_months_display


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "city", "country", "needs_review"]
    list_filter = [UpcomingFilter, "needs_review", "event"]
    search_fields = ["name", "event__name", "city", "country"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    inlines = [DeadlineInline]
    actions = [mark_reviewed]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_at", "is_aoe", "sequence", "needs_review"]
    list_filter = ["kind", "is_aoe", "needs_review"]
    search_fields = ["edition__event__name", "label"]
    autocomplete_fields = ["edition"]
    list_select_related = ["edition__event"]
    readonly_fields = ["sequence"]
    form = DeadlineAdminForm
    actions = [mark_reviewed]


@admin.register(FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "resource", "published_at", "first_seen_at"]
    list_filter = ["resource__kind"]
    search_fields = ["title", "guid", "link", "resource__title"]
    autocomplete_fields = ["resource"]
    list_select_related = ["resource"]
    date_hierarchy = "published_at"


@admin.register(ResourcePerson)
class ResourcePersonAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "resource"]
    list_filter = ["role"]
    search_fields = ["person__name", "resource__title"]
    autocomplete_fields = ["person", "resource"]
    list_select_related = ["person", "resource"]
