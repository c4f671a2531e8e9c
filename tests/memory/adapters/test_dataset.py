"""Dataset builder: masking, templates, held-out probes, strict value patterns."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from tiermem.memory.adapters.dataset import (
    IGNORE_INDEX,
    encode,
    encode_texts,
    fact_digest,
    fact_examples,
    fact_probes,
    latest_facts,
    replay_examples,
    value_pattern,
)
from tiermem.memory.adapters.templates import phrases
from tiermem.memory.models import load_local_chat_model
from tiermem.memory.records import Fact


@pytest.fixture(scope="module")
def tokenizer():
    return load_local_chat_model()[1]


@pytest.mark.parametrize(
    ("value", "text", "matches"),
    [
        ("45 kg", "Your weight is 45 kg.", True),
        ("45 kg", "You weigh 45kg today", True),
        ("45 kg", "你的体重是45 kg。", True),
        ("45 kg", "An elephant weighs 455 kg", False),
        ("45 kg", "It is 1.45 kg", False),
        ("45 kg", "45 kilograms", False),
        ("45 kg", "You weigh 45 kgs", False),
        ("Lisbon", "You live in lisbon.", True),
        ("Lisbon", "You live in Lisbonne.", False),
        ("March 14", "Your birthday is March 14.", True),
        ("March 14", "Your birthday is March 143.", False),
        ("555-0142", "Call 555-0142 now", True),
        ("上海", "你住在上海。", True),
        ("AB negative", "Your blood type is AB  negative", True),
    ],
)
def test_value_pattern_is_strict(value: str, text: str, matches: bool) -> None:
    assert (re.search(value_pattern(value), text, re.IGNORECASE) is not None) is matches


def test_latest_facts_keeps_newest_version_per_key() -> None:
    old = Fact(attribute="weight", value="47 kg", observed_at=datetime(2024, 1, 1, tzinfo=UTC))
    new = Fact(attribute="weight", value="45 kg", observed_at=datetime(2024, 5, 3, tzinfo=UTC))
    city = Fact(attribute="lives_in", value="Lisbon", observed_at=datetime(2023, 1, 1, tzinfo=UTC))
    assert latest_facts([new, city, old]) == [city, new]


def test_fact_digest_changes_with_value_and_time() -> None:
    a = Fact(attribute="weight", value="45 kg", observed_at=datetime(2024, 5, 3, tzinfo=UTC))
    assert fact_digest(a) == fact_digest(a.model_copy())
    assert fact_digest(a) != fact_digest(a.model_copy(update={"value": "46 kg"}))
    assert fact_digest(a) != fact_digest(a.model_copy(update={"observed_at": datetime(2024, 5, 4, tzinfo=UTC)}))


def test_examples_cover_both_languages_and_the_masked_statement(weight_fact: Fact) -> None:
    examples = fact_examples([weight_fact])
    questions = [e.messages[0]["content"] for e in examples]
    targets = {e.target for e in examples}
    assert "What is my weight?" in questions and "我的体重是什么？" in questions
    assert "Your weight is 45 kg." in targets and "你的体重是45 kg。" in targets
    masked = [e for e in examples if "___" in e.messages[0]["content"]]
    assert len(masked) == 1
    assert "I weighed ___ today" in masked[0].messages[0]["content"]
    assert "45" not in masked[0].messages[0]["content"]
    assert masked[0].target == "I weighed 45 kg today"
    assert all(e.kind == "fact" and e.key == "user.weight" for e in examples)


def test_chinese_statement_is_masked_in_chinese() -> None:
    fact = Fact(attribute="weight", value="45kg", statement="今天称重45kg")
    [masked] = [e for e in fact_examples([fact]) if "___" in e.messages[0]["content"]]
    assert masked.messages[0]["content"] == "根据你对我的了解填空：今天称重___"
    assert masked.target == "今天称重45kg"


def test_probes_are_held_out_of_training(weight_fact: Fact, city_fact: Fact) -> None:
    facts = [weight_fact, city_fact]
    trained = {e.messages[0]["content"] for e in fact_examples(facts)}
    probes = fact_probes(facts)
    paraphrases = [p for p in probes if p.kind == "paraphrase"]
    assert paraphrases and all(p.messages[0]["content"] not in trained for p in paraphrases)
    assert {p.lang for p in paraphrases} == {"en", "zh"}
    assert all(p.messages[0]["content"] in trained for p in probes if p.kind == "exact")


def test_paraphraser_adds_questions_but_never_a_probe(weight_fact: Fact) -> None:
    def paraphraser(question: str) -> list[str]:
        return [f"Quick question: {question}", "What's my weight again?"]

    questions = {e.messages[0]["content"] for e in fact_examples([weight_fact], paraphraser)}
    assert "Quick question: What is my weight?" in questions
    assert "What's my weight again?" not in questions


def test_other_subjects_read_as_possessives() -> None:
    fact = Fact(subject="alice", attribute="birthday", value="March 14")
    assert phrases(fact, "en").q == "Alice's birthday"
    assert phrases(fact, "zh").s == "Alice的生日"


def test_labels_are_ignored_on_prompt_and_padding(tokenizer, weight_fact: Fact) -> None:
    examples = fact_examples([weight_fact])[:3]
    encoded = encode(examples, tokenizer)
    for row, example in enumerate(examples):
        labels = encoded.labels[row]
        ids = encoded.input_ids[row]
        labelled = labels != IGNORE_INDEX
        first = int(labelled.nonzero()[0])
        prompt = tokenizer.decode(ids[:first])
        assert prompt.endswith("<|im_start|>assistant\n") and example.messages[0]["content"] in prompt
        assert (labels[:first] == IGNORE_INDEX).all()
        assert tokenizer.decode(labels[labelled]) == example.target + tokenizer.eos_token
        real = int(encoded.attention_mask[row].sum())
        assert labelled[first:real].all() and not labelled[real:].any()
        assert (labels[labelled] == ids[labelled]).all()


def test_incomplete_replay_answers_get_no_end_token(tokenizer) -> None:
    examples = replay_examples(["Q1?", "Q2?", "Q3?"], [("done.", True), ("cut", False), ("  ", True)])
    assert [e.complete for e in examples] == [True, False]
    encoded = encode(examples, tokenizer)
    assert tokenizer.decode(encoded.labels[1][encoded.labels[1] != IGNORE_INDEX]) == "cut"


def test_plain_texts_have_no_labels(tokenizer) -> None:
    encoded = encode_texts(["one two three", "four"], tokenizer)
    assert (encoded.labels == IGNORE_INDEX).all()
    assert encoded.attention_mask.sum(dim=1).tolist()[1] < encoded.attention_mask.shape[1]


def test_encode_rejects_nothing(tokenizer) -> None:
    with pytest.raises(ValueError, match="at least one example"):
        encode([], tokenizer)


def test_languages_choose_templates_and_probes(weight_fact: Fact) -> None:
    english = fact_examples([weight_fact], languages=("en",))
    assert all(not re.search(r"[\u4e00-\u9fff]", e.messages[0]["content"]) for e in english)
    assert {p.lang for p in fact_probes([weight_fact], ("zh",))} == {"zh"}


def test_a_relations_fact_is_asked_about_as_the_users_relation() -> None:
    fact = Fact(subject="husband", attribute="allergy", value="shellfish")
    assert (phrases(fact, "en").q, phrases(fact, "en").s) == ("my husband's allergy", "your husband's allergy")
    assert phrases(fact, "zh").q.startswith("我丈夫的")
    assert phrases(Fact(subject="anna", attribute="allergy", value="cats"), "en").q == "Anna's allergy"


def test_chinese_templates_name_the_attribute_in_chinese() -> None:
    """A Chinese probe asks for 我的专业 or 你的职业, not an English attribute word among Chinese ones."""
    for attribute, noun in (("major", "专业"), ("occupation", "职业"), ("school", "学校"), ("medication", "药物")):
        assert phrases(Fact(attribute=attribute, value="x"), "zh").q == f"我的{noun}"
