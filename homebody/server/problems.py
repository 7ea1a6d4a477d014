"""Errors as the API answers them: JSON ``{"detail": "<message naming the field>"}`` with a 4xx status.

Validation errors name the field as a path into the body (``brain.steps[3].x``), leaving out the
tags of tagged unions (``script``, ``click``) that pydantic puts into its locations. Exceptions from
homebody's own tree map to statuses here; anything else is a bug: it is logged with its traceback
and answered 500, never hidden behind a 4xx.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Route

from homebody.compose.fields import describe_error
from homebody.errors import BadInput, ComputerError, Conflict, HomebodyError, NotFound, ProfileInUse
from homebody.server.models import ErrorOut

log = logging.getLogger(__name__)


#: Documented on every API route, so clients (and the schema fuzzer) know the error shapes.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": what}
    for status, what in (
        (400, "the body is not UTF-8 JSON"),
        (401, "no valid token"),
        (403, "a foreign Origin"),
        (404, "no such task, profile or file"),
        (409, "not possible in the task's current state"),
        (413, "the body is over 1 MiB"),
        (421, "the Host header is not a loopback address"),
        (422, "invalid input; the message names the field"),
    )
}


def describe_validation(errors: Sequence[Any], body: Any) -> str:
    """One line per problem (at most five), each starting with the field it is about."""
    described = (describe_error(err, body) for err in list(errors)[:5])
    return "; ".join(f"{field}: {problem}" for field, problem in described) or "invalid request"


def _detail(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return _detail(422, describe_validation(exc.errors(), exc.body))


async def _homebody(request: Request, exc: Exception) -> JSONResponse:
    match exc:
        case NotFound():
            return _detail(404, str(exc))
        case Conflict() | ProfileInUse():
            return _detail(409, str(exc))
        case BadInput():
            return _detail(422, str(exc))
        case ComputerError():
            return _detail(409, f"the browser could not do it: {exc}")
        case _:
            log.error("%s %s: %s", request.method, request.url.path, exc)
            return _detail(409, str(exc))


async def _storage(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s: storage failed: %s", request.method, request.url.path, exc)
    what = "the task store" if isinstance(exc, sqlite3.Error) else "the data directory"
    return _detail(503, f"{what} is not available: {exc}")


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _detail(500, "internal error; the server log has the details")


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    detail = str(exc.detail)
    if exc.status_code == 400 and not detail.startswith("body"):
        detail = f"body: {detail} (send UTF-8 JSON)"  # FastAPI's answer to a body it cannot decode
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route offers for this path (Starlette names only the first route's)."""
    allowed: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
            allowed |= route.methods
    return sorted(allowed)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(HomebodyError, _homebody)
    app.add_exception_handler(sqlite3.Error, _storage)
    app.add_exception_handler(OSError, _storage)
    app.add_exception_handler(Exception, _bug)
