"""The site's URL map, in one place (DESIGN.md, "Pages and endpoints").

Each area keeps its own namespace (`catalogue:`, `events:`, `accounts:`, …), so every
`reverse()` and `{% url %}` name reads as before; the lists are included in this order.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse_lazy

from accounts import views as accounts
from accounts import views_auth, views_bookmarks, views_pack_page, views_packs
from accounts import views_following as following
from catalogue.views import browse, events, pages
from catalogue.views.feeds import NewResourcesFeed
from digests import views as digests
from river import views as river
from suggestions import views as suggestions

admin.site.site_header = "ASR Hub curation"
admin.site.site_title = "ASR Hub admin"
admin.site.index_title = "Catalogue and members"


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "view on site" redirect, for staff who may view that model only.

    Django's own answers any staff member with the object's address, which for a
    private pack tells its owner and slug to staff who may not see packs.
    """
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not admin.site.is_registered(model):
        raise Http404("No such page.")
    if not admin.site.get_model_admin(model).has_view_permission(request):
        raise Http404("No such page.")
    return shortcut(request, content_type_id, object_id)


def password_form(heading: str, button: str) -> dict:
    """The template shared by the three password forms, with its heading and button."""
    return {
        "template_name": "accounts/password_form.html",
        "extra_context": {"heading": heading, "button": button},
    }


# Home, resources, categories and people.
catalogue_patterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("resources/", browse.resource_list, name="resource_list"),
    path("resources/<slug:slug>/", browse.resource_detail, name="resource_detail"),
    path("categories/", browse.category_list, name="category_list"),
    path("categories/<slug:slug>/", browse.category_detail, name="category_detail"),
    path("people/", browse.person_list, name="person_list"),
    path("people/<slug:slug>/", browse.person_detail, name="person_detail"),
]

# Events and calendars.
event_patterns = [
    path("events/", events.event_list, name="event_list"),
    path("events/calendar.ics", events.calendar, name="calendar"),
    path("events/<slug:slug>/", events.event_detail, name="event_detail"),
    path("events/<slug:slug>/calendar.ics", events.event_calendar, name="event_calendar"),
    path("u/<str:token>/calendar.ics", events.member_calendar, name="member_calendar"),
]

# The public feed of new resources.
feed_patterns = [
    path("feeds/new.atom", NewResourcesFeed(), name="new"),
]

# Accounts, members, bookmarks and packs.
account_patterns = [
    # Accounts
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", views_auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            **password_form("Change your password", "Save"),
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        views_auth.PasswordResetView.as_view(
            **password_form("Reset your password", "Send me a link"),
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            **password_form("Choose a new password", "Save"),
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/settings/", accounts.settings_view, name="settings"),
    path("members/<str:username>/", accounts.member_detail, name="member_detail"),
    # Bookmarks
    path("me/bookmarks/", accounts.bookmarks, name="bookmarks"),
    path("me/bookmarks/<int:pk>/note/", accounts.bookmark_note, name="bookmark_note"),
    path("me/bookmarks/<int:pk>/edit/", views_bookmarks.bookmark_edit, name="bookmark_edit"),
    path("me/bookmarks/tags/<str:slug>/", views_bookmarks.bookmark_tag, name="bookmark_tag"),
    path(
        "me/bookmarks/export.<str:fmt>",
        views_bookmarks.bookmark_export,
        name="bookmark_export",
    ),
    path("bookmark/<str:kind>/<slug:slug>/", accounts.bookmark_toggle, name="bookmark_toggle"),
    # Packs
    path("me/packs/", views_packs.my_packs, name="my_packs"),
    path("packs/", views_packs.pack_list, name="pack_list"),
    path("packs/add/", views_packs.pack_add, name="pack_add"),
    path("packs/<str:username>/<slug:slug>/", views_packs.pack_detail, name="pack_detail"),
    path("packs/<str:username>/<slug:slug>/edit/", views_packs.pack_edit, name="pack_edit"),
    path("packs/<str:username>/<slug:slug>/delete/", views_packs.pack_delete, name="pack_delete"),
    path("packs/<str:username>/<slug:slug>/copy/", views_packs.pack_copy, name="pack_copy"),
    path(
        "packs/<str:username>/<slug:slug>/links/",
        views_packs.pack_add_external,
        name="pack_add_external",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/note/",
        views_packs.item_note,
        name="item_note",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/move/",
        views_packs.item_move,
        name="item_move",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/place/",
        views_pack_page.item_place,
        name="item_place",
    ),
    path(
        "packs/<str:username>/<slug:slug>/visibility/",
        views_pack_page.pack_visibility,
        name="pack_visibility",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/remove/",
        views_packs.item_remove,
        name="item_remove",
    ),
    path(
        "packs/<str:username>/<slug:slug>/pack.md", views_packs.pack_markdown, name="pack_markdown"
    ),
    path("packs/<str:username>/<slug:slug>/pack.opml", views_packs.pack_opml, name="pack_opml"),
]

# Following, and a member's private feed and subscriptions.
following_patterns = [
    path("follow/<slug:slug>/", following.follow_toggle, name="toggle"),
    path("me/following/", following.following, name="following"),
    path("me/following/token/", following.rotate_token, name="rotate_token"),
    path("me/following/import/", following.opml_import, name="opml_import"),
    path(
        "me/following/pack/<str:username>/<slug:slug>/", following.follow_pack, name="follow_pack"
    ),
    path("u/<str:token>/feed.atom", following.atom_feed, name="atom"),
    path("u/<str:token>/following.opml", following.opml_export, name="opml"),
]

# Members' suggestions and reports.
suggestion_patterns = [
    path("suggest/", suggestions.suggest, name="suggest"),
    path("suggest/<str:kind>/<slug:slug>/", suggestions.report, name="report"),
    path("me/suggestions/", suggestions.mine, name="mine"),
    path("me/suggestions/<int:pk>/", suggestions.detail, name="detail"),
]

# Mail: settings, address verification, unsubscribe.
digest_patterns = [
    path("accounts/settings/mail/", digests.mail_settings, name="settings"),
    path("accounts/verify/resend/", digests.resend_verification, name="resend"),
    path("accounts/verify/<str:token>/", digests.verify_address, name="verify"),
    path("mail/unsubscribe/<str:token>/", digests.unsubscribe, name="unsubscribe"),
]

# The river of posts and a member's reader.
river_patterns = [
    path("latest/", river.latest, name="latest"),
    path("latest/feed.atom", river.latest_atom, name="latest_atom"),
    path("me/feed/", river.reader, name="reader"),
    path("me/feed/read/", river.mark_all_read, name="mark_all_read"),
    path("me/feed/<int:pk>/read/", river.mark_read, name="mark_read"),
    path("me/feed/<int:pk>/star/", river.star, name="star"),
    path("me/feed/rules/", river.rules, name="rules"),
    path("me/feed/rules/<int:pk>/delete/", river.rule_delete, name="rule_delete"),
]


urlpatterns = [
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", pages.favicon),
    path("", include((catalogue_patterns, "catalogue"))),
    path("", include((event_patterns, "events"))),
    path("", include((feed_patterns, "feeds"))),
    path("", include((account_patterns, "accounts"))),
    path("", include((following_patterns, "following"))),
    path("", include((suggestion_patterns, "suggestions"))),
    path("", include((digest_patterns, "digests"))),
    path("", include((river_patterns, "river"))),
]
