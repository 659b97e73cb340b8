"""The digest's text and HTML parts, built in Python.

A digest lists dozens of posts and 10,000 of them go out in a run: the template engine
cost more per digest than the rest of the rendering (see ``docs/performance.md``), so
the digest is built here with plain string joins. Every value from the database is
escaped in the HTML part with ``html.escape``, which is what autoescaping calls
(without the lazy-string wrapper, a measurable cost at 40 calls a digest). The
low-volume mails (reminders, verification, notices) keep their templates.
"""

from __future__ import annotations

from html import escape

from django.utils.dateformat import format as date_format

LINK = 'style="color:#0b5cad;"'
H2 = '<h2 style="font-size:18px;margin:24px 0 8px;">'
UL = '<ul style="margin:0;padding-left:20px;">'
H3 = '<h3 style="font-size:16px;margin:16px 0 4px;color:#1f2328;">'
LI = '<li style="margin:4px 0;">'


def _edition_dates(edition) -> str:
    text = date_format(edition.start_date, "j M Y")
    if edition.end_date and edition.end_date != edition.start_date:
        text += "–" + date_format(edition.end_date, "j M Y")
    return text


def _edition_place(edition) -> list[str]:
    return [part for part in (edition.city, edition.country) if part]


def digest_text(content, *, frequency: str, site_url: str, footer: str) -> str:
    out = [f"ASR Hub — your {'daily' if frequency == 'daily' else 'weekly'} digest\n"]
    if content.groups:
        out.append("\nNEW POSTS FROM WHAT YOU FOLLOW\n")
        for group in content.groups:
            out.append(f"\n{group.resource.title}\n")
            out.extend(f"- {post.title}\n  {post.url}\n" for post in group.posts)
            if group.more:
                out.append(f"  … and {group.more} more: {group.more_url}\n")
    if content.deadlines:
        out.append("\nUPCOMING DEADLINES\n")
        for d in content.deadlines:
            url = site_url + d.edition.event.get_absolute_url()
            out.append(f"- {d.edition} — {d.display_label}: {d.when}\n  {url}\n")
    if content.editions:
        out.append("\nCOMING UP\n")
        for e in content.editions:
            place = "".join(", " + part for part in _edition_place(e))
            url = site_url + e.event.get_absolute_url()
            out.append(f"- {e}: {_edition_dates(e)}{place}\n  {url}\n")
    out.append(f"\n{footer}\n")
    return "".join(out)


def digest_html(content, *, frequency: str, site_url: str, footer: str) -> str:
    which = "daily" if frequency == "daily" else "weekly"
    out = [
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width"><title>ASR Hub digest</title></head>\n'
        '<body style="margin:0;padding:0;background:#ffffff;">\n'
        '<div style="max-width:640px;margin:0 auto;padding:16px;font-family:-apple-system,'
        "'Segoe UI',Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;\">\n"
        f'<h1 style="font-size:22px;margin:0 0 16px;">ASR Hub — your {which} digest</h1>\n'
    ]
    if content.groups:
        out.append(f"{H2}New posts from what you follow</h2>\n")
        for group in content.groups:
            title = escape(group.resource.title)
            out.append(f"{H3}{title}</h3>\n")
            out.append(UL + "\n")
            out.extend(
                f'{LI}<a href="{escape(post.url)}" {LINK}>{escape(post.title)}</a></li>\n'
                for post in group.posts
            )
            out.append("</ul>\n")
            if group.more:
                out.append(
                    f'<p style="margin:4px 0 0;font-size:14px;"><a href="{escape(group.more_url)}"'
                    f" {LINK}>… and {group.more} more from {title}</a></p>\n"
                )
    if content.deadlines:
        out.append(f"{H2}Upcoming deadlines</h2>\n{UL}\n")
        for d in content.deadlines:
            url = escape(site_url + d.edition.event.get_absolute_url())
            out.append(
                f'{LI}<a href="{url}" {LINK}>{escape(str(d.edition))}</a> — '
                f"{escape(str(d.display_label))}: <strong>{escape(d.when)}</strong></li>\n"
            )
        out.append("</ul>\n")
    if content.editions:
        out.append(f"{H2}Coming up</h2>\n{UL}\n")
        for e in content.editions:
            place = "".join(", " + escape(part) for part in _edition_place(e))
            url = escape(site_url + e.event.get_absolute_url())
            name = escape(str(e))
            out.append(f'{LI}<a href="{url}" {LINK}>{name}</a>: {_edition_dates(e)}{place}</li>\n')
        out.append("</ul>\n")
    out.append(footer + "\n</div>\n</body>\n</html>\n")
    return "".join(out)
