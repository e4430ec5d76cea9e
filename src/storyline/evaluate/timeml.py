"""TempEval-3 Task A scoring of our tagger against gold TimeML.

Extent: strict (same start and end) and relaxed (any overlap, one-to-one) precision, recall and
F1; attributes: ``type`` and ``value`` accuracy over the relaxed matches (the DCT tag is not
counted, as it is not in ``<TEXT>``). Besides the TempEval figures we count error kinds — missed,
spurious, wrong extent, wrong value — by the *shape* of the expression ("MON 9", "WD", "last
year"), which says which rule to fix without pointing at any single document, and sort every
wrong value into a class (:func:`value_class`: wrong week of a weekday, wrong year of a month,
granularity, date read as a duration …), which says which part of the normalisation to fix.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storyline.errors import EvaluationError, NotFoundError
from storyline.records import TimeExpression
from storyline.time.timeml import GoldTimex, TimeMLDocument, read_timeml

Tagger = Callable[[str, date | None], list[TimeExpression]]

_MONTH = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|march|mar|april|apr|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")


def shape(text: str) -> str:
    """A document-independent key for an expression: "Sept. 30" -> "MON 9"."""
    s = re.sub(r"\s+", " ", text.lower()).strip()
    s = _WEEKDAY.sub("WD", s)
    s = _MONTH.sub("MON", s)
    s = re.sub(r"\d+", "9", s)
    return s


@dataclass(slots=True)
class Tally:
    """Counts that add up over documents."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    value_classes: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.system += other.system
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.type_ok += other.type_ok
        self.value_ok += other.value_ok
        self.errors.update(other.errors)
        self.value_classes.update(other.value_classes)

    def scores(self) -> dict[str, Any]:
        def prf(hits: int) -> dict[str, float]:
            p = hits / self.system if self.system else 0.0
            r = hits / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

        return {
            "gold": self.gold,
            "system": self.system,
            "strict": prf(self.strict),
            "relaxed": prf(self.relaxed),
            "type_accuracy": round(self.type_ok / self.relaxed, 4) if self.relaxed else 0.0,
            "value_accuracy": round(self.value_ok / self.relaxed, 4) if self.relaxed else 0.0,
        }


_WEEKDAY_ONLY = re.compile(r"^(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.I)
_YMD = re.compile(r"^\d{4}-\d\d-\d\d")
_PART_OF_DAY = re.compile(r"T(?:MO|AF|EV|NI|DT)$")


def value_class(gold: GoldTimex, ours: TimeExpression) -> str:
    """Why a matched expression's value is wrong, as a class of normalisation error.

    Classes, checked in this order: ``extent`` (our phrase is not the gold one, so its value
    may rightly differ), ``reference`` (PRESENT/PAST/FUTURE_REF on one side), ``date vs
    duration`` (a point read as a length or back), ``duration`` (both lengths), ``placeholder``
    (ours is the gold value but for its X digits or padding: "1989-WXX", "1968-XX", "2000-W7"),
    ``part of day`` (the
    same day, "TNI" on one side), ``weekday`` (a weekday dated to another day), ``granularity``
    (a year for a quarter, a week for a day …), ``quarter``, ``week``, ``year`` (the same month
    or day in another year), ``anchor`` (a date relative to the DCT or to another date of the
    text: another value at the same granularity) and ``other``.
    """
    g, o = gold.value, ours.value
    if (
        re.sub(r"\W+", " ", gold.text.lower()).strip()
        != re.sub(r"\W+", " ", ours.text.lower()).strip()
    ):
        return "extent"
    if g.endswith("_REF") or o.endswith("_REF"):
        return "reference"
    if g.startswith("P") != o.startswith("P"):
        return "date vs duration"
    if g.startswith("P"):
        return "duration"
    if _placeholder(g, o):
        return "placeholder"
    if (_PART_OF_DAY.search(g) or _PART_OF_DAY.search(o)) and g[:10] == o[:10]:
        return "part of day"
    if _WEEKDAY_ONLY.match(gold.text.strip()) and _YMD.match(g) and _YMD.match(o):
        return "weekday"
    if len(re.sub(r"T.*", "", g)) != len(re.sub(r"T.*", "", o)) or ("W" in g) != ("W" in o):
        return "granularity"
    if "-Q" in g:
        return "quarter"
    if "-W" in g:
        return "week"
    if len(g) >= 7 and g[4:] == o[4:] and g[:4] != o[:4]:
        return "year"
    return "anchor"


def _placeholder(gold: str, ours: str) -> bool:
    """Whether ``ours`` is ``gold`` where the gold leaves digits unknown ("1989-WXX" for our
    "1989-W43", "1968-XX" for "1968") or writes a week unpadded ("2000-W7" for "2000-W07")."""
    if re.sub(r"W0(\d)$", r"W\1", ours) == gold:
        return True
    if "X" not in gold:
        return False
    if gold.rstrip("X") == ours:  # "198X" for the decade TimeML writes "198"
        return True
    pattern = re.escape(re.sub(r"(?:-X+)+$", "", gold)).replace("X", r"\w")
    return re.fullmatch(pattern + r"(?:-\w+)*", ours) is not None


def _overlap(a: GoldTimex, b: TimeExpression) -> bool:
    return a.start < b.end and b.start < a.end


def score_document(
    doc: TimeMLDocument, predicted: Sequence[TimeExpression]
) -> tuple[Tally, dict[str, Tally]]:
    """The tally of one document, overall and per gold type (system counts per our type)."""
    total = Tally(gold=len(doc.timexes), system=len(predicted))
    per_type: dict[str, Tally] = {}
    for g in doc.timexes:
        per_type.setdefault(g.type, Tally()).gold += 1
    for p in predicted:
        per_type.setdefault(p.type, Tally()).system += 1
    used: set[int] = set()
    for g in doc.timexes:
        match = None
        for i, p in enumerate(predicted):
            exact = (p.start, p.end) == (g.start, g.end)
            if i not in used and _overlap(g, p) and (match is None or exact):
                match = i
        t = per_type[g.type]
        if match is None:
            total.errors[f"missed {g.type} '{shape(g.text)}'"] += 1
            continue
        used.add(match)
        p = predicted[match]
        # Per type, a match counts only when both sides agree on the type, so that precision
        # (over our expressions of that type) and recall (over the gold ones) share one count.
        for tally in (total, t) if p.type == g.type else (total,):
            tally.relaxed += 1
            if (p.start, p.end) == (g.start, g.end):
                tally.strict += 1
            tally.type_ok += p.type == g.type
            tally.value_ok += p.value == g.value
        if (p.start, p.end) != (g.start, g.end):
            total.errors[f"extent gold '{shape(g.text)}' ours '{shape(p.text)}'"] += 1
        if p.value != g.value:
            total.errors[f"value '{shape(g.text)}' ({g.type})"] += 1
            total.value_classes[value_class(g, p)] += 1
        if p.type != g.type:
            total.errors[f"type {g.type} as {p.type}"] += 1
    for i, p in enumerate(predicted):
        if i not in used:
            total.errors[f"spurious {p.type} '{shape(p.text)}'"] += 1
    return total, per_type


def score_documents(
    docs: Iterable[TimeMLDocument], tagger: Tagger | None = None, top_errors: int = 10
) -> dict[str, Any]:
    """TempEval-3 Task A figures for ``docs`` (the JSON contract of ``storyline eval timeml``)."""
    if tagger is None:
        from storyline.time import tag

        tagger = tag
    total = Tally()
    per_type: dict[str, Tally] = {}
    n = 0
    seconds = 0.0
    for doc in docs:
        began = time.perf_counter()
        predicted = tagger(doc.text, doc.dct)
        seconds += time.perf_counter() - began
        tally, types = score_document(doc, predicted)
        total.add(tally)
        for key, value in types.items():
            per_type.setdefault(key, Tally()).add(value)
        n += 1
    out: dict[str, Any] = {"documents": n, **total.scores()}
    out["per_type"] = {k: per_type[k].scores() for k in sorted(per_type)}
    out["errors"] = [{"kind": k, "count": c} for k, c in total.errors.most_common(top_errors)]
    out["value_errors"] = dict(total.value_classes.most_common())
    out["tagging_seconds"] = round(seconds, 4)
    return out


def load_dir(path: Path) -> list[TimeMLDocument]:
    """Every ``*.tml`` under ``path`` (recursively), sorted by name."""
    if not path.exists():
        raise NotFoundError(f"{path}: no such folder")
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    if not files:
        raise EvaluationError(f"{path}: no .tml files")
    return [read_timeml(f) for f in files]


def score_dir(path: Path, top_errors: int = 10) -> dict[str, Any]:
    """Score the tagger on the gold TimeML files in ``path``."""
    return score_documents(load_dir(path), top_errors=top_errors)


__all__ = [
    "Tally",
    "load_dir",
    "score_dir",
    "score_document",
    "score_documents",
    "shape",
    "value_class",
]
