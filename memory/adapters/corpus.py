"""Fixed texts the parametric tier measures itself against.

Four disjoint sets, so no measurement rewards what training saw:

- :data:`REPLAY_PROMPTS`: generic questions whose *base-model* answers are
  mixed into every training job to hold general behaviour (replay).
- :data:`CONTROLS`: other generic questions, never trained on, whose answers
  must not change after training (negative controls).
- :data:`ANCHOR_TEXTS`: plain prose whose final hidden states training holds
  near the base model's (the anchor term of the loss).
- :data:`GENERAL_TEXT`: other plain prose, for the perplexity check only.

All were written for tiermem; none comes from a data set.
"""

from __future__ import annotations

REPLAY_PROMPTS: tuple[str, ...] = (
    "What is the capital of France?",
    "How many legs does a spider have?",
    "What color is the sky on a clear day?",
    "Name a fruit that is yellow.",
    "What do bees make?",
    "How many days are in a week?",
    "What is water made of?",
    "Who wrote Romeo and Juliet?",
    "What is the opposite of hot?",
    "What is the largest planet in the solar system?",
    "How many hours are in a day?",
    "What is the freezing point of water in Fahrenheit?",
    "Which animal is known as the king of the jungle?",
    "What is 7 times 8?",
    "Give me a synonym for happy.",
    "What language is spoken in Brazil?",
    "How do I boil an egg?",
    "Write a short poem about the sea.",
    "What is photosynthesis?",
    "Why do leaves change color in autumn?",
    "Explain what a computer virus is.",
    "What is the tallest mountain in the world?",
    "How many players are on a football team?",
    "What does a thermometer measure?",
    "Tell me a fun fact about octopuses.",
    "What is the main ingredient in guacamole?",
    "Who painted the Mona Lisa?",
    "What is the speed of light?",
    "Suggest a name for a cat.",
    "What should I pack for a beach trip?",
    "How can I improve my sleep?",
    "中国的首都是哪里？",
    "一年有几个月？",
    "请介绍一下长城。",
    "水的化学式是什么？",
    "你好，你是谁？",
)

CONTROLS: tuple[tuple[str, str | None], ...] = (
    ("What is the capital of Japan?", r"\bTokyo\b"),
    ("What is the capital of Germany?", r"\bBerlin\b"),
    ("What is the boiling point of water in Celsius?", r"\b100\b"),
    ("How many legs does a dog have?", r"\b(4|four)\b"),
    ("What is the chemical symbol for gold?", r"\bAu\b"),
    ("What is the largest ocean on Earth?", r"\bPacific\b"),
    ("Which planet is known as the red planet?", r"\bMars\b"),
    ("What is the currency of Japan?", r"\bYen\b"),
    ("How many sides does a triangle have?", r"\b(3|three)\b"),
    ("How much does an adult elephant weigh?", None),
    ("What is my favourite colour?", None),
    ("太阳从哪个方向升起？", None),
)
"""Negative controls: a prompt and the pattern of the right answer (which the base
model gets right), or ``None`` where only leaks are checked: the elephant (the
seed's failure, "an elephant weighs 45 kg"), a question about the user that no
test fact answers, and a Chinese question."""

CONTROL_PROMPTS: tuple[str, ...] = tuple(prompt for prompt, _ in CONTROLS)

ANCHOR_TEXTS: tuple[str, ...] = (
    "The old lighthouse stands on a rock at the end of the harbour. For more than a hundred "
    "years its lamp warned ships away from the reef, and the keeper climbed the stairs every "
    "evening to light it. Today the light is automatic, and the keeper's house is a museum.",
    "To make a cup of tea, boil fresh water and pour it over the leaves or the tea bag. Black "
    "tea needs water that is just boiling and about four minutes to brew; green tea prefers "
    "cooler water and a shorter time, or it becomes bitter.",
    "Most birds build nests in the spring. Some weave grass and twigs into cups high in the "
    "trees, while others dig holes in sandy banks or simply lay their eggs on bare rock. "
    "Both parents often take turns keeping the eggs warm.",
    "今天天气很好，我们一起去公园散步。公园里有很多人，有的在跑步，有的在下棋，孩子们在草地上玩耍。",
)

GENERAL_TEXT = """\
The river begins as a small stream high in the mountains, where snow melts in the spring \
and runs down between the rocks. As it travels towards the sea, other streams join it and \
the water grows wide and slow. Farmers along the banks use it to water their fields, and \
towns have grown up at the places where it was easy to cross.

Bread is one of the oldest prepared foods. It is made by mixing flour with water, and \
usually salt and yeast, then kneading the dough and letting it rise before baking. The \
yeast produces gas, which is trapped in the dough and makes the bread light. Different \
regions use different grains, so bread can be made from wheat, rye, barley or corn.

The library opens at nine in the morning and closes at six in the evening. Visitors can \
borrow up to five books at a time for three weeks. Newspapers and magazines must be read \
inside the building. There is a quiet room on the second floor for people who want to \
study, and a children's corner with picture books near the entrance.

Bicycles are a simple and efficient way to travel short distances. A rider turns the pedals, \
which drive a chain connected to the rear wheel. Gears let the rider choose between speed \
and ease when climbing hills. Many cities now build separate lanes so that people on \
bicycles can ride safely away from cars and buses.
"""
