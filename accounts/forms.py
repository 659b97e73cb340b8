"""Forms for members: sign-up, settings, packs and their items."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.text import slugify

from accounts import throttle
from accounts.models import Bookmark, BookmarkTag, PackItem, StarterPack, User
from accounts.validators import validate_no_bidi_controls, validate_username_lookalikes


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="For password resets; never shown.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self) -> str:
        username = super().clean_username()
        if not username or self.has_error("username"):
            return username
        validate_username_lookalikes(
            username, taken=lambda name: User.objects.filter(username__iexact=name).exists()
        )
        return username

    def clean_email(self) -> str:
        # Never say whether an address is already in use: sign-up would tell anyone
        # who has an account here.
        return self.cleaned_data["email"].strip()


class LoginForm(AuthenticationForm):
    """Django's log-in form, with the per-username throttle of accounts.throttle."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not throttle.may_try_login(self.request, username):
            raise forms.ValidationError(
                "Too many failed log-ins for this account from several places. Wait a "
                "minute and try again, or reset your password.",
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if username and error.code == "invalid_login":
                throttle.login_failed(username)
            raise


class SettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "email")
        help_texts = {
            "display_name": "Shown on your public page and packs instead of your username."
        }

    def clean_email(self) -> str:
        # Never say whether another account uses an address (as on sign-up): a verified
        # one stays its owner's (accounts.views.settings_view), an unverified one is
        # only a claim until one of the accounts proves it (digests.services.verify).
        return self.cleaned_data["email"].strip()


class PackForm(forms.ModelForm):
    class Meta:
        model = StarterPack
        fields = ("title", "description", "visibility")
        widgets = {"description": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        help_texts = {"description": "What the pack is for and who it helps (plain text)."}

    def __init__(self, *args, owner: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def save(self, commit: bool = True) -> StarterPack:
        pack = super().save(commit=False)
        pack.owner = self.owner
        if not pack.slug:
            pack.slug = unique_slug(self.owner, pack.title)
        if commit:
            pack.save()
        return pack


def unique_slug(owner: User, title: str) -> str:
    base = slugify(title)[:100] or "pack"
    slug, n = base, 2
    while StarterPack.objects.filter(owner=owner, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class ExternalItemForm(forms.Form):
    external_title = forms.CharField(label="Title", max_length=200)
    external_url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", validators=[validate_no_bidi_controls]
    )
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemNoteForm(forms.ModelForm):
    class Meta:
        model = PackItem
        fields = ("note",)
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "maxlength": 500})}


class BookmarkNoteForm(forms.ModelForm):
    class Meta:
        model = Bookmark
        fields = ("note",)
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "maxlength": 1000})}
        labels = {"note": "Private note"}


class OpmlImportForm(forms.Form):
    file = forms.FileField(
        label="OPML file", help_text="Exported from any feed reader; 1 MB at most."
    )


class PackVisibilityForm(forms.ModelForm):
    """Only the visibility, changed from the pack page itself."""

    class Meta:
        model = StarterPack
        fields = ("visibility",)
        labels = {"visibility": "Who can see this pack"}


class ItemPlaceForm(forms.Form):
    """Where a dragged item lands: its new 0-based place in the pack."""

    position = forms.IntegerField(min_value=0, max_value=StarterPack.MAX_ITEMS - 1)


class BookmarkEditForm(forms.ModelForm):
    """A bookmark's private note and its tags, typed as a comma-separated list."""

    tag_names = forms.CharField(
        label="Tags",
        required=False,
        max_length=400,
        help_text="Comma-separated, e.g. “to read, diarization”.",
    )

    class Meta:
        model = Bookmark
        fields = ("note",)
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        labels = {"note": "Private note"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tag_names(self) -> list[tuple[str, str]]:
        """Distinct (name, slug) pairs in the order typed."""
        tags: dict[str, str] = {}
        for raw in self.cleaned_data["tag_names"].split(","):
            name = " ".join(raw.split())
            if not name:
                continue
            if len(name) > 40:
                raise forms.ValidationError("A tag can be 40 characters at most.")
            slug = slugify(name, allow_unicode=True)
            if not slug:
                raise forms.ValidationError(f"“{name}” has no letters or digits.")
            tags.setdefault(slug, name)
        if len(tags) > BookmarkTag.MAX_PER_BOOKMARK:
            raise forms.ValidationError(
                f"A bookmark can have {BookmarkTag.MAX_PER_BOOKMARK} tags at most."
            )
        return [(name, slug) for slug, name in tags.items()]

    def save(self, commit: bool = True) -> Bookmark:
        bookmark = super().save(commit=commit)
        if commit:
            tags = []
            for name, slug in self.cleaned_data["tag_names"]:
                tag, _ = BookmarkTag.objects.get_or_create(
                    user=bookmark.user, slug=slug, defaults={"name": name}
                )
                tags.append(tag)
            bookmark.tags.set(tags)
            # Tags no bookmark uses any more go away.
            BookmarkTag.objects.filter(user=bookmark.user, bookmarks__isnull=True).delete()
        return bookmark
