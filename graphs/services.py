"""The long-lived components one compiled graph uses, built once from config."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from langchain_core.language_models import BaseChatModel
from tiermem.agents.corrections import CorrectionResolver
from tiermem.agents.episodes import Consolidator
from tiermem.agents.forgetting import ForgetResolver
from tiermem.agents.gate import Gate, check_gate_name, create_gate
from tiermem.agents.pet_losses import PetLossResolver
from tiermem.agents.promotion import Promoter
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalAgent
from tiermem.agents.weight_change import WeightChangeResolver
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.errors import QueueUnreadableError
from tiermem.memory.generation import TextGenerator
from tiermem.memory.maintenance import Maintainer
from tiermem.memory.schema import TABLE_FOR_TIER
from tiermem.memory.store import ErasedRows, ForgetReport, TierStore

from .config import TierMemConfig
from .prefetch import RetrievalPrefetch
from .redaction import erase_checkpoints, redact_checkpoints
from .thread_owners import ThreadOwners
from .trace_store import TraceStore
from .trace_writer import TraceWriter

log = logging.getLogger(__name__)

ERASED_NAMESPACES = 64
"""Namespaces whose erased texts :class:`Services` holds for the turn that forgot them."""


class ForgetResult(ForgetReport):
    """Where a forgotten memory was removed from, the graph's copies included."""

    traces_redacted: int = 0
    """Saved trace events in which the forgotten texts were masked."""
    checkpoints_redacted: int = 0
    """Checkpoint rows (thread state, pending writes) in which they were masked."""
    adapters_purged: list[str] = []
    """Adapter versions deleted at once because they were trained on the forgotten fact (the
    base model serves until the retrain, :attr:`retrain_job`, is promoted)."""


class EraseResult(ErasedRows):
    """What erasing a user removed, beyond the tiers' rows."""

    trace_events: int = 0
    """Saved trace events deleted."""
    checkpoint_threads: int = 0
    """Checkpointed threads (their checkpoints and pending writes) deleted."""
    owned_threads: int = 0
    """Threads whose recorded owner was the user."""
    adapters_purged: list[str] = []
    """Adapter versions deleted (the base model serves the namespace from now on)."""
    retrain_job: str | None = None
    """The ``forget`` job queued to delete an adapter a worker was training meanwhile."""


@dataclass
class Services:
    """Embedder, store, gate, retrieval agent and responder for one config.

    The local chat model is loaded on first use, so graphs that only write
    memories (``respond=False``) or use a chat model never load it.
    """

    config: TierMemConfig
    chat_model: BaseChatModel | None = None
    embedder: BaseEmbedder = field(init=False)
    store: TierStore = field(init=False)
    retriever: RetrievalAgent = field(init=False)
    gates: dict[str, Gate] = field(init=False, default_factory=dict)
    maintainer: Maintainer = field(init=False)
    """Builds indexes and compacts the tables in the background (if ``config.maintenance.background``)."""
    prefetch: RetrievalPrefetch = field(init=False)
    """Turns' retrievals started while their gate and tools run (see :mod:`tiermem.graphs.prefetch`)."""
    _erased: OrderedDict[str, set[str]] = field(init=False, default_factory=OrderedDict)
    _erased_lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        check_gate_name(self.config.gate)  # a misspelt gate is refused here, not at the first turn
        self.embedder = get_embedder(self.config.embedder)
        self.store = TierStore.open(
            self.config.data_dir,
            self.embedder,
            max_text_bytes=self.config.max_text_bytes,
            max_future_skew=self.max_future_skew,
            quota=self.config.quota,
            index_policy=self.config.maintenance,
            read_cache=self.config.read_cache,
        )
        self.retriever = RetrievalAgent(self.store, self.embedder, self.config.retrieval)
        self.prefetch = RetrievalPrefetch(self.store.changes)
        self.maintainer = Maintainer(self.store, self.config.maintenance)
        if self.config.maintenance.background:
            self.maintainer.start()

    def close(self) -> None:
        """Stop the background work: the maintainer (after its pass in progress), the early
        retrievals' threads and the read cache's loads. Call it before the data dir goes (a
        temporary one, a test's), or use the services as a context manager; turns after it are
        refused."""
        self.maintainer.stop()
        self.prefetch.close()
        self.store.read_cache.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def max_future_skew(self) -> timedelta:
        """How far past the wall clock a message or fact time may lie."""
        return timedelta(seconds=self.config.max_future_skew_s)

    @cached_property
    def promoter(self) -> Promoter:
        """The correlation rule over this store (see :mod:`tiermem.agents.promotion`)."""
        return Promoter(self.store, self.embedder, self.config.promotion)

    @cached_property
    def forget_resolver(self) -> ForgetResolver:
        """Which memories a request to forget said in chat names (see :mod:`tiermem.agents.forgetting`)."""
        return ForgetResolver(self.store, self.embedder)

    @cached_property
    def correction_resolver(self) -> CorrectionResolver:
        """Which fact a correction said in chat changes (see :mod:`tiermem.agents.corrections`)."""
        return CorrectionResolver(self.store)

    @cached_property
    def weight_changes(self) -> WeightChangeResolver:
        """The new weight a change said in chat makes (see :mod:`tiermem.agents.weight_change`)."""
        return WeightChangeResolver(self.store)

    @cached_property
    def pet_losses(self) -> PetLossResolver:
        """The ended pet a name said gone makes (see :mod:`tiermem.agents.pet_losses`)."""
        return PetLossResolver(self.store)

    @cached_property
    def consolidator(self) -> Consolidator:
        """Session working memory and its consolidation into episodes (see :mod:`tiermem.agents.episodes`)."""
        return Consolidator(self.store, self.config.episodes, self.short_ttl)

    @property
    def short_ttl(self) -> timedelta:
        """Lifetime of a short-term memory."""
        return timedelta(hours=self.config.short_ttl_hours)

    def gate(self, name: str | None = None) -> Gate:
        """The gate ``name`` (default: the configured one), built once."""
        name = name or self.config.gate
        if name not in self.gates:
            self.gates[name] = create_gate(name, embedder=self.embedder, chat_model=self.chat_model, config=self.config)
        return self.gates[name]

    @cached_property
    def queue(self) -> JobQueue:
        """The durable adapter-training queue (``<data dir>/jobs.sqlite``)."""
        path = self.config.path("jobs.sqlite")
        path.parent.mkdir(parents=True, exist_ok=True)
        return JobQueue(path)

    @cached_property
    def thread_owners(self) -> ThreadOwners | None:
        """The user of each checkpointed thread (``<data dir>/threads.sqlite``; none for a URI data dir)."""
        return ThreadOwners(self.config.path("threads.sqlite")) if self.config.is_local else None

    @cached_property
    def registry(self) -> AdapterRegistry:
        """Versioned LoRA adapters of every namespace (``<data dir>/adapters``)."""
        return AdapterRegistry(self.config.path("adapters"))

    @cached_property
    def generator(self) -> TextGenerator:
        """The local model, answering each namespace with its active adapter (loads on first use)."""
        from tiermem.memory.adapters.serving import AdapterGenerator

        return AdapterGenerator(self.registry, self.config.chat_model)

    def forget(self, namespace: str, record_id: str, *, version_only: bool = False) -> ForgetResult:
        """Forget a memory everywhere tiermem keeps it; if the ledger changed, queue a retrain without it.
        ``version_only``: of a fact, only this version (:meth:`~tiermem.memory.store.TierStore.forget`).

        Besides the tiers, the removed texts are masked in the saved traces and in the
        threads checkpointed at ``<data dir>/checkpoints.sqlite`` (``tiermem chat``,
        Studio). A checkpointer you pass to ``build_graph`` yourself is yours to redact
        (:func:`~tiermem.graphs.redaction.redact_checkpoints` does it for SQLite).
        """
        redacted: dict[str, int] = {}

        def redact_copies(texts: list[str]) -> None:
            TraceWriter.shared().flush()  # events still queued would be written after the redaction
            redacted["traces"] = TraceStore(self.config.path("traces")).redact(namespace, texts)
            redacted["checkpoints"] = redact_checkpoints(self.config.path("checkpoints.sqlite"), namespace, texts)
            self._keep_erased(namespace, texts)

        report = self.store.forget(namespace, record_id, on_erase=redact_copies, version_only=version_only)
        result = ForgetResult(
            **report.model_dump(),
            traces_redacted=redacted.get("traces", 0),
            checkpoints_redacted=redacted.get("checkpoints", 0),
        )
        if report.tables.get(TABLE_FOR_TIER["long"]):  # the ledger changed: no adapter may serve the fact
            from tiermem.memory.adapters.worker import purge_forgotten  # torch and peft: only when needed

            result.adapters_purged = purge_forgotten(self.registry, namespace, self.store.ledger_facts(namespace))
            result.retrain_job = self.queue_retrain(namespace, "forget")
        return result

    def erase_user(self, namespace: str) -> EraseResult:
        """Erase everything tiermem keeps of one user (a right-to-erasure request): every memory
        of every tier, old table versions and index files included; their saved traces, their
        checkpointed threads (``<data dir>/checkpoints.sqlite``) and which threads they owned;
        every adapter version trained on their facts. A ``forget`` job is queued as well: a
        worker that was training the user's adapter meanwhile saves it, and that job deletes it
        (see :func:`~tiermem.memory.adapters.worker.purge_forgotten`). A checkpointer you pass to
        ``build_graph`` yourself is yours to clear. Run it while no turn of that user is in flight.
        """
        erased = self.store.erase_namespace(namespace)
        TraceWriter.shared().flush()  # events still queued would be written after the erasure
        result = EraseResult(
            **erased.model_dump(),
            trace_events=TraceStore(self.config.path("traces")).erase(namespace),
            checkpoint_threads=erase_checkpoints(self.config.path("checkpoints.sqlite"), namespace),
            owned_threads=self.thread_owners.release(namespace) if self.thread_owners is not None else 0,
        )
        from tiermem.memory.adapters.worker import purge_forgotten  # torch and peft: only when needed

        result.adapters_purged = purge_forgotten(self.registry, namespace, [])
        result.retrain_job = self.queue_retrain(namespace, "forget")
        return result

    def _keep_erased(self, namespace: str, texts: list[str]) -> None:
        """Hold ``texts`` for the turn whose ``forget`` call erased them (:meth:`take_erased`);
        the namespaces forgotten in longest ago are let go past :data:`ERASED_NAMESPACES`."""
        with self._erased_lock:
            self._erased.setdefault(namespace, set()).update(texts)
            self._erased.move_to_end(namespace)
            while len(self._erased) > ERASED_NAMESPACES:
                self._erased.popitem(last=False)

    def take_erased(self, namespace: str) -> list[str]:
        """The texts forgets in ``namespace`` erased since the last call (longest first): the turn
        that ran them masks them in the state it saves, which the forget's redaction cannot reach."""
        with self._erased_lock:
            return sorted(self._erased.pop(namespace, set()), key=len, reverse=True)

    def queue_retrain(self, namespace: str, reason: str) -> str | None:
        """Queue a retrain of ``namespace``'s adapter; its job id, or ``None`` where the queue is
        unreadable (logged: the memory is stored or forgotten all the same, and the next job
        retrains the whole ledger)."""
        try:
            return self.queue.enqueue(namespace, reason=reason)
        except QueueUnreadableError as exc:
            log.error("namespace %s: adapter retrain (%s) not queued: %s", namespace, reason, exc)
            return None

    @cached_property
    def responder(self) -> Responder:
        """Answers with the chat model if one was given, else the local model."""
        if self.chat_model is not None:
            return Responder(chat_model=self.chat_model)
        return Responder(generator=self.generator, max_new_tokens=self.config.max_new_tokens, embedder=self.embedder)
