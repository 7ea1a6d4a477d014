"""The words for what happened in a task: an action of the agent, an input of a person, a held request.

An action is described in one place, ``homebody.types.describe_action``, and a person's input during a
takeover as the action it amounts to (a click is a click, whoever made it). The terminal timeline,
the HTML and video replays and the web page all say it that way: the web page gets these words with
the events the server streams to it (``event_with_words``) instead of wording events again. A request
the effect gate holds is said as what it would send (``held_line``), its category and reason beside it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from homebody.events import Event, Executed, Halted, HumanInput, Proposed, Skipped
from homebody.types import Action, Click, HeldEffect, InputEvent, KeyCombo, Outgoing, Scroll, TypeText, describe_action

NO_ACTION = "(no action recorded)"


def action_line(action: Action | None) -> str:
    """What the agent did, with the text it typed (a recording holds a secret already masked)."""
    return NO_ACTION if action is None else describe_action(action, with_text=True)


def input_line(inp: InputEvent) -> str:
    """What a person did during a takeover, in the words of the action it amounts to."""
    action: Action
    match inp.kind:
        case "move" | "down" | "up":
            return f"mouse {inp.kind} at ({inp.x:.0f}, {inp.y:.0f})"
        # model_construct: the input was validated as an InputEvent; the action only carries it to the
        # words, and an odd recorded input (an empty key) must still be described, not refused
        case "click":
            action = Click.model_construct(x=inp.x, y=inp.y, button=inp.button, count=inp.count)
        case "wheel":
            action = Scroll.model_construct(x=inp.x, y=inp.y, dx=inp.dx, dy=inp.dy)
        case "key":
            action = KeyCombo.model_construct(keys=(inp.key,))
        case "text":
            action = TypeText.model_construct(text=inp.text)
    return describe_action(action, with_text=True)


#: How a held effect leaves the browser, where it is not an ordinary request.
KIND_WORDS = {"navigation": "a navigation", "websocket": "a WebSocket message"}


def outgoing_line(out: Outgoing) -> str:
    """What a held request would send, in one line: method and (masked) URL, then its kind when it is
    not a plain request, the body's field names and the operation it names
    (``POST https://shop.example/api · fields: card, qty · operation: mutation PlaceOrder``)."""
    parts = [f"{out.method} {out.url}"]
    if out.kind in KIND_WORDS:
        parts.append(KIND_WORDS[out.kind])
    if not out.top_level and out.frame_url:
        parts.append(f"from an embedded frame ({out.frame_url})")
    if out.fields:
        parts.append("fields: " + ", ".join(out.fields))
    if out.operation:
        parts.append(f"operation: {out.operation}")
    return " · ".join(parts)


def held_line(held: HeldEffect) -> str:
    """A held request with why it is held: ``POST https://… · fields: … [change] sends a change``."""
    return f"{outgoing_line(held.outgoing)} [{held.category}] {held.reason}".rstrip()


def halt_heading(held: Sequence[HeldEffect]) -> str:
    """What a halt waits for: an action not yet run, or (``held``) what an action that ran would send."""
    if not held:
        return "HALTED before acting"
    count = len(held)
    return f"HALTED holding what the action would send ({count} request{'s' if count != 1 else ''})"


def event_with_words(event: Event) -> str:
    """The event as JSON plus ``description`` when it carries an action or a person's input: what the
    web page shows, so that the page never words an action differently from the rest of homebody."""
    data = event.model_dump(mode="json")
    match event:
        case Halted():
            data["description"] = action_line(event.action)
            if event.held:
                data["held_descriptions"] = [held_line(held) for held in event.held]
        case Proposed() | Skipped() | Executed():
            data["description"] = action_line(event.action)
        case HumanInput():
            data["description"] = input_line(event.input)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
