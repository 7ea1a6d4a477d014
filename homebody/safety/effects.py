"""TEMP stub."""
from dataclasses import dataclass
from homebody.types import Category, Outgoing
@dataclass(frozen=True, slots=True)
class ChangeJudgement:
    read: bool
    category: Category
    reason: str
    evidence: tuple[str, ...]
def judge_outgoing(out: Outgoing) -> ChangeJudgement:
    cat = "delete" if out.method == "DELETE" else "purchase" if "order" in out.url else "change"
    return ChangeJudgement(False, cat, f"the action would send {out.method} {out.url}", ())
