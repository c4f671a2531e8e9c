"""``tiermem bench recall``: does the retrieval agent find the evidence of LoCoMo-format questions?

Each conversation is replayed turn by turn through tiermem's memory path (the
compiled graph with ``respond=False``: ingest, gate, remember_* tools,
promotion, working memory and episodes) in its own namespace, with the session
date as the message time (turn ``i`` of a session ``30 s * i`` after it). A
turn is the text a live system sees, ``speaker: text [image: caption]``; the
dataset's precomputed observations and summaries are never read. A day after
the last session every scored question (categories 1-4 with evidence) is
put to the retrieval agent, after the consolidation that the question's own
turn would run. Everything lives in a temporary data dir.

In the same run three raw-turn baselines (dense, BM25, hybrid RRF) search a
flat copy (every turn, one table, no gate), so every figure has a ratio.
``mode="flat"`` puts the retrieval agent itself on that flat copy.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage
from tiermem.agents.fusion import count_tokens, fit_budget
from tiermem.agents.retriever import RetrievalResult
from tiermem.graphs.builder import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.memory.maintenance import maintain
from tiermem.memory.progress import Progress
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

from .locomo import Conversation
from .recall_answers import AnswerCheck
from .recall_metrics import Scoreboard, Tally, percentile
from .recall_rankers import BASELINES, baseline_rankings, lever_agents
from .recall_report import IngestStats, Mode, RecallReport

log = logging.getLogger(__name__)

TURN_PACE = timedelta(seconds=30)
"""Time between two turns of a session (the data gives only the session's start)."""
ASK_AFTER = timedelta(days=1)
"""The questions are asked this long after the last turn."""
DEPTH = 20
"""Items ranked per question (the largest k reported)."""
UNBUDGETED = 10**9
"""Token budget for ranking DEPTH items; the configured budget is applied to the top 10 afterwards."""


def turn_time(start: datetime, index: int) -> datetime:
    """When turn ``index`` of a session starting at ``start`` was said."""
    return start + TURN_PACE * index


def ask_time(conversation: Conversation) -> datetime:
    """When the questions about ``conversation`` are asked."""
    last = conversation.sessions[-1]
    return turn_time(last.at, len(last.turns)) + ASK_AFTER


def flat_records(conversation: Conversation, namespace: str) -> list[MemoryRecord]:
    """Every turn as one record of one table: the flat design and the baselines' corpus."""
    return [
        MemoryRecord(
            namespace=namespace,
            tier="mid",
            text=turn.render(),
            created_at=turn_time(session.at, i),
            source_ids=[turn.dia_id],
            thread_id=f"{namespace}-s{session.index}",
        )
        for session in conversation.sessions
        for i, turn in enumerate(session.turns)
    ]


class RecallBench:
    """One benchmark run over a temporary data dir.

    Args:
        config: tiermem settings (the data dir is replaced by a temporary one).
        mode: ``tiered`` (the default graph) or ``flat`` (every turn in one table, no gate).
        answerer: optional answer check, given each question and what the model is shown.
        holdout: sample ids reported separately (the ones no setting was tuned on).
        levers: also score the lever ladder (:data:`~tiermem.benchmarks.recall_rankers.LEVER_LADDER`).
    """

    def __init__(
        self,
        config: TierMemConfig,
        mode: Mode = "tiered",
        *,
        answerer: AnswerCheck | None = None,
        holdout: Sequence[str] = (),
        levers: bool = False,
    ) -> None:
        self.config = config
        self.mode = mode
        self.answerer = answerer
        self.holdout = list(holdout)
        self.levers = levers

    def run(
        self, conversations: Sequence[Conversation], *, data: str = "", progress: bool | None = None
    ) -> RecallReport:
        """Ingest and question every conversation; the temporary data dir is removed afterwards."""
        with (
            tempfile.TemporaryDirectory(prefix="tiermem-recall-") as tmp,
            Services(self.config.model_copy(update={"data_dir": str(Path(tmp) / "tiermem")})) as services,
        ):  # the services' background work stops before the folder goes
            flat = TierStore.open(Path(tmp) / "flat", services.embedder, max_text_bytes=self.config.max_text_bytes)
            return self._run(services, flat, conversations, data, progress)

    def _run(
        self,
        services: Services,
        flat: TierStore,
        conversations: Sequence[Conversation],
        data: str,
        progress: bool | None,
    ) -> RecallReport:
        total = sum(len(s.turns) for c in conversations for s in c.sessions) + sum(
            len(c.scored()) for c in conversations
        )
        bar = Progress(total, task="recall", unit="step", show=True if progress else None, quiet=progress is False)
        system, budgeted = Scoreboard(), Tally()
        boards: dict[str, Scoreboard] = {}
        stats, tokens, sources = IngestStats(), [], []
        latencies: dict[str, list[float]] = {"wall": [], "cpu": []}
        graph = build_graph(services=services) if self.mode == "tiered" else None
        for conversation in conversations:
            namespace = conversation.sample_id
            bar.describe(f"{namespace} ingest")
            start = time.perf_counter()
            flat.write(flat_records(conversation, namespace))
            if graph is not None:
                self._ingest(graph, conversation, namespace, stats, bar)
            else:
                bar.update(sum(len(s.turns) for s in conversation.sessions))
            stats.seconds += time.perf_counter() - start
            stats.turns += sum(len(s.turns) for s in conversation.sessions)
            store = services.store if graph is not None else flat
            when = ask_time(conversation)
            if graph is not None:  # what the question's own turn does first
                services.consolidator.consolidate(namespace, when, current_thread=f"{namespace}-questions")
            for each in {id(store): store, id(flat): flat}.values():
                maintain(each, each.index_policy)
            agent = (
                services.retriever
                if graph is not None
                else type(services.retriever)(flat, services.embedder, services.retriever.settings)
            )
            ladder = lever_agents(store, services.embedder, agent.settings) if self.levers else {}
            bar.describe(f"{namespace} questions")
            for question in conversation.scored():
                vector = services.embedder.encode_one(question.question)
                begin, begin_cpu = time.perf_counter(), time.process_time()
                result = agent.retrieve(
                    namespace, question.question, now=when, vector=vector, k=DEPTH, token_budget=UNBUDGETED
                )
                latencies["wall"].append((time.perf_counter() - begin) * 1000.0)
                latencies["cpu"].append((time.process_time() - begin_cpu) * 1000.0)
                ranking = [item.sources for item in result.items]
                shown = fit_budget([i.render() for i in result.items[:10]], agent.settings.token_budget)
                tokens.append(sum(count_tokens(i.render()) for i in result.items[:10]))
                sources.append(len({s for item in ranking[:10] for s in item}))
                kw: dict[str, Any] = {"category": question.category, "sample": namespace, "kind": question.kind}
                system.add(ranking, question.evidence, **kw)
                budgeted.add([ranking[i] for i in shown], question.evidence)
                others = baseline_rankings(flat, namespace, question.question, vector, when, DEPTH)
                for name, rung in ladder.items():
                    found = rung.retrieve(
                        namespace, question.question, now=when, vector=vector, k=DEPTH, token_budget=UNBUDGETED
                    )
                    others[name] = [item.sources for item in found.items]
                for name, ranking in others.items():
                    boards.setdefault(name, Scoreboard()).add(ranking, question.evidence, **kw)
                if self.answerer is not None:
                    self.answerer(question, RetrievalResult(query=result.query, items=result.items[:shown]))
                bar.update(1)
            self._count_rows(store, namespace, stats)
            log.info(
                "conversation %s: %d questions, recall@10 so far %.3f",
                namespace,
                len(conversation.scored()),
                system.overall.summary()["recall_at_10"],
            )
        bar.close()
        return self._report(data, conversations, system, budgeted, boards, stats, latencies, tokens, sources)

    def _ingest(
        self, graph: Any, conversation: Conversation, namespace: str, stats: IngestStats, bar: Progress
    ) -> None:
        """Every turn through the compiled graph's memory path (``respond=False``)."""
        evidence = {dia_id for q in conversation.scored() for dia_id in q.evidence}
        for session in conversation.sessions:
            for i, turn in enumerate(session.turns):
                config = {
                    "configurable": {
                        "user_id": namespace,
                        "thread_id": f"{namespace}-s{session.index}",
                        "now": turn_time(session.at, i).isoformat(),
                        "respond": False,
                    }
                }
                out = graph.invoke({"messages": [HumanMessage(content=turn.render(), id=turn.dia_id)]}, config)
                label = out["decision"]["tier"]
                stats.gate[label] = stats.gate.get(label, 0) + 1
                if turn.dia_id in evidence:
                    stats.evidence_gate[label] = stats.evidence_gate.get(label, 0) + 1
                bar.update(1)

    @staticmethod
    def _count_rows(store: TierStore, namespace: str, stats: IngestStats) -> None:
        for record in store.records(namespace):
            name = f"{record.tier}/{record.kind}"
            stats.rows[name] = stats.rows.get(name, 0) + 1

    def _report(
        self,
        data: str,
        conversations: Sequence[Conversation],
        system: Scoreboard,
        budgeted: Tally,
        boards: dict[str, Scoreboard],
        stats: IngestStats,
        latencies: dict[str, list[float]],
        tokens: list[int],
        sources: list[int],
    ) -> RecallReport:
        holdout = None
        if self.holdout:
            holdout = {
                "samples": self.holdout,
                "system": system.subset(self.holdout).summary(),
                **{name: board.subset(self.holdout).summary() for name, board in boards.items()},
            }
        return RecallReport(
            data=data,
            mode=self.mode,
            conversations=[c.sample_id for c in conversations],
            n_questions=system.overall.n,
            system=system.summary(),
            recall_at_10_budgeted=budgeted.summary()["recall_at_10"],
            baselines={name: boards[name].summary() for name in BASELINES},
            levers={name: board.summary() for name, board in boards.items() if name not in BASELINES} or None,
            holdout=holdout,
            latency_ms={
                "p50": round(percentile(latencies["wall"], 50), 2),
                "p95": round(percentile(latencies["wall"], 95), 2),
                "cpu_p50": round(percentile(latencies["cpu"], 50), 2),
                "cpu_p95": round(percentile(latencies["cpu"], 95), 2),
            },
            context={
                "tokens_at_10": round(sum(tokens) / max(len(tokens), 1), 1),
                "sources_at_10": round(sum(sources) / max(len(sources), 1), 1),
            },
            ingest={
                **stats.model_dump(),
                "turns_per_s": stats.turns_per_s,
                "evidence_dropped_by_gate": _share(stats.evidence_gate, "none"),
            },
            dropped_evidence={c.sample_id: c.dropped for c in conversations if c.dropped},
            answers=self.answerer.summary() if self.answerer is not None else None,
        )


def _share(counts: dict[str, int], label: str) -> float:
    total = sum(counts.values())
    return round(counts.get(label, 0) / total, 4) if total else 0.0
