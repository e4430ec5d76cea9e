"""E-mail: a saved message (``.eml``) or a mailbox of many (``.mbox``), one article a message.

Why: press releases, wire alerts and newsletters reach journalists and analysts by e-mail,
and a mailbox is how they keep them (Gmail's Takeout and Thunderbird export ``.mbox``; a mail
program saves one message as ``.eml``). Both were skipped as unsupported suffixes.

A message is read by the standard library's ``email`` package: its subject is the title, its
``Date`` header the publication date (date source ``metadata``: when it was sent, as a feed's
date is when the entry was posted; its day in the sender's time zone), its sender's name (else
the domain of its address) the outlet, and its text part the text (the HTML part, turned into
paragraphs, when it has no text part). Lines quoted from an earlier message (``>``) are left
out, and a plain part's lines are joined into its paragraphs (mail wraps lines at 72
characters). A mailbox is read as a stream, a message at a time, so a Takeout of gigabytes is
not held in memory; each is named ``inbox.mbox#message 3``. Attachments are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from io import BufferedIOBase

from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.feed import html_to_text
from storyline.sources.fields import clean

_FROM_LINE = b"From "
_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_PARSER = BytesParser(policy=policy.default)
_PARSE_ERRORS = (LookupError, UnicodeError, ValueError, TypeError, IndexError, AttributeError)
"""What the ``email`` package raises on a damaged message or an unknown charset."""


def read_eml(
    stream: BufferedIOBase,
    source: str,
    options: ReadOptions | None = None,
    limit: int | None = None,
    *,
    encoding: str = "utf-8",
) -> Reader:
    """One saved message as an article (``encoding`` is unused: MIME names each part's)."""
    options = options or ReadOptions()
    cap = options.config.max_file_bytes
    data = stream.read(cap + 1)
    if len(data) > cap:
        yield Problem("skipped", source, f"over the {cap:,}-byte limit (ingest.max_file_bytes)")
        return
    yield message_article(data, source, options)


def read_mbox(
    stream: BufferedIOBase,
    source: str,
    options: ReadOptions | None = None,
    limit: int | None = None,
    *,
    encoding: str = "utf-8",
) -> Reader:
    """Every message of a mailbox, read one at a time from the stream."""
    options = options or ReadOptions()
    cap = options.config.max_file_bytes
    found = False
    for number, (lines, size) in enumerate(_messages(stream, cap), start=1):
        found = True
        where = f"{source}#message {number}"
        if size > cap:
            yield Problem(
                "skipped", where, f"{size:,}+ bytes, over the {cap:,}-byte limit (attachments?)"
            )
            continue
        yield message_article(b"".join(lines), where, options)
    if not found:
        yield Problem("skipped", source, "not a mailbox: no line starts a message ('From ')")


def _messages(stream: BufferedIOBase, cap: int) -> Iterator[tuple[list[bytes], int]]:
    """Each message's lines (its ``From`` line left out, ``>From`` unescaped) and its size;
    a message over ``cap`` keeps no lines, only its size."""
    lines: list[bytes] = []
    size = 0
    started = False
    for line in stream:
        if line.startswith(_FROM_LINE):
            if started:
                yield lines, size
            lines, size, started = [], 0, True
            continue
        if not started:
            continue  # text before the first message: not part of any
        size += len(line)
        if size > cap:
            lines = []
        else:
            lines.append(_ESCAPED_FROM.sub(rb"\1", line))
    if started:
        yield lines, size


def message_article(data: bytes, where: str, options: ReadOptions) -> RawArticle | Problem:
    """A message's bytes as an article, or why not."""
    try:
        message = _PARSER.parsebytes(data)
        assert isinstance(message, EmailMessage)
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return Problem("skipped", where, "a message without a text or HTML part")
        content = part.get_content()
        subject = message["subject"]
        sent = message["date"]
        sender = message["from"]
    except _PARSE_ERRORS as exc:
        what = " ".join(str(exc).split())[:160]
        return Problem("skipped", where, f"not a readable e-mail message ({what})")
    if not isinstance(content, str):
        return Problem("skipped", where, "its text part is not text")
    html = part.get_content_subtype() == "html"
    text = clean(html_to_text(content)) if html else _plain(clean(content))
    if len(text) < options.config.min_article_chars:
        return Problem("skipped", where, "no article text in the message")
    if len(text.encode("utf-8")) > options.config.max_article_bytes:
        return Problem(
            "skipped", where, f"text over the {options.config.max_article_bytes:,}-byte limit"
        )
    article = RawArticle(text=text, source=where)
    if subject is not None:
        article.title = " ".join(str(subject).split()) or None
    if sent is not None:
        try:
            article.published = parsedate_to_datetime(str(sent)).date()
            article.date_source = "metadata"
        except (TypeError, ValueError, IndexError):
            article.warnings.append(f"Date header {str(sent)[:60]!r} is not a date: not used")
    article.source_name = _sender(sender)
    return article


def _plain(content: str) -> str:
    """A plain part's paragraphs, each on one line, quoted lines and signatures left out."""
    body = content.split("\n-- \n", 1)[0]  # the signature separator
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(body.replace("\r\n", "\n")):
        lines = [ln.strip() for ln in block.split("\n") if not ln.lstrip().startswith(">")]
        paragraph = " ".join(ln for ln in lines if ln)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _sender(header: object) -> str | None:
    """The sender's display name, else the domain of its address."""
    if header is None:
        return None
    addresses = getattr(header, "addresses", ())
    if addresses and isinstance(addresses[0], Address):
        first = addresses[0]
        return first.display_name or first.domain or None
    name, address = parseaddr(str(header))
    return name or address.rpartition("@")[2] or None
