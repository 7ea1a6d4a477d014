"""The ``homebody safety classify`` stream: one verdict line per input line, in order, failing closed."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
from pathlib import Path

from homebody.safety.classify import Classification
from homebody.safety.stream import classify_stream, verdict_for

ROOT = Path(__file__).resolve().parents[2]
STREAM = (
    "import sys; from homebody.safety.stream import classify_stream; "
    "sys.exit(classify_stream(sys.stdin, sys.stdout, sys.stderr))"
)


def run(text: str) -> tuple[int, list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = classify_stream(io.StringIO(text), out, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def row(text: str, tag: str = "button", url: str = "https://shop.example/", **extra: object) -> str:
    return json.dumps({"text": text, "tag": tag, "url": url, **extra}) + "\n"


def test_one_verdict_per_line_in_order() -> None:
    code, answers, err = run(row("Buy now") + row("Search") + row("Delete", 'button type="submit"') + row("Home", "a"))
    assert code == 0 and err == ""
    assert [(a["verdict"], a["category"]) for a in answers] == [
        ("halt", "purchase"),
        ("allow", None),
        ("halt", "delete"),
        ("allow", None),
    ]
    assert all(set(a) == {"verdict", "category", "reason"} and a["reason"] for a in answers)


def test_title_is_optional_and_extra_keys_are_ignored() -> None:
    line = row("Continue", url="https://example.com/step", title="Checkout – payment", label="HIGH", website="x")
    code, answers, _ = run(line + row("Continue", url="https://example.com/step"))
    assert code == 0
    assert answers[0]["category"] == "purchase"  # the title says checkout
    assert answers[1]["category"] is None


def test_unreadable_lines_fail_closed_and_the_stream_goes_on() -> None:
    lines = [
        row("Search"),
        "this is not json\n",
        json.dumps({"text": "Pay", "tag": "button"}) + "\n",  # no url
        json.dumps({"text": 7, "tag": "button", "url": ""}) + "\n",
        json.dumps(["Pay", "button", ""]) + "\n",
        row("Place order"),
    ]
    code, answers, err = run("".join(lines))
    assert code == 2
    assert len(answers) == 6
    assert answers[0]["verdict"] == "allow" and answers[5]["category"] == "purchase"
    for n, answer in enumerate(answers[1:5], start=2):
        assert answer["verdict"] == "halt" and answer["category"] == "unreadable"
        assert str(answer["reason"]).startswith(f"line {n}: ")
    assert '"url"' in str(answers[2]["reason"]) and '"text"' in str(answers[3]["reason"])
    assert [line.split(":")[1].strip() for line in err.splitlines()] == ["line 2", "line 3", "line 4", "line 5"]


def test_blank_lines_get_no_answer_but_keep_their_line_numbers() -> None:
    code, answers, _ = run("\n" + row("Buy now") + "   \n\n" + "{oops\n")
    assert code == 2
    assert len(answers) == 2
    assert answers[0]["category"] == "purchase"
    assert str(answers[1]["reason"]).startswith("line 5: ")


def test_empty_input_gives_no_output_and_success() -> None:
    assert run("") == (0, [], "")


def test_verdict_for_halts_exactly_on_a_category() -> None:
    assert verdict_for(Classification("send", 0.9, "r", ())) == "halt"
    assert verdict_for(Classification(None, 0.1, "r", ())) == "allow"


def test_a_program_waiting_for_each_verdict_gets_it_at_once() -> None:
    """Buffered output must still be flushed when the next read would wait: no deadlock for a coprocess."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # let stdout be block-buffered
    proc = subprocess.Popen(
        [sys.executable, "-c", STREAM],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for text, expected in (("Buy now", "purchase"), ("Search", None)):
            proc.stdin.write(row(text))
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, f"no verdict for {text!r} while the writer waits"
            assert json.loads(proc.stdout.readline())["category"] == expected
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        proc.wait()


def test_the_command_reads_stdin_and_exits_2_on_unreadable_input() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "homebody", "safety", "classify"],
        cwd=ROOT,
        input=row("Enviar") + "[]\n",
        text=True,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["category"] for a in answers] == ["send", "unreadable"]
    assert "line 2" in proc.stderr
