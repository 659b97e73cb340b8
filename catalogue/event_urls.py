"""Events and calendars. Included at the site root, so full paths are written here."""

from django.urls import path

from catalogue.views import events

app_name = "events"

urlpatterns = [
    path("events/", events.event_list, name="event_list"),
    path("events/calendar.ics", events.calendar, name="calendar"),
    path("events/<slug:slug>/", events.event_detail, name="event_detail"),
    path("events/<slug:slug>/calendar.ics", events.event_calendar, name="event_calendar"),
    path("u/<str:token>/calendar.ics", events.member_calendar, name="member_calendar"),
]
