"""The evaluation gate: is a trained adapter good enough to serve?

Three measurements, each against the base model:

- recall on probes whose answers must match the value's strict pattern
  (``\\b45\\s*kg\\b``-style, never a substring check), on the training
  wording (``exact``) and on held-out wording (``paraphrase``);
- negative controls: generic questions whose greedy answers must not change;
- perplexity on a fixed general text.

An adapter is promoted only if paraphrase recall, the perplexity increase
and the share of changed controls are all within :class:`~.config.EvalConfig`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..records import Fact
from .config import EvalConfig
from .corpus import GENERAL_TEXT
from .dataset import Probe, fact_probes
from .decoding import greedy_generate
from .reference import BaseReference, control_answers, perplexity

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


class ProbeResult(BaseModel):
    """One probe's question, answer and verdict."""

    key: str
    kind: str
    lang: str
    question: str
    answer: str
    passed: bool


class EvalReport(BaseModel):
    """Metrics of one adapter and the gate's verdict."""

    exact_recall: float
    paraphrase_recall: float
    controls_changed: float
    """Share of negative controls whose answer differs from the base model's."""
    changed_controls: list[str]
    """The control prompts whose answer changed."""
    ppl_base: float
    ppl_adapter: float
    ppl_increase_pct: float
    probes: list[ProbeResult]
    passed: bool
    reasons: list[str]
    """Why the gate rejected the adapter (empty when it passed)."""
    eval_s: float


def run_probes(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, probes: Sequence[Probe], tokens: int
) -> list[ProbeResult]:
    """Ask every probe greedily and check its answer against the strict pattern."""
    answers = greedy_generate(model, tokenizer, [p.messages for p in probes], max_new_tokens=tokens)
    return [
        ProbeResult(
            key=p.key,
            kind=p.kind,
            lang=p.lang,
            question=p.messages[-1]["content"],
            answer=text,
            passed=re.search(p.pattern, text, re.IGNORECASE) is not None,
        )
        for p, (text, _) in zip(probes, answers, strict=True)
    ]


def recall(results: Sequence[ProbeResult], kind: str) -> float:
    """Share of ``kind`` probes that passed (0.0 when there are none)."""
    chosen = [r for r in results if r.kind == kind]
    return sum(r.passed for r in chosen) / len(chosen) if chosen else 0.0


def evaluate_adapter(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    facts: Sequence[Fact],
    reference: BaseReference,
    config: EvalConfig | None = None,
) -> EvalReport:
    """Measure ``model`` (base + active adapter) and decide whether to promote it.

    Args:
        model: the adapted model, in eval mode.
        facts: the facts it was trained on (newest version per key).
        reference: the base model's answers and perplexity (:func:`~.reference.base_reference`).
        config: the gate's thresholds.
    """
    config = config or EvalConfig()
    started = time.perf_counter()
    results = run_probes(model, tokenizer, fact_probes(facts), config.probe_tokens)
    answers = control_answers(model, tokenizer, reference.control_prompts)
    changed = [
        prompt
        for prompt, base, now in zip(reference.control_prompts, reference.control_answers, answers, strict=True)
        if " ".join(base.split()) != " ".join(now.split())
    ]
    ppl = perplexity(model, tokenizer, GENERAL_TEXT)
    increase = 100.0 * (ppl - reference.perplexity) / reference.perplexity
    paraphrase = recall(results, "paraphrase")
    share_changed = len(changed) / len(answers) if answers else 0.0
    reasons = []
    if paraphrase < config.min_recall:
        reasons.append(f"paraphrase recall {paraphrase:.2f} < {config.min_recall:.2f}")
    if increase > config.max_ppl_increase_pct:
        reasons.append(f"perplexity increase {increase:.2f}% > {config.max_ppl_increase_pct:.2f}%")
    if share_changed > config.max_controls_changed:
        reasons.append(f"controls changed {share_changed:.2f} > {config.max_controls_changed:.2f}")
    return EvalReport(
        exact_recall=recall(results, "exact"),
        paraphrase_recall=paraphrase,
        controls_changed=share_changed,
        changed_controls=changed,
        ppl_base=reference.perplexity,
        ppl_adapter=ppl,
        ppl_increase_pct=increase,
        probes=results,
        passed=not reasons,
        reasons=reasons,
        eval_s=time.perf_counter() - started,
    )
