"""Commands of the time area: ``storyline dates`` and ``storyline eval timeml``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from storyline.cli.app import (
    JsonOption,
    app,
    console,
    err_console,
    eval_app,
    parse_day,
    print_json,
    problem_line,
)
from storyline.errors import InputError, NotFoundError
from storyline.records import TimeExpression
from storyline.time.anchor import tag_document
from storyline.time.timeml import to_timeml


def _read(file: str | None, text: str | None) -> str:
    if text is not None:
        return text
    if file is None:
        raise InputError("give a FILE, - for stdin, or --text STRING")
    # Bytes decoded as they are (no newline translation), so offsets index the file itself;
    # in the encoding ingest would read them in (declared, UTF-8, or detected and said so).
    if file == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        return _decoded(data, "<stdin>") if isinstance(data, bytes) else data
    path = Path(file)
    if not path.is_file():
        raise NotFoundError(f"{file}: no such file")
    try:
        return _decoded(path.read_bytes(), file)
    except OSError as exc:
        raise InputError(f"{file}: {exc}") from exc


def _decoded(data: bytes, source: str) -> str:
    from storyline.sources.encoding import decode

    decoded = decode(data, source)
    for problem in decoded.problems:
        if problem.kind == "warning":
            err_console.print(problem_line(problem), highlight=False)
    if decoded.text is None:
        reason = decoded.problems[0].message if decoded.problems else "not text"
        raise InputError(f"{source}: {reason}")
    return decoded.text


def _highlight(raw: str, found: list[TimeExpression]) -> str:
    out, pos = [], 0
    for tx in found:
        out.append(escape(raw[pos : tx.start]))
        mod = f" {tx.mod}" if tx.mod else ""
        out.append(
            f"[bold cyan]{escape(raw[tx.start : tx.end])}[/bold cyan]"
            f"[dim]⟨{tx.type} {escape(tx.value)}{mod}⟩[/dim]"
        )
        pos = tx.end
    out.append(escape(raw[pos:]))
    return "".join(out)


@app.command()
def dates(
    file: Annotated[str | None, typer.Argument(help="A text file, or - for stdin (UTF-8).")] = None,
    dct: Annotated[
        str | None,
        typer.Option(
            "--dct", help="Document creation date YYYY-MM-DD (default: a leading 'date' line)."
        ),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Tag this string instead of a file.")
    ] = None,
    as_json: JsonOption = False,
    timeml: Annotated[bool, typer.Option("--timeml", help="Print TimeML.")] = False,
) -> None:
    """Find the temporal expressions of a text and show their TimeML values."""
    raw = _read(file, text)
    found, used_dct = tag_document(raw, parse_day(dct, "--dct"))
    if as_json:
        print_json(
            [
                {k: tx.as_dict()[k] for k in ("start", "end", "text", "type", "value")}
                for tx in found
            ]
        )
        return
    if timeml:
        sys.stdout.write(to_timeml(raw, found, used_dct))
        return
    if used_dct is None:
        err_console.print("no document date: relative expressions are left underspecified (XXXX)")
    console.print(_highlight(raw, found), highlight=False)


@eval_app.command("timeml")
def eval_timeml(
    directory: Annotated[Path, typer.Argument(help="A folder of gold TimeML (.tml) files.")],
    as_json: JsonOption = False,
) -> None:
    """Score the tagger on gold TimeML (TempEval-3 Task A: extents, type, value)."""
    from storyline.evaluate.timeml import score_dir

    result = score_dir(directory)
    if as_json:
        print_json(result)
        return
    s, r = result["strict"], result["relaxed"]
    console.print(
        f"{result['documents']} documents · gold {result['gold']} · ours {result['system']}\n"
        f"strict  P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}\n"
        f"relaxed P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}\n"
        f"type accuracy {result['type_accuracy']:.3f} · value accuracy {result['value_accuracy']:.3f}",
        highlight=False,
    )
    for kind, t in result["per_type"].items():
        console.print(
            f"  {kind:<9} gold {t['gold']:>4} ours {t['system']:>4} strict F1 "
            f"{t['strict']['f1']:.3f} relaxed F1 {t['relaxed']['f1']:.3f} "
            f"value acc {t['value_accuracy']:.3f}",
            highlight=False,
        )
    console.print("most frequent errors:")
    for e in result["errors"]:
        console.print(f"  {e['count']:>4}  {escape(e['kind'])}", highlight=False)
