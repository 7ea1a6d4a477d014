"""Printing and JSON for the MiniWoB++ figures: per task, per family, overall, failure causes grouped."""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bench.miniwob.episode import EpisodeResult, cause_group
from bench.miniwob.pages import FAMILIES, family_of


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def stats(results: Sequence[EpisodeResult]) -> dict[str, Any]:
    return {
        "success_rate": _mean([1.0 if r.success else 0.0 for r in results]),
        "mean_reward": _mean([r.reward for r in results]),
        "episodes": len(results),
        "mean_steps": _mean([float(r.steps) for r in results]),
        "seconds_per_episode": _mean([r.seconds for r in results]),
        "halts": sum(r.halts for r in results),
        "held": sum(r.held for r in results),
        "causes": dict(Counter(cause_group(r.cause) for r in results if not r.success).most_common()),
    }


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_episode(r: EpisodeResult) -> None:
    mark = "ok  " if r.success else "FAIL"
    print(
        f"  {mark} {r.task} seed {r.seed}: reward {r.reward:+.2f} (raw {r.raw_reward:+.2f}), {r.steps} steps,"
        f" {r.seconds:.1f} s, halts {r.halts}{'  — ' + _short(r.cause) if r.cause else ''}"
    )
    if not r.success:
        print(f"       utterance: {r.utterance}")


def print_summary(results: Sequence[EpisodeResult], *, label: str, causes: bool, families: bool = False) -> None:
    if families:
        print(f"{'family':<16}{'tasks':>6}{'eps':>6}{'success':>9}{'reward':>8}{'steps':>7}{'s/ep':>7}")
        for family in [f.rstrip("-") for f in FAMILIES] + ["other"]:
            rows = [r for r in results if family_of(r.task) == family]
            if rows:
                s = stats(rows)
                n = len({r.task for r in rows})
                print(
                    f"{family:<16}{n:>6}{s['episodes']:>6}{s['success_rate']:>9.0%}{s['mean_reward']:>8.2f}"
                    f"{s['mean_steps']:>7.1f}{s['seconds_per_episode']:>7.1f}"
                )
    if not results:
        print(f"{label}: no episodes")
        return
    s = stats(results)
    print(
        f"{label:<28} success {s['success_rate']:>4.0%}  reward {s['mean_reward']:+.2f}  steps {s['mean_steps']:4.1f}"
        f"  {s['seconds_per_episode']:4.1f} s/episode  halts {s['halts']} (effect gate {s['held']})"
        f"  ({s['episodes']} episodes)"
    )
    if causes:
        for cause, count in s["causes"].items():
            print(f"    {count}× {cause}")


def summary_json(results: Sequence[EpisodeResult], args: argparse.Namespace) -> dict[str, Any]:
    tasks: dict[str, Any] = {}
    for task in dict.fromkeys(r.task for r in results):
        rows = [r for r in results if r.task == task]
        tasks[task] = {
            **stats(rows),
            "results": [
                {
                    "seed": r.seed,
                    "reward": r.reward,
                    "raw_reward": r.raw_reward,
                    "steps": r.steps,
                    "seconds": round(r.seconds, 2),
                    "halts": r.halts,
                    "held": r.held,
                    "outcome": r.outcome,
                    "cause": r.cause,
                    "utterance": r.utterance,
                }
                for r in rows
            ],
        }
    fams = {}
    for family in [f.rstrip("-") for f in FAMILIES] + ["other"]:
        rows = [r for r in results if family_of(r.task) == family]
        if rows:
            fams[family] = stats(rows)
    return {
        "brain": args.brain or "oracle",
        "model": getattr(args, "model", None),
        "seeds": args.seed_list,
        "viewport": args.viewport,
        "max_steps": args.max_steps,
        "tasks": tasks,
        "families": fams,
        "overall": stats(results),
    }
