"""Turning passages and calculations into short, cited Markdown answers.

Extractive and deterministic: the answer's sentences are the corpus's own
sentences (or the glossary's definitions), numbered [n] in order of first
use; calculator answers show the calculator's figures, formatted for reading.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from assistant.reply import Calculation, Citation

DISCLAIMER = "_Educational, not financial advice._"
SCOPE_LINE = (
    "I can help with the VixShield methodology (SPX iron condors hedged with the ALVH, "
    "the Adaptive Layered VIX Hedge), the options and market terms its articles use, "
    "and calculators for iron condors, hedge ratios and correlations."
)
MAX_WORDS = 120
OVERLAP_WEIGHT = 0.3  # tuned on tests/data/chat-cases.jsonl (see docs/evaluation.md)

_WORD = re.compile(r"[a-z0-9]+")
_STOP = set(
    "a an the and or of to in on for by with is are was were be been it its this that these those what which who how "
    "does do did can could should would will about as at from into than then there their they them you your i me my "
    "we our us why when where whats what's explain tell more mean means really use used using".split()
)
# Sentences of the corpus that carry no answer on their own.
_BOILERPLATE = re.compile(
    r"^(to (explore|deepen)|this discussion is provided|in the (\w+ )?(world|landscape) of)", re.I
)


# --- citations ------------------------------------------------------------------


@dataclass
class CitationList:
    """Citations numbered 1..n in order of first use; one per passage."""

    items: list[Citation] = field(default_factory=list)
    _by_chunk: dict[str, int] = field(default_factory=dict)

    def cite(self, chunk) -> int:
        if chunk.id not in self._by_chunk:
            number = len(self.items) + 1
            self._by_chunk[chunk.id] = number
            self.items.append(
                Citation(id=number, source_id=chunk.source_id, title=chunk.title, url=chunk.url, text=chunk.text)
            )
        return self._by_chunk[chunk.id]


def renumber(answer: str, citations: list) -> tuple[str, list]:
    """Keep only the citations the answer uses, numbered 1..n in order of first use."""
    by_id = {c.id: c for c in citations}
    order: dict[int, int] = {}
    for found in re.findall(r"\[(\d+)\]", answer):
        old = int(found)
        if old in by_id and old not in order:
            order[old] = len(order) + 1
    answer = re.sub(r"\[(\d+)\]", lambda m: f"[{order.get(int(m.group(1)), m.group(1))}]", answer)
    kept = [by_id[old].model_copy(update={"id": new}) for old, new in order.items()]
    return answer, kept


# --- sentences ------------------------------------------------------------------


def _stem(word: str) -> str:
    """A crude stem, enough to match 'adjusting hedge ratios' with 'adjust the hedge ratio'."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def clean_sentence(sentence: str) -> str:
    """A corpus sentence as it reads inside an answer: no bullet dash or heading marks."""
    return re.sub(r"^\s*(?:[-*]\s+|#+\s+)", "", sentence).strip()


@dataclass(frozen=True)
class Candidate:
    chunk: object
    position: int
    text: str
    score: float
    vector: np.ndarray
    sentence: object = None  # the evidence.Sentence it came from, if any


def pick_sentences(question: str, query_vector: np.ndarray, hits, index, limit: int = 3) -> list[Candidate]:
    """The 2–4 sentences of the top passages most similar to the question.

    Score = cosine(question, sentence)
          + 0.3 × the IDF-weighted share of the question's content words the sentence contains
            (IDF over the candidate sentences, so words every candidate shares, like "VIX", count little)
          + 0.1 × the passage's fused search score relative to the best passage's
          − 0.1 for glossary definitions (a methodology answer should rest on the articles).
    Near duplicates (cosine > 0.9 to one already picked) and sentences far
    below the best (more than 0.15) are skipped, but two are kept when there are two.
    """
    asked = content_words(question)
    pool: list[tuple[object, int, str, np.ndarray, set[str], float]] = []
    best_hit = max((hit.score for hit in hits), default=1.0) or 1.0
    for hit in hits:
        sentences, vectors = index.sentences(hit.chunk.id)
        bonus = 0.1 * hit.score / best_hit - (0.1 if hit.chunk.kind == "glossary" else 0.0)
        for position, (sentence, vector) in enumerate(zip(sentences, vectors)):
            text = clean_sentence(sentence)
            if not text.endswith((".", "!", "?", '"', "”")) or len(text.split()) < 6 or _BOILERPLATE.match(text):
                continue
            pool.append((hit.chunk, position, text, vector, content_words(text), bonus))
    if not pool:
        return []
    idf = {w: math.log(1 + len(pool) / (1 + sum(w in words for *_, words, _ in pool))) for w in asked}
    asked_weight = sum(idf.values()) or 1.0
    candidates = [
        Candidate(chunk, position, text, float(vector @ query_vector) + OVERLAP_WEIGHT * sum(idf[w] for w in asked & words) / asked_weight + bonus, vector)
        for chunk, position, text, vector, words, bonus in pool
    ]
    candidates.sort(key=lambda c: c.score, reverse=True)
    chosen: list[Candidate] = []
    words = 0
    for cand in candidates:
        if len(chosen) >= 2 and cand.score < candidates[0].score - 0.15:
            break
        if any(float(cand.vector @ c.vector) > 0.9 for c in chosen):
            continue
        length = len(cand.text.split())
        if chosen and words + length > MAX_WORDS:
            continue
        chosen.append(cand)
        words += length
        if len(chosen) >= limit:
            break
    return chosen


# A sentence that leans on the one before it: never the first sentence of an answer on its own.
DANGLING = re.compile(
    r"^(?:therefore|thus|hence|however|in contrast|by contrast|instead|similarly|moreover|furthermore|additionally|"
    r"also|here|this|these|that|those|it|its|they|their|such|conversely|likewise|as a result|consequently|meanwhile|"
    r"still|yet|but|and|then|otherwise|in (?:this|that|these|such) \w+|during (?:these|this|those|such)|"
    r"at (?:this|that|these) \w+|for (?:this|that) reason|on the other hand|in other words|rather)\b",
    re.I,
)


def choose_evidence(found, table, limit: int = 3, margin: float = 0.15) -> list[Candidate]:
    """The best evidence sentences (``evidence.Scored``, best first) as answer candidates.

    Up to ``limit`` sentences within ``margin`` of the best score, no near duplicates, at most
    MAX_WORDS words. A sentence opening with a connective or pronoun ("Therefore", "These
    signals") brings the sentence before it in its passage, or is skipped when it has none; a
    sentence that introduces a list ("...several mechanisms:") brings the items after it.
    Returned in reading order: passages in the order first picked, sentences in passage order.
    """
    chosen: list[Candidate] = []
    words = 0
    best = found[0].score if found else 0.0
    for x in found:
        if len(chosen) >= limit or (chosen and x.score < best - margin):
            break
        group = [x.sentence]
        if DANGLING.match(x.sentence.text):
            before = table.previous(x.sentence)
            if before is None or DANGLING.match(before.text):
                continue
            group.insert(0, before)
        if group[-1].text.endswith(":"):  # "...through several mechanisms:" needs what follows
            following = [table.neighbour(group[-1], step) for step in (1, 2, 3)]
            following = [s for s in following if s is not None]
            if not following:
                continue
            group += following
        new = [s for s in group if all(s is not c.sentence for c in chosen)]
        if any(float(s.vector @ c.vector) > 0.9 for s in new for c in chosen if s is not c.sentence):
            continue
        length = sum(len(s.text.split()) for s in new)
        if chosen and words + length > MAX_WORDS:
            continue
        for s in new:
            chosen.append(Candidate(s.chunk, s.position, s.text, x.score, s.vector, sentence=s))
        words += length
    first = {}
    for i, c in enumerate(chosen):
        first.setdefault(c.chunk.id, i)
    return sorted(chosen, key=lambda c: (first[c.chunk.id], c.position))


def readable_order(chosen: list[Candidate], hits) -> list[Candidate]:
    """Group sentences by passage (best passage first) and keep each passage's own order."""
    rank = {hit.chunk.id: i for i, hit in enumerate(hits)}
    first_pick = {}
    for i, cand in enumerate(chosen):
        first_pick.setdefault(cand.chunk.id, i)
    return sorted(chosen, key=lambda c: (first_pick[c.chunk.id], rank.get(c.chunk.id, 0), c.position))


def cited_sentences(chosen: list[Candidate], citations: CitationList) -> str:
    """Sentences joined into a paragraph, each passage's marker after its last sentence."""
    parts = []
    for i, cand in enumerate(chosen):
        number = citations.cite(cand.chunk)
        last_of_passage = i + 1 == len(chosen) or chosen[i + 1].chunk.id != cand.chunk.id
        parts.append(f"{cand.text} [{number}]" if last_of_passage else cand.text)
    return " ".join(parts)


# --- numbers for reading ---------------------------------------------------------


def fmt_number(value: float, decimals: int = 2) -> str:
    """5746.5 -> '5,746.5'; 3.5 -> '3.5'; 0.30000000004 -> '0.3'."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_points(value: float) -> str:
    """Index points with two decimals: 3.5 -> '3.50', 5746.5 -> '5,746.50'."""
    return f"{value:,.2f}"


def fmt_money(value: float) -> str:
    """Dollars: 4650 -> '$4,650'; -12.345 -> '-$12.35'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    body = f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"
    return f"{sign}${body}"


def fmt_pct(value: float) -> str:
    """A probability or share as a percentage: 0.41812 -> '41.8%'."""
    return f"{100 * value:.1f}%"


_MONEY = re.compile(r"(^|_)(max_profit|max_loss|expected_value|notional|payoff|cost|loss|budget|amount|dollars?)($|_)")
_SHARE = re.compile(r"(^|_)(pop|p|probability|effectiveness|r_squared|fraction|share|allocation|pct)($|_)")


def fmt_output(name: str, value) -> str:
    """Format one calculator output by what its name says it is."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            return "n/a"
        if name.endswith("_points"):
            return fmt_points(value)
        if _SHARE.search(name) and not name.endswith("_ratio") and abs(value) <= 1.0:
            return fmt_pct(value)
        if _MONEY.search(name):
            return fmt_money(value)
        if isinstance(value, int) or float(value).is_integer():
            return fmt_number(value, 0)
        return fmt_number(value, 4)
    return str(value)


def label(name: str) -> str:
    return name.replace("_", " ").replace("pop", "probability of profit").capitalize()


# --- calculation answers --------------------------------------------------------

_CONDOR_ORDER = [
    "breakevens",
    "max_profit",
    "max_loss",
    "risk_reward",
    "pop",
    "p_max_profit",
    "p_max_loss",
    "p_touch_short_put",
    "p_touch_short_call",
    "expected_value",
    "expected_move",
]
_FOCUS_ALIASES = {"lower_breakeven": "breakevens", "upper_breakeven": "breakevens"}


_CONDOR_PROBABILITIES = {
    "pop": "Probability of profit (ends between the break-evens): **{}**",
    "p_max_profit": "Probability of max profit (ends between the short strikes): {}",
    "p_max_loss": "Probability of max loss: {}",
    "p_touch_short_put": "Probability of touching the short put before expiry: {}",
    "p_touch_short_call": "Probability of touching the short call before expiry: {}",
}


def _condor_line(key: str, out: dict) -> str | None:
    get = out.get
    if key == "breakevens":
        return f"Break-evens: **{fmt_number(get('lower_breakeven'))}** and **{fmt_number(get('upper_breakeven'))}**"
    if get(key) is None:
        return None
    if key in _CONDOR_PROBABILITIES:
        return _CONDOR_PROBABILITIES[key].format(fmt_pct(get(key)))
    if key in ("max_profit", "max_loss"):
        name = key.replace("_", " ").capitalize()
        return f"{name}: {fmt_points(get(key + '_points'))} points = **{fmt_money(get(key))}**"
    if key == "risk_reward":
        return f"Risk/reward: {fmt_number(get('risk_reward'))} to 1"
    if key == "expected_value":
        return f"Expected value at expiry: {fmt_money(get('expected_value'))}"
    if key == "expected_move":
        return f"Expected move (spot × IV × √T): ±{fmt_number(get('expected_move'))} points"
    return None


def compose_iron_condor(calc: Calculation, focus: tuple[str, ...]) -> str:
    inp, out = calc.inputs, calc.outputs
    strikes = "/".join(f"{inp[k]:g}" for k in ("long_put", "short_put", "short_call", "long_call"))
    contracts = inp.get("contracts", 1)
    head = (
        f"**Iron condor {strikes}** for a {fmt_points(out.get('credit', inp.get('credit') or 0))} credit, "
        f"{contracts} contract{'s' if contracts != 1 else ''} (dollars use the multiplier {fmt_number(inp.get('multiplier', 100))}):"
    )
    wanted = []
    for name in focus:
        key = _FOCUS_ALIASES.get(name, name)
        if key in _CONDOR_ORDER and key not in wanted:
            wanted.append(key)
    has_probabilities = out.get("pop") is not None
    rest = [k for k in _CONDOR_ORDER if k not in wanted and (has_probabilities or not k.startswith(("p", "expected")))]
    # Keep answers short: the asked figures, then the core ones.
    keys = wanted + [k for k in rest if k in ("breakevens", "max_profit", "max_loss", "pop")]
    if not wanted:
        keys = [k for k in rest if k in ("breakevens", "max_profit", "max_loss", "risk_reward", "pop", "expected_value")]
    lines = [head] + [f"- {line}" for k in keys if (line := _condor_line(k, out))]
    if has_probabilities:
        lines.append(
            f"\nAssumes a lognormal index at expiry: SPX {fmt_number(inp['spot'])}, IV {fmt_pct(inp['iv'])}, "
            f"{fmt_number(inp['days'])} days, rate {fmt_pct(inp.get('rate') or 0)}, dividend yield {fmt_pct(inp.get('dividend') or 0)}."
        )
    return "\n".join(lines)


def compose_hedge_ratio(calc: Calculation, focus) -> str:
    inp, out = calc.inputs, calc.outputs
    if inp.get("correlation") is not None:
        head = (
            f"Minimum-variance hedge ratio h* = ρ·σp/σh = {fmt_number(inp['correlation'], 4)} × "
            f"{fmt_pct(inp['portfolio_vol'])} / {fmt_pct(inp['hedge_vol'])} = **{fmt_number(out['hedge_ratio'], 4)}**"
        )
    else:
        head = f"Minimum-variance hedge ratio (OLS slope): **{fmt_number(out['hedge_ratio'], 4)}**"
    lines = [head]
    if out.get("effectiveness") is not None:
        lines.append(f"- Hedge effectiveness (R²): {fmt_pct(out['effectiveness'])}")
    if out.get("residual_vol") is not None:
        lines.append(f"- Residual volatility (basis risk): {fmt_pct(out['residual_vol'])}")
    return "\n".join(lines)


def compose_oversize(calc: Calculation, focus) -> str:
    inp, out = calc.inputs, calc.outputs
    total = out.get("oversized_notional")
    if total is None:
        return compose_generic(calc, focus)
    return (
        f"Oversizing a {fmt_money(inp['notional'])} hedge by {fmt_number(inp['factor'])}× gives a hedge of "
        f"**{fmt_money(total)}**."
    )


def compose_generic(calc: Calculation, focus) -> str:
    lines = [f"**{calc.calculator}** results:"]
    items = [(k, v) for k, v in calc.outputs.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    items.sort(key=lambda kv: (kv[0] not in focus,))
    for name, value in items[:10]:
        lines.append(f"- {label(name)}: {fmt_output(name, value)}")
    return "\n".join(lines)


COMPOSERS = {
    "iron-condor": compose_iron_condor,
    "hedge-ratio": compose_hedge_ratio,
    "decorrelation-oversize": compose_oversize,
}


def compose_calculation(calc: Calculation, focus: tuple[str, ...]) -> str:
    return COMPOSERS.get(calc.calculator, compose_generic)(calc, focus)
