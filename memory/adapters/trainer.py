"""LoRA on the last N decoder layers, trained from the base model on a whole ledger.

A job trained from the base model on the namespace's full current ledger
leaves a forgotten fact really gone from the new adapter. A job may instead
continue an earlier adapter (:class:`Continuation`): the facts it already
holds are rehearsed with a few of their examples, the new ones learned with
all of theirs (:mod:`.plan`), so adding one fact to a long ledger costs a
fraction of a full job. The lower layers are frozen, so their activations are
computed once per job (:mod:`.activations`, :mod:`.row_cache`) and each step
trains the top layers only.

Example:
    >>> trained = train_adapter([Fact(attribute="weight", value="45 kg")])
    >>> trained.model.save_pretrained("adapter-dir")
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from tqdm.auto import tqdm
from transformers import get_scheduler

from ..errors import ConfigError, EmptyLedgerError
from ..hardware import cpu_has_native_bf16
from ..models import cache_dir, smollm2_checkpoint
from ..records import Fact
from .activations import (
    head,
    label_positions,
    shared_prefix,
    top_hidden_states,
)
from .config import PROJECTIONS, Runtime, TrainConfig
from .corpus import ANCHOR_TEXTS
from .dataset import (
    Encoded,
    Paraphraser,
    encode,
    encode_texts,
    latest_facts,
    replay_examples,
)
from .losses import anchor_loss, label_loss
from .manifest import write_durable
from .plan import JobPlan, step_batches
from .reference import BaseReference, base_reference, cache_key
from .row_cache import RowCache, lower_states

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

_LOAD_LOCK = threading.Lock()

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
    """The training arithmetic used (see :func:`resolve_precision`)."""


def resolve_device(runtime: Runtime) -> torch.device:
    """The torch device ``runtime`` asks for; ``auto`` picks CUDA when available.

    Raises:
        ConfigError: CUDA is asked for and this machine has none, or not that device.
    """
    if runtime.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(runtime.device)
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if (device.index or 0) >= count:
            raise ConfigError(f"device {runtime.device!r}: this machine has {count} CUDA device(s); use auto or cpu")
    return device


def resolve_precision(runtime: Runtime, device: torch.device) -> Literal["fp32", "bf16"]:
    """The training arithmetic ``runtime`` asks for on ``device``.

    ``auto`` picks bf16 where the hardware computes it natively (CUDA with
    bf16 support; CPUs with AVX512-BF16 or AMX, where a bf16 matrix product
    is 2-2.5x as fast as fp32), and fp32 elsewhere.
    """
    if runtime.precision != "auto":
        return runtime.precision
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    if device.type == "cpu":
        return "bf16" if cpu_has_native_bf16() else "fp32"
    return "fp32"


def _arithmetic(device: torch.device, precision: str) -> AbstractContextManager[object]:
    """Autocast to bf16 for ``precision == "bf16"``: products in bf16, weights and gradients in fp32."""
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16")


def load_base(runtime: Runtime) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """A private copy of the base model (training mutates it), on the runtime's device."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = runtime.checkpoint or str(smollm2_checkpoint())
    with _LOAD_LOCK:  # from_pretrained's meta-device init is process-global, not thread-safe
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    model.to(resolve_device(runtime))  # type: ignore[arg-type]  # transformers' wrapper of `to` is mistyped
    model.eval()
    return model, tokenizer


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


@dataclass(kw_only=True)
class _Rows:
    """One set of training rows with its cached lower-layer activations."""

    input_ids: torch.Tensor
    hidden: torch.Tensor
    mask: torch.Tensor
    labels: torch.Tensor
    lengths: list[int]

    @classmethod
    def of(
        cls, model: PeftModel, parts: Sequence[Encoded], split: int, precision: str, cache: RowCache | None = None
    ) -> _Rows:
        """Rows of every part, each part's activations computed apart (so each shares its own
        prefix), or taken from ``cache`` (see :func:`~.row_cache.lower_states`; ``precision``,
        the arithmetic, is part of its keys)."""
        device = next(model.parameters()).device
        width = max(p.input_ids.shape[1] for p in parts)

        def widen(t: torch.Tensor, fill: float) -> torch.Tensor:
            pad = (0, 0, 0, width - t.shape[1]) if t.dim() == 3 else (0, width - t.shape[1])
            return torch.nn.functional.pad(t.to(device), pad, value=fill)

        hidden = [lower_states(model, p, split, precision, cache) for p in parts]
        return cls(
            input_ids=torch.cat([widen(p.input_ids, 0) for p in parts]),
            hidden=torch.cat([widen(h, 0.0) for h in hidden]),
            mask=torch.cat([widen(p.attention_mask, 0) for p in parts]),
            labels=torch.cat([widen(p.labels, -100) for p in parts]),
            lengths=[n for p in parts for n in p.attention_mask.sum(dim=1).tolist()],
        )

    def states(
        self, model: PeftModel, rows: Sequence[int], split: int, *, labels_only: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Final hidden states of ``rows`` through the top layers (their shared prefix run once),
        with their mask and labels, trimmed to the longest row. ``labels_only``: states only
        where the label loss reads them (zero elsewhere), which saves most of the last layer."""
        index = torch.tensor(list(rows), device=self.hidden.device)
        width = max(self.lengths[r] for r in rows)
        mask, labels = self.mask[index, :width], self.labels[index, :width]
        prefix = shared_prefix(self.input_ids[index, :width], mask)
        keep = label_positions(labels) if labels_only else None
        states = top_hidden_states(model, self.hidden[index, :width], mask, split, prefix=prefix, keep=keep)
        return states, mask, labels


def _anchor_parts(tokenizer: PreTrainedTokenizerBase, reference: BaseReference, config: TrainConfig) -> list[Encoded]:
    """Replay chats and plain prose (empty when both replay and the anchor are off)."""
    parts = []
    if config.replay:
        parts.append(encode(replay_examples(reference.replay_prompts, reference.replay_answers), tokenizer))
    if config.anchor > 0:
        parts.append(encode_texts(ANCHOR_TEXTS, tokenizer))
    return parts


def _anchor_key(model: PeftModel, parts: Sequence[Encoded], split: int, precision: str) -> str:
    """What the anchor rows' activations depend on: the base model, the split, the arithmetic and the tokens."""
    return cache_key(
        model.get_base_model(),
        split=split,
        precision=precision,
        tokens=[p.input_ids[p.attention_mask.bool()].tolist() for p in parts],
        labels=[p.labels.tolist() for p in parts],
    )


def _anchor_rows(
    model: PeftModel, parts: Sequence[Encoded], split: int, cache: Path | None, precision: str
) -> tuple[_Rows, torch.Tensor]:
    """The anchor rows with their lower-layer activations, and the base model's final states on them.

    Both come from the frozen base model alone, so they are computed once per base
    model, split and arithmetic (the training steps' own, so the anchor term starts
    at zero) and kept in ``cache`` (``None``: not kept), like the base reference.
    """
    path = cache / f"anchor-rows-{_anchor_key(model, parts, split, precision)}.pt" if cache is not None else None
    device = next(model.parameters()).device
    if path is not None and path.exists():
        try:
            saved = torch.load(path, map_location=device, weights_only=True)
            lengths = saved.pop("lengths").tolist()
            base = saved.pop("base")
            return _Rows(**saved, lengths=lengths), base
        except Exception as exc:  # noqa: BLE001  # any broken cache file is recomputed, never trusted
            log.warning("ignoring unreadable anchor cache %s (%s); recomputing", path, exc)
    with _arithmetic(device, precision):
        rows = _Rows.of(model, parts, split, precision)
        with torch.no_grad(), model.disable_adapter():
            base, _, _ = rows.states(model, range(len(rows.lengths)), split)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {name: getattr(rows, name).cpu() for name in ("input_ids", "hidden", "mask", "labels")}
        saved = io.BytesIO()
        torch.save({**tensors, "lengths": torch.tensor(rows.lengths), "base": base.cpu()}, saved)
        write_durable(path, saved.getvalue())
    return rows, base


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
    with _arithmetic(device, precision):
        known_rows = row_cache if base_below else None
        facts_rows = _Rows.of(peft_model, [encode(plan.examples, tokenizer)], split, precision, known_rows)
    anchor_parts = _anchor_parts(tokenizer, reference, config)
    anchor_rows, anchor_base = None, None
    if anchor_parts:
        keep = cache if base_below else None
        anchor_rows, anchor_base = _anchor_rows(peft_model, anchor_parts, split, keep, precision)
    prepared = time.perf_counter()

    # the frozen head in the steps' arithmetic, cast once per job rather than once per step
    frozen_head = cast(torch.Tensor, head(peft_model).weight)
    head_weight = frozen_head.detach().to(torch.bfloat16) if precision == "bf16" else None
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
        with _arithmetic(device, precision):
            states, _, labels = facts_rows.states(peft_model, fact_batches[step - 1], split, labels_only=True)
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
