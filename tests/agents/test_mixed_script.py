from datetime import UTC, datetime

from tiermem.agents.mixed_script import chinese_relations
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.generation import Generation

WHEN = datetime(2024, 5, 3, tzinfo=UTC)


def test_latin_relations_in_a_chinese_question_are_said_in_chinese() -> None:
    names = {"emma": "girlfriend"}
    assert chinese_relations("Emma对猫过敏吗？", names) == "我女朋友对猫过敏吗？"
    assert chinese_relations("我的Emma住在哪里？", names) == "我女朋友住在哪里？"
    assert chinese_relations("我的sister住在哪里？", {}) == "我的姐妹住在哪里？"  # RELATIONS_ZH's word
    assert chinese_relations("my brother住在哪里？", {}) == "我兄弟住在哪里？"
    assert chinese_relations("我妹妹去过哥伦比亚吗？", {}) == "我妹妹去过哥伦比亚吗？"  # Chinese words as said
    assert chinese_relations("my mum对什么过敏？", {}) == "我妈妈对什么过敏？"
    assert chinese_relations("Emmanuel住在哪里？", names) == "Emmanuel住在哪里？"  # not a part of a longer name
    assert chinese_relations("Where does Emma live?", names) == "Where does Emma live?"  # English: by_relation's
    assert chinese_relations("我女朋友叫Emma。", names) == "我女朋友叫Emma。"  # a statement is as said


class _Generator:
    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation:
        return Generation(text="generated", adapter_version=None)


def _fact(key: str, value: str, text: str = "told") -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


def test_a_mixed_question_is_answered_about_the_relation_it_names(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=_Generator(), embedder=embedder)
    emma = RetrievalResult(query="q", items=[_fact("user.girlfriend", "Emma"), _fact("girlfriend.allergy", "cats")])
    assert responder.answer("Emma对猫过敏吗？", emma).text == "是的，你女朋友对cats过敏（截至 2024-05-03）。"
    assert responder.answer("Emma对狗过敏吗？", emma).text == "你说过你女朋友对cats过敏（截至 2024-05-03）。"
    home = _fact("sister.lives_in", "Paris", "My sister lives in Paris")
    sister = RetrievalResult(query="q", items=[_fact("user.weight", "70 kg"), home])
    answer = responder.answer("我的sister住在哪里？", sister)
    assert answer.mode == "quote" and answer.cited == ["sister.lives_in"] and "Paris" in answer.text
