"""Template tags of the catalogue: registrations of :mod:`catalogue.fragments`."""

from django import template
from django.utils.safestring import SafeString

from catalogue import fragments

register = template.Library()

register.filter("markdown", fragments.markdown_html)
register.simple_tag(fragments.facet_options, name="facet_options")
register.filter("popularity", fragments.popularity)


@register.simple_tag(takes_context=True)
def resource_card(context, resource) -> SafeString:
    return fragments.resource_card(context["request"], resource)
