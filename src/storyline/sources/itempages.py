"""Pages that hold several news items, each under its outlet's name and its own title.

Why: an aggregator's page scraped as one article (news-please on Yahoo Finance, 2020) often
holds no article of its own but a stream of other outlets' items, each as three parts: a line
with the outlet's name ("TipRanks", "Bloomberg"), a line with the item's title, then its text.
The record's title usually names yet another article, which is not in the text at all. Read
as one article, such a page ties unrelated companies into one story (on finance-news 2019–20,
one story of 273 such pages, labelled "Strong Buy · Wall Street · TipRanks"), and a timeline
cites a Bloomberg sentence under a title it never had. Read as its items, each is an article
with its own title and outlet, and an item that many pages repeat is stored once (an exact
duplicate).

What counts as such a page (shape only, no list of outlets, so that it holds for aggregators
we have not seen): its text opens with an item, and holds at least two, each

- an outlet line: one to four words, at most 40 characters, starting with a capital letter or
  a digit, ending in no punctuation and not in a number, with no ``:``, ``@`` or ``/`` (a
  name, not a sentence, a byline "By …", a caption's "Figure 1" or an "Email: …" line);
- a title line: 2 to 30 words, not ending in a full stop (a headline, not a sentence), and no
  two items under the same title (an article's sections repeat theirs: "What does it do?");
- its text: the lines up to the next item, at least :data:`MIN_ITEM_WORDS` words, opening with
  a line of at least :data:`MIN_OPENING_WORDS` words (a paragraph, not a subheading).

A text with fewer than two such items, or with one item too short, is left whole: an ordinary
article with subheadings ("What happened" and a paragraph) has no title line between them.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_ITEM_WORDS = 40
"""An item's text is at least this many words (a short teaser is not split off)."""

MIN_OPENING_WORDS = 20
"""The first line of an item's text is at least this many words: a paragraph."""

_MAX_OUTLET_WORDS = 4
_MAX_OUTLET_CHARS = 40
_MAX_TITLE_WORDS = 30
_MAX_TITLE_CHARS = 300
_HEAD_CHARS = 4000  # an outlet line, a title line and well over 20 words of a paragraph


@dataclass(frozen=True, slots=True)
class Item:
    """One item of a page: the outlet it is credited to, its title and its text."""

    outlet: str
    title: str
    text: str


def _outlet_like(line: str) -> bool:
    words = line.split()
    return (
        1 <= len(words) <= _MAX_OUTLET_WORDS
        and len(line) <= _MAX_OUTLET_CHARS
        and (line[0].isupper() or line[0].isdigit())
        and line[-1].isalnum()
        and not words[-1].isdigit()  # "Figure 1", "Table 2": a caption's label
        and not any(mark in line for mark in ":@/")  # "Email: …", an address
        and words[0].lower() != "by"
    )


def _title_like(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= _MAX_TITLE_WORDS and len(line) <= _MAX_TITLE_CHARS and line[-1] != "."


def _starts(lines: list[str], at: int) -> bool:
    """Whether an item starts at ``lines[at]``: outlet line, title line, an opening paragraph."""
    return (
        at + 2 < len(lines)
        and _outlet_like(lines[at])
        and _title_like(lines[at + 1])
        and len(lines[at + 2].split()) >= MIN_OPENING_WORDS
    )


def page_items(text: str) -> list[Item] | None:
    """The items of a page of several outlets' items, or None when ``text`` is not one.

    An item's text is its lines, each stripped, blank ones dropped, joined by newlines: what is
    stored as the item's article, which its citations then quote verbatim."""
    # Most texts are decided by their first lines: an outlet line and a title line are short,
    # so the head holds them and enough of the paragraph after them to count its words.
    head = [line.strip() for line in text[:_HEAD_CHARS].split("\n") if line.strip()]
    if not _starts(head, 0):
        return None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    starts = [0]
    at = 3
    while at < len(lines):
        if _starts(lines, at):
            starts.append(at)
            at += 3
        else:
            at += 1
    if len(starts) < 2:
        return None
    titles = [lines[begin + 1] for begin in starts]
    if len(set(titles)) < len(titles):
        return None  # "Gemini" / "What does it do?" twice: an article's sections, not items
    items = []
    for begin, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        body = "\n".join(lines[begin + 2 : end])
        if len(body.split()) < MIN_ITEM_WORDS:
            return None  # one item too short to be an article: not a page of items
        items.append(Item(lines[begin], lines[begin + 1], body))
    return items


__all__ = ["MIN_ITEM_WORDS", "MIN_OPENING_WORDS", "Item", "page_items"]
