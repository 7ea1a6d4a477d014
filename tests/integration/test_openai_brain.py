"""VlmBrain + OpenAIBackend against a real local HTTP server that speaks the OpenAI chat API,
then end to end in real headless Chromium: the model's click must land on the right button."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from homebody.errors import BrainError
from homebody.types import BrainInput, Click, Done, Frame, KeyCombo, Size
from homebody.vision.vlm.brain import VlmBrain
from homebody.vision.vlm.families import QWEN3_VL, QWEN25_VL, UI_TARS, Family
from homebody.vision.vlm.openai_backend import OpenAIBackend
from tests.fixtures.two_buttons import run_on_two_buttons

# --------------------------------------------------------------------------- the fake server


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    body: bytes | None = None  # sent verbatim instead of a completion
    headers: dict[str, str] = field(default_factory=dict)
    tool_calls: list[dict[str, Any]] | None = None


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeModelServer:
    """An OpenAI-compatible ``/v1/chat/completions`` on 127.0.0.1 answering from a queue."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        # A client that gave up (the timeout test) makes the handler's write fail: expected, keep quiet.
        self._http.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def queue(self, *replies: Reply | str) -> None:
        with self._lock:
            self.replies += [r if isinstance(r, Reply) else Reply(r) for r in replies]

    def next_reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            return self.replies.pop(0) if self.replies else Reply(status=500, body=b"no reply queued")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()


def _handler(server: FakeModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            reply = server.next_reply(Seen(self.path, dict(self.headers.items()), body))
            if self.path != "/v1/chat/completions":
                reply = Reply(status=404, body=b'{"error": "not found"}')
            time.sleep(reply.delay_s)
            data = reply.body if reply.body is not None else _completion(reply)
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _completion(reply: Reply) -> bytes:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tool_calls is not None:
        message["tool_calls"] = reply.tool_calls
    choice = {"index": 0, "message": message, "finish_reason": "stop"}
    return json.dumps({"id": "cmpl-1", "object": "chat.completion", "choices": [choice]}).encode()


@pytest.fixture
def server() -> Iterator[FakeModelServer]:
    fake = FakeModelServer()
    fake.start()
    yield fake
    fake.stop()


# --------------------------------------------------------------------------- replies in each family's format


def qwen(action: str, **arguments: object) -> str:
    call = {"name": "computer_use", "arguments": {"action": action, **arguments}}
    return f"Thought: I see it.\nAction: {action}.\n<tool_call>\n{json.dumps(call)}\n</tool_call>"


def tars(action: str) -> str:
    return f"Thought: The second button is on the right.\nAction: {action}"


def screenshot(width: int = 1280, height: int = 800) -> Frame:
    ok, data = cv2.imencode(".jpg", np.full((height, width, 3), 240, np.uint8))
    assert ok
    return Frame(data=data.tobytes(), format="jpeg", size=Size(width, height), ts=time.time())


def sent_image_size(seen: Seen) -> tuple[int, int]:
    urls = [
        part["image_url"]["url"]
        for message in seen.body["messages"]
        if isinstance(message["content"], list)
        for part in message["content"]
        if part["type"] == "image_url"
    ]
    assert len(urls) == 1
    prefix = "data:image/jpeg;base64,"
    assert urls[0].startswith(prefix)
    raw = base64.b64decode(urls[0][len(prefix) :])
    image = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and raw[:2] == b"\xff\xd8"
    return image.shape[1], image.shape[0]


def decide(brain: VlmBrain, frame: Frame | None = None) -> Any:
    return asyncio.run(brain.decide(BrainInput(instruction="click Send", frame=frame or screenshot(), step=1)))


def backend(server: FakeModelServer, **options: Any) -> OpenAIBackend:
    options.setdefault("backoff_s", 0.01)
    return OpenAIBackend(server.url, "local-vlm", **options)


# --------------------------------------------------------------------------- the brain over HTTP


@pytest.mark.parametrize(
    ("family", "max_pixels", "reply", "image", "point"),
    [
        # relative 0..1000: (703, 425) → (703·1.28, 425·0.8)
        (QWEN3_VL, None, qwen("left_click", coordinate=[703, 425]), (1280, 800), (899.84, 340)),
        # Qwen2.5-VL default budget: 1280×800 → 1288×812; (906, 345) → (906·1280/1288, 345·800/812)
        (QWEN25_VL, None, qwen("left_click", coordinate=[906, 345]), (1288, 812), (900.37, 339.9)),
        # UI-TARS at 1280·28²: 1280×800 → 1260×784; (886, 333) → (900.06, 339.8)
        (UI_TARS, 1280 * 28 * 28, tars("click(start_box='(886,333)')"), (1260, 784), (900.06, 339.8)),
        (QWEN3_VL, 256 * 32 * 32, qwen("double_click", coordinate=[500, 500]), (640, 384), (640, 400)),
    ],
    ids=["qwen3-vl", "qwen2.5-vl", "ui-tars", "qwen3-vl-small"],
)
def test_each_family_gets_its_click_in_screen_pixels_and_the_model_saw_the_resized_image(
    server: FakeModelServer,
    family: Family,
    max_pixels: int | None,
    reply: str,
    image: tuple[int, int],
    point: tuple[float, float],
) -> None:
    server.queue(reply)
    brain = VlmBrain(backend(server, api_key="sekret", max_tokens=256), family, max_pixels=max_pixels)
    decision = decide(brain)
    assert isinstance(decision.action, Click)
    assert (decision.action.x, decision.action.y) == point
    assert decision.action.count == (2 if "double" in reply else 1)
    (seen,) = server.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["Authorization"] == "Bearer sekret"
    assert seen.body["model"] == "local-vlm"
    assert seen.body["temperature"] == 0 and seen.body["max_tokens"] == 256
    assert sent_image_size(seen) == image


def test_a_malformed_reply_is_re_asked_exactly_once_with_the_parse_error(server: FakeModelServer) -> None:
    server.queue(qwen("fly", coordinate=[1, 2]), qwen("key", keys=["ctrl", "enter"]))
    brain = VlmBrain(backend(server), QWEN3_VL)
    decision = decide(brain)
    assert decision.action == KeyCombo(keys=("Control", "Enter"))
    assert len(server.requests) == 2
    first, second = (s.body["messages"] for s in server.requests)
    assert len(second) == len(first) + 2
    assert second[-2] == {"role": "assistant", "content": qwen("fly", coordinate=[1, 2])}
    assert "unknown action 'fly'" in second[-1]["content"]
    assert brain.parse_failures == 1 and "unknown action 'fly'" in decision.thought


def test_two_bad_replies_fail_the_decision_with_the_raw_output(server: FakeModelServer) -> None:
    server.queue(tars("fly()"), "I cannot see any button.")
    brain = VlmBrain(backend(server), UI_TARS)
    with pytest.raises(BrainError, match="no 'Action:' line found") as info:
        decide(brain)
    assert "I cannot see any button." in str(info.value)
    assert len(server.requests) == 2 and brain.parse_failures == 2


def test_a_server_error_is_retried_then_succeeds(server: FakeModelServer) -> None:
    server.queue(Reply(status=500, body=b"overloaded"), Reply(status=429, headers={"Retry-After": "0"}), qwen("wait"))
    decision = decide(VlmBrain(backend(server), QWEN3_VL))
    assert decision.action.kind == "wait"
    assert len(server.requests) == 3


def test_a_server_that_keeps_failing_is_a_brain_error_naming_the_url(server: FakeModelServer) -> None:
    server.queue(*[Reply(status=503, body=b"down")] * 3)
    with pytest.raises(BrainError, match=r"127\.0\.0\.1.*HTTP 503: down \(after 3 attempts\)"):
        decide(VlmBrain(backend(server, retries=2), QWEN3_VL))
    assert len(server.requests) == 3


def test_a_client_error_is_not_retried(server: FakeModelServer) -> None:
    server.queue(Reply(status=400, body=b'{"error": "model local-vlm not found"}'))
    with pytest.raises(BrainError, match=r"refused the request: HTTP 400.*not found"):
        decide(VlmBrain(backend(server), QWEN3_VL))
    assert len(server.requests) == 1


def test_a_slow_reply_past_the_timeout_is_a_brain_error(server: FakeModelServer) -> None:
    server.queue(Reply(qwen("wait"), delay_s=2.0))
    started = time.monotonic()
    with pytest.raises(BrainError, match=r"did not answer within 0\.3 s"):
        decide(VlmBrain(backend(server, timeout_s=0.3), QWEN3_VL))
    assert time.monotonic() - started < 1.8


def test_the_brains_timeout_overrides_the_backends(server: FakeModelServer) -> None:
    server.queue(Reply(qwen("wait"), delay_s=1.0))
    with pytest.raises(BrainError, match=r"within 0\.2 s"):
        decide(VlmBrain(backend(server, timeout_s=60), QWEN3_VL, timeout_s=0.2))


def test_a_refused_connection_names_the_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    brain = VlmBrain(OpenAIBackend(f"http://127.0.0.1:{port}/v1", "m", retries=1, backoff_s=0.01), QWEN3_VL)
    with pytest.raises(BrainError, match=rf"127\.0\.0\.1:{port}/v1/chat/completions: cannot connect.*2 attempts"):
        decide(brain)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Bad Gateway</html>", "did not answer with JSON"),
        (b'{"object": "error", "message": "oops"}', "without 'choices'"),
        (b'{"choices": []}', "no choices"),
        (b'{"choices": [{"text": "legacy"}]}', "malformed completion"),
    ],
)
def test_unusable_bodies_are_clear_brain_errors(server: FakeModelServer, body: bytes, message: str) -> None:
    server.queue(Reply(body=body))
    with pytest.raises(BrainError, match=message):
        decide(VlmBrain(backend(server), QWEN3_VL))


def test_structured_tool_calls_are_read_like_tagged_ones(server: FakeModelServer) -> None:
    arguments = json.dumps({"action": "left_click", "coordinate": [500, 500]})
    call = {"id": "c1", "type": "function", "function": {"name": "computer_use", "arguments": arguments}}
    server.queue(Reply(text="", tool_calls=[call]))
    assert decide(VlmBrain(backend(server), QWEN3_VL)).action == Click(x=640, y=400)


# --------------------------------------------------------------------------- end to end in Chromium

# The second button's centre is (900, 340) in the 1280×800 viewport.
E2E = [
    (QWEN3_VL, None, qwen("left_click", coordinate=[703, 425]), qwen("terminate", status="success")),
    (QWEN25_VL, None, qwen("left_click", coordinate=[906, 345]), qwen("terminate", status="success")),
    (
        UI_TARS,
        1280 * 28 * 28,
        tars("click(start_box='<|box_start|>(886,333)<|box_end|>')"),
        tars("finished(content='ok')"),
    ),
]


@pytest.mark.parametrize(("family", "max_pixels", "click", "done"), E2E, ids=lambda v: getattr(v, "name", None))
def test_the_models_click_lands_on_the_second_button_in_chromium(
    tmp_path: Path, server: FakeModelServer, family: Family, max_pixels: int | None, click: str, done: str
) -> None:
    server.queue(click, done)
    brain = VlmBrain(backend(server), family, max_pixels=max_pixels)
    outcome, clicks, proposed = asyncio.run(run_on_two_buttons(tmp_path, brain))
    assert outcome == "done"
    assert clicks == ["second"]
    assert [p.action.kind for p in proposed] == ["click", "done"]
    assert isinstance(proposed[-1].action, Done) and proposed[0].raw == click
    assert len(server.requests) == 2
    expected = {"qwen3-vl": (1280, 800), "qwen2.5-vl": (1288, 812), "ui-tars": (1260, 784)}[family.name]
    assert sent_image_size(server.requests[0]) == expected


def test_homebody_run_with_an_openai_brain_clicks_where_the_model_says_and_halts_before_buying(
    server: FakeModelServer, hb: Any, site: Any, measure: Any
) -> None:
    """The CLI path: --brain openai, a Qwen3-VL reply in 0..1000 coordinates, the checker still halts."""
    x, y = measure("/shop/product/2", "#buy-now")
    server.queue(qwen("left_click", coordinate=[round(x / 1280 * 1000), round(y / 800 * 1000)]))
    res = hb(
        "run",
        "Buy the espresso maker",
        "--start-url",
        f"{site.url}/shop/product/2",
        "--ephemeral",
        "--json",
        "--brain",
        "openai",
        "--base-url",
        server.url,
        "--model",
        "Qwen3-VL-8B-Instruct",
    )
    assert res.code == 3, res.stderr
    halted = [e for e in res.events() if e["type"] == "halted"]
    assert halted[0]["category"] == "purchase" and halted[0]["target"]["name"] == "Buy now"
    assert site.state()["buy_now"] == []
    assert server.requests[0].body["model"] == "Qwen3-VL-8B-Instruct"
