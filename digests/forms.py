from __future__ import annotations

from django import forms

from digests.models import MailSettings, time_zone_choices


class MailSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Digests arrive at this hour on your clock, summer time included.",
    )

    class Meta:
        model = MailSettings
        fields = (
            "frequency",
            "weekday",
            "hour",
            "time_zone",
            "include_posts",
            "include_deadlines",
            "reminders",
        )
        labels = {
            "weekday": "Day (weekly digests)",
            "hour": "Hour",
            "include_posts": "New posts from what you follow",
            "include_deadlines": "Deadlines and editions of events you bookmarked or follow",
            "reminders": "Deadline reminders, 7 days and 1 day before",
        }
        widgets = {"frequency": forms.RadioSelect}
