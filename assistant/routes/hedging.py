"""Routes of the hedging calculators (calculators/hedging.py): the minimum-variance hedge ratio,
decorrelation oversizing, VIX call hedge sizing and the beta-weighted delta."""

from __future__ import annotations

from assistant import routes
from assistant.formatting import fmt_money, fmt_number, fmt_pct
from assistant.reply import Calculation
from assistant.routes import Output, Route
from assistant.routes.answers import compose_generic
from assistant.understand.slots import CONDOR_STRIKES, credit_points
from assistant.understand.text import fraction, money, tidy

HEDGE_INPUTS = ("correlation", "portfolio_vol", "hedge_vol")


# --- hedge ratio ---------------------------------------------------------------------------------


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


def _claims_hedge(found: dict, named: list[str]) -> bool:
    given = [k for k in HEDGE_INPUTS if k in found]
    return bool(given) and ("hedge-ratio" in named or len(given) >= 2)


HEDGE_RATIO = routes.register(
    Route(
        name="hedge-ratio",
        topic="hedge ratio",
        fields=HEDGE_INPUTS,
        required=HEDGE_INPUTS,
        key_inputs=HEDGE_INPUTS,
        outputs=(
            Output("hedge_ratio", "ratio", "Hedge ratio"),
            Output("effectiveness", "%", "Hedge effectiveness (R²)"),
            Output("residual_vol", "%", "Residual volatility"),
            Output("correlation", "ratio", "Correlation"),
            Output("portfolio_vol", "%", "Portfolio volatility"),
            Output("hedge_vol", "%", "Hedge volatility"),
            Output("n", "count", "Pairs used"),
            Output("dropped", "count", "Rows dropped"),
        ),
        subjects=r"hedge ratio|minimum[- ]variance|min[- ]var\b|optimal hedge",
        rank=5,
        claims=((40, _claims_hedge), (110, lambda found, named: "hedge-ratio" in named)),
        focus=(
            (r"hedge ratio|minimum[- ]variance|\bh\*", ("hedge_ratio",)),
            (r"effective(?:ness)?|r[- ]?squared|\br2\b|r\u00b2|how (?:well|much) (?:does|would|will) (?:it|that|the hedge) (?:work|help)", ("effectiveness",)),
            (r"residual vol\w*|basis risk", ("residual_vol",)),
        ),
        plain_names={
            "correlation": "the correlation",
            "portfolio_vol": "the portfolio's volatility",
            "hedge_vol": "the hedge instrument's volatility",
        },
        compose=compose_hedge_ratio,
    )
)


# --- decorrelation oversizing --------------------------------------------------------------------


def assemble_oversize(found: dict, inputs: dict) -> None:
    if "notional" not in found and found.get("dollars"):
        value, suffix = found["dollars"][0]
        inputs["notional"] = money(str(value), suffix)


def compose_oversize(calc: Calculation, focus) -> str:
    inp, out = calc.inputs, calc.outputs
    total = out.get("oversized_notional")
    if total is None:
        return compose_generic(calc, focus)
    return f"Oversizing a {fmt_money(inp['notional'])} hedge by {fmt_number(inp['factor'])}× gives a hedge of **{fmt_money(total)}**."


OVERSIZE = routes.register(
    Route(
        name="decorrelation-oversize",
        topic="decorrelation oversizing",
        fields=("notional", "factor"),
        required=("notional",),
        key_inputs=("notional",),
        outputs=(
            Output("oversized_notional", "$", "Oversized hedge notional"),
            Output("additional_notional", "$", "Additional notional"),
            Output("factor", "factor", "Decorrelation factor"),
            Output("source", "text", "Source"),
            Output("source_id", "text", "Source id"),
        ),
        subjects=r"over-?siz|decorrelation (?:factor|multiplier)",
        rank=4,
        claims=((50, lambda found, named: "decorrelation-oversize" in named or ("notional" in found and "factor" in found)),),
        focus=(
            (
                r"how (?:large|big)|size of the hedge|hedge size|oversized notional|new notional|total (?:hedge|notional)|"
                r"(?:would|does|will) (?:that|it|this) (?:come|work out|amount) to|what (?:does|would) (?:that|it) (?:make|give)|"
                r"what notional|what size|(?:notional|size|hedge) (?:do|would|should|will) (?:i|we) (?:actually |really )?need|"
                r"what (?:does|would|will) (?:it|that|this|my hedge|the hedge) become",
                ("oversized_notional",),
            ),
        ),
        plain_names={"notional": "the hedge notional"},
        assemble=assemble_oversize,
        compose=compose_oversize,
    )
)


# --- VIX call hedge ------------------------------------------------------------------------------


def assemble_vix(found: dict, inputs: dict) -> None:
    """The scenario (SPX fall, VIX move), the VIX call, and the loss to offset (dollars or the condor)."""
    if "spx_drop" not in found and "spot_move" in found and found["spot_move"][1] and found["spot_move"][0] < 0:
        inputs["spx_drop"] = fraction(-found["spot_move"][0], True)
    if "vix_to" in found and "vix" in inputs and "vix_rise" not in found:
        inputs["vix_rise"] = tidy(found["vix_to"] - inputs["vix"])
    if "vix_rise_pct" in found and "vix" in inputs and "vix_rise" not in inputs:
        inputs["vix_rise"] = tidy(inputs["vix"] * found["vix_rise_pct"])
    calls = [strike for kind, strike in found.get("options", []) if kind == "call"]
    if "call_strike" not in inputs and calls:
        inputs["call_strike"] = calls[0]
    if "call_premium" not in inputs and "price" in found:
        inputs["call_premium"] = found["price"]
    if all(k in found for k in CONDOR_STRIKES) and "credit" in found and "book_loss" not in found:
        condor = {k: found[k] for k in CONDOR_STRIKES}
        condor["credit"] = credit_points(found, condor)
        if "contracts" in found:
            condor["contracts"] = found["contracts"]
        inputs["condor"] = condor
    if "book_loss" not in found and "condor" not in inputs and found.get("dollars"):
        value, suffix = found["dollars"][0]
        inputs["book_loss"] = money(str(value), suffix)


def vix_gaps(inputs: dict, focus) -> list[str]:
    """The VIX move comes as points or as a beta, the loss as dollars or as the condor (which needs the spot)."""
    needed = ["spx_drop", "vix", "vix_move", "call_strike", "loss"]
    given = set(inputs)
    if "vix_rise" in given or "vix_beta" in given:
        given.add("vix_move")
    if "book_loss" in given or "condor" in given:
        given.add("loss")
    if "condor" in given:
        needed.append("spot")
    return [name for name in needed if name not in given]


VIX_INPUTS = ("spx_drop", "vix_rise", "vix_to", "vix_beta", "book_loss")

VIX_HEDGE = routes.register(
    Route(
        name="vix-hedge",
        topic="VIX call hedge",
        fields=("spx_drop", "vix", "vix_rise", "vix_beta", "call_strike", "call_premium", "book_loss", "condor", "spot", "offset"),
        required=("spx_drop", "vix", "vix_move", "call_strike", "loss"),
        key_inputs=("spx_drop", "vix", "vix_rise", "vix_beta", "call_strike", "book_loss", "condor"),
        outputs=(
            Output("contracts", "count", "VIX calls"),
            Output("scenario_spx", "level", "SPX in the scenario"),
            Output("scenario_vix", "vix points", "VIX in the scenario"),
            Output("book_loss", "$", "Loss to offset"),
            Output("target_payoff", "$", "Payoff targeted"),
            Output("payoff_per_contract", "$", "Payoff per VIX call"),
            Output("total_payoff", "$", "Total payoff"),
            Output("coverage", "%", "Coverage of the loss"),
            Output("premium_cost", "$", "Premium cost"),
            Output("net_result", "$", "Net result"),
        ),
        subjects=(
            r"\bhow many vix\b|\bvix calls? (?:do|would|will|should) (?:i|we) need\b|\bvix (?:call )?hedge siz|\bsize (?:a|the|my) vix\b|"
            r"\bvix calls? to (?:offset|cover|hedge|pay)\b|\b(?:offset|cover|recoup) (?:half |all |\d+% )?(?:of )?(?:the |my |a )?(?:\$[\d,.]+\s*\w* )?(?:book'?s? )?loss"
        ),
        rank=2,
        claims=((30, lambda found, named: "vix-hedge" in named or sum(k in found for k in VIX_INPUTS) >= 2),),
        focus=(
            (r"how many (?:vix )?(?:calls|contracts|options)|number of (?:vix )?(?:calls|contracts)", ("contracts",)),
            (r"\bcoverage\b", ("coverage",)),
            (r"premium cost|cost of the (?:calls|hedge)|how much (?:will|would|does) (?:it|the hedge|the calls) cost", ("premium_cost",)),
        ),
        plain_names={
            "spx_drop": "the SPX fall in the scenario (e.g. 10%)",
            "vix": "the VIX level now",
            "vix_move": "the VIX move in the scenario (points, or a VIX beta)",
            "call_strike": "the VIX call strike",
            "loss": "the loss to offset (dollars, or the condor position)",
            "spot": "the SPX level",
        },
        assemble=assemble_vix,
        gaps=vix_gaps,
        moves_spot=False,
        contracts=True,
    )
)


# --- beta-weighted delta -------------------------------------------------------------------------


def assemble_bwd(found: dict, inputs: dict) -> None:
    if "spot" in found:
        inputs["benchmark_price"] = found["spot"]
    if "bwd_price" in found:
        inputs["price"] = found["bwd_price"]


BETA_WEIGHTED_DELTA = routes.register(
    Route(
        name="beta-weighted-delta",
        topic="beta-weighted delta",
        fields=("delta", "beta", "price", "benchmark_price"),
        required=("delta", "beta", "price", "benchmark_price"),
        key_inputs=("delta", "beta"),
        outputs=(
            Output("beta_weighted_delta", "ratio", "Beta-weighted delta (SPX deltas)"),
            Output("per_position", "structure", "Per position"),
            Output("dollar_delta", "$", "Dollar delta"),
            Output("pnl_per_1pct", "$", "P/L for a 1% SPX move"),
        ),
        subjects=r"\bbeta[- ]weighted\b|\bbeta[- ]adjusted delta\b",
        rank=3,
        claims=((10, lambda found, named: "beta-weighted-delta" in named),),
        focus=((r"beta[- ]weighted delta", ("beta_weighted_delta",)),),
        plain_names={
            "delta": "the position's delta",
            "beta": "the beta to SPX",
            "price": "the position's price",
            "benchmark_price": "the SPX level",
        },
        assemble=assemble_bwd,
    )
)
