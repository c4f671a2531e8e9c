"""The table of extraction rules: what each pattern reads and which value builder writes it.

Each :class:`Pattern` is a regular expression with named groups, the attribute
it fills and the tier its facts belong to (measurements of changing values are
mid-term; identity is long-term), English and Chinese side by side. The rules
are kept by family (``fact_patterns_measurements``, ``_plans``, ``_health``,
``_identity``, ``_home``, ``_background``, ``_work``, ``_possessions``, ``_preferences``, ``_people``, built from
``fact_patterns_common``); this module puts them in the order extraction tries
them. How values are written (numbers, units, phrases) is
:mod:`tiermem.agents.fact_values`'s; which clauses the patterns read and whose
facts they are is :mod:`tiermem.agents.extract`'s.
"""

from __future__ import annotations

from .fact_patterns_background import BIRTH_YEAR_PATTERNS, ORIGIN_PATTERNS, SCHOOL_PATTERNS
from .fact_patterns_common import Pattern as Pattern  # re-exported: extract reads rules with the table
from .fact_patterns_health import ALLERGY_PATTERNS, CONDITION_PATTERNS, MEDICATION_PATTERNS
from .fact_patterns_home import CONTACT_PATTERNS, HOME_PATTERNS
from .fact_patterns_identity import BIRTHDAY_AND_LANGUAGE_PATTERNS, BODY_AND_DIET_PATTERNS, NAME_PATTERNS
from .fact_patterns_measurements import GOAL_WEIGHT_PATTERNS, MEASUREMENT_PATTERNS
from .fact_patterns_measurements import MEASUREMENTS as MEASUREMENTS  # re-exported: callers import it with the table
from .fact_patterns_people import NAMED_RELATION_PATTERNS, PARTNER_AND_RELATION_PATTERNS
from .fact_patterns_plans import PLAN_CHANGE_PATTERNS, PLAN_PATTERNS
from .fact_patterns_plans import ZH_FUTURE as ZH_FUTURE  # re-exported: extract checks a Chinese plan with them
from .fact_patterns_plans import ZH_HABIT as ZH_HABIT
from .fact_patterns_plans import ZH_PAST as ZH_PAST  # re-exported: extract checks a Chinese plan with them
from .fact_patterns_possessions import CAR_PATTERNS
from .fact_patterns_preferences import LIKE_PATTERNS, PREFERENCE_PATTERNS
from .fact_patterns_work import WORK_PATTERNS

PATTERNS: tuple[Pattern, ...] = (
    *MEASUREMENT_PATTERNS,
    *GOAL_WEIGHT_PATTERNS,
    *PLAN_PATTERNS,
    *PLAN_CHANGE_PATTERNS,
    *MEDICATION_PATTERNS,
    # identity, relationships, lasting preferences: long-term
    *NAME_PATTERNS,
    *ALLERGY_PATTERNS,
    *HOME_PATTERNS,
    *CONTACT_PATTERNS,
    *BIRTHDAY_AND_LANGUAGE_PATTERNS,
    *ORIGIN_PATTERNS,
    *SCHOOL_PATTERNS,
    *BIRTH_YEAR_PATTERNS,
    *WORK_PATTERNS,
    *CAR_PATTERNS,
    *PREFERENCE_PATTERNS,
    *LIKE_PATTERNS,
    *BODY_AND_DIET_PATTERNS,
    *NAMED_RELATION_PATTERNS,
    *CONDITION_PATTERNS,
    *PARTNER_AND_RELATION_PATTERNS,
)
"""Every rule, in the order extraction tries them: of two matches at the same place in a clause, the
earlier rule's is taken first, so the families interleave where the order matters."""
