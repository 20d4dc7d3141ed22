"""Route of the vertical-spread calculator (calculators/spreads.py)."""

from __future__ import annotations

from assistant import routes
from assistant.formatting import fmt_money, fmt_number, fmt_points
from assistant.reply import Calculation
from assistant.routes import Output, Route
from assistant.routes.condor import POSITION_FOCUS, WHAT_IF, WHAT_IF_FOCUS, assemble_what_if, what_if_lines
from assistant.understand.slots import CONDOR_STRIKES
from assistant.understand.text import tidy

OUTPUTS = (
    Output("breakeven", "level", "Break-even"),
    Output("width", "points", "Width"),
    Output("max_profit_points", "points", "Max profit per contract"),
    Output("max_profit", "$", "Max profit"),
    Output("max_loss_points", "points", "Max loss per contract"),
    Output("max_loss", "$", "Max loss"),
    Output("risk_reward", "ratio", "Risk/reward"),
    Output("what_if", "structure", "What-if"),
    Output("grid", "structure", "P/L grid"),
    Output("notes", "text", "Notes"),
)


def assemble(found: dict, inputs: dict) -> None:
    """The side named (a put or a call spread), its short and long strikes, a wing for the long one;
    the what-if inputs as for the iron condor."""
    assemble_what_if(found, inputs)
    for kind in ("put", "call"):
        if f"short_{kind}" in found or f"long_{kind}" in found:
            inputs["kind"] = kind
            if f"short_{kind}" in found:
                inputs["short_strike"] = found[f"short_{kind}"]
            if f"long_{kind}" in found:
                inputs["long_strike"] = found[f"long_{kind}"]
            wing = found.get(f"{kind}_wing")
            if wing and "short_strike" in inputs and "long_strike" not in found:
                inputs["long_strike"] = tidy(inputs["short_strike"] - wing if kind == "put" else inputs["short_strike"] + wing)
            return
    options = found.get("options", [])
    if len(options) == 1:
        inputs["kind"] = options[0][0]


def compose(calc: Calculation, focus: tuple[str, ...]) -> str:
    inp, out = calc.inputs, calc.outputs
    contracts = inp.get("contracts", 1)
    lines = [
        f"**{inp['kind'].capitalize()} credit spread {fmt_number(inp['short_strike'])}/{fmt_number(inp['long_strike'])}** for a "
        f"{fmt_points(inp['credit'])} credit, {contracts} contract{'s' if contracts != 1 else ''} "
        f"(dollars use the multiplier {fmt_number(inp.get('multiplier', 100))}):",
        f"- Break-even: **{fmt_number(out['breakeven'])}**",
        f"- Max profit: {fmt_points(out['max_profit_points'])} points per contract = **{fmt_money(out['max_profit'])}**",
        f"- Max loss: {fmt_points(out['max_loss_points'])} points per contract = **{fmt_money(out['max_loss'])}**",
        f"- Risk/reward: {fmt_number(out['risk_reward'])} to 1",
        f"- Width: {fmt_number(out['width'])} points",
    ]
    if "what_if" in focus or out.get("what_if"):
        lines[1:1] = [f"- {line}" for line in what_if_lines(calc)]
    return "\n".join(lines)


def _claims(found: dict, named: list[str]) -> bool:
    roles = [r for r in CONDOR_STRIKES if r in found]
    return bool(roles) and ("vertical-spread" in named or len(roles) == 2)


def _named_with_a_price(found: dict, named: list[str]) -> bool:
    return "vertical-spread" in named and ("credit" in found or bool(found.get("options")))


ROUTE = routes.register(
    Route(
        name="vertical-spread",
        topic="credit spread",
        fields=("kind", "short_strike", "long_strike", "credit", "contracts", "spot", "iv", "days", "rate", "dividend", *WHAT_IF),
        required=("kind", "short_strike", "long_strike", "credit"),
        key_inputs=("short_strike", "long_strike"),
        outputs=OUTPUTS,
        subjects=r"\b(?:put|call) (?:credit )?(?:spread|vertical)\b|\bvertical\b|\bbull put\b|\bbear call\b|\bcredit spread\b",
        rank=7,
        claims=((70, _claims), (100, _named_with_a_price)),
        focus=(WHAT_IF_FOCUS, *POSITION_FOCUS[2:], (r"wing widths?|\bwidths?\b|how wide", ("put_width", "call_width", "width"))),  # one break-even
        market=("spot", "iv", "days"),
        market_outputs=frozenset({"what_if"}),
        implied_focus=tuple((name, "what_if") for name in WHAT_IF),
        plain_names={"short_strike": "the short strike", "long_strike": "the long strike"},
        assemble=assemble,
        compose=compose,
        contracts=True,
        spx_multiplier=True,
    )
)
