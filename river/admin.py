"""The river in the admin: curators can look posts up and remove a bad one."""

from django.contrib import admin

from river.models import Post, PostSource


class PostSourceInline(admin.TabularInline):
    model = PostSource
    extra = 0
    fields = ["resource", "guid", "published_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "published_at", "arxiv_id"]
    list_filter = ["kind"]
    search_fields = ["title", "=arxiv_id", "=guid"]
    date_hierarchy = "published_at"
    show_full_result_count = False  # a million posts: no COUNT(*) per page
    readonly_fields = [
        "guid", "link", "canonical_link", "arxiv_id", "kind", "title", "summary", "authors",
        "version", "published_at", "first_seen_at",
    ]  # fmt: skip
    exclude = ["search_vector"]
    inlines = [PostSourceInline]

    def has_add_permission(self, request) -> bool:
        return False  # posts come from feeds
