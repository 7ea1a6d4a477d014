"""VlmBrain + TransformersBackend on tiny random Qwen2.5-VL and Qwen3-VL models built at test time.

The path users take: load from a directory or the Hugging Face cache, the chat template, the real
image preprocessing and ``generate()``. The random model's reply is forced token by token through
a ``LogitsProcessor``, so the reply is known, the brain parses it, and in real headless Chromium
the click must land on the intended button. The image must keep the size the client gave it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from homebody.errors import BadInput, BrainError
from homebody.types import Click, Done
from homebody.vision.vlm.brain import VlmBrain
from homebody.vision.vlm.coords import image_tokens
from homebody.vision.vlm.families import QWEN3_VL, QWEN25_VL, UI_TARS, Family
from homebody.vision.vlm.local_models import format_models_table, local_models, model_family_from_config
from homebody.vision.vlm.prompts import ChatMessage
from homebody.vision.vlm.transformers_backend import GenerationContext, TransformersBackend
from tests.fixtures.tiny_vlm import KINDS, forced_reply
from tests.fixtures.two_buttons import run_on_two_buttons

ROOT = Path(__file__).resolve().parents[2]


class Script:
    """The replies the model is made to give, one per ``generate()`` call, in order."""

    def __init__(self) -> None:
        self.replies: list[str] = []
        self.calls: list[GenerationContext] = []

    def __call__(self, context: GenerationContext) -> Any:
        self.calls.append(context)
        return forced_reply(context.tokenizer, self.replies.pop(0) if self.replies else "(no reply scripted)")


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import torch

    from tests.fixtures.tiny_vlm import build_tiny_vlm

    torch.set_num_threads(1)  # two threads on a busy 2-core box are many times slower
    root = tmp_path_factory.mktemp("tiny-vlm")
    return {kind: build_tiny_vlm(kind, root / f"tiny-{kind}") for kind in KINDS}


@pytest.fixture(scope="module")
def backends(tiny_models: dict[str, Path]) -> dict[str, tuple[TransformersBackend, Script]]:
    made = {}
    for kind, path in tiny_models.items():
        script = Script()
        made[kind] = (TransformersBackend(path, threads=1, progress=False, logits_processor_factory=script), script)
    return made


@pytest.fixture
def qwen3(backends: dict[str, tuple[TransformersBackend, Script]]) -> Iterator[tuple[TransformersBackend, Script]]:
    backend, script = backends["qwen3-vl"]
    yield backend, script
    script.replies.clear()


def qwen(action: str, **arguments: object) -> str:
    call = {"name": "computer_use", "arguments": {"action": action, **arguments}}
    return f"Thought: I see it.\nAction: {action}.\n<tool_call>\n{json.dumps(call)}\n</tool_call>"


def tars(action: str) -> str:
    return f"Thought: The second button is on the right.\nAction: {action}"


def jpeg_url(width: int, height: int) -> str:
    ok, data = cv2.imencode(".jpg", np.full((height, width, 3), 200, np.uint8))
    assert ok
    return "data:image/jpeg;base64," + base64.b64encode(data.tobytes()).decode("ascii")


def user(*image_sizes: tuple[int, int]) -> list[ChatMessage]:
    parts: list[Any] = [{"type": "text", "text": "Click Send"}]
    parts += [{"type": "image_url", "image_url": {"url": jpeg_url(w, h)}} for w, h in image_sizes]
    return [{"role": "system", "content": "You operate a browser."}, {"role": "user", "content": parts}]


# --------------------------------------------------------------------------- end to end in Chromium

# The second button's centre is (900, 340) in the 1280×800 viewport; each reply points there in
# its family's coordinates. UI-TARS's <|box_start|>/<|box_end|> are special tokens: decoding drops them.
E2E = [
    ("qwen3-vl", QWEN3_VL, None, qwen("left_click", coordinate=[703, 425]), qwen("terminate", status="success")),
    ("qwen2.5-vl", QWEN25_VL, None, qwen("left_click", coordinate=[906, 345]), qwen("terminate", status="success")),
    (
        "qwen2.5-vl",
        UI_TARS,
        1280 * 28 * 28,
        tars("click(start_box='<|box_start|>(886,333)<|box_end|>')"),
        tars("finished(content='ok')"),
    ),
]


@pytest.mark.parametrize(
    ("kind", "family", "max_pixels", "click", "done"), E2E, ids=["qwen3-vl", "qwen2.5-vl", "ui-tars"]
)
def test_the_models_click_lands_on_the_second_button_in_chromium(
    tmp_path: Path,
    backends: dict[str, tuple[TransformersBackend, Script]],
    kind: str,
    family: Family,
    max_pixels: int | None,
    click: str,
    done: str,
) -> None:
    backend, script = backends[kind]
    script.calls.clear()
    script.replies[:] = [click, done]
    brain = VlmBrain(backend, family, max_pixels=max_pixels, timeout_s=60)
    outcome, clicks, proposed = asyncio.run(run_on_two_buttons(tmp_path, brain))
    assert outcome == "done"
    assert clicks == ["second"]
    assert [p.action.kind for p in proposed] == ["click", "done"]
    assert isinstance(proposed[0].action, Click) and isinstance(proposed[-1].action, Done)
    assert proposed[0].raw == click.replace("<|box_start|>", "").replace("<|box_end|>", "")
    assert len(script.calls) == 2
    # The image reached the model at the client's smart_resize size: no second resize in the processor.
    budget = family.default_max_pixels if max_pixels is None else max_pixels
    expected = {"qwen3-vl": (1280, 800), "qwen2.5-vl": (1288, 812), "ui-tars": (1260, 784)}[family.name]
    stats = backend.last_stats
    assert stats is not None and stats.image_sizes == (expected,)
    assert stats.image_tokens == image_tokens(800, 1280, family.factor, family.min_pixels, budget)
    assert stats.image_tokens == {"qwen3-vl": 1000, "qwen2.5-vl": 1334, "ui-tars": 1260}[family.name]
    assert backend.family == kind and backend.device == "cpu"


# --------------------------------------------------------------------------- the backend alone


def test_the_processor_keeps_each_image_at_the_size_the_client_chose(qwen3: tuple[TransformersBackend, Script]) -> None:
    backend, script = qwen3
    script.replies[:] = [qwen("wait", time=1)]
    # 224×224 is below Qwen3-VL's min_pixels (65,536): the processor alone would upscale it to 256×256
    # (64 tokens). The brain never sends that, but the backend must not resize whatever it is sent.
    reply = asyncio.run(backend.complete(user((224, 224), (640, 384))))
    assert reply == qwen("wait", time=1)
    stats = backend.last_stats
    assert stats is not None
    assert stats.image_sizes == ((224, 224), (640, 384))
    assert stats.image_tokens == 7 * 7 + 20 * 12
    tokenizer = script.calls[-1].tokenizer
    assert stats.new_tokens == len(tokenizer.encode(reply, add_special_tokens=False)) + 1  # and <|im_end|>
    assert script.calls[-1].prompt_tokens == stats.prompt_tokens


def test_a_screenshot_that_is_not_a_multiple_of_the_factor_names_the_mismatch(
    qwen3: tuple[TransformersBackend, Script],
) -> None:
    backend, _ = qwen3
    with pytest.raises(
        BrainError, match=r"230x230 screenshot is not a multiple of 32.*\(a qwen3-vl\): the chosen model family"
    ):
        asyncio.run(backend.complete(user((230, 230))))


def test_a_step_past_its_deadline_stops_generating(qwen3: tuple[TransformersBackend, Script]) -> None:
    backend, script = qwen3
    asyncio.run(backend.load())
    script.replies[:] = ["word " * 2000]  # far more than 0.3 s of tokens, even for a tiny model
    started = time.monotonic()
    with pytest.raises(BrainError, match=r"did not answer within 0\.3 s"):
        asyncio.run(backend.complete(user((256, 256)), timeout_s=0.3))
    assert time.monotonic() - started < 2  # generating all 512 tokens takes over 3 s


def test_a_cancelled_step_stops_generating_at_the_next_token(qwen3: tuple[TransformersBackend, Script]) -> None:
    backend, script = qwen3
    script.replies[:] = ["word " * 2000, qwen("wait", time=1)]

    async def cancel_then_ask() -> tuple[str, float]:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(backend.complete(user((256, 256))), 0.3)
        started = time.monotonic()
        reply = await backend.complete(user((256, 256)))  # waits for the cancelled generate() to stop
        return reply, time.monotonic() - started

    reply, waited = asyncio.run(cancel_then_ask())
    assert reply == qwen("wait", time=1)
    assert waited < 2  # 512 forced tokens take over 3 s


def test_a_model_that_is_not_downloaded_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    backend = TransformersBackend("Qwen/Qwen3-VL-4B-Instruct", progress=False)
    with pytest.raises(
        BadInput, match=r"Qwen/Qwen3-VL-4B-Instruct is not on this machine: run `homebody pull Qwen/Qwen3"
    ):
        asyncio.run(backend.complete(user((256, 256))))
    with pytest.raises(BadInput, match="no such directory"):
        asyncio.run(TransformersBackend(str(tmp_path / "nowhere"), progress=False).load())


# --------------------------------------------------------------------------- the Hugging Face cache


def fake_hub_cache(cache: Path, model_id: str, model_dir: Path) -> Path:
    """Lay ``model_dir`` out as ``huggingface_hub`` caches a download: blobs, a snapshot of links, refs/main."""
    repo = cache / ("models--" + model_id.replace("/", "--"))
    commit = hashlib.sha1(model_id.encode()).hexdigest()
    snapshot = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    for file in model_dir.iterdir():
        blob = repo / "blobs" / hashlib.sha256(file.read_bytes()).hexdigest()
        blob.write_bytes(file.read_bytes())
        (snapshot / file.name).symlink_to(os.path.relpath(blob, snapshot))
    return snapshot


def test_a_cached_model_is_listed_and_loads_offline_by_its_id(
    tmp_path: Path, tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    cache = tmp_path / "hub"
    fake_hub_cache(cache, "Qwen/Qwen3-VL-4B-Instruct", tiny_models["qwen3-vl"])
    snapshot = fake_hub_cache(cache, "someone/UI-TARS-1.5-7B-tuned", tiny_models["qwen2.5-vl"])
    (snapshot / "model.safetensors").unlink()  # an interrupted download
    found = {m.model_id: m for m in local_models(cache)}
    assert found["Qwen/Qwen3-VL-4B-Instruct"].family == "qwen3-vl" and found["Qwen/Qwen3-VL-4B-Instruct"].complete
    assert found["Qwen/Qwen3-VL-4B-Instruct"].supported
    assert found["someone/UI-TARS-1.5-7B-tuned"].family == "ui-tars"
    assert found["someone/UI-TARS-1.5-7B-tuned"].missing == ("model.safetensors",)
    table = format_models_table(cache)
    assert "Qwen/Qwen3-VL-4B-Instruct" in table and "ready (0.0 GB)" in table.split("Qwen3-VL-4B")[1].splitlines()[0]
    assert "Qwen/Qwen2.5-VL-7B-Instruct" in table and "not downloaded" in table
    assert "someone/UI-TARS-1.5-7B-tuned  (ui-tars)  incomplete" in table

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    with pytest.raises(BadInput, match=r"download of someone/UI-TARS-1.5-7B-tuned is incomplete.*homebody pull"):
        asyncio.run(TransformersBackend("someone/UI-TARS-1.5-7B-tuned", progress=False).load())
    script = Script()
    script.replies.append(qwen("left_click", coordinate=[500, 500]))
    backend = TransformersBackend(
        "Qwen/Qwen3-VL-4B-Instruct", threads=1, progress=False, logits_processor_factory=script
    )
    assert asyncio.run(backend.complete(user((256, 256)))) == qwen("left_click", coordinate=[500, 500])
    assert backend.family == "qwen3-vl"


def test_pull_fails_fast_and_clearly_without_the_hub(tmp_path: Path) -> None:
    code = (
        "from homebody.vision.vlm.local_models import pull\n"
        "from homebody.errors import BrainError\n"
        f"try:\n    pull('Qwen/Qwen3-VL-2B-Instruct', progress=False, cache_dir={str(tmp_path)!r})\n"
        "except BrainError as exc:\n    print('BrainError:', exc)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    assert time.monotonic() - started < 20
    assert proc.returncode == 0, proc.stderr
    assert "BrainError: cannot download Qwen/Qwen3-VL-2B-Instruct: offline mode is on (HF_HUB_OFFLINE=1)" in proc.stdout


@pytest.mark.parametrize(
    ("config", "name", "family"),
    [
        ({"model_type": "qwen3_vl"}, "Qwen/Qwen3-VL-8B-Instruct", "qwen3-vl"),
        ({"model_type": "qwen2_5_vl"}, "Qwen/Qwen2.5-VL-7B-Instruct", "qwen2.5-vl"),
        ({"model_type": "qwen2_5_vl"}, "ByteDance-Seed/UI-TARS-1.5-7B", "ui-tars"),
        ({"model_type": "qwen2_5_vl", "_name_or_path": "/models/ui_tars_1.5"}, None, "ui-tars"),
        ({"model_type": "qwen2_vl"}, "Qwen/Qwen2-VL-7B-Instruct", None),
        ({"model_type": "llama"}, "meta/llama", None),
    ],
)
def test_the_family_comes_from_the_config_and_the_name(config: dict[str, str], name: str | None, family: str) -> None:
    assert model_family_from_config(config, name) == family


# --------------------------------------------------------------------------- cheap to import


def test_importing_the_backend_imports_neither_torch_nor_transformers() -> None:
    code = (
        "import sys, homebody.vision.vlm.transformers_backend, homebody.vision.vlm.local_models\n"
        "print(sorted(m for m in ('torch', 'transformers', 'huggingface_hub', 'PIL') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_without_torch_the_backend_says_what_to_install() -> None:
    code = (
        "import asyncio, sys\n"
        "class NoTorch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('torch', 'transformers'):\n"
        "            raise ImportError(f'No module named {name!r}')\n"
        "sys.meta_path.insert(0, NoTorch())\n"
        "from homebody.errors import BadInput\n"
        "from homebody.vision.vlm.transformers_backend import TransformersBackend\n"
        "backend = TransformersBackend('Qwen/Qwen3-VL-4B-Instruct', progress=False)\n"
        "try:\n    asyncio.run(backend.load())\n"
        "except BadInput as exc:\n    print(exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "needs torch and transformers" in proc.stdout and "pip install" in proc.stdout
