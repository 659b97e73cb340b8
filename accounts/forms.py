"""Forms for members: sign-up, settings, packs and their items."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.text import slugify

from accounts import throttle
from accounts.models import Bookmark, PackItem, StarterPack, User
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
        email = self.cleaned_data["email"].strip()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise forms.ValidationError("Another account uses this e-mail address.")
        return email


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
