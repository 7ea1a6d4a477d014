"""Request bodies: what is accepted, and error messages that name the field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from homebody.compose.fields import field_path
from homebody.server.models import ApproveIn, InputIn, TaskIn
from homebody.server.problems import describe_validation


def problems(body: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as caught:
        TaskIn.model_validate(body)
    errors = [{**e, "loc": ("body", *e["loc"])} for e in caught.value.errors()]
    return describe_validation(errors, body)


def test_field_paths_leave_out_union_tags() -> None:
    body = {"brain": {"kind": "script", "steps": [{"kind": "click", "x": -1}]}}
    assert field_path(("body", "brain", "script", "steps", 0, "click", "x"), body) == "brain.steps[0].x"
    assert field_path(("query", "limit"), None) == "query.limit"


def test_a_task_defaults_to_the_default_profile_and_the_steps_brain() -> None:
    task = TaskIn.model_validate({"start_url": "http://127.0.0.1:8780/shop", "instruction": "click Cart; done"})
    assert (task.profile_name, task.brain.kind, task.max_steps) == ("default", "steps", 50)
    assert TaskIn.model_validate({"start_url": "about:blank", "ephemeral": True}).profile_name is None
    remote = TaskIn.model_validate({"start_url": "about:blank", "cdp_url": " http://192.168.1.20:9222 "})
    assert (remote.cdp_url, remote.profile_name) == ("http://192.168.1.20:9222", None)


@pytest.mark.parametrize(
    ("body", "starts"),
    [
        ({"start_url": "ftp://x"}, "start_url:"),
        ({"start_url": "http://a b/"}, "start_url:"),
        ({"start_url": "about:blank", "profile": "../x"}, "profile:"),
        ({"start_url": "about:blank", "profile": "a", "ephemeral": True}, "profile:"),
        ({"start_url": "about:blank", "cdp_url": "ftp://127.0.0.1:9222"}, "cdp_url: must be an http://"),
        ({"start_url": "about:blank", "cdp_url": "http://127.0.0.1:99999"}, "cdp_url: has an invalid port"),
        ({"start_url": "about:blank", "cdp_url": "http://127.0.0.1:9222", "ephemeral": True}, "cdp_url:"),
        ({"start_url": "about:blank", "cdp_url": "http://127.0.0.1:9222", "profile": "a"}, "cdp_url:"),
        ({"start_url": "about:blank", "max_steps": 501}, "max_steps:"),
        ({"start_url": "about:blank", "sites": ["shop.example", "a b"]}, "sites: 'a b' is not a site"),
        ({"start_url": "about:blank", "sites": ["ftp://shop.example/cart"]}, "sites: "),
        ({"start_url": "about:blank", "sites": "shop.example"}, "sites: Input should be a valid list"),
        ({"start_url": "about:blank", "sites": [""]}, "sites: "),
        ({"start_url": "about:blank", "sites": [7]}, "sites[0]:"),
        ({"start_url": "about:blank", "ask": "never"}, "ask: Input should be 'commits' or 'every-change'"),
        ({"start_url": "about:blank", "ephemeral": "yes"}, "ephemeral:"),
        (
            {"start_url": "about:blank", "brain": {"kind": "script", "steps": [{"kind": "wait", "seconds": 0}]}},
            "brain.steps[0].seconds:",
        ),
        (
            {"start_url": "about:blank", "brain": {"kind": "script", "steps": [{"kind": "scroll", "x": 1, "y": True}]}},
            "brain.steps[0].y:",
        ),
        ({"start_url": "about:blank", "brain": {"kind": "script", "steps": [{"x": 1}]}}, "brain.steps[0].kind:"),
        ({"start_url": "about:blank", "brain": {"kind": "telepathy"}}, "brain.kind:"),
        (
            {"start_url": "about:blank", "brain": {"kind": "openai", "model": "m", "base_url": "ftp://x"}},
            "brain.base_url:",
        ),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(body: dict[str, object], starts: str) -> None:
    assert problems(body).startswith(starts)


def test_sites_are_normalised_once_each_and_ask_defaults_to_commits() -> None:
    task = TaskIn.model_validate(
        {"start_url": "about:blank", "sites": ["Shop.Example", "pay.example:8443", "shop.example"]}
    )
    assert (task.sites, task.ask) == (["shop.example", "pay.example"], "commits")
    every = TaskIn.model_validate({"start_url": "about:blank", "ask": "every-change"})
    assert (every.sites, every.ask) == ([], "every-change")


def test_approval_and_input_bodies() -> None:
    assert ApproveIn.model_validate({"grant": "timed", "grant_seconds": 60}).grant_seconds == 60
    with pytest.raises(ValidationError, match="grant_seconds: only with grant"):
        ApproveIn.model_validate({"grant_seconds": 60})
    assert InputIn.model_validate({"kind": "click", "x": 3, "y": 4}).point.x == 3
    with pytest.raises(ValidationError):
        InputIn.model_validate({"kind": "click", "x": True})
