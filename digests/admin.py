from django.contrib import admin

from digests.models import Digest, MailSettings, ReminderSent


@admin.register(MailSettings)
class MailSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "verified_email", "frequency", "time_zone", "next_digest_at")
    list_filter = ("frequency", "reminders")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("to", "sent_at", "post_count", "deadline_count")
    search_fields = ("to", "message_id")
    raw_id_fields = ("user",)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("user", "deadline", "kind", "due_at", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "deadline")
