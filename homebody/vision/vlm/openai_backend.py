"""A backend for any OpenAI-compatible chat server: vLLM, SGLang, llama.cpp's server, Ollama's /v1.

Plain HTTP from the standard library, run in a worker thread, with a timeout on every request.
Connection failures, 5xx and 429 answers are retried with exponential backoff; everything else
becomes a ``BrainError`` that names the URL. Environment proxies are ignored on purpose: the model
server is the user's own machine or LAN, and screenshots must not take a detour.
"""

from __future__ import annotations

import asyncio
import http.client
import ipaddress
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from homebody.errors import BadInput, BrainError, HomebodyError
from homebody.vision.vlm.prompts import ChatMessage

log = logging.getLogger(__name__)

#: The most of a reply body that is read (a chat completion is a few kilobytes).
MAX_REPLY_BYTES = 8 * 1024 * 1024
_RETRY_STATUS = {429, 500, 502, 503, 504}


class _ToolFunction(BaseModel):
    name: str = ""
    arguments: str | dict[str, Any] = ""


class _ToolCall(BaseModel):
    function: _ToolFunction


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    content: str | list[dict[str, Any]] | None = None
    tool_calls: list[_ToolCall] | None = None


class _Choice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    message: _Message


class _Completion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    choices: list[_Choice]


class _Retry(HomebodyError):
    """A failure worth another try (refused connection, 5xx, 429)."""

    def __init__(self, reason: str, wait_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_s = wait_s


class OpenAIBackend:
    """POSTs ``{base_url}/chat/completions`` with ``temperature 0``; returns the reply text.

    A structured ``tool_calls`` reply (a server started with a tool-call parser) is turned back
    into the ``<tool_call>{…}</tool_call>`` text the Qwen parsers read.
    """

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        retries: int = 2,
        max_tokens: int = 1024,
        backoff_s: float = 0.5,
    ) -> None:
        self.url = _endpoint(base_url)
        self.model = model
        self._api_key = api_key
        self._timeout_s = timeout_s
        self._retries = retries
        self._max_tokens = max_tokens
        self._backoff_s = backoff_s
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        if not _is_local(self.url):
            log.warning("model server %s is not on this machine or its network: screenshots go there", self.url)

    async def complete(self, messages: Sequence[ChatMessage], *, timeout_s: float | None = None) -> str:
        timeout = self._timeout_s if timeout_s is None else timeout_s
        body = json.dumps(
            {"model": self.model, "messages": list(messages), "temperature": 0, "max_tokens": self._max_tokens}
        ).encode("utf-8")
        for attempt in range(self._retries + 1):
            try:
                payload = await asyncio.to_thread(self._post, body, timeout)
            except _Retry as exc:
                if attempt == self._retries:
                    raise BrainError(f"model server {self.url}: {exc.reason} (after {attempt + 1} attempts)") from None
                wait = exc.wait_s if exc.wait_s is not None else self._backoff_s * 2**attempt
                log.warning("model server %s: %s; retrying in %.1f s", self.url, exc.reason, wait)
                await asyncio.sleep(wait)
                continue
            return self._reply_text(payload)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _post(self, body: bytes, timeout: float) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with self._opener.open(request, timeout=timeout) as response:
                data: bytes = response.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise BrainError(f"model server {self.url} did not answer within {timeout:g} s") from None
            raise _Retry(f"cannot connect ({exc.reason})") from None
        except TimeoutError:
            raise BrainError(f"model server {self.url} did not answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Retry(f"connection failed ({type(exc).__name__}: {exc})") from None
        if len(data) > MAX_REPLY_BYTES:
            raise BrainError(f"model server {self.url} sent a reply larger than {MAX_REPLY_BYTES} bytes")
        return data

    def _http_error(self, exc: urllib.error.HTTPError) -> Exception:
        try:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
        except OSError:
            detail = ""
        finally:
            exc.close()
        reason = f"HTTP {exc.code}" + (f": {detail[:500]}" if detail else "")
        if exc.code in _RETRY_STATUS:
            return _Retry(reason, _retry_after(exc.headers.get("Retry-After")))
        return BrainError(f"model server {self.url} refused the request: {reason}")

    def _reply_text(self, payload: bytes) -> str:
        try:
            data = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError):
            start = payload[:200].decode("utf-8", "replace")
            raise BrainError(f"model server {self.url} did not answer with JSON: {start!r}") from None
        if not isinstance(data, dict) or "choices" not in data:
            raise BrainError(f"model server {self.url} answered without 'choices': {str(data)[:300]}")
        try:
            completion = _Completion.model_validate(data)
        except ValidationError as exc:
            raise BrainError(f"model server {self.url} sent a malformed completion: {exc.errors()[0]['msg']}") from None
        if not completion.choices:
            raise BrainError(f"model server {self.url} answered with no choices")
        return _message_text(completion.choices[0].message)


def _message_text(message: _Message) -> str:
    content = message.content
    if isinstance(content, list):
        content = "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    text = content or ""
    for call in message.tool_calls or []:
        arguments = call.function.arguments
        parsed: object = arguments
        if isinstance(arguments, str):
            try:
                parsed = json.loads(arguments)
            except json.JSONDecodeError:
                parsed = arguments  # left as text: the parser reports it to the model
        text += "\n<tool_call>\n" + json.dumps({"name": call.function.name, "arguments": parsed}) + "\n</tool_call>"
    return text


def _endpoint(base_url: str) -> str:
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"--base-url must be an http(s) URL like http://127.0.0.1:8000/v1, got {base_url!r}")
    return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


def _is_local(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith((".local", ".lan", ".home.arpa")) or "." not in host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def _retry_after(value: str | None) -> float | None:
    try:
        return min(max(float(value), 0.0), 30.0) if value else None
    except ValueError:
        return None
