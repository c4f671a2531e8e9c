"""Answer generation from the retrieved memories.

Two paths: any LangChain ``BaseChatModel`` (given the memories in a system
message), or the bundled local model. SmolLM2-135M follows a short
"Context / Question" prompt with the memories as plain sentences far better
than a long system prompt, and it cannot write Chinese: for a question in a
language it cannot write, the responder quotes the retrieved memory instead
and records that in the answer's ``mode``. A statement the gate stored and
that asks nothing is confirmed with what was stored (mode ``confirm``) rather
than handed to the small model, and small talk that neither asks nor stores
anything reaches the local model without memories, which it would otherwise
recite.
"""

from __future__ import annotations

from datetime import datetime

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.generation import TextGenerator

from .agenda import with_move_ahead
from .allergy_caution import allergy_caution
from .answer import Answer
from .asked import as_held_member, by_relation, mentions, referent, referents, relation_names
from .chinese_reply import chinese_reply
from .choices import choice_answer
from .countdown import countdown
from .derived import derived_fact
from .earlier import told_before
from .fact_match import (
    FactMatcher,
    asked_aspect,
    may_say,
    named_relation,
    named_value,
    reads_as_question,
    says_other,
    to_assistant,
)
from .follow_up import asked_with
from .food_advice import avoids, food_facts, food_note, food_reply
from .forgetting import ForgetPlan
from .grounded import TO_GET, GroundedAnswers, about_user_alone, asks_advice, says_user, tells_of_someone
from .handover import by_holder
from .held_replies import held_answer, not_told_held
from .listings import listed_answer
from .may_eat import HEALTH_FACTS, MAY_I, asked_food
from .may_have import may_have_answer
from .measures import measured_answer
from .members import said_of_members
from .mixed_script import chinese_relations
from .pronouns import question_with_antecedent, relations_of
from .relation_names import asks_other_than_who
from .replies import (
    confirmation,
    fact_answer,
    forget_reply,
    is_chinese,
    not_told,
    not_told_attribute,
    other_held,
    past_period,
    quote,
    sentence,
    told,
    unechoed,
)
from .retriever import RetrievalResult
from .secrets import secret_not_kept
from .statements import is_question, is_request, stated_clauses
from .strangers import untold_names
from .taste_replies import opposite_taste
from .value_match import ValueMatcher
from .weight_goal import body_answer
from .whose import about_the_user
from .yes_no import YES_NO, asked_fact

FORGOT_NOTE = "\nThe user's last message asked you to forget something; tiermem did this: {reply}"
REFUSED_NOTE = "\nThe user's last message could not be stored in memory ({reason}): say so if they ask you to remember."
SYSTEM_PROMPT = (
    "You are a helpful assistant with a memory of this user. Use the memories below when "
    "they are relevant; the newest value of a fact is the current one.\nMemories:\n{context}"
)


class Responder:
    """Produces the answer for one turn.

    Args:
        chat_model: a LangChain chat model; when given it answers everything.
        generator: the local model used when no chat model is given.
        max_new_tokens: generation budget of the local model.
        context_items: how many memories the local model is shown.
        embedder: matches questions to stored facts for direct fact answers, and values asked to
            values told in another script (鸡蛋, eggs: :class:`~.value_match.ValueMatcher`).
        fact_threshold: cosine similarity between the question and "What is my
            <attribute>?" (or a natural question for it: "Where do I live?") above
            which a fact is answered directly.
    """

    def __init__(
        self,
        *,
        chat_model: BaseChatModel | None = None,
        generator: TextGenerator | None = None,
        max_new_tokens: int = 64,
        context_items: int = 5,
        embedder: BaseEmbedder | None = None,
        fact_threshold: float = 0.6,
    ) -> None:
        if chat_model is None and generator is None:
            raise ValueError("Responder needs a chat_model or a local generator")
        self.chat_model = chat_model
        self.generator = generator
        self.max_new_tokens = max_new_tokens
        self.context_items = context_items
        self.matcher = FactMatcher(embedder=embedder, fact_threshold=fact_threshold, context_items=context_items)
        self.values = ValueMatcher(embedder)
        self.grounded = GroundedAnswers(embedder)

    def answer(
        self,
        question: str,
        result: RetrievalResult,
        *,
        history: list[BaseMessage] | None = None,
        namespace: str | None = None,
        use_retrieval: bool = True,
        remembered: str | None = None,
        message: HumanMessage | None = None,
        refused: str | None = None,
        now: datetime | None = None,
        forgot: ForgetPlan | None = None,
    ) -> Answer:
        """Answer ``question`` given the retrieved memories and recent history.

        Args:
            question: the user's message.
            result: what the retrieval agent found.
            history: recent conversation (passed to a chat model).
            namespace: whose adapter the local model uses.
            use_retrieval: ``False`` answers from the weights alone.
            remembered: what this turn stored, for a confirmation in quote mode.
            refused: why this turn's memory write was refused (a full namespace): the user is told,
                never thanked for a memory that was not kept.
            message: the user's message as sent (its images and other content blocks go to a
                chat model as they are; ``question`` is its text).
            now: when the question was asked, with the asker's UTC offset: dates are shown as the
                asker's days, and "last month" is counted from theirs.
            forgot: the message asked to forget something: what it named and what was forgotten.
                The local model is not asked (it would repeat what was forgotten); a chat model
                is told in its system prompt.
        """
        if forgot is not None and self.chat_model is None:
            return Answer(text=forget_reply(forgot, question), mode="forgot", reason=forgot.reason)
        note = FORGOT_NOTE.format(reply=forget_reply(forgot, "")) if forgot is not None else ""
        reply = self._answer(
            question, result, history, namespace, use_retrieval, remembered, message, refused, now, note
        )
        if refused and reply.mode not in ("refused", "chat_model"):  # it asked too: answered, and told
            chinese = is_chinese(question)
            note = (
                f"（没能记住你说的：{refused}）" if chinese else f" (I could not remember what you told me: {refused})"
            )
            reply = reply.model_copy(update={"text": reply.text + note})
        return reply

    def _answer(
        self,
        question: str,
        result: RetrievalResult,
        history: list[BaseMessage] | None,
        namespace: str | None,
        use_retrieval: bool,
        remembered: str | None,
        message: HumanMessage | None,
        refused: str | None,
        now: datetime | None,
        note: str,
    ) -> Answer:
        items = by_holder(result.items) if use_retrieval else []  # Emma's allergy is not Sophie's
        cited = [item.id for item in items]
        tz = now.tzinfo if now is not None else None
        if self.chat_model is not None:
            context = "\n".join(item.render(tz) for item in items) or "(none)"
            asked = message if message is not None else HumanMessage(question)
            system = (
                SYSTEM_PROMPT.format(context=context) + (REFUSED_NOTE.format(reason=refused) if refused else "") + note
            )
            messages = [SystemMessage(system), *(history or []), asked]
            reply = self.chat_model.invoke(messages)
            return Answer(
                text=str(reply.text),
                mode="chat_model",
                reason="answered by the configured chat model",
                cited=cited,
                message_id=reply.id,
            )
        assert self.generator is not None
        # "How old is she?" after "my daughter ...": the relation named; else "what time?" asks what the one before did
        resolved = question_with_antecedent(question, history or [], known=relations_of(item.key for item in items))
        question = resolved if resolved != question else asked_with(question, history)
        if use_retrieval and (opposite := opposite_taste(question, items, tz, chinese=is_chinese(question))):
            return opposite  # "Do I like olives?" with olives disliked: no
        items = self.matcher.of_polarity(question, items)  # "What do I like?" is answered by no dislike
        listed = listed_answer(question, items, now) if use_retrieval else None
        if (listed := listed or self.matcher.about_group(question, items, now)) is not None:  # told, not guessed
            return listed
        # "Where does Emma live?" after "my girlfriend is Emma" asks where the girlfriend lives
        names = relation_names((item.key, item.value) for item in items if item.key)
        about_whom = as_held_member(by_relation(chinese_relations(question, names), names), items)
        fact = self.matcher.matching_fact(about_whom, items) if use_retrieval and not TO_GET.match(question) else None
        about = referents(about_whom)  # 我弟弟, my sister: whom it asks about (none: the user)
        own = [item for item in items if not item.key or referent(item.key) in (about or {"user"})]
        yes_no = use_retrieval and YES_NO.search(question) is not None
        asked_value = asked_fact(about_whom) if yes_no else None  # "Am I allergic to cats?": user.allergy, cats
        diet = [item for item in own if item.key.endswith(".diet_identity")]
        as_diet = named_value(about_whom, diet) if asked_value and asked_value[0].endswith(".condition") else None
        if as_diet is not None:
            fact, asked_value = as_diet, None  # "Am I diabetic?", and the diet is "diabetic"
        elif asked_value:  # that fact, or none ("Does Emma have asthma?" is not answered with her allergies)
            fact = next((item for item in items if item.key == asked_value[0]), None)
        elif fact is None and yes_no:  # "Am I vegetarian?": the fact whose value it names
            fact = named_value(about_whom, own) or named_relation(about_whom, items[: self.context_items])
        other = other_held(about_whom, own, now) if fact is None and yes_no and not asked_value else None
        if other is not None:  # "Am I a doctor?" with the occupation nurse held
            return Answer(text=other, mode="fact", reason="a yes-or-no question names a value another holds")
        elif fact is None and use_retrieval and MAY_I.match(question):  # "Can I eat peanuts?": the allergy
            fact = named_value(about_whom, [item for item in own if item.key.partition(".")[2] in HEALTH_FACTS])
        asks = reads_as_question(question) or is_request(question)  # "Recommend me a song." wants an answer too
        if refused and not asks:
            chinese = is_chinese(question)
            return Answer(
                text=f"没能记住这条：{refused}" if chinese else f"I could not remember that: {refused}",
                mode="refused",
                reason="the message stated something, but its memory write was refused: telling the user",
            )
        advice = asks_advice(question)  # "What's a good gift for my wife?": no memory of her is needed
        kept_out = secret_not_kept(question, items) if use_retrieval and asks and not advice else None
        if kept_out is not None:  # "What's my PIN?" in a later session: kept out on purpose, maybe told
            return kept_out
        unknown = (
            self.matcher.unknown_referents(about_whom, items) | untold_names(about_whom, items)
            if use_retrieval and asks and not advice
            else frozenset()
        )
        if unknown:
            return Answer(
                text=not_told(unknown, question),
                mode="unknown",
                reason=f"the question asks about {', '.join(sorted(unknown))}, whom no retrieved memory mentions",
            )
        kept = food_facts(question, items, about) if use_retrieval and asks and (advice or avoids(question)) else []
        if kept and avoids(question):  # "What can't I eat?", "What should I avoid cooking for Mark?": not a guess
            cited = [item.id for item in kept]
            return Answer(text=food_reply(kept, now), mode="fact", reason="asked what to avoid: told", cited=cited)
        if fact is None and asked_value:  # "Is my wife allergic to penicillin?" and no allergy of hers is stored
            key, value = asked_value
            saying = next((item for item in items if may_say(item, key, value, names)), None) or next(
                (item for item in items if says_other(item, key, names)), None
            )
            if saying is None:
                return Answer(
                    text=not_told_held(key, value, question),
                    mode="unknown",
                    reason=f"the question asks whether {key} holds {value}, and no memory holds {key}",
                )
            saying = saying.model_copy(update={"text": self.grounded.words(saying, question)})  # an episode's line
            return Answer(  # the model would guess, and an allergy is no thing to guess: the memory itself
                text=quote(saying, None, tz) if is_chinese(question) else told(saying, tz),
                mode="quote",
                reason=f"the question asks whether {key} holds {value}; no fact holds it, a memory may say it",
                cited=[saying.id],
            )
        named_said = self.matcher.said_of_named(question, items, names) if use_retrieval and fact is None else None
        if named_said is not None:  # "What is Emma allergic to?" with "Emma is allergic to cats" said
            return Answer(
                text=quote(named_said, None, tz) if is_chinese(question) else told(named_said, tz),
                mode="quote",
                reason="the question asks a named person's allergy or condition, which a memory that is no fact says",
                cited=[named_said.id],
            )
        food = asked_food(about_whom) if use_retrieval and fact is None and MAY_I.match(question) else None
        may_have = may_have_answer(food, own, question, now, values=self.values) if food else None
        if may_have is not None:  # "Can I eat walnuts?" with nuts held, "Can I eat salmon?" of a vegetarian
            return may_have
        computed = body_answer(about_whom, own, now) if use_retrieval and asks and not advice else None
        if computed is not None:  # "What's my BMI?", "How much more do I need to lose?"
            return computed
        missing = (
            self.matcher.missing_attribute(about_whom, items)
            if use_retrieval and asks and not advice and fact is None
            else None
        )
        derived = derived_fact(missing, own, now) if missing else None
        if derived is not None:  # "How old am I?" after "I was born on March 3, 1990"
            return Answer(text=derived, mode="fact", reason=f"no {missing} is held: told from another fact held")
        said = said_of_members(question, missing, items, now) if missing else None  # "Which of my kids ...?"
        said = said or (self.grounded.told_otherwise(question, missing, own, items, about, now) if missing else None)
        if said is not None:  # "What languages do I speak?": no fact, a memory says it
            return said
        if missing:
            return Answer(
                text=not_told_attribute(missing, question),
                mode="unknown",
                reason=f"the question asks for the fact {missing}, and no memory holds it",
            )
        held = held_answer(fact, asked_value, about_whom, now, values=self.values) if fact and asked_value else None
        if fact is not None and held:
            return Answer(
                text=held,
                mode="fact",
                reason=f"the question asks whether the stored fact {fact.key} holds a value it names",
                cited=[fact.id],
            )
        counted = countdown(question, fact, own, now) if use_retrieval else None
        if counted is not None:  # "How many days until my birthday?", 离我生日还有几天？
            return counted
        measured = measured_answer(fact, question, now) if fact is not None else None
        if fact is not None and measured is not None:  # "What is my weight in pounds?", 我瘦了多少？
            return Answer(
                text=measured,
                mode="fact",
                reason=f"the question asks {fact.key} in another unit or how it changed: computed from its values",
                cited=[fact.id],
            )
        if use_retrieval and is_chinese(question):  # the local model cannot write Chinese: the memory quoted
            return chinese_reply(
                question, items, own, about, fact=fact, remembered=remembered, asks=asks, now=now,
                matcher=self.matcher, grounded=self.grounded,
            )  # fmt: skip
        if fact is not None:
            period = past_period(question, now)  # a follow-up ("which company?") is told the words said
            aspect = question != resolved or asked_aspect(question, fact) is not None  # "What color is my car?"
            before = told_before(question, fact, tz) if period is None else None  # "before?", "history?"
            text = before or (told(fact, tz) if aspect and period is None else fact_answer(fact, now, period))
            return Answer(
                text=text if before or period else with_move_ahead(text, fact, items, now),  # "moving to Seattle"
                mode="fact",
                reason=f"the question asks for the stored fact {fact.key}: answered from its newest version",
                cited=[fact.id],
            )
        if remembered and not asks:
            return Answer(
                text=confirmation(remembered),
                mode="confirm",
                reason="the message stated something that was stored and asked nothing: confirming it",
            )
        if use_retrieval and not asks and not remembered and tells_of_someone(question):
            reason = "the message tells of someone and asks nothing: kept in the session's working memory"
            return Answer(text="Noted.", mode="confirm", reason=reason)
        chosen = choice_answer(question, own, now) if use_retrieval and asks and not to_assistant(question) else None
        if chosen is not None:  # "Is it a boy or a girl?" after "We're expecting a baby girl"
            return chosen
        if use_retrieval and asks:
            stated = remembered is not None and bool(stated_clauses(question))
            called = about | {name for name, slug in names.items() if slug in about}  # "Max's coach": the son's
            naming = [  # "my dog", not "My sister's dog"
                item
                for item in items  # a fact of the user that names them too
                if any(mentions(item.text, slug) for slug in called)
                and (about & (whose_text := referents(item.text)) or not whose_text)
                and not asks_other_than_who(question, item, about)  # "Does my boss have a pet?": not her name
            ]
            whose = naming if about else about_the_user(own) if about_user_alone(question) else items
            grounded = self.grounded.answer(question, whose, now, stated=stated, relation=bool(about))
            if grounded is not None:  # the local model would guess: the memory that says it, or "not told"
                return grounded
        if not asks or to_assistant(question):
            items = []  # small talk, or about the assistant: memories in the prompt would only be recited
        elif not says_user(question):  # "What is the capital of Australia?": no allergy to recite
            items = [item for item in items if self.matcher.relevant(question, item)]
        elif about:  # "What should I get Max for his birthday?": his facts, not his sister's allergy
            items = [item for item in own if item.key] or own
        items = [item for item in items if item.kind == "episode" or not is_question(item.text)]  # tell nothing
        facts = " ".join(sentence(item, tz) for item in items[: self.context_items])
        prompt = f"Context: {facts}\nQuestion: {question}\nAnswer briefly." if facts else question
        generation = self.generator.generate(
            [{"role": "user", "content": prompt}], max_new_tokens=self.max_new_tokens, namespace=namespace
        )
        if not use_retrieval:
            source = "weights only (no retrieval)"
        elif not asks:
            source = "the message alone (small talk, no memories)"
        else:
            source = f"{len(items[: self.context_items])} memories"
        text = unechoed(generation.text)
        return Answer(
            text=text + (allergy_caution(text, own) or food_note(kept, now) if use_retrieval else ""),
            mode="local",
            reason=f"local model answered from {source}",
            cited=[item.id for item in items[: self.context_items]],
            adapter_version=generation.adapter_version,
        )
