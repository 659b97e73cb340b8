from django.urls import path

from river import views

app_name = "river"

urlpatterns = [
    path("latest/", views.latest, name="latest"),
    path("latest/feed.atom", views.latest_atom, name="latest_atom"),
    path("me/feed/", views.reader, name="reader"),
    path("me/feed/read/", views.mark_all_read, name="mark_all_read"),
    path("me/feed/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("me/feed/<int:pk>/star/", views.star, name="star"),
    path("me/feed/rules/", views.rules, name="rules"),
    path("me/feed/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
]
