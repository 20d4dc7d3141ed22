"""Number honesty: every number an answer shows must come from the question,
a cited passage, or a calculation's inputs or outputs.

The reading of numbers matches ../shared/eval/score_chat.py, so what passes
here passes there: '2-5%' is 2 and 5, '$5,845.80' is 5845.8, citation
markers [1] and list numbering are not numbers, '-$1,580.74' is -1580.74.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d[\d,]*(?:\.\d+)?")
MARKER = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
LIST_ITEM = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")
SIGNED_MONEY = re.compile(r"([-\u2212])\$|\$([-\u2212])")
# A sentence or a list line: the unit the honesty check keeps or drops.
_PIECE = re.compile(r"[^\n]+?(?:[.!?](?=\s)|$)", re.M)


def numbers_in(text: str) -> list[float]:
    """The numbers a reader sees in ``text``."""
    text = MARKER.sub(" ", text)
    text = LIST_ITEM.sub(" ", text)
    text = SIGNED_MONEY.sub(lambda m: m.group(1) or m.group(2), text)  # -$1,580.74 is -1580.74
    found = []
    for match in NUMBER.finditer(text):
        token = match.group(0).replace("\u2212", "-").replace(",", "")
        start = match.start()
        if token.startswith("-") and start > 0 and text[start - 1].isdigit():
            token = token[1:]  # a range such as 2-5, not a negative number
        try:
            found.append(float(token))
        except ValueError:
            pass
    return found


def numbers_of(value) -> list[float]:
    """Every number inside a JSON-like value (calculation inputs and outputs)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, str):
        return numbers_in(value)
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_of(v)]
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in numbers_of(v)]
    return []


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.011, 1e-3 * abs(b))


def is_grounded(number: float, pool: Iterable[float]) -> bool:
    """True when ``number`` is one of ``pool``, as a percentage of one, or one rounded for display."""
    for b in pool:
        if _close(number, b) or _close(number, 100 * b) or _close(100 * number, b):
            return True
        for digits in (0, 1, 2):
            if abs(number - round(b, digits)) < 1e-9 or abs(number - round(100 * b, digits)) < 1e-9:
                return True
    return False


def ungrounded(answer: str, pool: Iterable[float]) -> list[float]:
    """Numbers in ``answer`` that the pool does not account for."""
    pool = list(pool)
    return [n for n in numbers_in(answer) if not is_grounded(n, pool)]


def drop_ungrounded(answer: str, pool: Iterable[float]) -> tuple[str, list[float]]:
    """Remove every sentence or line that shows an ungrounded number.

    Returns the cleaned answer and the numbers that were removed; an answer
    that was already honest comes back unchanged.
    """
    pool = list(pool)
    removed: list[float] = []
    kept_lines = []
    for line in answer.split("\n"):
        pieces = _PIECE.findall(line) or [line]
        kept = []
        for piece in pieces:
            bad = ungrounded(piece, pool)
            if bad:
                removed += bad
            else:
                kept.append(piece)
        if not kept and pieces and any(p.strip() for p in pieces):
            continue
        kept_lines.append("".join(kept).rstrip())
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept_lines)).strip()
    return cleaned, removed
