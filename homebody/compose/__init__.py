"""The composition layer shared by the terminal (``cli``) and the HTTP endpoint (``server``).

One way to build a task, whichever front end asked for it: ``options`` (the typed brain and browser
options that both the API's body and ``homebody run``'s flags become), ``brains`` (the one brain
factory: validation, building, one copy of a local model's weights), ``build`` (the operator and
its checker, OCR and verifier) and ``runner`` (the one task runner: open the browser, record, run,
close). The front ends add only what is theirs: where events are shown and who answers a halt.
"""

from __future__ import annotations

from homebody.compose.build import build_operator

__all__ = ["build_operator"]
