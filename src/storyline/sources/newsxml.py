"""The news industry's XML: NITF, NewsML-G2 and the Reuters corpus' ``newsitem``.

Why: the collections researchers build timelines from are shipped in these, not as web pages.
The New York Times Annotated Corpus (1.8 million articles, 1987-2007) is one NITF file per
article; Reuters' RCV1 and RCV2 are one ``<newsitem>`` file per story; wire services (AP,
Reuters, AFP) deliver NewsML-G2, whose ``newsItem`` carries the story as NITF or XHTML, and a
``newsMessage`` several of them. A ``.xml`` file went to the feed reader, which skipped all of
these as "XML, but not an RSS or Atom feed".

Each is read by its own fields, namespaces ignored (NewsML-G2 has had several):

- NITF: the headline (``hedline/hl1``, else the ``<title>``), the publication date
  (``pubdata/@date.publication``, ``date.issue``, or the NYT corpus' ``publication_year``,
  ``_month`` and ``_day_of_month`` meta), the text of ``body.content`` paragraph by paragraph
  (the NYT's ``full_text`` block only, not its ``lead_paragraph`` block that repeats it), the
  outlet (``pubdata/@name``, ``doc.copyright/@holder``) and the address (``pubdata/@ex-ref``);
- ``newsitem`` (RCV1): ``headline``, ``@date``, ``text/p``, ``copyright``'s holder is not
  kept (the outlet is Reuters: "Reuters" when the copyright says so);
- NewsML-G2: each ``newsItem`` of the file is an article (``export.xml#item 2`` when there
  are several), its ``contentMeta/headline``, its first of ``firstCreated``,
  ``contentCreated`` and ``versionCreated``, its ``contentSet`` text (inline NITF or XHTML).

Dates are ``given`` (the publisher's own field). DTDs are never fetched or loaded.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import clean, language_code
from storyline.sources.imports import require

_ROOT = re.compile(r"<(?:[\w.-]+:)?(nitf|newsitem|newsItem|newsMessage)[\s>/]")
_DECLARED = re.compile(r"""(\A\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*(["'])""")
_COMPACT_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{4,6})?")
_REUTERS = re.compile(r"\breuters\b", re.IGNORECASE)


def kind(text: str) -> str | None:
    """``nitf``, ``newsitem``, ``newsItem`` or ``newsMessage`` when the document's root is one
    (looked for in its head, after the declaration, DOCTYPE and comments), else None."""
    head = text[:4096]
    head = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.DOTALL)
    found = _ROOT.match(head.lstrip())
    return found.group(1) if found else None


def read_news_xml(text: str, source: str, options: ReadOptions | None = None) -> Reader:
    """Every article of a NITF, RCV1 or NewsML-G2 document, or why one was skipped."""
    options = options or ReadOptions()
    etree = require("lxml.etree", needed_for="reading NITF and NewsML files")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    data = _DECLARED.sub(r"\1utf-8\2", text, count=1).encode("utf-8", "replace")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        yield Problem("skipped", source, f"not well-formed XML ({exc})")
        return
    name = _local(root)
    if name == "nitf":
        yield _checked(_nitf(root, source), options)
    elif name == "newsitem":
        yield _checked(_newsitem(root, source), options)
    else:
        items = [e for e in root.iter() if _local(e) == "newsItem"]
        if not items:
            yield Problem("skipped", source, "a NewsML message without a newsItem")
        for number, item in enumerate(items, start=1):
            where = source if len(items) == 1 else f"{source}#item {number}"
            yield _checked(_g2_item(item, where), options)


def _checked(article: RawArticle | Problem, options: ReadOptions) -> RawArticle | Problem:
    if isinstance(article, Problem):
        return article
    if len(article.text) < options.config.min_article_chars:
        return Problem("skipped", article.source, "no article text in this news item")
    limit = options.config.max_article_bytes
    if len(article.text.encode("utf-8")) > limit:
        return Problem("skipped", article.source, f"article text is over the {limit:,}-byte limit")
    return article


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(element: Any, *path: str) -> list[Any]:
    """Descendants along ``path`` (each step any depth below the last), namespaces ignored."""
    found = [element]
    for step in path:
        found = [e for parent in found for e in parent.iter() if e is not parent]
        found = [e for e in found if _local(e) == step]
    return found


def _first(element: Any, *path: str) -> Any | None:
    found = _all(element, *path)
    return found[0] if found else None


def _words(element: Any | None) -> str | None:
    if element is None:
        return None
    text = " ".join(clean("".join(element.itertext())).split())
    return text or None


def _paragraphs(container: Any | None) -> str:
    """The text of a body, a paragraph (``p``, else each child block) per paragraph."""
    if container is None:
        return ""
    paragraphs = [_words(p) for p in _all(container, "p")]
    if not any(paragraphs):
        paragraphs = [_words(child) for child in container]
    if not any(paragraphs):
        paragraphs = [_words(container)]
    return "\n\n".join(p for p in paragraphs if p)


def _stamp(value: str | None) -> date | None:
    """A date from ISO 8601 or NITF's compact ``19870101T000000``."""
    if not value:
        return None
    compact = _COMPACT_STAMP.match(value.strip())
    if compact and "-" not in value:
        value = "-".join(compact.groups())
    published, _ = parse_timestamp(value)
    return published


def _nitf(root: Any, source: str) -> RawArticle:
    content = _first(root, "body.content")
    blocks = _all(content, "block") if content is not None else []
    full = [b for b in blocks if b.get("class") == "full_text"]
    text = "\n\n".join(_paragraphs(b) for b in full) if full else _paragraphs(content)
    article = RawArticle(text=text, source=source)
    article.title = _words(_first(root, "hedline", "hl1")) or _words(_first(root, "title"))
    pubdata = _first(root, "pubdata")
    published = None
    if pubdata is not None:
        published = _stamp(pubdata.get("date.publication"))
        article.source_name = pubdata.get("name") or None
        address = pubdata.get("ex-ref") or ""
        article.url = address if address.startswith(("http://", "https://")) else None
    if published is None:
        issue = _first(root, "date.issue")
        published = _stamp(issue.get("norm") if issue is not None else None)
    if published is None:
        published = _nyt_meta_date(root)
    if published is not None:
        article.published, article.date_source = published, "given"
    if article.source_name is None:
        holder = _first(root, "doc.copyright")
        article.source_name = holder.get("holder") if holder is not None else None
    language = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    article.language = language_code(language) if language else None
    return article


def _nyt_meta_date(root: Any) -> date | None:
    """The NYT corpus' ``<meta name="publication_year" content="1987"/>`` and its siblings."""
    meta = {m.get("name"): m.get("content") for m in _all(root, "meta")}
    try:
        return date(
            int(meta["publication_year"]),
            int(meta["publication_month"]),
            int(meta["publication_day_of_month"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _newsitem(root: Any, source: str) -> RawArticle:
    article = RawArticle(text=_paragraphs(_first(root, "text")), source=source)
    article.title = _words(_first(root, "headline")) or _words(_first(root, "title"))
    published = _stamp(root.get("date"))
    if published is not None:
        article.published, article.date_source = published, "given"
    copyright_line = _words(_first(root, "copyright")) or ""
    article.source_name = "Reuters" if _REUTERS.search(copyright_line) else None
    language = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    article.language = language_code(language) if language else None
    return article


def _g2_item(item: Any, source: str) -> RawArticle | Problem:
    content_set = _first(item, "contentSet")
    if content_set is None:
        return Problem("skipped", source, "a newsItem without content (no contentSet)")
    nitf = _first(content_set, "nitf")
    if nitf is not None:
        text = _paragraphs(_first(nitf, "body.content"))
    else:
        body = _first(content_set, "body")
        text = _paragraphs(body if body is not None else _first(content_set, "inlineXML"))
        if not text:
            text = _words(_first(content_set, "inlineData")) or ""
    article = RawArticle(text=text, source=source)
    article.title = _words(_first(item, "contentMeta", "headline"))
    if article.title is None and nitf is not None:
        article.title = _words(_first(nitf, "hedline", "hl1"))
    for field in ("firstCreated", "contentCreated", "versionCreated"):
        published = _stamp(_words(_first(item, field)))
        if published is not None:
            article.published, article.date_source = published, "given"
            break
    provider = _first(item, "itemMeta", "provider")
    if provider is not None:
        article.source_name = _words(_first(provider, "name")) or provider.get("literal") or None
    language = _first(item, "contentMeta", "language")
    if language is not None:
        article.language = language_code(language.get("tag"))
    return article
