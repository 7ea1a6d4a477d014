"""A longer schemathesis run against ``homebody serve``'s OpenAPI document than the test suite's.

A server on loopback (its own temporary data dir; it queues tasks but runs none, so the fuzzer
exercises the API rather than a browser) gets ``--examples`` generated requests per operation, valid
and invalid (half each, roughly); every answer is checked against the document (no 5xx, documented status codes, content
types and bodies). Prints one line per operation and a Markdown summary; exit 1 on any failure.

    .venv/bin/python bench/fuzz_api.py                  # 200 examples per operation
    .venv/bin/python bench/fuzz_api.py --examples 1000 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from homebody.config import Settings
from homebody.server.app import openapi_schema
from homebody.server.serving import RunningServer, serve_in_thread


def fuzz_operation(operation: Any, server: RunningServer, args: argparse.Namespace) -> tuple[Counter[int], list[str]]:
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    headers = {"Authorization": f"Bearer {server.token}"}

    modes = [operation.as_strategy(generation_mode=mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]

    @hypothesis_seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=st.one_of(modes))
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=server.url, headers=headers, timeout=30)
        statuses[response.status_code] += 1
        try:
            # Schema-valid bodies may still be refused for what a schema cannot say (steps that do
            # not parse, a model not on this machine): no "positive data" check.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
        except FailureGroup as exc:  # keep going: the report lists every failure
            failures.append(f"{response.status_code}: {str(exc).splitlines()[0][:200]}")

    run()
    return statuses, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=200, help="generated requests per operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    schema = schemathesis.openapi.from_dict(openapi_schema())
    started = time.monotonic()
    total: Counter[int] = Counter()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="homebody-fuzz-") as tmp:
        with serve_in_thread(
            Settings(data_dir=Path(tmp) / "data", port=0), max_running=0, desktop_notify=False
        ) as server:
            for result in schema.get_all_operations():
                operation = result.ok()
                statuses, failures = fuzz_operation(operation, server, args)
                total.update(statuses)
                problems += [f"{operation.label}: {f}" for f in failures]
                codes = ", ".join(f"{code}×{n}" for code, n in sorted(statuses.items()))
                print(f"{operation.label}: {sum(statuses.values())} requests ({codes}), {len(failures)} failures")
    server_errors = sum(n for code, n in total.items() if code >= 500)
    print()
    print("## API fuzzing (`bench/fuzz_api.py`)")
    print()
    print(
        f"schemathesis {schemathesis.__version__ if hasattr(schemathesis, '__version__') else ''} against the "
        f"OpenAPI document, {args.examples} examples per operation, seed {args.seed}: "
        f"{sum(total.values())} requests in {time.monotonic() - started:.0f} s, "
        f"**{server_errors} answers 5xx**, {len(problems)} answers not as documented."
    )
    print(f"Status codes: {', '.join(f'{code}×{n}' for code, n in sorted(total.items()))}.")
    print(f"Reproduce: `.venv/bin/python bench/fuzz_api.py --examples {args.examples} --seed {args.seed}`.")
    for line in problems[:20]:
        print(f"- {line}")
    return 1 if problems or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
