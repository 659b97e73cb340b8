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


@register.simple_tag(takes_context=True)
def resource_card(context, resource) -> SafeString:
    """A resource's card in a result list, built in Python: twenty cards render in well
    under a millisecond, where the template took several. The same HTML as before:
    title link, kind badge, organisation, level, a non-active status, the highlighted
    snippet (or the summary) and the member's bookmark and pack controls."""
    from accounts.templatetags.account_tags import entry_actions

    meta = [format_html('<span class="badge">{}</span>', resource.get_kind_display())]
    if resource.organisation_id and resource.organisation:
        meta.append(format_html("<span>by {}</span>", resource.organisation.title))
    if resource.level:
        meta.append(format_html("<span>{}</span>", resource.get_level_display()))
    if resource.status != "active":
        meta.append(
            format_html('<span class="badge badge-warn">{}</span>', resource.get_status_display())
        )
    snippet = getattr(resource, "snippet_html", None)
    return format_html(
        '<article class="card">\n  <h3 class="card-title"><a href="{}">{}</a></h3>\n'
        '  <p class="card-meta">\n    {}\n  </p>\n'
        '  <p class="card-summary">{}</p>\n  {}\n</article>',
        resource.get_absolute_url(),
        resource.title,
        mark_safe("\n    ".join(meta)),  # noqa: S308 - each part built by format_html
        snippet or resource.summary,
        entry_actions(context, resource),
    )
