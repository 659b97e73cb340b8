"""Template helpers for the catalogue."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import format_html, format_html_join
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


@register.simple_tag
def facet_options(facet: dict) -> str:
    """A facet's checkboxes, built in Python: lists render once per option, fast."""
    if not facet["options"]:
        return format_html('<p class="muted">No values here.</p>')
    return format_html_join(
        "\n",
        '<div class="facet-option"><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{1}"{2}>'
        ' <label for="f-{0}-{1}">{3} <span class="count">{4}</span></label></div>',
        (
            (
                facet["name"],
                option["value"],
                mark_safe(" checked") if option["selected"] else "",  # noqa: S308 - constant
                option["label"],
                option["count"],
            )
            for option in facet["options"]
        ),
    )
