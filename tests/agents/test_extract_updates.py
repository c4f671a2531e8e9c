"""A second subject left without its verb, a clause joined by "but", an origin that is no place,
updates of work and home (QA round 7, N-W5 and the updates not read)."""

from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.extract import extract_facts
from tiermem.agents.fact_unsaid import at_work, gapped_verbs

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I was born in 1990 and my sister in 1995", {"user.birth_year": "1990", "sister.birth_year": "1995"}),
        ("I live in Berlin and my sister in Paris", {"user.lives_in": "Berlin", "sister.lives_in": "Paris"}),
        ("I'm from Brazil and my wife from Kenya", {"user.origin": "Brazil", "wife.origin": "Kenya"}),
        ("I work at Google and my husband at Meta", {"user.employer": "Google", "husband.employer": "Meta"}),
        ("I was born on March 3, 1990", {"user.birthday": "March 3", "user.birth_year": "1990"}),
        ("my son was born in May 2015", {"son.birth_year": "2015"}),
    ],
)
def test_a_relation_left_without_its_verb_has_its_own_value(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("I was born in 1990 and my sister in 1995", "I was born in 1990, and my sister was born in 1995"),
        ("I'm from Brazil but my wife from Kenya", "I'm from Brazil, but my wife is from Kenya"),
        ("I live in Rome and work at Fiat", "I live in Rome and work at Fiat"),  # no relation: the speaker's
        ("I live in Rome and my sister lives in Paris", "I live in Rome and my sister lives in Paris"),
    ],
)
def test_the_speakers_verb_is_said_again_for_a_gapped_relation(sentence: str, said: str) -> None:
    assert gapped_verbs(sentence) == said


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I'm from Brazil but live in Berlin", {"user.origin": "Brazil", "user.lives_in": "Berlin"}),
        ("I'm from Brazil but now live in Berlin", {"user.origin": "Brazil", "user.lives_in": "Berlin"}),
        ("I grew up in Lyon, but work in Paris", {"user.origin": "Lyon"}),
    ],
)
def test_a_clause_after_but_is_the_speakers_too(text: str, facts: dict[str, str]) -> None:
    assert facts.items() <= _facts(text).items()


@pytest.mark.parametrize(
    "text",
    [
        "I'm from the marketing team",
        "I'm from the IT department",
        "I'm from the sales team in Berlin",
        "I'm from IT",
        "I'm from HR",
        "I'm from the government",
        "I'm from Acme Corp",
        "I'm from Acme Inc.",
        "I'm from the 90s",
        "I'm from the '80s",
        "I'm from the nineties",
        "I'm from work",
        "I'm from the future",
        "I'm from the bank",
    ],
)
def test_no_origin_from_a_team_a_company_or_a_time(text: str) -> None:
    assert "user.origin" not in _facts(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm from the US", "US"),
        ("I'm from the Netherlands", "Netherlands"),
        ("I'm from the Ivory Coast", "Ivory Coast"),
        ("I'm from Salt Lake City", "Salt Lake City"),
        ("I'm from Hong Kong", "Hong Kong"),
        ("I'm originally from Mexico City, but I live in Austin", "Mexico City"),
    ],
)
def test_an_origin_is_still_a_place(text: str, value: str) -> None:
    assert _facts(text)["user.origin"] == value


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I don't work at Google anymore, I'm at Meta now", {"user.employer": "Meta"}),
        ("I quit my job at Google, I'm at Meta now", {"user.employer": "Meta"}),
        ("I left Google. Now I'm at Siemens", {"user.employer": "Siemens"}),
        ("I don't work at Google anymore", {"user.employer": "no longer Google"}),
        ("I no longer work for Siemens", {"user.employer": "no longer Siemens"}),
        ("My wife doesn't work at Meta anymore", {"wife.employer": "no longer Meta"}),
        ("I work at Meta now", {"user.employer": "Meta"}),
        ("I'm at Meta now", {}),  # where one is, not where one works
        ("I'm at Starbucks now", {}),
        ("I was at the gym, I'm at Costa now", {}),
    ],
)
def test_a_new_employer_said_as_being_at_it_after_words_about_work(text: str, facts: dict[str, str]) -> None:
    assert {k: v for k, v in _facts(text).items() if k.endswith(".employer")} == facts


def test_being_at_a_company_is_work_only_after_words_about_work() -> None:
    assert at_work("I'm at Meta now") == "I'm at Meta now"
    assert at_work("I left Google, I'm at Meta now") == "I left Google, I work at Meta now"


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("We moved to Bergen last month", {"user.lives_in": "Bergen"}),
        ("We live in Oslo", {"user.lives_in": "Oslo"}),
        ("We moved out of London", {"user.lives_in": "no longer London"}),
        ("我们上个月搬到了北京", {"user.lives_in": "北京"}),
        ("My sister moved to Paris last year", {"sister.lives_in": "Paris"}),
    ],
)
def test_we_includes_the_speaker_and_a_home_is_observed_when_said(text: str, facts: dict[str, str]) -> None:
    found = {f.key: f for f, _ in extract_facts(text, NOW)}
    assert {key: found[key].value for key in facts} == facts
    assert all(found[key].observed_at == NOW for key in facts)  # the move's day lies before: its home is now


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I moved to Berlin in 2019. In 2015 I had moved to Paris", "Berlin"),  # by the days their words name
        ("I don't live in Chicago anymore, I moved to Madison last year", "Madison"),
        ("I live in Paris. No wait, I live in Nice now.", "Nice"),
    ],
)
def test_within_a_message_the_home_said_of_the_latest_day_is_kept(text: str, value: str) -> None:
    assert _facts(text)["user.lives_in"] == value


def test_a_move_said_now_stands_over_a_home_said_before_it() -> None:
    """A home said a year ago, then "we moved to Beijing last month": Beijing is newer, though the move's
    day (April) comes after nothing told since; and so it is after a home said yesterday."""
    for before in (NOW - timedelta(days=365), NOW - timedelta(days=1)):
        ((old, _),) = extract_facts("我住在上海", before)
        ((new, _),) = extract_facts("我们上个月搬到了北京", NOW)
        assert (new.key, new.value) == (old.key, "北京") and new.observed_at > old.observed_at
