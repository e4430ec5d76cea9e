"""Commands that write and measure timelines: ``timeline`` and ``eval tls``.

Thin on purpose: parse options, call :meth:`storyline.corpus.Corpus.timeline` or
:func:`storyline.evaluate.tls_eval.run`, render. Errors are library exceptions that
:func:`storyline.cli.main` prints as one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from storyline.cli.app import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    app,
    console,
    err_console,
    eval_app,
    parse_day,
    print_json,
)
from storyline.corpus import Corpus
from storyline.render import FORMATS, render
from storyline.render.terminal import renderable


@app.command()
def timeline(
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Only articles matching this search.")
    ] = None,
    story: Annotated[
        str | None, typer.Option("--story", help="The timeline of this story (see `stories`).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="First date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")] = None,
    dates: Annotated[
        int | None,
        typer.Option("--dates", "-L", min=1, help="How many dates (default: from the data)."),
    ] = None,
    per_date: Annotated[
        int | None,
        typer.Option("--per-date", "-K", min=1, help="Sentences per date (default 2)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")
    ] = "terminal",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write a timeline: the dates that matter and the cited sentences that say what happened."""
    with Corpus(db, read_only=True) as corpus:
        result = corpus.timeline(
            query=query,
            story=story,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            dates=dates,
            per_date=per_date,
        )
    note = result.parameters.get("note")
    if note:
        err_console.print(f"empty timeline: {escape(str(note))}", highlight=False)
    capped = result.parameters.get("capped")
    if capped:
        err_console.print(
            f"built from a sample of {capped['used']:,} of the story's {capped['in_story']:,} "
            "articles (setting timeline.story_max_articles)",
            highlight=False,
        )
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render(result, fmt), encoding="utf-8")
        err_console.print(f"wrote {escape(str(output))}", highlight=False)
    elif fmt == "terminal":
        console.print(renderable(result, wrap=console.is_terminal))
    else:
        typer.echo(render(result, fmt), nl=False)


@eval_app.command("tls")
def eval_tls(
    directory: Annotated[Path, typer.Argument(help="A Timeline17-layout folder.")],
    as_json: JsonOption = False,
    system_dir: Annotated[
        Path | None,
        typer.Option(help="Write each produced timeline here in tilse format, one per task."),
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Use (and fill) this store, not a temporary one.")
    ] = None,
    loto: Annotated[
        bool,
        typer.Option(
            "--loto",
            help="Leave one topic out: score each topic with a date model and settings chosen "
            "on the other topics only.",
        ),
    ] = False,
) -> None:
    """Score timelines on Timeline17: ROUGE-1/2 (concat, agreement, align+ m:1) and Date F1.

    Without --loto the shipped defaults and date model are used as they are (nothing is
    learned from DIR's references)."""
    from storyline.evaluate import loto as loto_eval  # the evaluation stack loads when asked
    from storyline.evaluate import tls_eval

    if loto:
        report: tls_eval.EvalReport = loto_eval.run(directory, db=db, system_dir=system_dir)
    else:
        report = tls_eval.run(directory, db=db, system_dir=system_dir)
    if as_json:
        print_json(report.as_dict())
        return
    data = report.as_dict()
    table = Table(
        title="Timeline17: F1 per task (align+ m:1, concat, agreement: ROUGE-1 / ROUGE-2)",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
    )
    table.add_column("task", overflow="fold", min_width=12)
    for column in ("L", "K", "align R1", "align R2", "concat R1", "concat R2"):
        table.add_column(column, justify="right")
    for column in ("agree R1", "agree R2", "Date F1"):
        table.add_column(column, justify="right")
    rows = [(t["reference"], t, False) for t in data["tasks"]]
    rows += [
        ("average (news-tls)", data["average"], True),
        ("average (mean of F)", data["average_mean_f"], True),
    ]
    for name, scores, bold in rows:
        figures = [
            f"{scores[m][r]:.3f}"
            for m in ("align_m1", "concat", "agreement")
            for r in ("rouge1", "rouge2")
        ]
        table.add_row(
            name,
            "" if bold else str(scores["dates"]),
            "" if bold else str(scores["per_date"]),
            *figures,
            f"{scores['date_f1']:.3f}",
            style="bold" if bold else None,
        )
    console.print(table)
    for fold in data.get("folds", []):
        chosen = ", ".join(f"{k}={v}" for k, v in fold["settings"].items())
        console.print(
            f"fold {fold['topic']}: trained on {', '.join(fold['train_topics'])}; "
            f"C={fold['date_model']['C']}; {chosen}",
            highlight=False,
        )
    timing = data["timing"]
    console.print(
        f"ingest {timing['ingest_seconds']} s · timelines {timing['timeline_seconds']} s · "
        f"total {timing['total_seconds']} s",
        highlight=False,
    )


@eval_app.command("train-dates")
def eval_train_dates(
    directory: Annotated[Path, typer.Argument(help="A Timeline17-layout folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model JSON.")],
    db: Annotated[
        str | None, typer.Option("--db", help="Use (and fill) this store, not a temporary one.")
    ] = None,
) -> None:
    """Train the date ranker on every task of DIR and write its weights as JSON.

    The shipped model (storyline/timeline/date_model.json) is made with
    `storyline eval train-dates ../shared/data/t17 -o src/storyline/timeline/date_model.json`.
    """
    from storyline.evaluate import date_training

    model = date_training.train_from_folder(directory, db=db)
    model.save(output)
    console.print(
        f"date model: C={model.trained_on.get('C')}, {model.trained_on.get('tasks')} tasks of "
        f"{', '.join(model.trained_on.get('topics', []))} → {output}",
        highlight=False,
    )
    for name, weight in model.ranked_features():
        console.print(f"  {weight:+.3f}  {name}", highlight=False)
