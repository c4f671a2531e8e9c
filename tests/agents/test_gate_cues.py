"""The gate's lexical cues, and the tiers they help both deciders reach (docs/GATE.md, rules 1, 5, 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tiermem.agents.gate import GateInput
from tiermem.agents.gate_cues import CUE_NAMES, cue_vector, cues, states_own
from tiermem.agents.rule_gate import RuleGate
from tiermem.agents.trained_gate import TrainedGate
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def deciders(embedder: BaseEmbedder) -> tuple[RuleGate, TrainedGate]:
    return RuleGate(embedder), TrainedGate(embedder)


@pytest.mark.parametrize(
    ("message", "present", "absent"),
    [
        ("What's the capital of Australia?", {"question"}, set()),
        ("I've got my driving test next Thursday. Any last-minute advice?", {"period"}, {"question"}),
        ("I'm severely allergic to shellfish. Which dishes are safe?", set(), {"question"}),
        ("我下周三要去面试一家外企，有什么需要准备的吗？", {"period"}, {"question"}),
        ("Can you recommend a good podcast?", {"request", "question"}, set()),
        ("Reply in short sentences, please.", {"instruction"}, {"request"}),
        ("Keep your answer under fifty words.", {"instruction"}, set()),
        ("这次请用表格列出来", {"instruction"}, {"request"}),
        ("Don't worry about it", set(), {"instruction"}),
        ("I'm in line at the pharmacy right now.", {"doing", "now"}, set()),
        ("On my way to the dentist, talk in a bit.", {"doing"}, set()),
        ("我在菜市场买菜", {"doing"}, set()),
        ("I'm going to Paris next month", {"period"}, {"doing"}),
        ("I usually work night shifts at the factory.", {"habit"}, set()),
        ("我通常晚上十点就睡了", {"habit"}, set()),
        ("My yoga class is on Thursday evenings.", {"habit"}, {"period"}),
        ("Good night, see you tomorrow!", {"social"}, set()),
        ("谢谢，回头聊", {"social"}, set()),
        ("Thanks! By the way, I moved to Leeds last month.", {"period"}, {"social"}),
    ],
)
def test_cues(message: str, present: set[str], absent: set[str]) -> None:
    found = {name for name, on in cues(message, NOW).items() if on}
    assert present <= found and not absent & found, found


@pytest.mark.parametrize(
    ("message", "states"),
    [
        ("I have to sell my car before I move. Any tips?", True),
        ("Hi! I'm Tom.", True),  # a name: extraction finds it
        ("I see. What do you mean?", False),
        ("I'm so nervous 😬 Any tips for a first date?", True),  # an emoji ends a sentence
        ("Translate into French: I live in Paris", False),
    ],
)
def test_states_own(message: str, states: bool) -> None:
    assert states_own(message, NOW) is states


def test_cue_vector_follows_the_feature_order() -> None:
    vector = cue_vector("Reply in short sentences, please.", NOW)
    assert vector.shape == (len(CUE_NAMES),) and vector[CUE_NAMES.index("instruction")] == 1.0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # a statement before a closing question or request: the longest-lived part wins
        ("My car failed its inspection on Monday and the garage wants 900 euros. Is that a fair price?", "mid"),
        ("I'm severely allergic to shellfish. Which dishes at a Thai place are safe?", "long"),
        ("我下周三要去面试一家外企，有什么需要准备的吗？", "mid"),
        ("我是素食者，周末请朋友吃饭做什么菜好？", "long"),
        # what one does, or where one is, right now
        ("I'm in line at the pharmacy right now.", "short"),
        ("On my way to the dentist, talk in a bit.", "short"),
        # habits and lasting routines
        ("I play tennis with my brother every Sunday morning.", "long"),
        ("I usually work night shifts at the factory.", "long"),
        ("我通常晚上十点就睡了", "long"),
        # instructions for this chat
        ("Reply in short sentences, please.", "short"),
        ("Keep your answer under fifty words.", "short"),
        ("这次请用表格列出来", "short"),
        # reactions and goodbyes
        ("Good night, see you tomorrow!", "none"),
        ("That's wonderful news, congrats!", "none"),
        ("谢谢，回头聊", "none"),
    ],
)
def test_both_deciders(deciders: tuple[RuleGate, TrainedGate], message: str, expected: str) -> None:
    for gate in deciders:
        decision = gate.decide(GateInput(text=message, now=NOW))
        assert decision.tier == expected, f"{gate.name}: {decision.reason}"
