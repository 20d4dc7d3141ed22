"""Understanding a message: what kind of question it is, and for a calculation, which
calculator and which inputs, in plain English.

A small package: ``text`` (cleaning, numbers), ``slots`` (slot readers, one table of them),
``calc`` (calculator requests, looping over the routes of assistant/routes/), ``intents``
(greetings, advice, definitions, topics). This module is the entry point.

Pure and fast: regular expressions and small word lists, no model, no I/O. The rules are
summarised in docs/understanding.md; the short version:

1. A greeting ("hi", "thanks") is GREETING. A greeting in front of a question is dropped.
2. A request for a personal trade decision ("should I sell...", "..., should I close it?",
   "do I take profit now?", "would you put on this condor?", "is it time to exit my condor?")
   is ADVICE.
3. A CALCULATION needs a calculator (named, or implied by the inputs) and at least one of
   its key inputs (a strike, a correlation, a notional...), or an explicit "calculate ...".
   A "why / how does" question that asks for no figure is never a calculation, so
   "Why are hedges oversized 2.8x?" goes to the methodology.
4. With a remembered calculation, a message that changes its inputs ("what if the credit
   were 5?", "with 60 days instead?") or asks for one of its figures ("and the max loss
   then?") reruns it with only that changed; "What is the max loss of an iron condor?" asks about
   condors in general and is not a follow-up. A new, complete calculation replaces it. With no
   calculation remembered, "so for a $50,000 hedge, how big is that?" after a turn about oversizing
   computes it: the previous topic names the calculator.
5. "What is X / what does X stand for / define X / meaning of X" with a short X is
   DEFINITION. "What does <author> mean by X?" is a DEFINITION of X too: the pipeline
   answers definitions from the glossary first and falls back to the articles.
6. Everything else is METHODOLOGY; a short follow-up ("and how is it layered?", "why?")
   has its pronoun replaced by the previous turn's topic.
7. OUT_OF_SCOPE is never returned from here: off-topic questions are declined by the
   pipeline on low retrieval relevance, which is more reliable than a word list.

Never invented: an input is only what the message (or the remembered calculation) states;
defaults are left to the calculators.
"""

from __future__ import annotations

import re

from assistant.understand.calc import (
    CalcRequest,
    calculation,
    choose,
    inputs_for,
    missing_names,
    read_focus,
    subject_topic,
    subjects,
    topic_of_calculator,
)
from assistant.understand.intents import (
    GREETING,
    GREETING_PREFIX,
    PRONOUNS,
    Intent,
    Understanding,
    _glossary_lookup,
    definition_term,
    is_advice,
    resolve,
    topic_of,
)
from assistant.understand.slots import CONDOR_STRIKES, MARKET, read_all
from assistant.understand.text import clean, correlation, fraction, lower, money, number, tidy

__all__ = [
    "CONDOR_STRIKES",
    "MARKET",
    "CalcRequest",
    "Intent",
    "Understanding",
    "calculation",
    "choose",
    "clean",
    "correlation",
    "definition_term",
    "fraction",
    "inputs_for",
    "is_advice",
    "lower",
    "missing_names",
    "money",
    "number",
    "read_all",
    "read_focus",
    "resolve",
    "subject_topic",
    "subjects",
    "tidy",
    "topic_of",
    "understand",
]


ORDINAL_NOUN = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|next|last|other|final)\s+([a-z]+)", re.I)
THE_ONE = re.compile(r"^(?P<lead>(?:and|but|ok|okay|so|what about|how about)?[\s,]*(?:the|its|that)?\s*(?:first|second|third|fourth|1st|2nd|3rd|4th|next|last|other|final)\s+)one\b", re.I)


def the_one(text: str, asked: str | None) -> str:
    """"and the first one?" after "what goes into its second layer?" -> "and the first layer?"."""
    m = THE_ONE.match(text)
    noun = ORDINAL_NOUN.search(asked or "")
    if not m or not noun:
        return text
    return m["lead"] + noun[2] + text[m.end() :]


def understand(message: str, previous: dict | None = None, glossary=None) -> Understanding:
    """What ``message`` asks, given the conversation's remembered state ``previous``
    ({"calculation": {"calculator", "inputs"} | None, "topic": str | None, "focus": [...]})."""
    previous = previous or {}
    last_topic = previous.get("topic")
    text = clean(message or "")
    if GREETING.match(text.lower()):
        return Understanding(Intent.GREETING, query=text, topic=last_topic)
    text = GREETING_PREFIX.sub("", text).strip() or text
    text = the_one(text, previous.get("asked"))
    low = lower(text)
    resolved, referred = resolve(text, last_topic, glossary)

    if is_advice(low):
        return Understanding(Intent.ADVICE, query=resolved, topic=topic_of(text, glossary) or last_topic)

    calc = calculation(low, previous)
    if calc is not None:
        return Understanding(Intent.CALCULATION, calc=calc, query=text, topic=topic_of_calculator(calc.calculator) or last_topic)

    term = definition_term(text, glossary)
    if term is not None and term.lower() in PRONOUNS:
        term = last_topic  # "what is it?"
    if term is not None:
        known = _glossary_lookup(glossary, term) if glossary is not None else None
        query = text if not referred else resolved
        return Understanding(Intent.DEFINITION, term=term, query=query, topic=getattr(known, "term", None) or term)

    topic = last_topic if referred else (topic_of(text, glossary) or subject_topic(low))
    return Understanding(Intent.METHODOLOGY, query=resolved, topic=topic)
