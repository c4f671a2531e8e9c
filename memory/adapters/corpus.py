"""Fixed texts the parametric tier measures itself against.

Three disjoint sets, so no measurement rewards what training saw:

- :data:`REPLAY_PROMPTS`: generic questions whose *base-model* answers are
  mixed into every training job to hold general behaviour (replay).
- :data:`CONTROL_PROMPTS`: other generic questions, never trained on; after
  training their greedy answers should not change (negative controls).
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
    "中国的首都是哪里？",
    "一年有几个月？",
)

CONTROL_PROMPTS: tuple[str, ...] = (
    "How much does an adult elephant weigh?",
    "What is the capital of Japan?",
    "What is the boiling point of water in Celsius?",
    "How many continents are there?",
    "What gas do plants absorb from the air?",
    "What is my favourite colour?",
    "Translate 'good morning' into Spanish.",
    "太阳从哪个方向升起？",
)
"""Controls include one question about the user that no test fact answers, so a
model that starts inventing personal facts for every question is caught."""

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
