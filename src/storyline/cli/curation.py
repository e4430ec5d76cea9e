"""Commands of the curation area: ``story …``, ``entry …``, ``article …``, ``edits``, ``undo``.

Thin shells over the ``Corpus`` curation methods (:mod:`storyline.curation.edits`): each parses
its arguments, makes one edit as the OS user, and prints the edit (one line, or its JSON form
with ``--json``). A bad id or date is one line on stderr and exit 1.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from storyline.cli.app import DEFAULT_DB, DbOption, JsonOption, app, console, print_json
from storyline.corpus import Corpus
from storyline.curation.model import Edit, parse_sentence_ref
from storyline.timeline.choices import on_timeline

story_app = typer.Typer(
    help="Edit stories: merge, split, move, rename, exclude.", no_args_is_help=True
)
entry_app = typer.Typer(
    help="Edit a story's timeline entries: pin, drop, swap, add, caption.", no_args_is_help=True
)
article_app = typer.Typer(help="Edit articles: set-date, delete, replace.", no_args_is_help=True)
app.add_typer(story_app, name="story")
app.add_typer(entry_app, name="entry")
app.add_typer(article_app, name="article")

StoryArg = Annotated[str, typer.Argument(help="A story id (see storyline stories).")]
ArticleArg = Annotated[str, typer.Argument(help="An article id (see storyline articles).")]
DateArg = Annotated[str, typer.Argument(help="The entry's date: YYYY-MM-DD, YYYY-MM or YYYY.")]
SentenceOption = Annotated[
    str, typer.Option("--sentence", help="ARTICLE_ID:N, the sentence N (from 0) of an article.")
]


def _done(edit: Edit, as_json: bool) -> None:
    if as_json:
        print_json(edit.as_dict())
        return
    console.print(f"edit {edit.id}: {escape(edit.describe())}", highlight=False)


# --- stories -----------------------------------------------------------------------------------
@story_app.command("merge")
def story_merge(
    a: StoryArg, b: StoryArg, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """Merge two stories; the larger keeps its id."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.merge_stories(a, b), as_json)


@story_app.command("split")
def story_split(
    story: StoryArg,
    articles: Annotated[
        list[str] | None,
        typer.Option("--articles", help="Articles that leave (repeatable).", show_default=False),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Articles from this day (YYYY-MM-DD) on leave.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Split a story by chosen articles or at a date (the earliest article's part keeps the id)."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.split_story(story, articles=articles, at=at), as_json)


@story_app.command("move")
def story_move(
    article: ArticleArg,
    to: Annotated[str, typer.Option("--to", help="The story it goes to.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Move an article to another story."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.move_article(article, to), as_json)


@story_app.command("rename")
def story_rename(
    story: StoryArg,
    label: Annotated[str, typer.Argument(help="The new label.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Give a story a label of your own."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.rename_story(story, label), as_json)


@story_app.command("exclude")
def story_exclude(
    article: ArticleArg, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """Keep an article out of every story (it stays stored)."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.exclude_article(article), as_json)


# --- timeline entries ----------------------------------------------------------------------------
@entry_app.command("pin")
def entry_pin(
    story: StoryArg, when: DateArg, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """Keep an entry as it is through every recomputation."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.pin_entry(story, when), as_json)


@entry_app.command("drop")
def entry_drop(
    story: StoryArg, when: DateArg, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """Remove an entry; it stays removed."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.drop_entry(story, when), as_json)


@entry_app.command("swap")
def entry_swap(
    story: StoryArg,
    when: DateArg,
    sentence: SentenceOption,
    position: Annotated[
        int, typer.Option("--position", min=0, help="Which of the entry's sentences (from 0).")
    ] = 0,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Put another sentence of the story's articles in place of an entry's sentence."""
    article_id, index = parse_sentence_ref(sentence)
    with Corpus(db, create=False) as corpus:
        _done(corpus.swap_entry(story, when, article_id, index, position), as_json)


@entry_app.command("add")
def entry_add(
    story: StoryArg,
    when: DateArg,
    sentence: SentenceOption,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Add a date to the timeline with a sentence from any article."""
    article_id, index = parse_sentence_ref(sentence)
    with Corpus(db, create=False) as corpus:
        _done(corpus.add_entry(story, when, article_id, index), as_json)


@entry_app.command("caption")
def entry_caption(
    story: StoryArg,
    when: DateArg,
    text: Annotated[str, typer.Argument(help="What happened, in your own words.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Say what happened on a date in your own words (marked as yours, citing nothing)."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.caption_entry(story, when, text), as_json)


@entry_app.command("candidates")
def entry_candidates(
    story: StoryArg, when: DateArg, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """List sentences of the story that could stand for a date (ARTICLE:N for entry swap),
    best first, leaving out those the date's entry already shows."""
    with Corpus(db, read_only=True) as corpus:
        shown = on_timeline(corpus.timeline(story=story), when)
        found = [
            c
            for c in corpus.sentence_choices(story, when)
            if (c.article_id, c.sentence_index) not in shown
        ]
    if as_json:
        print_json([c.as_dict() for c in found])
        return
    if not found:
        console.print(f"no other sentence of story {escape(story)} names {escape(when)}")
    for c in found:
        console.print(
            f"{c.article_id}:{c.sentence_index}  {escape(' '.join(c.text.split()))}",
            highlight=False,
        )


# --- articles ------------------------------------------------------------------------------------
@article_app.command("set-date")
def article_set_date(
    article: ArticleArg,
    when: Annotated[str, typer.Argument(help="The right date, YYYY-MM-DD.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Correct an article's date (its date source becomes `user`)."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.set_article_date(article, when), as_json)


@article_app.command("delete")
def article_delete(
    article: ArticleArg, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """Delete an article and what was derived from it (undo restores it)."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.delete_article(article), as_json)


@article_app.command("replace")
def article_replace(
    article: ArticleArg,
    file: Annotated[str, typer.Argument(help="A file holding the corrected article.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Replace an article by a corrected version of it (same URL); it keeps its story."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.replace_article(article, file), as_json)


# --- the log -------------------------------------------------------------------------------------
@app.command()
def edits(
    story: Annotated[
        str | None, typer.Option("--story", help="Only edits naming this story.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """List the edits, oldest first (undone ones say by which undo)."""
    with Corpus(db, read_only=True) as corpus:
        found = corpus.edits(story)
    if as_json:
        print_json([e.as_dict() for e in found])
        return
    if not found:
        console.print("no edits", highlight=False)
    for e in found:
        undone = f"  (undone by {e.undone_by})" if e.undone_by is not None else ""
        console.print(
            f"{e.id:>4}  {e.time}  {escape(e.author)}  {escape(e.describe())}{undone}",
            highlight=False,
        )


@app.command()
def undo(
    edit_id: Annotated[
        int, typer.Argument(help="The id of the edit to revert (see storyline edits).")
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Revert one edit, unless a later edit touches the same stories, entries or articles."""
    with Corpus(db, create=False) as corpus:
        _done(corpus.undo(edit_id), as_json)
