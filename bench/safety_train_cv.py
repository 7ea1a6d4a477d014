"""How the safety classifier would fare on websites it was not tuned on: website-grouped estimates.

The WebGuard dev file holds 117 websites; the held-out set is other websites. In-sample figures on
the dev file are optimistic (the rules were written reading it), so this script estimates held-out
behaviour two ways, always keeping a website's rows together:

1. **Rules, leave-one-website-out adoption.** Each context rule added in the last tuning round
   leaves a distinct evidence item (``form:unseen``, ``link:opens-purchase``, ...). For every
   website, a rule counts only if it does more good than harm on the *other* 116 websites (HIGH rows
   it halts minus SAFE rows it halts, or the reverse for a rule that allows); otherwise that
   website's rows get the verdict they would have had without the rule.
2. **A learned scorer, website-grouped 10-fold cross-validation.** Logistic regression (numpy,
   L2, Newton steps) on sparse features: element kind, role, tag, type, lexicon hit kinds, context
   cues, label words, URL-path words, and the rules' own verdict. Features must occur on at least two
   training websites. It is scored as "rules OR scorer >= t" on websites it never saw.

The scorer is not shipped: it would be worth shipping only if its held-out figures met the targets
(HIGH recall >= 0.95 with SAFE halt rate <= 0.10); they print below.

    OMP_NUM_THREADS=1 .venv/bin/python bench/safety_train_cv.py [--data PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy: the machine is shared
import numpy as np

from homebody.safety import lexicon
from homebody.safety.classify import Classification, classify
from homebody.safety.facts import facts_of
from homebody.safety.tagparse import target_from_row

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/webguard-dev.jsonl"
FOLDS = 10
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Rule:
    """A context rule of the last tuning round, found by the evidence item it leaves."""

    name: str
    halts: bool  # True: it turns allows into halts; False: it turns halts into allows
    fired: Callable[[Classification], bool]


def _has(prefix: str) -> Callable[[Classification], bool]:
    return lambda c: any(e.startswith(prefix) for e in c.evidence)


RULES = (
    Rule("submit button of an unseen form", True, _has("form:unseen")),
    Rule("purchase verb on a link opens the flow", False, _has("link:opens-purchase")),
    Rule("deletion page speaks for script buttons", True, _has("page:destructive")),
    Rule("tax pages: generic buttons file", True, lambda c: _has("url:tax")(c) and _has("generic:")(c)),
    Rule("format named in parentheses", True, _has("label:(")),
    Rule("link on a page named after a format", True, _has("page-format:")),
    Rule("citation export formats", True, _has("verb:dublin core")),
    Rule('"Accept" on a sign-up page', True, _has("accept:terms")),
    Rule("unnamed button where money moves", True, _has("page:money")),
)


def load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        sys.exit(f"error: no data file at {path} (pass --data PATH)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rates(labels: Iterable[str], halted: Iterable[bool]) -> dict[str, float]:
    total: Counter[str] = Counter()
    stops: Counter[str] = Counter()
    for label, halt in zip(labels, halted, strict=True):
        total[label] += 1
        stops[label] += halt
    return {k: stops[k] / total[k] if total[k] else 0.0 for k in ("HIGH", "SAFE", "LOW")}


def line(name: str, r: dict[str, float]) -> str:
    return f"  {name:<44} HIGH recall {r['HIGH']:.3f}   SAFE halt rate {r['SAFE']:.3f}   LOW {r['LOW']:.3f}"


# --------------------------------------------------------------------------- 1. rules


def rules_cv(rows: list[dict[str, Any]], found: list[Classification]) -> None:
    labels = [r["label"] for r in rows]
    halted = [c.category is not None for c in found]
    fired = [[rule.fired(c) for c in found] for rule in RULES]
    print("Rules added in the last tuning round (rows and websites where each decides):")
    for rule, hits in zip(RULES, fired, strict=True):
        by: dict[str, set[str]] = defaultdict(set)
        n: Counter[str] = Counter()
        for row, hit in zip(rows, hits, strict=True):
            if hit:
                n[row["label"]] += 1
                by[row["label"]].add(row["website"])
        verb = "halts" if rule.halts else "allows"
        print(
            f"  {rule.name:<44} {verb}: HIGH {n['HIGH']:>2} ({len(by['HIGH'])} sites)  "
            f"SAFE {n['SAFE']:>2} ({len(by['SAFE'])} sites)  LOW {n['LOW']:>2}"
        )
    held = list(halted)
    for site in sorted({r["website"] for r in rows}):
        inside = [r["website"] == site for r in rows]
        for rule, hits in zip(RULES, fired, strict=True):
            good = bad = 0
            for row, hit, here in zip(rows, hits, inside, strict=True):
                if hit and not here:
                    good += row["label"] == ("HIGH" if rule.halts else "SAFE")
                    bad += row["label"] == ("SAFE" if rule.halts else "HIGH")
            if good <= bad:  # not adopted without this website: its rows get the verdict without the rule
                for i, (hit, here) in enumerate(zip(hits, inside, strict=True)):
                    if hit and here:
                        held[i] = not rule.halts
    print(line("dev file, in sample", rates(labels, halted)))
    print(line("new rules adopted leave-one-website-out", rates(labels, held)))


# --------------------------------------------------------------------------- 2. learned scorer


def features(row: dict[str, Any], found: Classification) -> dict[str, float]:
    target = target_from_row(row["text"], row["tag"], row["url"])
    f = facts_of(target)
    out: dict[str, float] = {"bias": 1.0, f"kind={f.kind}": 1.0, f"role={f.role}": 1.0, f"tag={target.tag}": 1.0}
    itype = target.attributes.get("type", "").lower()
    out.update({f"type={itype}": 1.0} if itype else {})
    out.update({name: 1.0 for name, on in (("submit", f.is_submit), ("scripted", f.scripted)) if on})
    out.update({"nolabel": 1.0} if not f.label else {})
    words = lexicon.normalize(f.label).split()[:8]
    out.update({f"w:{w}": 1.0 for w in words})
    for hit in f.hits:
        out[f"hit:{hit.kind}"] = max(out.get(f"hit:{hit.kind}", 0.0), hit.strength)
    out.update({f"cue:{c.category}": c.weight for c in f.cues})
    try:
        path = lexicon.normalize(urlsplit(row["url"]).path, identifier=True).split()
    except ValueError:
        path = []
    out.update({f"u:{w}": 1.0 for w in path if not w.isdigit() and len(w) < 20})  # the path, never the host
    out["rule:score"] = found.score
    out.update({f"rule:{found.category}": 1.0} if found.category else {})
    return out


def fold_of(website: str) -> int:
    """A stable fold per website (no randomness: the figures reproduce exactly)."""
    return int(hashlib.sha1(website.encode()).hexdigest(), 16) % FOLDS


def fit(x: np.ndarray, y: np.ndarray, l2: float = 3.0, steps: int = 25) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x.T * (p * (1 - p))) @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
        if np.abs(grad).max() < 1e-6:
            break
    return w


def matrix(feats: list[dict[str, float]], index: list[int], vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(index), len(vocab)))
    for row, i in enumerate(index):
        for name, value in feats[i].items():
            if name in vocab:
                x[row, vocab[name]] = value
    return x


def scorer_cv(rows: list[dict[str, Any]], found: list[Classification]) -> None:
    feats = [features(r, c) for r, c in zip(rows, found, strict=True)]
    labels = [r["label"] for r in rows]
    folds = [fold_of(r["website"]) for r in rows]
    prob = np.zeros(len(rows))
    for k in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != k and labels[i] != "LOW"]  # LOW may go either way
        test = [i for i, f in enumerate(folds) if f == k]
        sites: dict[str, set[str]] = defaultdict(set)
        for i in train:
            for name in feats[i]:
                sites[name].add(rows[i]["website"])
        vocab = {name: j for j, name in enumerate(sorted(n for n, s in sites.items() if len(s) >= 2))}
        w = fit(matrix(feats, train, vocab), np.array([labels[i] == "HIGH" for i in train], dtype=float))
        prob[test] = 1.0 / (1.0 + np.exp(-(matrix(feats, test, vocab) @ w)))
    rules = np.array([c.category is not None for c in found])
    print(f"Learned scorer, website-grouped {FOLDS}-fold CV (scored only on websites it never saw):")
    for t in THRESHOLDS:
        print(line(f"scorer >= {t:.1f} alone", rates(labels, prob >= t)))
        print(line(f"rules OR scorer >= {t:.1f}", rates(labels, rules | (prob >= t))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    rows = load(args.data)
    found = [classify(target_from_row(r["text"], r["tag"], r["url"])) for r in rows]
    rules_cv(rows, found)
    print()
    scorer_cv(rows, found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
