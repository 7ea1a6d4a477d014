"""The composition layer: brain options from flags, the one brain factory, and the runner's start."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from homebody.cli import build_parser
from homebody.cli.brains import brain_options, flag_message, flag_of, session_options
from homebody.compose.brains import BrainFactory
from homebody.compose.options import OpenAIBrainIn, ScriptBrainIn, SessionIn, StepsBrainIn, TransformersBrainIn
from homebody.compose.runner import FrontEnd, TaskPlan, run_task
from homebody.config import Settings
from homebody.errors import BadOption
from homebody.events import Finished, TaskStarted
from homebody.operator.sinks import MemorySink
from homebody.recordings.recorder import Recorder, read_events
from homebody.recordings.timeline import read_timeline
from homebody.server.models import TaskRecord
from homebody.types import Click, TaskSpec
from homebody.vision.pixels.ocr import OcrReader
from tests.conftest import write_script


def args(*flags: str):  # type: ignore[no-untyped-def]
    return build_parser().parse_args(["run", "--start-url", "about:blank", *flags])


def factory() -> BrainFactory:
    return BrainFactory(OcrReader(threads=1), decide_timeout_s=40)


def test_the_flags_become_the_apis_brain_options() -> None:
    options = brain_options(
        args("--base-url", "http://127.0.0.1:8000/v1", "--model", "Qwen3-VL-8B", "--max-pixels", "70000")
    )
    assert options == OpenAIBrainIn(
        kind="openai", base_url="http://127.0.0.1:8000/v1", model="Qwen3-VL-8B", max_pixels=70000, history_images=1
    )
    # Flags the chosen brain has no use for are left out, as they always were.
    assert brain_options(args("click Cart; done", "--brain", "steps", "--device", "cpu")) == StepsBrainIn(kind="steps")
    assert brain_options(args("--brain", "transformers", "--model", "m", "--dtype", "float16")) == TransformersBrainIn(
        kind="transformers", model="m", dtype="float16"
    )


def test_a_script_flag_becomes_the_script_brains_steps(tmp_path: Path) -> None:
    script = write_script(tmp_path / "s.json", [{"kind": "click", "x": 1, "y": 2}])
    assert brain_options(args("--script", str(script))) == ScriptBrainIn(kind="script", steps=[Click(x=1, y=2)])


def test_the_session_flags_become_the_apis_session_options() -> None:
    assert session_options(args()).profile_name == "default"
    assert session_options(args("--ephemeral")).profile_name is None
    remote = session_options(args("--cdp-url", "http://127.0.0.1:9222"))
    assert (remote.cdp_url, remote.profile_name) == ("http://127.0.0.1:9222", None)


def test_an_option_error_names_the_field_and_the_cli_names_its_flag() -> None:
    with pytest.raises(BadOption) as caught:
        brain_options(args("--base-url", "http://h/v1", "--model", "m", "--history-images", "0"))
    assert caught.value.field == "brain.history_images"
    assert str(caught.value) == f"brain.history_images: {caught.value.problem}"
    assert flag_message(caught.value) == f"--history-images: {caught.value.problem}"
    fields = ("brain.model_family", "brain.kind", "brain.steps", "brain.steps[2].x", "instruction", "cdp_url")
    assert [flag_of(f) for f in fields] == ["--model-family", "--brain", "--script", "--script", "TASK", "--cdp-url"]


def test_the_factory_checks_what_pydantic_cannot() -> None:
    brains = factory()
    with pytest.raises(BadOption) as caught:
        brains.check(OpenAIBrainIn(kind="openai", base_url="http://h/v1", model="Qwen3-VL-8B", max_pixels=10), "")
    assert caught.value.field == "brain.max_pixels" and "qwen3-vl" in caught.value.problem
    with pytest.raises(BadOption, match=r"^instruction: the steps brain needs"):
        brains.check(StepsBrainIn(kind="steps"), "  ")
    with pytest.raises(BadOption, match=r"^instruction: .*clik View"):
        brains.check(StepsBrainIn(kind="steps"), "clik View; done")


def test_the_factory_builds_each_kind_and_names_the_model_brain_by_its_family() -> None:
    brains = factory()
    assert brains.build(ScriptBrainIn(kind="script", steps=[Click(x=1, y=2)]), "").name == "script"
    assert brains.build(StepsBrainIn(kind="steps"), "click Cart; done").name == "steps"
    vlm = brains.build(OpenAIBrainIn(kind="openai", base_url="http://h/v1", model="UI-TARS-1.5-7B"), "")
    assert vlm.name == "openai:ui-tars"


def test_a_stored_task_is_scheduled_by_the_browser_it_uses() -> None:
    def record(**session: object) -> TaskRecord:
        return TaskRecord.model_validate(
            {
                "id": "t",
                "status": "queued",
                "instruction": "",
                "start_url": "about:blank",
                "brain_kind": "steps",
                "max_steps": 1,
                "created_at": 0.0,
                "brain": {"kind": "steps"},
                "profile": None,
                "ephemeral": False,
                **session,
            }
        )

    assert record(profile="work").browser_key == "profile:work"
    assert record(ephemeral=True).browser_key is None
    remote = record(cdp_url="http://127.0.0.1:9222")
    assert remote.browser_key == "cdp:http://127.0.0.1:9222"
    assert remote.session == SessionIn(cdp_url="http://127.0.0.1:9222")
    assert record(profile="work").cdp_url is None  # a record stored before there was cdp_url


def plan(task_id: str = "20260101-000000-00000001") -> TaskPlan:
    task = TaskSpec(task_id, "look", "about:blank", "script", None, 3)
    return TaskPlan(task, ScriptBrainIn(kind="script", steps=[]), SessionIn(ephemeral=True))


def test_a_task_that_cannot_start_is_recorded_as_failed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, browser_path=str(tmp_path / "no-chromium"))
    shown = MemorySink()
    run = asyncio.run(run_task(settings, plan(), factory(), FrontEnd(sinks=[shown])))
    assert (run.started, run.result.outcome) == (False, "failed")
    assert run.result.reason.startswith("could not start: ") and "no-chromium" in run.result.reason
    (recorded,) = read_events(run.task_dir)
    assert recorded == shown.events[0] and isinstance(recorded, Finished)
    assert recorded.reason == run.result.reason


def test_the_task_record_is_what_task_started_records_and_a_replay_reads(tmp_path: Path) -> None:
    spec = TaskSpec("t", "buy a lamp", "http://shop.test/", "script", None, 7)
    started = TaskStarted(**spec.model_dump())
    assert (
        isinstance(started, TaskSpec)
        and TaskSpec.model_validate(started.model_dump(include=set(TaskSpec.model_fields))) == spec
    )
    recorder = Recorder(tmp_path / "t")
    asyncio.run(recorder.emit(started))
    recorder.close()
    task = read_timeline(tmp_path / "t").task
    assert task is not None and (task.task_id, task.instruction, task.brain, task.ts) == (
        "t",
        "buy a lamp",
        "script",
        started.ts,
    )
