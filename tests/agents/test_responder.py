from datetime import UTC, datetime

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from tiermem.agents.responder import Responder, fact_answer, is_chinese, quote
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.generation import Generation

WHEN = datetime(2024, 5, 3, tzinfo=UTC)
WEIGHT = RetrievedItem(
    id="w",
    tier="mid",
    text="今天称重45kg",
    score=1.0,
    created_at=WHEN,
    key="user.weight",
    value="45 kg",
    history=["47 kg (2024-05-01)"],
)
HIKE = RetrievedItem(id="h", tier="short", text="I went hiking in the Alps", score=0.5, created_at=WHEN)


class RecordingGenerator:
    def __init__(self) -> None:
        self.prompts: list[list[dict[str, str]]] = []

    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation:
        self.prompts.append(messages)
        return Generation(text="generated", adapter_version="v3" if namespace else None)


def test_is_chinese() -> None:
    assert is_chinese("我现在体重多少？") and not is_chinese("How much? 45kg")


def test_fact_question_answered_from_newest_version(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("How much do I weigh now?", RetrievalResult(query="q", items=[HIKE, WEIGHT]))
    assert answer.mode == "fact" and answer.cited == ["w"]
    assert answer.text == "Your weight is 45 kg (as of 2024-05-03; earlier: 47 kg (2024-05-01))."


def test_unrelated_question_goes_to_the_model_with_context(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "Where did I go hiking?", RetrievalResult(query="q", items=[HIKE, WEIGHT]), namespace="alice"
    )
    assert answer.mode == "local" and answer.adapter_version == "v3"
    prompt = generator.prompts[0][0]["content"]
    assert "I went hiking in the Alps" in prompt and "Question: Where did I go hiking?" in prompt


def test_chinese_question_quotes_memory(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "我现在体重多少？", RetrievalResult(query="q", items=[WEIGHT])
    )
    assert answer.mode == "quote" and "45 kg" in answer.text and "今天称重45kg" in answer.text
    assert generator.prompts == []


def test_chinese_statement_confirms_what_was_stored() -> None:
    assert quote(None, "mid: weight = 45 kg") == "好的，已记住：mid: weight = 45 kg。"
    assert quote(None, None) == "我没有找到相关的记忆。"


def test_no_retrieval_hides_memories(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "How much do I weigh now?", RetrievalResult(query="q", items=[WEIGHT]), use_retrieval=False
    )
    assert answer.mode == "local" and answer.cited == []
    assert generator.prompts[0][0]["content"] == "How much do I weigh now?"


def test_chat_model_gets_memories_in_system_prompt() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="You weigh 45 kg.")]))
    answer = Responder(chat_model=model).answer("How much do I weigh?", RetrievalResult(query="q", items=[WEIGHT]))
    assert answer.mode == "chat_model" and answer.text == "You weigh 45 kg." and answer.cited == ["w"]


def test_fact_answer_for_other_subjects() -> None:
    item = WEIGHT.model_copy(update={"key": "anna.lives_in", "value": "Paris", "history": []})
    assert fact_answer(item) == "Anna's home city is Paris (as of 2024-05-03)."


def test_stored_statement_is_confirmed_not_generated(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    result = RetrievalResult(query="q", items=[WEIGHT])
    answer = responder.answer("I weighed 45 kg this morning.", result, remembered="mid: weight = 45 kg")
    assert answer.mode == "confirm" and answer.text == "Noted, I'll remember that (mid: weight = 45 kg)."
    hike = "I loved the Alps, where should I hike next?"
    asked = responder.answer(hike, RetrievalResult(query="q", items=[HIKE]), remembered="short")
    assert asked.mode == "local"  # a statement that also asks something is answered
    assert generator.prompts and f"Question: {hike}" in generator.prompts[-1][0]["content"]


def test_small_talk_reaches_the_model_without_memories(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "Haha, that's funny.", RetrievalResult(query="q", items=[HIKE, WEIGHT])
    )
    assert answer.mode == "local" and answer.cited == [] and "small talk" in answer.reason
    assert generator.prompts[0][0]["content"] == "Haha, that's funny."


HOME = RetrievedItem(
    id="o", tier="long", text="I live in Oslo", score=0.9, created_at=WHEN, key="user.lives_in", value="Oslo"
)


def test_a_fact_asked_for_the_natural_way_is_answered_from_the_fact(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    answer = responder.answer("Where do I live?", RetrievalResult(query="q", items=[HIKE, HOME]))
    assert answer.mode == "fact" and answer.text == "Your home city is Oslo (as of 2024-05-03)."
    hiking = responder.answer("Where did I go hiking?", RetrievalResult(query="q", items=[HIKE, HOME]))
    assert hiking.mode == "local"  # another "where" question is not taken for the home city
