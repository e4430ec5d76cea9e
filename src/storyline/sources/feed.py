"""RSS and Atom feeds with feedparser: one article per entry.

Why feedparser: it reads every RSS dialect and Atom, tolerates the malformed XML feeds are
known for, and sanitises entry HTML. It is given the bytes of the file, never a URL, so
nothing is fetched. An entry's text is its full content when the feed carries it, else its
summary, turned from HTML into paragraphs of plain text. Its date (published, else updated)
is ``metadata``, and its day is taken in the time zone the feed wrote it in: feedparser's own
parsed dates are converted to UTC, so the raw string is read instead.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from storyline.sources import newsxml
from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import clean, language_code
from storyline.sources.imports import require

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "tr", "table", "pre", "hr", "figure",
}  # fmt: skip
_SKIPPED = {"script", "style", "noscript"}
_DECLARED = re.compile(r"""(\A\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*(["'])""")


class _TextOf(HTMLParser):
    """Plain text of an HTML fragment: block elements become paragraph breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Paragraphs of plain text from an HTML fragment, whitespace folded within each."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _entry_text(entry: Any) -> str:
    candidates = [c for c in entry.get("content", []) if c.get("value")]
    if not candidates and entry.get("summary"):
        candidates = [entry.get("summary_detail") or {"value": entry.summary, "type": "text/html"}]
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: len(c.get("value", "")))
    value = str(best.get("value", ""))
    if "html" in str(best.get("type", "text/html")):
        return clean(html_to_text(value))
    return clean(value.strip())


def _entry_article(entry: Any, source: str, limit: int) -> RawArticle | Problem:
    text = _entry_text(entry)
    if not text:
        return Problem("skipped", source, "feed entry has no content or summary")
    size = len(text.encode("utf-8"))
    if size > limit:
        return Problem("skipped", source, f"entry text of {size:,} bytes is over the article limit")
    title = html_to_text(entry.get("title", "")) or None
    link = str(entry.get("link") or "")
    article = RawArticle(
        text=text,
        source=source,
        title=title,
        url=link if link.startswith(("http://", "https://")) else None,
    )
    for field in ("published", "updated", "created"):
        if entry.get(field):
            published, problem = parse_timestamp(entry.get(field))
            if published is not None:
                article.published, article.date_source = published, "metadata"
                break
            if problem:
                article.warnings.append(f"{field}: {problem}")
    detail = entry.get("title_detail") or entry.get("summary_detail") or {}
    article.language = language_code(detail.get("language"))
    return article


def read_feed(
    text: str, source: str, path: Path | None = None, options: ReadOptions | None = None
) -> Reader:
    """Every entry of an RSS/Atom feed; a file that is not a feed is skipped, saying why. The
    news industry's XML (NITF, NewsML-G2, Reuters' newsitem) is read by :mod:`.newsxml`."""
    if newsxml.kind(text) is not None:
        yield from newsxml.read_news_xml(text, source, options)
        return
    feedparser = require("feedparser", needed_for="reading RSS and Atom feeds")
    # the text is decoded already (in the charset the file declared): tell feedparser UTF-8
    data = _DECLARED.sub(r"\1utf-8\2", text, count=1).encode("utf-8", "replace")
    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except (ValueError, TypeError, RecursionError, LookupError, AttributeError) as exc:
        yield Problem("skipped", source, f"cannot parse the feed ({type(exc).__name__}: {exc})")
        return
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        why = f"not XML ({reason})" if reason else "XML, but not an RSS or Atom feed"
        yield Problem("skipped", source, f"not a feed: {why}")
        return
    if not parsed.entries:
        yield Problem("skipped", source, "a feed with no entries")
        return
    limit = (options or ReadOptions()).config.max_article_bytes
    site = parsed.feed.get("title") or None
    feed_language = language_code(parsed.feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        item = _entry_article(entry, f"{source}#item {number}", limit)
        if isinstance(item, RawArticle):
            item.source_name = site
            item.language = item.language or feed_language
        yield item
