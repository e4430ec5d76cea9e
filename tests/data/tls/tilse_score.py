"""Score timeline pairs with the real tilse toolkit (run with a Python where tilse is installed).

Reads ``{"pairs": [{"pred": {"YYYY-MM-DD": [sentence, ...]}, "ref": {...}}, ...]}`` on stdin and
prints, for each pair, tilse's concat / agreement / align+ m:1 ROUGE-1/2 and date scores as JSON.
Used by tests/test_tls_metrics.py to check storyline.evaluate.tls_metrics against tilse.
"""

import datetime
import json
import sys

from tilse.data.timelines import GroundTruth, Timeline
from tilse.evaluation import dates, rouge


def _timeline(data):
    return Timeline({datetime.date.fromisoformat(d): s for d, s in data.items()})


def _prf(scores):
    return {"precision": scores["precision"], "recall": scores["recall"], "f1": scores["f_score"]}


def main():
    evaluator = rouge.TimelineRougeEvaluator(measures={"rouge_1", "rouge_2"})
    out = []
    for pair in json.load(sys.stdin)["pairs"]:
        pred, ref = _timeline(pair["pred"]), GroundTruth([_timeline(pair["ref"])])
        result = {}
        for name, method in (
            ("concat", evaluator.evaluate_concat),
            ("agreement", evaluator.evaluate_agreement),
            ("align_m1", evaluator.evaluate_align_date_content_costs_many_to_one),
        ):
            scores = method(pred, ref)
            result[name] = {
                "rouge1": _prf(scores["rouge_1"]),
                "rouge2": _prf(scores["rouge_2"]),
            }
        result["date"] = _prf(dates.evaluate_dates(pred, ref))
        out.append(result)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
