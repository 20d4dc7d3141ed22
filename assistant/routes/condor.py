"""Route of the iron-condor calculator (calculators/condor.py)."""

from __future__ import annotations

from assistant import routes
from assistant.formatting import fmt_money, fmt_number, fmt_pct, fmt_points, format_output
from assistant.reply import Calculation
from assistant.routes import Output, Route
from assistant.understand.slots import CONDOR_STRIKES
from assistant.understand.text import tidy

# Figure words shared by the iron condor and the vertical spread (each keeps the fields it gives).
POSITION_FOCUS = (
    (r"lower break[- ]?even", ("lower_breakeven",)),
    (r"upper break[- ]?even", ("upper_breakeven",)),
    (r"break[- ]?evens?|\bb/?e points?", ("lower_breakeven", "upper_breakeven", "breakeven")),
    (r"max(?:imum)?\.? (?:profit|gain|reward)|most (?:i|you|we) can (?:make|earn|gain)|best case", ("max_profit",)),
    (r"max(?:imum)?\.? (?:loss|risk)|most (?:i|you|we) (?:can|could) lose|worst case", ("max_loss",)),
    (r"risk[ /-]*(?:to[ -]*)?reward|reward[ /-]*(?:to[ -]*)?risk|\br[:/]r\b", ("risk_reward",)),
)
# Greeks and value, shared by the iron condor and the single option.
GREEK_FOCUS = (
    (r"\bgreeks\b", ("greeks", "delta", "gamma", "theta", "vega", "rho")),
    (r"\bdelta\b", ("greeks", "delta")),
    (r"\bgamma\b", ("greeks", "gamma")),
    (r"\btheta\b|time decay", ("greeks", "theta")),
    (r"\bvega\b", ("greeks", "vega")),
    (r"theo(?:retical)? value|fair value|\bworth\b|mark to market|\bprice of\b|\bhow much is\b", ("theo_value", "price")),
)

# What-if inputs (calculators/whatif.py): a later date, index level and volatility. Stating one asks for
# the what-if P/L, which needs the market inputs.
WHAT_IF = ("at_days", "at_spot", "iv_shift", "at_iv")
WHAT_IF_FOCUS = (
    r"\bp\s*/\s*l\b(?!\s*(?:curve|chart|diagram))|\bp&l\b(?!\s*(?:curve|chart))|\bpnl\b|profit\s+(?:or|and)\s+loss|"
    r"\bwhat (?:would|will) (?:i|it|my position) (?:make|lose|be worth)|\bam i (?:up|down)\b|\bwhere (?:would|will) i (?:be|stand)\b",
    ("what_if",),
)

FOCUS = (
    WHAT_IF_FOCUS,
    (
        r"probabilit\w* of (?:a |the )?max(?:imum)? (?:profit|gain)|(?:chance|odds) of (?:a |the )?max(?:imum)? profit|"
        r"(?:chance|odds|probabilit\w*) of keeping (?:the )?(?:full|whole|entire) credit",
        ("p_max_profit",),
    ),
    (r"(?:probabilit\w*|chance|odds) of (?:a |the )?max(?:imum)? loss|(?:probabilit\w*|chance|odds)\b[^.?!]{0,25}\b(?:at|in|with)\s+(?:a\s+|the\s+)?max(?:imum)?\s+loss", ("p_max_loss",)),
    (r"(?:probabilit\w*|chance|odds)(?: of)? touch\w*(?: the)? short put|touch\w* the short put", ("p_touch_short_put",)),
    (r"(?:probabilit\w*|chance|odds)(?: of)? touch\w*(?: the)? short call|touch\w* the short call", ("p_touch_short_call",)),
    (r"(?:probabilit\w*|chance|odds) of (?:a )?touch\w*|touch probabilit\w*|\bp\(?touch", ("p_touch_short_put", "p_touch_short_call")),
    (
        r"\bpop\b|probabilit\w* of (?:a )?profit|(?:chance|odds|likelihood) (?:of|for) (?:a )?(?:profit|making (?:money|a profit))|"
        r"win(?:ning)? (?:rate|probability|chance)|probabilit\w* of (?:success|winning)",
        ("pop",),
    ),
    *POSITION_FOCUS,
    (r"expected value|\bev\b|expectancy|expected (?:p/?l|pnl|profit)", ("expected_value",)),
    (r"expected move|implied move", ("expected_move",)),
    *GREEK_FOCUS,
    (r"p\s*/\s*l curve|p&l|pnl|payoff (?:diagram|curve|chart|graph)|profit and loss", ("curve",)),
    (r"wing widths?|\bwidths?\b|how wide", ("put_width", "call_width", "width")),
)

OUTPUTS = (
    Output("lower_breakeven", "level", "Lower break-even"),
    Output("upper_breakeven", "level", "Upper break-even"),
    Output("max_profit_points", "points", "Max profit per contract"),
    Output("max_profit", "$", "Max profit"),
    Output("max_loss_points", "points", "Max loss per contract"),
    Output("max_loss", "$", "Max loss"),
    Output("risk_reward", "ratio", "Risk/reward"),
    Output("put_width", "points", "Put wing width"),
    Output("call_width", "points", "Call wing width"),
    Output("credit", "points", "Net credit"),
    Output("probability_iv", "%", "Volatility used for the probabilities"),
    Output("pop", "%", "Probability of profit"),
    Output("p_max_profit", "%", "Probability of max profit"),
    Output("p_max_loss", "%", "Probability of max loss"),
    Output("p_touch_short_put", "%", "Probability of touching the short put"),
    Output("p_touch_short_call", "%", "Probability of touching the short call"),
    Output("expected_value_points", "points", "Expected value per contract"),
    Output("expected_value", "$", "Expected value"),
    Output("theo_value", "points", "Theoretical value per contract"),
    Output("theo_value_dollars", "$", "Theoretical value"),
    Output("greeks", "structure", "Greeks"),
    Output("greeks.delta", "$ per point", "Delta"),
    Output("greeks.gamma", "ratio", "Gamma (delta change per point)"),
    Output("greeks.theta", "$ per day", "Theta"),
    Output("greeks.vega", "$ per vol point", "Vega"),
    Output("expected_move", "points", "Expected move"),
    Output("curve", "structure", "P/L curve"),
    Output("what_if", "structure", "What-if"),
    Output("grid", "structure", "P/L grid"),
    Output("notes", "text", "Notes"),
)
MARKET_OUTPUTS = frozenset(
    {"pop", "p_max_profit", "p_max_loss", "p_touch_short_put", "p_touch_short_call", "expected_value", "theo_value", "greeks",
     "expected_move", "what_if"}
)


def assemble_what_if(found: dict, inputs: dict) -> None:
    """"A week before expiry" is at_days = days - 7; a new IV level replaces a shift and the other way round.
    (Whether a stated level is today's or the what-if's is decided for every route in
    understand.calc.place_levels.)"""
    if "before_expiry" in found and "days" in inputs and "at_days" not in found:
        inputs["at_days"] = tidy(max(inputs["days"] - found["before_expiry"], 0))
    if "at_iv" in found:
        inputs.pop("iv_shift", None)
    elif "iv_shift" in found:
        inputs.pop("at_iv", None)


def assemble(found: dict, inputs: dict) -> None:
    """Shorts named without roles ("sell the 5700 put and 6100 call") and wings ("50 points further out");
    the what-if inputs (assemble_what_if)."""
    assemble_what_if(found, inputs)
    for kind, strike in found.get("options", []):
        if f"short_{kind}" not in found and ("put_wing" in found or "call_wing" in found):
            inputs[f"short_{kind}"] = strike
    if "put_wing" in found and "short_put" in inputs and "long_put" not in found:
        inputs["long_put"] = tidy(inputs["short_put"] - found["put_wing"])
    if "call_wing" in found and "short_call" in inputs and "long_call" not in found:
        inputs["long_call"] = tidy(inputs["short_call"] + found["call_wing"])


def run(inputs: dict) -> dict:
    """The registry's run, plus the theoretical value for the whole position in dollars
    (theo_value is points per share: × multiplier × contracts, as max_profit is)."""
    from calculators import registry

    result = registry.get("iron-condor").run(inputs)
    add_position_dollars(result, "theo_value")
    return result


def add_position_dollars(result: dict, name: str) -> None:
    out, inp = result["outputs"], result["inputs"]
    if out.get(name) is not None:
        out[f"{name}_dollars"] = out[name] * (inp.get("multiplier") or 100) * (inp.get("contracts") or 1)


_ORDER = ["what_if", "breakevens", "max_profit", "max_loss", "risk_reward", "pop", "p_max_profit", "p_max_loss", "p_touch_short_put",
          "p_touch_short_call", "expected_value", "theo_value", "expected_move", "greeks", "widths"]
_ALIASES = {"lower_breakeven": "breakevens", "upper_breakeven": "breakevens", "put_width": "widths", "call_width": "widths",
            "delta": "greeks", "gamma": "greeks", "theta": "greeks", "vega": "greeks"}
_PROBABILITIES = {
    "pop": "Probability of profit (ends between the break-evens): **{}**",
    "p_max_profit": "Probability of max profit (ends between the short strikes): {}",
    "p_max_loss": "Probability of max loss: {}",
    "p_touch_short_put": "Probability of touching the short put before expiry: {}",
    "p_touch_short_call": "Probability of touching the short call before expiry: {}",
}


def _lines(key: str, calc: Calculation, focus: tuple[str, ...]) -> list[str]:
    out, name = calc.outputs, calc.calculator
    get = out.get
    if key == "breakevens":
        return [f"Break-evens: **{fmt_number(get('lower_breakeven'))}** and **{fmt_number(get('upper_breakeven'))}**"]
    if key == "widths":
        return [f"Wing widths: put {fmt_number(get('put_width'))} points, call {fmt_number(get('call_width'))} points"]
    if key == "greeks":
        greeks = get("greeks") or {}
        asked = [g for g in ("delta", "gamma", "theta", "vega") if g in focus] or ["delta", "gamma", "theta", "vega"]
        return [f"{g.capitalize()} (whole position): {format_output(name, f'greeks.{g}', greeks[g])}" for g in asked if greeks.get(g) is not None]
    if get(key) is None:
        return []
    if key in _PROBABILITIES:
        return [_PROBABILITIES[key].format(fmt_pct(get(key)))]
    if key in ("max_profit", "max_loss"):
        return [f"{key.replace('_', ' ').capitalize()}: {fmt_points(get(key + '_points'))} points per contract = **{fmt_money(get(key))}**"]
    if key == "risk_reward":
        return [f"Risk/reward: {fmt_number(get('risk_reward'))} to 1"]
    if key == "expected_value":
        return [f"Expected value at expiry: {fmt_points(get('expected_value_points'))} points per contract = **{fmt_money(get('expected_value'))}**"]
    if key == "theo_value":
        dollars = get("theo_value_dollars")
        whole = f" = **{fmt_money(dollars)}**" if dollars is not None else ""
        return [f"Theoretical value (what it costs to buy back now): {fmt_points(get('theo_value'))} points per contract{whole}"]
    if key == "expected_move":
        return [f"Expected move (spot × IV × √T): ±{fmt_number(get('expected_move'))} points"]
    if key == "what_if":
        return what_if_lines(calc)
    return []


def what_if_lines(calc: Calculation) -> list[str]:
    """The what-if P/L with the assumptions it rests on, or why it could not be priced."""
    w = calc.outputs.get("what_if")
    if not w:
        notes = [n for n in calc.outputs.get("notes") or [] if "what-if" in n.lower() or "at_" in n]
        return [f"What-if P/L: not priced ({notes[0].rstrip('.')})."] if notes else []
    ivs = sorted({round(v, 6) for v in (w.get("ivs") or {}).values()})
    iv_text = fmt_pct(ivs[0]) if len(ivs) == 1 else "per leg " + ", ".join(f"{k.replace('_', ' ')} {fmt_pct(v)}" for k, v in w["ivs"].items())
    shift = w.get("iv_shift") or 0
    shift_text = f" (shifted {'+' if shift > 0 else ''}{fmt_number(shift)} vol points)" if shift else ""
    return [
        f"What-if P/L on day {fmt_number(w['at_days'])} ({fmt_number(w['days_remaining'])} days left), SPX {fmt_number(w['spot'])}, "
        f"IV {iv_text}{shift_text}: **{fmt_money(w['pnl'])}** for the position "
        f"({fmt_points(w['pnl_points'])} points = {fmt_money(w['pnl_per_contract'])} per contract)",
        f"Cost to close then: {fmt_points(w['value_points'])} points per contract; Black–Scholes–Merton per leg, "
        f"rate {fmt_pct(w.get('rate') or 0)}, dividend yield {fmt_pct(w.get('dividend') or 0)}",
    ]


def compose(calc: Calculation, focus: tuple[str, ...]) -> str:
    inp, out = calc.inputs, calc.outputs
    strikes = "/".join(f"{inp[k]:g}" for k in CONDOR_STRIKES)
    contracts = inp.get("contracts", 1)
    head = (
        f"**Iron condor {strikes}** for a {fmt_points(out.get('credit', inp.get('credit') or 0))} credit, "
        f"{contracts} contract{'s' if contracts != 1 else ''} (dollars use the multiplier {fmt_number(inp.get('multiplier', 100))}):"
    )
    wanted: list[str] = []
    for name in focus:
        key = _ALIASES.get(name, name)
        if key in _ORDER and key not in wanted:
            wanted.append(key)
    has_probabilities = out.get("pop") is not None
    rest = [k for k in _ORDER if k not in wanted and (has_probabilities or not k.startswith(("p", "expected")))]
    # Keep answers short: the asked figures, then the core ones.
    keys = wanted + [k for k in rest if k in ("breakevens", "max_profit", "max_loss", "pop")]
    if not wanted:
        keys = [k for k in rest if k in ("breakevens", "max_profit", "max_loss", "risk_reward", "pop", "expected_value")]
    lines = [head] + [f"- {text}" for k in keys for text in _lines(k, calc, focus)]
    if has_probabilities:
        lines.append(
            f"\nAssumes a lognormal index at expiry: SPX {fmt_number(inp['spot'])}, IV {fmt_pct(inp['iv'])}, "
            f"{fmt_number(inp['days'])} days, rate {fmt_pct(inp.get('rate') or 0)}, dividend yield {fmt_pct(inp.get('dividend') or 0)}."
        )
    return "\n".join(lines)


def _claims_condor(found: dict, named: list[str]) -> bool:
    roles = [r for r in CONDOR_STRIKES if r in found]
    has_put = any(r.endswith("put") for r in roles)
    has_call = any(r.endswith("call") for r in roles)
    wings = "put_wing" in found or "call_wing" in found
    return "iron-condor" in named or (has_put and has_call) or bool(roles and wings)


ROUTE = routes.register(
    Route(
        name="iron-condor",
        topic="iron condor",
        fields=(*CONDOR_STRIKES, "credit", "contracts", "spot", "iv", "days", "rate", "dividend", *WHAT_IF),
        required=(*CONDOR_STRIKES, "credit"),
        key_inputs=CONDOR_STRIKES,
        outputs=OUTPUTS,
        subjects=r"\biron[- ]condors?\b|\bcondors?\b|\bics?\b",
        rank=6,
        claims=((60, _claims_condor),),
        focus=FOCUS,
        plain_names={
            "long_put": "the long put strike",
            "short_put": "the short put strike",
            "short_call": "the short call strike",
            "long_call": "the long call strike",
        },
        market=("spot", "iv", "days"),
        market_outputs=MARKET_OUTPUTS,
        implied_focus=tuple((name, "what_if") for name in WHAT_IF),
        assemble=assemble,
        compose=compose,
        run=run,
        contracts=True,
        spx_multiplier=True,
    )
)
