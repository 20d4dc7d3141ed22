"""Route of the ALVH layer schedule calculator (calculators/alvh.py)."""

from __future__ import annotations

from assistant import routes
from assistant.formatting import fmt_money
from assistant.reply import Calculation
from assistant.routes import Output, Route
from assistant.routes.answers import rows_table
from assistant.understand.text import money


def assemble(found: dict, inputs: dict) -> None:
    if "factor" in found:
        inputs["decorrelation_factor"] = found["factor"]
    if "alvh_ratio" in found:
        inputs["hedge_ratio"] = found["alvh_ratio"]
    if "notional" not in found and found.get("dollars"):
        value, suffix = found["dollars"][0]
        inputs["notional"] = money(str(value), suffix)


def compose(calc: Calculation, focus) -> str:
    out = calc.outputs
    count = out["layer_count"]
    lines = [
        f"**ALVH layers**: a hedge budget of **{fmt_money(out['budget'])}** for {fmt_money(out['hedge_notional'])} of exposure, "
        f"in {count} layer{'s' if count != 1 else ''}:",
        "",
        rows_table(calc, "layers") or "",
    ]
    return "\n".join(lines).strip()


ROUTE = routes.register(
    Route(
        name="alvh-layers",
        topic="ALVH layers",
        fields=("notional", "allocation", "increment", "expirations", "hedge_ratio", "decorrelation_factor", "activation_levels"),
        required=("notional",),
        key_inputs=("notional",),
        outputs=(
            Output("budget", "$", "Hedge budget"),
            Output("hedge_notional", "$", "Exposure hedged"),
            Output("layer_count", "count", "Layers"),
            Output("layers", "table", "Layers"),
            Output("layers.layer", "count", "Layer"),
            Output("layers.fraction", "%", "Share"),
            Output("layers.notional", "$", "Notional"),
            Output("layers.budget", "$", "Budget"),
            Output("layers.expiration_days", "count", "Expiry (days)"),
            Output("layers.activation_vix", "ratio", "Put on at VIX"),
            Output("checks", "structure", "Checks"),
            Output("sources", "structure", "Sources"),
            Output("notes", "text", "Notes"),
        ),
        subjects=r"\blayer(?:s|ed|ing)?\b|\blayer schedule\b",
        rank=1,
        claims=((20, lambda found, named: "alvh-layers" in named and ("notional" in found or bool(found.get("dollars")))),),
        focus=(
            (r"\bbudget\b", ("budget",)),
            (r"how many layers|number of layers", ("layer_count",)),
            # "which expiration does the second layer get?": the schedule, row by row
            (r"\b(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)\s+(?:layer|one)\b|\blayer\s*#?\s*\d\b|\bexpir\w*|\bnotional per layer\b", ("layers",)),
        ),
        plain_names={"notional": "the hedge notional"},
        assemble=assemble,
        compose=compose,
    )
)
