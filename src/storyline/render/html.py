"""One self-contained HTML file: inline CSS, no scripts, fonts or requests, so it opens offline.

Every piece of text is escaped (news text and titles are untrusted input), and each sentence
links to its article (URL, or the file it was read from) through :func:`_cite.link`, which only
lets http(s), file and path links through.
"""

from __future__ import annotations

from html import escape

from storyline.records import Citation, Entry, Timeline
from storyline.render._cite import (
    CAPTION_SOURCE,
    EXPECTED_LABEL,
    describe,
    link,
    provenance,
    sorted_entries,
)

__all__ = ["render"]

_CSS = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
.meta { color: #666; font-size: .85rem; margin-bottom: 2rem; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid #c8d3e0; }
li.entry { position: relative; padding: 0 0 1.2rem 1.4rem; }
li.entry::before { content: ""; position: absolute; left: -.55rem; top: .45rem; width: .8rem;
       height: .8rem; border-radius: 50%; background: #3a6ea5; }
li.entry.expected::before { background: #fff; border: 2px dashed #b7791f; }
time { font: bold .95rem system-ui, sans-serif; color: #3a6ea5; }
.badge { font: bold .7rem system-ui, sans-serif; text-transform: uppercase; color: #7a5200;
       background: #fdf0d5; border: 1px solid #e8c77c; border-radius: .3rem; padding: 0 .35rem;
       margin-left: .5rem; }
.badge.person { color: #1f5130; background: #e1f3e6; border-color: #8cc49d; }
li.caption { font-style: italic; }
ul.sentences { margin: .3rem 0 0; padding-left: 1.1rem; }
cite { display: block; font: .8rem system-ui, sans-serif; color: #666; font-style: normal; }
a { color: inherit; }
"""


def _sentence(c: Citation) -> str:
    href = link(c)
    source = escape(describe(c))
    if href:
        source = f'<a href="{escape(href, quote=True)}">{source}</a>'
    return f"<li>{escape(' '.join(c.text.split()))}<cite>{source}</cite></li>"


def _entry(entry: Entry) -> str:
    classes = "entry expected" if entry.expected else "entry"
    badge = f'<span class="badge">{EXPECTED_LABEL}</span>' if entry.expected else ""
    if (who := provenance(entry)) is not None:
        badge += f'<span class="badge person">{escape(who)}</span>'
    items = "\n".join(_sentence(c) for c in entry.sentences)
    if entry.caption is not None:
        caption = escape(" ".join(entry.caption.split()))
        items = f'<li class="caption">{caption}<cite>{CAPTION_SOURCE}</cite></li>\n' + items
    return (
        f'<li class="{classes}" data-provenance="{escape(entry.provenance, quote=True)}">'
        f'<time datetime="{entry.label}">{entry.label}</time>{badge}\n'
        f'<ul class="sentences">\n{items}\n</ul></li>'
    )


def render(timeline: Timeline) -> str:
    """The whole page as one string."""
    title = escape(timeline.title or "Timeline")
    entries = sorted_entries(timeline.entries)
    body = "\n".join(_entry(e) for e in entries) if entries else "<li>No entries.</li>"
    n = sum(len(e.sentences) for e in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{len(entries)} dates · {n} cited sentences</p>
<ol class="timeline">
{body}
</ol>
</body>
</html>
"""
