"""Does a resource's URL fit its kind? A hint for curators, never a hard rule.

A GitHub repository lives on github.com, a subreddit on reddit.com, an arXiv category
on arxiv.org… A URL elsewhere is usually a slip (the Hugging Face page pasted into a
repository entry), but mirrors and moved sites exist, so the admin warns and saves.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from catalogue.models import Resource

Kind = Resource.Kind

# Each kind that has a home: the hosts (and their subdomains) its URLs belong to.
EXPECTED_HOSTS: dict[str, tuple[str, ...]] = {
    Kind.ARXIV: ("arxiv.org",),
    Kind.REPOSITORY: ("github.com",),
    Kind.SUBREDDIT: ("reddit.com", "redd.it"),
    Kind.YOUTUBE: ("youtube.com", "youtu.be"),
    Kind.DISCORD: ("discord.gg", "discord.com"),
}
HOST_NAMES = {
    Kind.ARXIV: "arxiv.org",
    Kind.REPOSITORY: "github.com",
    Kind.SUBREDDIT: "reddit.com",
    Kind.YOUTUBE: "youtube.com",
    Kind.DISCORD: "discord.gg or discord.com",
}


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def on_host(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def url_kind_warning(kind: str, url: str) -> str:
    """A sentence for the curator when ``url`` is not where ``kind`` lives, else ""."""
    domains = EXPECTED_HOSTS.get(kind)
    if not domains or not url:
        return ""
    host = host_of(url)
    if on_host(host, domains):
        return ""
    label = Resource.Kind(kind).label
    return (
        f"The URL is on {host or 'no host'}, but a “{label}” usually lives on "
        f"{HOST_NAMES[kind]}. Check the kind and the URL (saved as entered)."
    )
