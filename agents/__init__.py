"""tiermem.agents — the deciders: gate, fact extraction, retrieval agent, responder."""

if __name__ != "tiermem.agents":  # imported from a source checkout as a top-level package
    raise ImportError(
        f"this folder is the package 'tiermem.agents', imported here as '{__name__}'; "
        "install tiermem (pip install -e .) and import tiermem.agents instead"
    )

from .extract import extract_facts  # noqa: E402
from .gate import Gate, GateDecision, GateInput, create_gate, register_gate  # noqa: E402
from .responder import Answer, Responder  # noqa: E402
from .retriever import RetrievalAgent, RetrievalResult, RetrievalSettings, RetrievedItem  # noqa: E402
from .rule_gate import RuleGate  # noqa: E402

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
