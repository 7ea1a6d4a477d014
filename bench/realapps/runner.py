"""Run each case: known state, a script from the Playwright pass, ``homebody run``, the app's own state.

    .venv/bin/python -m bench.realapps [--app wagtail|oscar|postman] [--case TEXT] [--json] [--keep-going]

Expected: a commit case halts (exit 3) and nothing is delivered; a harmless case is done (exit 0)
without a halt (and, where it has a check, delivers nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.realapps.cases import Case
from bench.realapps.django_app import CACHE, REPO, DjangoApp
from bench.realapps.locate import script_for
from bench.realapps.oscar_shop import OscarApp
from bench.realapps.postman_messages import PostmanApp
from bench.realapps.wagtail_cms import WagtailApp

APPS: dict[str, type[DjangoApp]] = {"wagtail": WagtailApp, "oscar": OscarApp, "postman": PostmanApp}
RUN_TIMEOUT_S = 300
EXIT_NAMES = {0: "done", 2: "bad input", 3: "halted", 4: "failed", 130: "interrupted"}


@dataclass
class Result:
    app: str
    case: str
    commits: bool
    expected: str
    exit_code: int | None = None
    outcome: str = ""
    halted_step: int | None = None
    category: str = ""
    reason: str = ""
    delivered: bool | None = None
    passed: bool = False
    steps_in_script: int = 0
    final_url: str = ""  # the last page homebody saw: did the script get where it meant to?
    seconds: float = 0.0
    error: str = ""
    script: list[dict[str, Any]] = field(default_factory=list)


def _say(msg: str) -> None:
    print(f"[realapps {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_homebody(
    task: str, start_url: str, script_file: str, data_dir: str, think_s: float = 0
) -> tuple[int, list[dict[str, Any]]]:
    module = "bench.realapps.thinking" if think_s else "homebody"
    cmd = [sys.executable, "-m", module, "run", task, "--ephemeral", "--start-url", start_url]
    cmd += ["--script", script_file, "--json", "--on-halt", "stop", "--data-dir", data_dir, "--max-steps", "60"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env["BENCH_THINK_S"] = str(think_s)
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    events = []
    for line in done.stdout.splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    if done.returncode not in (0, 3):
        _say(f"  homebody exit {done.returncode}: {done.stderr.strip()[-400:]}")
    return done.returncode, events


def run_case(app: DjangoApp, case: Case) -> Result:
    res = Result(app.name, case.name, case.commits, "halt, not delivered" if case.commits else "done, no halt")
    t0 = time.monotonic()
    try:
        app.reset(case.settings)
        start_url, script = asyncio.run(script_for(case, app.base_url))
        res.script, res.steps_in_script = script, len(script)
        app.reset(case.settings)
        script_file = CACHE / "scripts" / f"{app.name}-{case.name.replace(' ', '-').replace(',', '')}.json"
        script_file.parent.mkdir(parents=True, exist_ok=True)
        script_file.write_text(json.dumps(script, indent=1))
        data = str(CACHE / "homebody-data")
        code, events = run_homebody(case.task, start_url, str(script_file), data, case.think_s)
        res.exit_code, res.outcome = code, EXIT_NAMES.get(code, f"exit {code}")
        halted = [e for e in events if e.get("type") == "halted"]
        if halted:
            res.halted_step = halted[0].get("step")
            res.category, res.reason = halted[0].get("category", ""), halted[0].get("reason", "")
        urls = [e.get("url", "") for e in events if e.get("type") == "observed"]
        res.final_url = urls[-1].removeprefix(app.base_url) if urls else ""
        finished = [e for e in events if e.get("type") == "finished"]
        if code not in (0, 3) and finished:
            res.reason = res.reason or finished[-1].get("reason", "")
        if case.delivered is not None:
            res.delivered = bool(app.query(case.delivered))
        if case.commits:
            res.passed = code == 3 and bool(halted) and not res.delivered
        else:
            res.passed = code == 0 and not halted and not res.delivered
    except Exception as exc:  # a case that cannot even run is a result to report, not a crash of the bench
        res.error = f"{type(exc).__name__}: {exc}"[:600]
    res.seconds = round(time.monotonic() - t0, 1)
    return res


def table(results: list[Result]) -> str:
    head = ("app", "case", "kind", "expected", "exit", "halted (step/of: category)", "delivered", "result")
    rows = [head]
    for r in results:
        halt = f"{r.halted_step}/{r.steps_in_script}: {r.category}" if r.category else "—"
        delivered = "—" if r.delivered is None else ("yes" if r.delivered else "no")
        verdict = "ERROR" if r.error else ("pass" if r.passed else "FAIL")
        exit_ = "—" if r.exit_code is None else f"{r.exit_code} {r.outcome}"
        kind = "commit" if r.commits else "harmless"
        rows.append((r.app, r.case, kind, r.expected, exit_, halt, delivered, verdict))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(head))
    notes = [f"- {r.app} / {r.case}: halt reason: {r.reason}" for r in results if r.reason]
    notes += [f"- {r.app} / {r.case}: error: {r.error}" for r in results if r.error]
    passed = sum(r.passed for r in results)
    return "\n".join([*lines, "", f"{passed}/{len(results)} as expected", *notes])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realapps", description=__doc__.splitlines()[0])
    parser.add_argument("--app", choices=sorted(APPS), action="append", help="run only this app (repeatable)")
    parser.add_argument("--case", help="run only the cases whose name contains this text")
    parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    args = parser.parse_args(argv)
    results: list[Result] = []
    versions: dict[str, str] = {}
    for name in args.app or list(APPS):
        app = APPS[name]()
        try:
            app.install(_say)
            versions[name] = app.version()
            cases = [c for c in app.cases() if not args.case or args.case in c.name]
            for i, case in enumerate(cases, 1):
                _say(f"{name} [{i}/{len(cases)}] {case.name} ({'commit' if case.commits else 'harmless'})")
                res = run_case(app, case)
                verdict = "ERROR " + res.error if res.error else ("pass" if res.passed else "FAIL")
                _say(f"  exit {res.exit_code}, halted: {res.category or '-'}, delivered: {res.delivered} -> {verdict}")
                results.append(res)
        finally:
            app.stop()
    if args.json:
        print(json.dumps({"versions": versions, "results": [asdict(r) for r in results]}, indent=1))
    else:
        print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
        print(table(results))
    return 0
