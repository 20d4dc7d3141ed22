"""Calculator requests: which calculator a message is about, its inputs, the figures asked and
what is missing, new or as a change to the remembered calculation.

Nothing here names a calculator: everything comes from the routes (assistant/routes/), one
per registered calculator, looped over in their ``rank`` order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant import routes
from assistant.understand.slots import credit_points, read_all
from assistant.understand.text import NUM, Scan, correlation, fraction, number, tidy


@dataclass(frozen=True)
class CalcRequest:
    calculator: str  # registry name
    inputs: dict  # raw inputs for the calculator's route: only what the user gave (or a follow-up carried over)
    missing: tuple[str, ...] = ()  # plain names of required inputs not given, e.g. ("the net credit",)
    focus: tuple[str, ...] = ()  # output fields asked about; () = the key figures


COMPUTE = re.compile(
    r"\b(?:calculate|calc|compute|work out|figure out|run the numbers|how (?:large|big|much|many)|"
    r"what (?:is|are|'s|would be|will be|would|will) (?:the|my|its)\b|what'?s the\b|give me the\b|show me the\b)"
)
COMPUTE_VERB = re.compile(r"\b(?:calculate|compute|work out|run the numbers|figure out)\b")
EXPLAIN = re.compile(r"^(?:why|how (?:does|do|did|can|could|come|is|are)|explain|describe|tell me about|in what way)\b")
# A message that changes a remembered calculation rather than describing a new one.
FOLLOW_UP = re.compile(r"^(?:and|but|so|ok|okay|also|now|then)\b|\bwhat if\b|\bwhat about\b|\bhow about\b|\binstead\b|\bmake it\b|\bchange\b|\bsame\b|\bagain\b|^with\b|\bsuppose\b")
STRONG_FOLLOW_UP = re.compile(r"\bwhat if\b|\bwhat about\b|\bhow about\b|\binstead\b|\bsame\b")
# A figure question points back at the remembered calculation ("and the max loss then?", "what's its delta?",
# "what's the expected value?") unless it names a position of its own in general: "the max loss of an iron condor".
BACK_REFERENCE = re.compile(
    r"^(?:and|but|so|ok|okay|also|now|then)\b|\b(?:the|my|our|its|it|this|that|then|now|instead|again)\b|"
    r"\bwhat if\b|\bwhat about\b|\bhow about\b"
)
GENERIC = re.compile(
    r"\b(?:an?|any|one|typical)\s+(?:[\w-]+\s+){0,2}?(?:iron[- ]condors?|condors?|spreads?|verticals?|options?|puts?|calls?|"
    r"hedges?|positions?|trades?|strangles?)\b"
)


# --- the routes' tables ----------------------------------------------------------------------------


def subjects(low: str) -> list[str]:
    """The calculators the words name, most specific first."""
    named = sorted((r for r in routes.chat_routes() if r.subjects), key=lambda r: r.rank)
    return [r.name for r in named if re.search(r.subjects, low)]


def choose(found: dict, named: list[str]) -> str | None:
    """Which calculator the message is about: the first route (by claim rank) that claims the inputs and words."""
    claims = sorted((rank, i, route, claim) for i, route in enumerate(routes.chat_routes()) for rank, claim in route.claims)
    for _, _, route, claim in claims:
        if claim(found, named):
            return route.name
    return None


@lru_cache(maxsize=256)
def read_focus(low: str, calculator: str) -> tuple[str, ...]:
    """The output fields of ``calculator`` the message asks about, in the order it asks."""
    scan = Scan(low)
    hits = []
    for pattern, fields in routes.get(calculator).focus:
        for m in scan.take(pattern):
            hits.append((m.start(), fields))
    ordered: list[str] = []
    for _, fields in sorted(hits, key=lambda hit: hit[0]):
        for name in fields:
            if name not in ordered:
                ordered.append(name)
    return focus_for(calculator, ordered)


def focus_for(calculator: str, focus) -> tuple[str, ...]:
    """Only the figures this calculator gives."""
    route = routes.find(calculator)
    if route is None:
        return tuple(focus)
    names = route.output_names
    return tuple(f for f in focus if f in names)


def inputs_for(calculator: str, found: dict, base: dict | None = None) -> dict:
    """The raw inputs of ``calculator``: ``base`` (a remembered calculation) updated with what ``found`` states."""
    route = routes.get(calculator)
    inputs = dict(base or {})
    found = place_levels(route, found, base or {})
    for name in route.fields:
        if name in found and name != "credit":
            inputs[name] = found[name]
    if route.assemble is not None:
        route.assemble(found, inputs)
    if "credit" in route.fields and "credit" in found:
        inputs["credit"] = credit_points(found, inputs)
    if route.moves_spot and "spot_move" in found and "spot" in inputs and "spot" not in found:
        # "what if SPX drops 2%?" moves the remembered spot; in a VIX hedge it is the scenario instead
        size, percent = found["spot_move"]
        inputs["spot"] = tidy(inputs["spot"] * (1 + size / 100) if percent else inputs["spot"] + size)
    # A dollar amount with no other label: a position's credit ("what about $4?").
    if found.get("dollars") and "credit" in route.fields and "credit" not in found:
        value, suffix = found["dollars"][0]
        if not suffix:
            inputs["credit"] = credit_points({"credit": value, "credit_in_dollars": True}, inputs)
    return {name: inputs[name] for name in route.fields if name in inputs}


def place_levels(route, found: dict, base: dict) -> dict:
    """Whether an index level or IV the message states is today's (``spot``, ``iv``) or a what-if's
    (``at_spot``, ``at_iv``). "if SPX is 6000" (``if_spot``) is the spot for a calculator that prices no
    later date, and for a position too unless a what-if is under way (in this message or the remembered
    one). With a remembered what-if date, "same day but SPX at 6200" and "what if IV is 13% at that
    point?" move the what-if, not today's market."""
    found = dict(found)
    what_if = {name for name, _ in route.implied_focus}
    if "if_spot" in found:
        level = found.pop("if_spot")
        stated = {name for name, value in {**base, **found}.items() if value is not None}
        if "at_spot" in route.fields:
            found["at_spot" if what_if & stated else "spot"] = level
        else:
            found.setdefault("spot", level)
    if "at_spot" in route.fields and base.get("at_days") is not None:
        if "spot" in found and "at_spot" not in found:
            found["at_spot"] = found.pop("spot")
        if "iv" in found and not {"at_iv", "iv_shift"} & found.keys():
            found["at_iv"] = found.pop("iv")
    return found


def missing_names(calculator: str, inputs: dict, focus) -> list[str]:
    """Required inputs not given (and the market inputs when a figure that needs them is asked)."""
    route = routes.get(calculator)
    if route.gaps is not None:
        return route.gaps(inputs, tuple(focus or ()))
    needed = list(route.required)
    if route.market_outputs.intersection(focus or ()):
        needed += [m for m in route.market if m not in needed]
    return [name for name in needed if name not in inputs]


def missing_for(calculator: str, inputs: dict, focus: tuple[str, ...]) -> tuple[str, ...]:
    route = routes.get(calculator)
    return tuple(route.plain_name(name) for name in missing_names(calculator, inputs, focus))


def request(calculator: str, inputs: dict, focus) -> CalcRequest:
    implied = [output for name, output in routes.get(calculator).implied_focus if name in inputs]
    chosen = focus_for(calculator, list(dict.fromkeys([*implied, *focus])))
    return CalcRequest(calculator, inputs, missing_for(calculator, inputs, chosen), chosen)


# --- new requests and follow-ups ---------------------------------------------------------------------


def new_calculation(low: str, found: dict, named: list[str] | None = None) -> CalcRequest | None:
    """A calculation described from scratch, or None when the message is not one.
    ``named``: the calculators the words name (by default, those the message names)."""
    named = subjects(low) if named is None else named
    calculator = choose(found, named)
    if calculator is None:
        return None
    route = routes.get(calculator)
    inputs = inputs_for(calculator, found)
    focus = read_focus(low, calculator)
    asks = bool(focus) or COMPUTE.search(low) is not None
    has_key = any(k in inputs for k in route.key_inputs)
    if EXPLAIN.search(low) and not (COMPUTE_VERB.search(low) or (has_key and focus)):
        return None  # "Why are hedges oversized 2.8x?": a number quoted, nothing asked to compute
    if not has_key and not (asks and inputs) and not (COMPUTE_VERB.search(low) and (inputs or focus)):
        return None  # "I couldn't figure out what the ALVH adds to a condor": no input, no figure asked
    return request(calculator, inputs, focus)


def follow_up(low: str, found: dict, previous: dict, previous_focus) -> CalcRequest | None:
    """The remembered calculation with what this message changes, or None when it changes nothing."""
    calculator = previous.get("calculator")
    route = routes.find(calculator)
    if route is None or not route.chat:
        return None
    if EXPLAIN.search(low) and not COMPUTE.search(low):
        return None  # "why is the max loss so large?" asks for an explanation
    base = inputs_for(calculator, {}, previous.get("inputs") or {})
    if "at_days" in base and "days" in found and "before_expiry" not in found and re.search(r"\bdays?\s+(?:left|remaining|to\s+go)\b", low):
        found = {**found, "before_expiry": found["days"]}  # "and with 3 days left?" moves the what-if date, not the expiry
        del found["days"]
    inputs = inputs_for(calculator, found, base)
    inputs.update(_fill_the_gap(low, calculator, base, previous_focus))
    asked = read_focus(low, calculator)
    stated = any(name in found for name in (*route.fields, "put_wing", "call_wing"))
    if inputs == base and not stated and not (asked and BACK_REFERENCE.search(low) and not GENERIC.search(low)):
        return None  # nothing changed, and no figure of *this* calculation asked
    return request(calculator, inputs, asked or focus_for(calculator, list(previous_focus or ())))


def _fill_the_gap(low: str, calculator: str, base: dict, previous_focus) -> dict:
    """A bare answer ("4.20", "15%", "30 days") to the one input the last turn asked for."""
    m = re.fullmatch(rf"\s*(?P<d>\$)?\s?(?P<v>{NUM})\s*(?P<u>%|percent|points?|pts?|dollars?|days?|dte)?\s*[.!?]?\s*", low)
    if not m:
        return {}
    gaps = missing_names(calculator, base, previous_focus)
    if len(gaps) != 1 or gaps[0] not in routes.get(calculator).fields or gaps[0] in ("kind", "data", "x", "y"):
        return {}  # several gaps, or one a bare number cannot fill: ask again
    name, value = gaps[0], number(m["v"])
    if name == "correlation":
        return {name: correlation(value, m["u"] in ("%", "percent"))}
    if name in ("iv", "rate", "dividend", "portfolio_vol", "hedge_vol"):
        return {name: fraction(value, m["u"] in ("%", "percent"))}
    if name == "credit":
        return {"credit": credit_points({"credit": value, "credit_in_dollars": bool(m["d"]) or (m["u"] or "").startswith("dollar")}, base)}
    return {name: tidy(value)}


def from_topic(low: str, found: dict, topic: str | None) -> CalcRequest | None:
    """A figure asked about the previous turn's subject: "so for a $50,000 hedge, how big is that?" after a
    turn about oversizing. The message names no calculator but points back ("so", "that", "it", "then")
    at a topic that names one, gives a key input and asks a figure that calculator gives."""
    if not topic or not BACK_REFERENCE.search(low) or GENERIC.search(low):
        return None
    named = subjects(topic.lower())
    result = new_calculation(low, found, subjects(low) + named) if named else None
    if result is None or not any(k in result.inputs for k in routes.get(result.calculator).key_inputs):
        return None
    return result if result.focus else None  # a figure that calculator gives, not just "how big is that?"


def calculation(low: str, previous: dict) -> CalcRequest | None:
    """A calculation request: new, or the remembered one changed. None when the message asks none."""
    found = read_all(low)
    fresh = new_calculation(low, found)
    remembered = previous.get("calculation") or None
    if not remembered:
        return fresh or from_topic(low, found, previous.get("topic")) or from_topic(low, found, previous.get("subject"))
    if fresh is not None and fresh.calculator != remembered.get("calculator"):
        return fresh  # another calculator: a new question
    if fresh is not None:
        names_position = any(k in fresh.inputs for k in routes.get(fresh.calculator).key_inputs)
        complete = not fresh.missing
        if (complete and not STRONG_FOLLOW_UP.search(low)) or (names_position and not FOLLOW_UP.search(low)):
            return fresh  # a new position replaces the remembered one
    return follow_up(low, found, remembered, previous.get("focus") or ()) or fresh


def subject_topic(low: str) -> str | None:
    """The subject of a calculator the message names, as a topic, for a message with no term of its own:
    "how much do the hedges need to be oversized?" -> "decorrelation oversizing" (so that "so for a $50,000
    hedge, how big is that?" can follow it). Not "option": words like "worth" and "premium" name it."""
    named = [name for name in subjects(low) if name != "option"]
    return routes.get(named[0]).topic if named else None


def topic_of_calculator(name: str) -> str | None:
    route = routes.find(name)
    return route.topic if route is not None else None
