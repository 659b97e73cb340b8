"""Template helpers for the catalogue."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li",
    "blockquote", "h3", "h4", "hr",
}  # fmt: skip


@register.filter
def markdown(text: str) -> SafeString:
    """Render curator- or member-written Markdown, sanitised with nh3."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    clean = nh3.clean(html, tags=ALLOWED_TAGS, link_rel="nofollow noopener")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
