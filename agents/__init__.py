"""tiermem.agents — the deciders: gate, fact extraction, retrieval agent, responder."""

if __name__ != "tiermem.agents":  # imported from a source checkout as a top-level package
    raise ImportError(
        f"this folder is the package 'tiermem.agents', imported here as '{__name__}'; "
        "install tiermem (pip install -e .) and import tiermem.agents instead"
    )

from typing import TYPE_CHECKING  # noqa: E402

from tiermem.memory.lazy import lazy_exports  # noqa: E402

if TYPE_CHECKING:
    from .answer import Answer
    from .extract import extract_facts
    from .gate import Gate, GateDecision, GateInput, create_gate, register_gate
    from .responder import Responder
    from .retriever import RetrievalAgent, RetrievalResult, RetrievedItem
    from .rule_gate import RuleGate
    from .settings import RetrievalSettings

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Answer": "answer",
        "Gate": "gate",
        "GateDecision": "gate",
        "GateInput": "gate",
        "Responder": "responder",
        "RetrievalAgent": "retriever",
        "RetrievalResult": "retriever",
        "RetrievalSettings": "settings",
        "RetrievedItem": "retriever",
        "RuleGate": "rule_gate",
        "create_gate": "gate",
        "extract_facts": "extract",
        "register_gate": "gate",
    },
)

__all__ = [
    "Answer",
    "Gate",
    "GateDecision",
    "GateInput",
    "Responder",
    "RetrievalAgent",
    "RetrievalResult",
    "RetrievalSettings",
    "RetrievedItem",
    "RuleGate",
    "create_gate",
    "extract_facts",
    "register_gate",
]
