"""Curators see members, their packs and the external links members suggest."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Bookmark, ExternalLink, Follow, PackItem, StarterPack, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("ASR Hub", {"fields": ("display_name", "feed_seen_at")}),
    )
    list_display = ("username", "email", "display_name", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email", "display_name")
    readonly_fields = ("feed_seen_at", "last_login", "date_joined")


class PackItemInline(admin.TabularInline):
    model = PackItem
    extra = 0
    fields = ("position", "resource", "person", "event", "external_title", "external_url", "note")
    autocomplete_fields = ("resource", "person", "event")
    ordering = ("position",)


@admin.register(StarterPack)
class StarterPackAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "visibility", "is_featured", "updated_at")
    list_filter = ("visibility", "is_featured")
    search_fields = ("title", "description", "owner__username")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("owner", "copied_from")
    inlines = [PackItemInline]
    actions = ["feature", "unfeature"]
    view_on_site = True

    @admin.action(
        description="Feature the selected packs (public ones only)", permissions=["change"]
    )
    def feature(self, request, queryset):
        updated = queryset.filter(visibility=StarterPack.Visibility.PUBLIC).update(is_featured=True)
        skipped = queryset.count() - updated
        self.message_user(request, f"{updated} pack(s) featured.", messages.SUCCESS)
        if skipped:
            note = f"{skipped} pack(s) are not public and were not featured."
            self.message_user(request, note, messages.WARNING)

    @admin.action(description="Stop featuring the selected packs", permissions=["change"])
    def unfeature(self, request, queryset):
        updated = queryset.update(is_featured=False)
        self.message_user(request, f"{updated} pack(s) no longer featured.", messages.SUCCESS)


@admin.register(ExternalLink)
class ExternalLinkAdmin(admin.ModelAdmin):
    list_display = ("external_title", "external_url", "pack", "created_at")
    search_fields = ("external_title", "external_url", "pack__title")
    readonly_fields = ("pack", "external_title", "external_url", "note", "created_at")
    fields = readonly_fields
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).external().select_related("pack__owner")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ("user", "resource", "person", "event", "created_at")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "resource", "person", "event")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "resource", "created_at")
    search_fields = ("user__username", "resource__title")
    raw_id_fields = ("user", "resource")
