"""LoRA on the last N decoder layers, trained from the base model on a whole ledger.

A job trained from the base model on the namespace's full current ledger
leaves a forgotten fact really gone from the new adapter. A job may instead
continue an earlier adapter (:class:`Continuation`): the facts it already
holds are rehearsed with a few of their examples, the new ones learned with
all of theirs (:mod:`.plan`), so adding one fact to a long ledger costs a
fraction of a full job. The lower layers are frozen, so their activations are
computed once per job (:mod:`.training_rows`, :mod:`.activations`,
:mod:`.row_cache`) and each step trains the top layers only.

Example:
    >>> trained = train_adapter([Fact(attribute="weight", value="45 kg")])
    >>> trained.model.save_pretrained("adapter-dir")
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from tqdm.auto import tqdm
from transformers import get_scheduler

from ..errors import EmptyLedgerError
from ..models import cache_dir
from ..records import Fact
from .candidates import CandidateHead
from .config import PROJECTIONS, Runtime, TrainConfig
from .dataset import Paraphraser, encode, latest_facts
from .device import arithmetic, load_base, resolve_precision
from .losses import anchor_loss, frozen_head_weight, label_loss
from .plan import JobPlan, step_batches
from .reference import BaseReference, base_reference
from .row_cache import RowCache
from .training_rows import TrainingRows, anchor_rows_and_base, encode_anchors

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

StepCallback = Callable[[int, int, float], None]
"""Called after each step with ``(step, total_steps, loss)``; may raise to abort."""


@dataclass(frozen=True, slots=True)
class Continuation:
    """An earlier adapter to continue training, and the fact versions it already holds."""

    folder: Path
    """The adapter's folder (as written by ``save_pretrained``)."""
    known: frozenset[str] = frozenset()
    """Digests (:func:`~.dataset.fact_digest`) of the fact versions it was trained on: each is
    rehearsed with :attr:`TrainConfig.rehearsal` of its examples instead of all of them."""


@dataclass(kw_only=True)
class TrainedAdapter:
    """A freshly trained adapter, still attached to its base model."""

    model: PeftModel
    """The base model with the trained adapter (named ``default``) active."""
    tokenizer: PreTrainedTokenizerBase
    reference: BaseReference
    facts: list[Fact]
    """The facts it was trained on (newest version per key)."""
    config: TrainConfig
    examples: int
    """Examples per pass (a continuation counts ``rehearsal`` per fact it already held)."""
    steps: int
    continued: bool = False
    """Whether it continued an earlier adapter (:class:`Continuation`) rather than the base model."""
    losses: list[float] = field(default_factory=list)
    prepare_s: float = 0.0
    """Seconds spent building examples and caching lower-layer activations."""
    train_s: float = 0.0
    """Seconds spent in the training steps."""
    device: str = "cpu"
    precision: str = "fp32"
    """The training arithmetic used (see :func:`~.device.resolve_precision`)."""


def _lora(model: PreTrainedModel, config: TrainConfig) -> LoraConfig:
    total = model.config.num_hidden_layers
    top = None if config.layers == "all" else list(range(max(0, total - config.layers), total))
    return LoraConfig(
        r=config.rank,
        lora_alpha=config.alpha,  # type: ignore[arg-type]  # peft annotates int, scales by alpha / r
        lora_dropout=config.dropout,
        target_modules=list(PROJECTIONS),
        layers_to_transform=top,
        layers_pattern="layers" if top is not None else None,
        task_type="CAUSAL_LM",
    )


def _split(model: PreTrainedModel, config: TrainConfig) -> int:
    """Index of the first trained decoder layer (0 when training all layers)."""
    total = model.config.num_hidden_layers
    return 0 if config.layers == "all" else max(0, total - config.layers)


def _adapts_below(model: PeftModel, split: int) -> bool:
    """Whether ``model``'s adapter changes a decoder layer below ``split`` (or every layer)."""
    layers = model.peft_config["default"].layers_to_transform  # type: ignore[attr-defined]
    if layers is None:
        return True
    return min([layers] if isinstance(layers, int) else layers) < split


def train_adapter(
    facts: Sequence[Fact],
    *,
    config: TrainConfig | None = None,
    runtime: Runtime | None = None,
    base: tuple[PreTrainedModel, PreTrainedTokenizerBase] | None = None,
    paraphraser: Paraphraser | None = None,
    continue_from: Continuation | None = None,
    on_step: StepCallback | None = None,
    row_cache: RowCache | None = None,
) -> TrainedAdapter:
    """Train a LoRA adapter that answers questions about ``facts``.

    Args:
        facts: the namespace's ledger (older versions of a key are ignored).
        config: what to train; saved with the adapter.
        runtime: device, threads, base checkpoint, cache folder.
        base: a base model and tokenizer to train on (it is modified in place);
            default: a private copy loaded with :func:`load_base`.
        paraphraser: extra question wordings for the training set.
        continue_from: an earlier adapter to continue (incremental mode) instead of
            starting from the base model; the facts it holds are rehearsed, not relearned.
        on_step: progress callback (the worker renews its job lease here).
        row_cache: the fact rows' lower-layer activations kept from earlier jobs of this
            process; only the rows it lacks are computed (and added). Not used where the
            adapter changes layers below the split (their activations are not the base's).

    Raises:
        EmptyLedgerError: ``facts`` is empty.
    """
    config = config or TrainConfig()
    runtime = runtime or Runtime()
    current = latest_facts(facts)
    if not current:
        raise EmptyLedgerError(
            "no long-term facts to train on: the ledger is empty; store a durable fact "
            "(the gate's remember_long tool) before training an adapter"
        )
    if runtime.threads is not None:
        torch.set_num_threads(runtime.threads)
    started = time.perf_counter()
    torch.manual_seed(config.seed)
    model, tokenizer = base or load_base(runtime)
    cache = runtime.cache or cache_dir() / "adapters"
    reference = base_reference(model, tokenizer, cache)
    known = continue_from.known if continue_from is not None else frozenset()
    plan = JobPlan.of(current, known, paraphraser, config)
    if continue_from is not None:
        peft_model = PeftModel.from_pretrained(model, str(continue_from.folder), is_trainable=True)
    else:
        peft_model = get_peft_model(model, _lora(model, config))
    split = _split(model, config)
    device = next(peft_model.parameters()).device
    precision = resolve_precision(runtime, device)
    base_below = not _adapts_below(peft_model, split)  # else the lower layers' activations are not the base's
    with arithmetic(device, precision):
        known_rows = row_cache if base_below else None
        facts_rows = TrainingRows.of(peft_model, [encode(plan.examples, tokenizer)], split, precision, known_rows)
    anchor_parts = encode_anchors(tokenizer, reference, config)
    anchor_rows, anchor_base = None, None
    if anchor_parts:
        keep = cache if base_below else None
        anchor_rows, anchor_base = anchor_rows_and_base(peft_model, anchor_parts, split, keep, precision)
    prepared = time.perf_counter()

    frozen = frozen_head_weight(peft_model)  # None: a trained head, which takes the plain path
    # the frozen head in the steps' arithmetic, cast once per job rather than once per step
    head_weight = frozen.detach().to(torch.bfloat16) if precision == "bf16" and frozen is not None else None
    candidates = None
    if config.head_candidates and frozen is not None:
        step_head = frozen.detach() if head_weight is None else head_weight
        candidates = CandidateHead(step_head, top_k=config.head_candidates, refresh=config.candidate_refresh)
    steps = config.steps_for(plan.per_pass)
    params = [p for p in peft_model.parameters() if p.requires_grad]
    lr = config.lr if continue_from is None else config.continue_lr
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    warmup = 0 if config.schedule == "constant" else round(config.warmup * steps)
    scheduler = get_scheduler(config.schedule, optimizer, num_warmup_steps=warmup, num_training_steps=steps)
    fact_batches = plan.batches(config.batch_size, steps, config.seed)
    anchor_batches = (
        step_batches(len(anchor_rows.lengths), config.anchor_batch, steps, config.seed + 1) if anchor_rows else []
    )
    show = sys.stderr.isatty() if runtime.progress is None else runtime.progress
    losses: list[float] = []
    peft_model.train()
    bar = tqdm(range(1, steps + 1), disable=not show, desc="train")
    for step in bar:
        with arithmetic(device, precision):
            batch = fact_batches[step - 1]
            states, _, labels = facts_rows.states(peft_model, batch, split, labels_only=True)
            if candidates is not None:
                loss = candidates.loss(states, labels, batch)
            else:
                loss = label_loss(peft_model, states, labels, weight=head_weight)
            if anchor_rows is not None:
                rows = anchor_batches[step - 1]
                states, mask, labels = anchor_rows.states(peft_model, rows, split)
                if config.replay_ce > 0:
                    loss = loss + config.replay_ce * label_loss(peft_model, states, labels, weight=head_weight)
                if anchor_base is not None and config.anchor > 0:
                    held = anchor_base[torch.tensor(rows, device=states.device), : states.shape[1]]
                    loss = loss + config.anchor * anchor_loss(states, held, mask)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(loss.detach()))
        bar.set_postfix(loss=f"{losses[-1]:.3f}")
        if not show and (step % 20 == 0 or step == steps):
            log.info("train step %d/%d loss %.4f", step, steps, losses[-1])
        if on_step is not None:
            on_step(step, steps, losses[-1])
    peft_model.eval()
    if candidates is not None:
        log.info("label loss over candidate tokens in %d of %d steps", steps - candidates.full_steps, steps)
    return TrainedAdapter(
        model=peft_model,
        tokenizer=tokenizer,
        reference=reference,
        facts=current,
        config=config,
        examples=plan.per_pass,
        steps=steps,
        continued=continue_from is not None,
        losses=losses,
        prepare_s=prepared - started,
        train_s=time.perf_counter() - prepared,
        device=str(device),
        precision=precision,
    )
