"""Text and numbers: cleaning a message and reading the numbers in it.

``clean`` strips markup and normalises Unicode; ``lower`` lower-cases and reads "S&P 500" as
"spx" and "75,000 dollars" as "$75,000"; ``Scan`` hands each slot reader the text the others
have not used yet. The regular-expression pieces (NUM, AT, PCT, SIGN...) are shared by every
reader.
"""

from __future__ import annotations

import re

MULTIPLIER = 100  # SPX dollars per index point, used only to read "$350 credit" as 3.50 points
DAYS_PER_MONTH = 30.4  # "2 months" = round(2 x 30.4) = 61 calendar days

NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"  # 5,950  4.20  15  .5
AT = r"(?:(?:is|was|were|be|of|at|=|:|to|around|about|near|@)\s*)*"  # "IV is 15%", "credit of 2", "spot = 6000"
# A value restated as a change, as a follow-up does: "correlation drops to 0.2", "increments were 25%", "vix only rises to 26"
CHANGED = (
    r"(?:(?:(?:only|just|then|now|instead)\s+)?(?:drops?|dropped|falls?|fell|rises?|rose|goes|went|climbs?|climbed|jumps?|jumped|"
    r"moves?|moved|changes?|changed|increases?|increased|decreases?|decreased|gets|got|were|was|are|is)(?:\s+(?:up|down|back))?\s+(?:to\s+)?)?"
)
PCT = r"(?P<p>\s*%|\s*percent\b)?"
SIGN = r"(?P<neg>-\s*|minus\s+|negative\s+)?"  # kept, so that "IV -15%" reaches the calculator, which refuses it

WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}
WORDS = "(?:" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + ")"

MONEY_SUFFIX = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
SUFFIX = r"(?:(?P<s>k|thousand|mm|mn|m|million|bn|billion)\b)"

GAP = "\u00a6"  # what a used-up stretch of text is replaced with, so that it is not read twice


def number(text: str) -> float:
    """'5,950' -> 5950.0, 'three' -> 3.0."""
    text = text.strip().lower()
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    return float(text.replace(",", ""))


def tidy(value: float) -> int | float:
    """Whole numbers as int (5800, not 5800.0); others rounded off float noise (0.013, not 0.013000000000000001)."""
    value = round(value, 10)
    return int(value) if value == int(value) else value


def fraction(value: float, percent: bool) -> float:
    """A volatility or rate as a decimal: '15%' and a bare 15 are 0.15; 0.15 stays 0.15."""
    return tidy(value / 100) if percent or abs(value) > 1 else tidy(value)


def correlation(value: float, percent: bool) -> float:
    """A correlation is a percent only when written with '%': 'correlation 1.5' stays 1.5 (the calculator refuses it)."""
    return tidy(value / 100) if percent else tidy(value)


def signed(m: re.Match, value: float) -> float:
    """``value`` negated when the match's SIGN group caught a minus."""
    return -value if m["neg"] else value


def money(value: str, suffix: str | None) -> int | float:
    """'50,000' -> 50000; '1.2', 'm' -> 1200000; '100', 'k' -> 100000."""
    return tidy(number(value) * MONEY_SUFFIX.get((suffix or "").lower(), 1))


ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&apos;": "'"}


def strip_markup(message: str) -> str:
    """HTML tags and the common entities out: "<p><b>What is the ALVH?</b></p>" -> "What is the ALVH?".
    A tag is "<" + a letter or "/" ... ">", so "VIX < 20" and "SPX > 6000" are kept."""
    text = re.sub(r"<(?:/?[a-zA-Z][^<>]*|!--.*?--)>", " ", message)
    return re.sub(r"&(?:nbsp|amp|lt|gt|quot|apos|#39);", lambda m: ENTITIES[m.group(0)], text)


def clean(message: str) -> str:
    """Markup out; Unicode dashes, quotes and signs as ASCII; the case is kept (for terms)."""
    message = strip_markup(message)
    table = {0x2013: "-", 0x2014: "-", 0x2212: "-", 0x2019: "'", 0x2018: "'", 0x00D7: "x", 0x00A0: " ", 0x03C1: "rho ", 0x03C3: "sigma "}
    return re.sub(r"\s+", " ", message.translate(table)).strip()


def lower(text: str) -> str:
    """Lower case, with 'S&P 500' and friends read as 'spx', and '75,000 dollars' as '$75,000'."""
    text = text.lower()
    text = re.sub(r"\bs\s*&\s*p(?:\s*500)?\b|\bs&p\b|\bsp\s?500\b|\bspx500\b|\bspx\s+index\b", "spx", text)
    text = re.sub(rf"(?<![\w.,/$])(?P<v>{NUM})(?P<s>\s*(?:k|thousand|mm|mn|m|million|bn|billion))?\s*(?:dollars?|usd|bucks)\b", r"$\g<v>\g<s>", text)
    return text


class Scan:
    """The lower-cased message; each reader takes what it used, so no number is read twice."""

    def __init__(self, text: str):
        self.text = text
        self.original = text  # for a reader that needs the words another reader has taken

    def take(self, pattern: str) -> list[re.Match]:
        found = list(re.finditer(pattern, self.text))
        for m in reversed(found):
            self.text = self.text[: m.start()] + GAP * (m.end() - m.start()) + self.text[m.end() :]
        return found

    def first(self, *patterns: str) -> re.Match | None:
        """The first match of the first pattern that matches (only that one is taken)."""
        for pattern in patterns:
            m = re.search(pattern, self.text)
            if m:
                self.cut(m)
                return m
        return None

    def cut(self, m: re.Match, group: str | int = 0) -> None:
        start, end = m.span(group)
        self.text = self.text[:start] + GAP * (end - start) + self.text[end:]

    def is_free(self, m: re.Match, group: str | int = 0) -> bool:
        """Whether no reader has taken any of ``group`` yet."""
        start, end = m.span(group)
        return GAP not in self.text[start:end]




START = r"(?<![\w.,/$])"  # a number that is not the tail of another number or word
