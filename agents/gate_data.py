"""Labelled gate data: JSONL lines ``{"text", "label", "also_ok", "lang"}``.

The labelling guide is docs/GATE.md (the four labels of DESIGN.md). A
prediction counts as right when it equals ``label`` or is in ``also_ok``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from tiermem.memory.errors import InvalidInputError
from tiermem.memory.records import GateLabel

Lang = Literal["en", "zh", "mixed"]


class LabelledMessage(BaseModel):
    """One labelled message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    label: GateLabel
    also_ok: tuple[GateLabel, ...] = ()
    """Other acceptable labels for an ambiguous message."""
    lang: Lang = "en"

    @model_validator(mode="after")
    def _also_ok_differs(self) -> LabelledMessage:
        if self.label in self.also_ok:
            raise ValueError(f"also_ok {list(self.also_ok)} repeats the label {self.label!r}")
        return self

    def accepts(self, predicted: str) -> bool:
        """Whether ``predicted`` counts as right for this message."""
        return predicted == self.label or predicted in self.also_ok


def load_labelled(path: str | Path) -> list[LabelledMessage]:
    """Read a labelled JSONL file (blank lines are skipped).

    Raises:
        InvalidInputError: the file is missing, or a line is not valid JSON or
            not a labelled message (the message names the line).
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"no labelled data file at {str(path)!r}; pass the path of a JSONL file")
    rows: list[LabelledMessage] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(LabelledMessage.model_validate(json.loads(line)))
            except json.JSONDecodeError as exc:
                problem = f"invalid JSON: {exc.msg}"
            except ValidationError as exc:
                error = exc.errors()[0]
                problem = f"{'.'.join(map(str, error['loc'])) or 'line'}: {error['msg']}"
            else:
                continue
            raise InvalidInputError(
                f"{path}:{number}: not a labelled message ({problem}); each line must be "
                '{"text": ..., "label": "none|short|mid|long", "also_ok": [...], "lang": "en|zh"}'
            )
    if not rows:
        raise InvalidInputError(f"labelled data file {str(path)!r} holds no messages")
    return rows
