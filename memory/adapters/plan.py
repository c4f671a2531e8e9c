"""What a training job trains: its examples, the facts it rehearses, and the step batches.

A job from the base model trains every example of every fact in each pass. A job
continuing an earlier adapter (:class:`~.trainer.Continuation`) trains the new
facts' examples in each pass and rehearses each fact the adapter already holds
with a few of its examples, drawn afresh per pass; the step budget follows the
examples per pass (:meth:`~.config.TrainConfig.steps_for`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Fact
from .config import TrainConfig
from .dataset import Example, Paraphraser, fact_digest, fact_examples, latest_facts


def rehearsed_groups(examples: Sequence[Example], facts: Sequence[Fact], known: frozenset[str]) -> list[list[int]]:
    """Indices of the examples of each fact in ``known`` (one list per fact), which the adapter
    being continued holds already."""
    keys = {fact.key for fact in facts if fact_digest(fact) in known}
    groups: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        if example.key in keys:
            groups.setdefault(example.key, []).append(index)
    return list(groups.values())


@dataclass(frozen=True, slots=True)
class JobPlan:
    """A job's examples: all of them, the groups rehearsed (see :func:`rehearsed_groups`), how many
    of each group a pass draws, and how many examples one pass trains."""

    examples: list[Example]
    rehearse: list[list[int]]
    per_group: int
    per_pass: int

    @classmethod
    def of(
        cls, facts: Sequence[Fact], known: frozenset[str], paraphraser: Paraphraser | None, config: TrainConfig
    ) -> JobPlan:
        """Every example of the facts to learn in each pass; each known fact rehearsed with
        ``config.rehearsal`` examples, or more where the new ones would otherwise be more
        than ``config.new_share`` of a pass."""
        examples = fact_examples(facts, paraphraser, config.languages)
        rehearse = rehearsed_groups(examples, facts, known)
        new = len(examples) - sum(map(len, rehearse))
        wanted = math.ceil(new * (1 - config.new_share) / config.new_share / len(rehearse)) if rehearse else 0
        per_group = max(config.rehearsal, wanted)
        return cls(examples, rehearse, per_group, new + sum(min(per_group, len(group)) for group in rehearse))

    def batches(self, batch_size: int, steps: int, seed: int) -> list[list[int]]:
        """The job's ``steps`` batches of example indices (see :func:`step_batches`)."""
        return step_batches(len(self.examples), batch_size, steps, seed, self.rehearse, self.per_group)


def planned_steps(facts: Sequence[Fact], config: TrainConfig, known: frozenset[str] = frozenset()) -> int:
    """The training steps of a job on ``facts`` (newest version per key), continuing an adapter
    that holds the fact versions ``known`` (digests), or from the base model."""
    return config.steps_for(JobPlan.of(latest_facts(facts), known, None, config).per_pass)


def step_batches(
    count: int, batch_size: int, steps: int, seed: int, rehearse: Sequence[Sequence[int]] = (), per_group: int = 0
) -> list[list[int]]:
    """``steps`` batches of example indices: reshuffled passes over all examples, except that a
    group of ``rehearse`` contributes ``per_group`` of its examples to a pass, drawn afresh
    for every pass (so a known fact is rehearsed in all its wordings over the job)."""
    rng = random.Random(seed)
    grouped = {i for group in rehearse for i in group}
    learn = [i for i in range(count) if i not in grouped]
    order: list[int] = []
    batches: list[list[int]] = []
    while len(batches) < steps:
        if len(order) < batch_size:
            fresh = learn + [i for group in rehearse for i in rng.sample(list(group), min(per_group, len(group)))]
            rng.shuffle(fresh)
            order += fresh
        batches.append(order[:batch_size])
        order = order[batch_size:]
    return batches
