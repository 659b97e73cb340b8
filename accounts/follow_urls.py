from django.urls import path  # noqa: F401

app_name = "following"

# Filled by the personal-feed work: /me/feed/, /me/following/, follow toggles, /u/<token>/…
urlpatterns: list = []
