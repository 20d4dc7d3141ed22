"""Routes of the option and implied-vol calculators (calculators/bsm.py)."""

from __future__ import annotations

from assistant import routes
from assistant.formatting import fmt_number, fmt_pct
from assistant.reply import Calculation
from assistant.routes import Output, Route
from assistant.routes.answers import line, ordered
from assistant.routes.condor import GREEK_FOCUS
from assistant.understand.slots import CONDOR_STRIKES

OPTION_OUTPUTS = (
    Output("price", "points", "Price (per share)"),
    Output("delta", "ratio", "Delta"),
    Output("gamma", "ratio", "Gamma"),
    Output("theta", "points per day", "Theta"),
    Output("vega", "points per vol point", "Vega"),
    Output("rho", "ratio", "Rho (per rate point)"),
)
IV_OUTPUTS = (
    Output("iv", "%", "Implied volatility"),
    Output("vega", "points per vol point", "Vega"),
)


def single_options(found: dict) -> list[tuple[str, float]]:
    """The single options named ("the 6000 call"), or the one strike with a role ("short put 5800")."""
    options = list(found.get("options", []))
    roles = [r for r in CONDOR_STRIKES if r in found]
    if len(roles) == 1:
        options.append((roles[0].split("_")[1], found[roles[0]]))
    return options


def _pricing(found: dict, named: list[str]) -> bool:
    one = len(single_options(found)) == 1
    return one and (any(k in found for k in ("spot", "iv", "days", "price")) or "option" in named or "implied-vol" in named)


def _claims_iv(found: dict, named: list[str]) -> bool:
    asks_iv = "implied-vol" in named and "iv" not in found
    return _pricing(found, named) and (asks_iv or ("price" in found and "iv" not in found))


def assemble(found: dict, inputs: dict) -> None:
    options = found.get("options") or [(r.split("_")[1], found[r]) for r in CONDOR_STRIKES if r in found]
    if options:
        inputs["kind"], inputs["strike"] = options[0]


def _head(calc: Calculation) -> str:
    inp = calc.inputs
    market = f"SPX {fmt_number(inp['spot'])}, {fmt_number(inp['days'])} days"
    if inp.get("iv") is not None:
        market += f", IV {fmt_pct(inp['iv'])}"
    if inp.get("price") is not None:
        market += f", priced at {fmt_number(inp['price'])}"
    return f"**{fmt_number(inp['strike'])} {inp['kind']}** ({market}):"


def compose_option(calc: Calculation, focus: tuple[str, ...]) -> str:
    route = routes.get(calc.calculator)
    names = ordered(route, focus)
    return "\n".join([_head(calc)] + [text for n in names if (text := line(calc, n))])


COMMON = dict(
    plain_names={"price": "the option's price"},
    assemble=assemble,
    compose=compose_option,
    contracts=True,
)

OPTION = routes.register(
    Route(
        name="option",
        topic="option",
        fields=("kind", "spot", "strike", "iv", "days", "rate", "dividend"),
        required=("kind", "strike", "spot", "iv", "days"),
        key_inputs=("strike",),
        outputs=OPTION_OUTPUTS,
        subjects=r"black[- ]scholes|\bbsm\b|\bprice of (?:a|an|the|one)\b|\bworth\b|\bfair value\b|\bpremium\b",
        rank=9,
        claims=((90, _pricing),),
        focus=GREEK_FOCUS,
        **COMMON,
    )
)
IMPLIED_VOL = routes.register(
    Route(
        name="implied-vol",
        topic="implied volatility",
        fields=("kind", "spot", "strike", "price", "days", "rate", "dividend"),
        required=("kind", "strike", "price", "spot", "days"),
        key_inputs=("price",),
        outputs=IV_OUTPUTS,
        subjects=r"\bimplied vol(?:atility)?\b|\biv\b",
        rank=8,
        claims=((85, _claims_iv),),
        focus=((r"\bvega\b", ("vega",)), (r"implied vol\w*|\biv\b", ("iv",))),
        **COMMON,
    )
)
