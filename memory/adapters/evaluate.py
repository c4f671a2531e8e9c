"""The evaluation gate: is a trained adapter good enough to serve?

Three measurements, each against the base model:

- recall on probes whose answers must match the value's strict pattern
  (``\\b45\\s*kg\\b``-style, never a substring check), on the training
  wording (``exact``) and on held-out wording (``paraphrase``);
- negative controls: generic questions whose answers must not change: an
  answer the base model got right must stay right, and no answer may pick
  up a trained fact's value (the seed's "an elephant weighs 45 kg");
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
from .corpus import CONTROLS, GENERAL_TEXT
from .dataset import Probe, fact_probes, value_pattern
from .decoding import greedy_generate
from .reference import BaseReference, control_answers, perplexity
from .templates import LANGS, Lang

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from .decoding import CausalLM


_CONTROL_PATTERNS = {prompt: pattern for prompt, pattern in CONTROLS if pattern is not None}


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
    recall_by_lang: dict[str, float]
    """Paraphrase recall per probe language (``en``, ``zh``)."""
    controls_changed: float
    """Share of negative controls whose answer changed in substance: lost the right
    answer the base model gave, or now states a trained fact's value."""
    changed_controls: list[str]
    """The control prompts whose answer changed in substance."""
    controls_text_changed: float
    """Share of controls whose first greedy tokens differ at all (a stricter diagnostic:
    a small model flips near-tied tokens under any weight change)."""
    ppl_base: float
    ppl_adapter: float
    ppl_increase_pct: float
    probes: list[ProbeResult]
    passed: bool
    reasons: list[str]
    """Why the gate rejected the adapter (empty when it passed)."""
    eval_s: float


def run_probes(
    model: CausalLM, tokenizer: PreTrainedTokenizerBase, probes: Sequence[Probe], tokens: int
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
            passed=_found(p.pattern, text),
        )
        for p, (text, _) in zip(probes, answers, strict=True)
    ]


def recall(results: Sequence[ProbeResult], kind: str, lang: str | None = None) -> float:
    """Share of ``kind`` probes (in ``lang``, if given) that passed; 0.0 when there are none."""
    chosen = [r for r in results if r.kind == kind and lang in (None, r.lang)]
    return sum(r.passed for r in chosen) / len(chosen) if chosen else 0.0


def control_changed(prompt: str, base: str, now: str, values: Sequence[str]) -> bool:
    """Whether a control answer changed in substance (see :attr:`EvalReport.controls_changed`).

    Args:
        values: strict patterns of the trained facts' values.
    """
    right = _CONTROL_PATTERNS.get(prompt)
    lost = right is not None and _found(right, base) and not _found(right, now)
    return lost or any(_found(v, now) and not _found(v, base) for v in values)


def gate_reasons(config: EvalConfig, paraphrase: float, ppl_increase_pct: float, controls: float) -> list[str]:
    """Why the gate rejects an adapter with these measurements (empty: promote it)."""
    reasons = []
    if paraphrase < config.min_recall:
        reasons.append(f"paraphrase recall {paraphrase:.2f} < {config.min_recall:.2f}")
    if ppl_increase_pct > config.max_ppl_increase_pct:
        reasons.append(f"perplexity increase {ppl_increase_pct:.2f}% > {config.max_ppl_increase_pct:.2f}%")
    if controls > config.max_controls_changed:
        reasons.append(f"controls changed {controls:.2f} > {config.max_controls_changed:.2f}")
    return reasons


def _found(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def evaluate_adapter(
    model: CausalLM,
    tokenizer: PreTrainedTokenizerBase,
    facts: Sequence[Fact],
    reference: BaseReference,
    config: EvalConfig | None = None,
    *,
    languages: Sequence[Lang] = LANGS,
) -> EvalReport:
    """Measure ``model`` (base + active adapter) and decide whether to promote it.

    Args:
        model: the adapted model, in eval mode.
        facts: the facts it was trained on (newest version per key).
        reference: the base model's answers and perplexity (:func:`~.reference.base_reference`).
        config: the gate's thresholds.
        languages: the probe languages (those the adapter was trained on).
    """
    config = config or EvalConfig()
    started = time.perf_counter()
    results = run_probes(model, tokenizer, fact_probes(facts, languages), config.probe_tokens)
    answers = control_answers(model, tokenizer, reference.control_prompts)
    pairs = list(zip(reference.control_prompts, reference.control_answers, answers, strict=True))
    values = [value_pattern(f.value) for f in facts]
    changed = [prompt for prompt, base, now in pairs if control_changed(prompt, base, now, values)]
    text_changed = sum(" ".join(base.split()) != " ".join(now.split()) for _, base, now in pairs)
    ppl = perplexity(model, tokenizer, GENERAL_TEXT)
    increase = 100.0 * (ppl - reference.perplexity) / reference.perplexity
    paraphrase = recall(results, "paraphrase")
    share_changed = len(changed) / len(answers) if answers else 0.0
    reasons = gate_reasons(config, paraphrase, increase, share_changed)
    return EvalReport(
        exact_recall=recall(results, "exact"),
        paraphrase_recall=paraphrase,
        recall_by_lang={lang: recall(results, "paraphrase", lang) for lang in sorted({r.lang for r in results})},
        controls_changed=share_changed,
        changed_controls=changed,
        controls_text_changed=text_changed / len(pairs) if pairs else 0.0,
        ppl_base=reference.perplexity,
        ppl_adapter=ppl,
        ppl_increase_pct=increase,
        probes=results,
        passed=not reasons,
        reasons=reasons,
        eval_s=time.perf_counter() - started,
    )
