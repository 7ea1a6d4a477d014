"""``homebody run`` and ``POST /api/tasks`` refuse the same bad options in the same words.

Both front ends turn what they are given into the same task options and check them with the same
brain factory: the CLI names its flag and exits 2 (``--history-images: …``), the API answers 422
naming the field (``brain.history_images: …``), and what follows the name is identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homebody.vision.vlm.families import QWEN3_VL
from tests.integration.test_api_support import Api, api_server

START = "http://127.0.0.1:9/"
MODEL_SERVER = "http://127.0.0.1:9/v1"
QWEN = "Qwen3-VL-8B-Instruct"


def openai(**fields: object) -> tuple[list[str], dict[str, object]]:
    """The same openai brain as flags and as the API's ``brain`` object."""
    flags = ["--brain", "openai", "--base-url", MODEL_SERVER, "--model", QWEN]
    for name, value in fields.items():
        flags += [f"--{name.replace('_', '-')}", str(value)]
    return flags, {"brain": {"kind": "openai", "base_url": MODEL_SERVER, "model": QWEN, **fields}}


CASES: dict[str, tuple[list[str], dict[str, object], str, str]] = {
    "no history image": (*openai(history_images=0), "--history-images", "brain.history_images"),
    "too many history images": (*openai(history_images=9), "--history-images", "brain.history_images"),
    "pixels below the family's minimum": (
        *openai(max_pixels=QWEN3_VL.min_pixels - 1),
        "--max-pixels",
        "brain.max_pixels",
    ),
    "an unknown model family": (*openai(model_family="gpt-vision"), "--model-family", "brain.model_family"),
    "a model of no known family": (
        ["--brain", "openai", "--base-url", MODEL_SERVER, "--model", "my-model"],
        {"brain": {"kind": "openai", "base_url": MODEL_SERVER, "model": "my-model"}},
        "--model-family",
        "brain.model_family",
    ),
    "openai without a base URL": (
        ["--brain", "openai", "--model", QWEN],
        {"brain": {"kind": "openai", "model": QWEN}},
        "--base-url",
        "brain.base_url",
    ),
    "a base URL that is not http": (
        ["--brain", "openai", "--base-url", "ftp://127.0.0.1/v1", "--model", QWEN],
        {"brain": {"kind": "openai", "base_url": "ftp://127.0.0.1/v1", "model": QWEN}},
        "--base-url",
        "brain.base_url",
    ),
    "an unknown brain": (["--brain", "telepathy"], {"brain": {"kind": "telepathy"}}, "--brain", "brain.kind"),
    "a steps brain with no task": (["--brain", "steps"], {"brain": {"kind": "steps"}}, "TASK", "instruction"),
    "a task the steps brain cannot read": (
        ["clik View; done"],
        {"instruction": "clik View; done", "brain": {"kind": "steps"}},
        "TASK",
        "instruction",
    ),
    "a transformers device there is none of": (
        ["--brain", "transformers", "--model", QWEN, "--device", "tpu"],
        {"brain": {"kind": "transformers", "model": QWEN, "device": "tpu"}},
        "--device",
        "brain.device",
    ),
    "a cdp URL that is not one": (
        ["--script", "{script}", "--cdp-url", "ftp://127.0.0.1:9222"],
        {"brain": {"kind": "script", "steps": []}, "cdp_url": "ftp://127.0.0.1:9222"},
        "--cdp-url",
        "cdp_url",
    ),
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("serve"), max_running=0) as api:  # refusals only: nothing runs
        yield api


def cli_problem(res: Any, flag: str) -> str:
    assert res.code == 2, res.stdout + res.stderr
    (line,) = [line for line in res.stderr.splitlines() if line.startswith("homebody: error: ")]
    named = line.removeprefix("homebody: error: ")
    assert named.startswith(f"{flag}: "), named
    return named.removeprefix(f"{flag}: ")


def api_problem(api: Api, body: dict[str, object], field: str) -> str:
    res = api.client.post("/api/tasks", json=body)
    assert res.status_code == 422, res.text
    detail: str = res.json()["detail"]
    assert detail.startswith(f"{field}: "), detail
    return detail.removeprefix(f"{field}: ")


@pytest.mark.parametrize("case", list(CASES))
def test_the_cli_and_the_api_refuse_the_same_options_in_the_same_words(
    case: str, hb: Any, api: Api, tmp_path: Path
) -> None:
    flags, body, flag, field = CASES[case]
    script = tmp_path / "s.json"
    script.write_text('[{"kind": "done"}]', encoding="utf-8")
    flags = [str(script) if f == "{script}" else f for f in flags]
    remote = "cdp_url" in body  # a remote browser goes with neither a profile nor a throwaway one
    from_cli = cli_problem(hb("run", *flags, "--start-url", START, *([] if remote else ["--ephemeral"])), flag)
    from_api = api_problem(api, {"start_url": START, "ephemeral": not remote, **body}, field)
    assert from_cli == from_api
    assert from_cli.strip()


def test_a_transformers_model_that_is_not_here_is_refused_alike(hb: Any, api: Api, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-model")
    res = hb("run", "x", "--start-url", START, "--brain", "transformers", "--model", missing, "--ephemeral")
    from_cli = cli_problem(res, "--model")
    brain = {"kind": "transformers", "model": missing}
    body = {"start_url": START, "instruction": "x", "ephemeral": True, "brain": brain}
    assert from_cli == api_problem(api, body, "brain.model")
