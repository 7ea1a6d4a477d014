"""What the per-tab interception reads from a paused request, and which requests it pauses."""

from __future__ import annotations

import base64

from homebody.sessions.browser.effects.network import PATTERNS, SCREENED, STATIC, _body


def test_the_body_is_put_together_from_its_entries() -> None:
    entries = [{"bytes": base64.b64encode(b"item=12&").decode()}, {"bytes": base64.b64encode(b"qty=1").decode()}]
    assert _body({"postDataEntries": entries, "postData": "ignored"}) == b"item=12&qty=1"


def test_an_entry_that_is_not_base64_is_left_out_not_guessed() -> None:
    entries = [{"bytes": "%%%"}, {"bytes": base64.b64encode(b"a=1").decode()}, {}]
    assert _body({"postDataEntries": entries}) == b"a=1"


def test_the_plain_body_is_used_when_there_are_no_entries() -> None:
    assert _body({"postData": "name=Ana"}) == b"name=Ana"
    assert _body({}) is None


def test_every_type_that_can_carry_a_change_is_paused_and_static_assets_are_not() -> None:
    paused = {p["resourceType"] for p in PATTERNS}
    assert paused == set(SCREENED)
    assert {"Document", "XHR", "Fetch", "Ping", "Other"} <= paused
    assert not paused & STATIC
    assert all(p["urlPattern"] == "*" and p["requestStage"] == "Request" for p in PATTERNS)
