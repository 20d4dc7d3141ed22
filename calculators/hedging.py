"""Hedge sizing: minimum-variance hedge ratio, decorrelation oversizing, beta-weighted delta,
and VIX call contracts for a stated SPX sell-off scenario."""

from __future__ import annotations

import math
import numpy as np
from pydantic import Field, model_validator

from calculators.base import MAX_COUNT, MAX_MONEY, MAX_PRICE, Fraction, Inputs, Money, NumberList, Outputs, Price, Series, Volatility, check, fmt
from calculators.condor import check_condor, condor_owed
from calculators.correlation import Returns, check_pairs, pearson, prepare
from calculators.registry import Calculator, register
from calculators.sources import DECORRELATION, DECORRELATION_FACTOR

# --- hedge ratio ------------------------------------------------------------------------------


class HedgeRatioInputs(Inputs):
    """Either the three numbers (correlation and both volatilities) or two return series."""

    correlation: float | None = Field(None, ge=-1, le=1, description="correlation of portfolio and hedge returns")
    portfolio_vol: Volatility | None = Field(None, description="volatility of the portfolio, decimal or percent")
    hedge_vol: Volatility | None = Field(None, description="volatility of the hedge instrument, decimal or percent")
    x: Series | None = Field(None, description="the hedge instrument's returns (or prices with returns)")
    y: Series | None = Field(None, description="the portfolio's returns (or prices with returns), paired with x")
    returns: Returns = Field("none", description="none: series used as given; simple or log: turn prices into returns")

    @model_validator(mode="after")
    def _check(self) -> HedgeRatioInputs:
        numbers = {"correlation": self.correlation, "portfolio_vol": self.portfolio_vol, "hedge_vol": self.hedge_vol}
        given = [name for name, value in numbers.items() if value is not None]
        has_series = self.x is not None or self.y is not None
        check(not (given and has_series), "give either correlation, portfolio_vol and hedge_vol, or the two series x and y, not both")
        if has_series:
            check(self.x is not None and self.y is not None, "a hedge ratio from data needs both series: x (the hedge) and y (the portfolio)")
            check(len(self.x) == len(self.y), f"x has {len(self.x)} values but y has {len(self.y)}; they must be paired")
        else:
            missing = [name for name in numbers if name not in given]
            check(not missing, f"the hedge ratio needs correlation, portfolio_vol and hedge_vol (missing: {', '.join(missing)})")
        return self


class HedgeRatioOutputs(Outputs):
    hedge_ratio: float  # units of hedge per unit of portfolio; negative: buy the hedge
    effectiveness: float  # R² = ρ², share of the portfolio's variance the hedge removes
    residual_vol: float  # basis risk, same units as portfolio_vol
    correlation: float
    portfolio_vol: float
    hedge_vol: float
    n: int | None = None  # pairs used, from data only
    dropped: int | None = None  # rows dropped for a missing value, from data only


def hedge_ratio(inputs: HedgeRatioInputs) -> HedgeRatioOutputs:
    """Minimum-variance hedge ratio h* = ρ·σ_p/σ_h, effectiveness R² = ρ², residual (basis-risk)
    volatility σ_p·√(1 − ρ²).

    Selling h* units of the hedge per unit of portfolio minimises the variance of the hedged
    book; a negative h* (negative correlation, like VIX calls against SPX) means buying |h*|.
    From two series, ρ, σ_p and σ_h are the sample correlation and standard deviations (n−1) of
    y (portfolio) and x (hedge), per period of the data, and h* equals the OLS slope of y on x.
    """
    n = dropped = None
    if inputs.x is not None:
        x, y, _, dropped = prepare(inputs.x, inputs.y, inputs.returns)
        check_pairs(x, y)
        n = len(x)
        rho, portfolio_vol, hedge_vol = pearson(x, y), float(y.std(ddof=1)), float(x.std(ddof=1))
    else:
        rho, portfolio_vol, hedge_vol = inputs.correlation, inputs.portfolio_vol, inputs.hedge_vol
    return HedgeRatioOutputs(
        hedge_ratio=rho * portfolio_vol / hedge_vol,
        effectiveness=rho * rho,
        residual_vol=portfolio_vol * math.sqrt(1.0 - rho * rho),
        correlation=rho,
        portfolio_vol=portfolio_vol,
        hedge_vol=hedge_vol,
        n=n,
        dropped=dropped,
    )


# --- decorrelation oversizing -----------------------------------------------------------------


class DecorrelationInputs(Inputs):
    notional: Money = Field(description="hedge notional before oversizing, dollars")
    factor: float = Field(
        DECORRELATION_FACTOR,
        ge=1,
        le=100,
        description=f"oversizing factor; default {DECORRELATION_FACTOR} from the article '{DECORRELATION.title}'",
    )


class DecorrelationOutputs(Outputs):
    oversized_notional: float  # dollars
    additional_notional: float  # dollars added by the oversizing
    factor: float
    source: str | None  # title of the article the factor comes from, when it is the article's figure
    source_id: str | None  # that article's id


def decorrelation_oversize(inputs: DecorrelationInputs) -> DecorrelationOutputs:
    """Hedge notional oversized for decorrelation: oversized = notional × factor (dollars).

    The default factor 2.8 is the figure of the article "Basis risk from using VIX to hedge
    NFTs — has anyone quantified how much the correlation actually breaks during DeFi liquidity
    shocks?": "an average decorrelation factor of 2.8x during shocks, meaning hedges must be
    oversized by nearly three times".
    """
    oversized = inputs.notional * inputs.factor
    return DecorrelationOutputs(
        oversized_notional=oversized,
        additional_notional=oversized - inputs.notional,
        factor=inputs.factor,
        source=DECORRELATION.title if inputs.factor == DECORRELATION_FACTOR else None,
        source_id=DECORRELATION.article_id if inputs.factor == DECORRELATION_FACTOR else None,
    )


# --- beta-weighted delta ------------------------------------------------------------------------


class BetaWeightedDeltaInputs(Inputs):
    """One position or several: each list has one value per position, or one value for all."""

    delta: NumberList = Field(description="share-equivalent delta of each position (per-share delta × multiplier × contracts, or shares)")
    beta: NumberList = Field(description="beta of each position's underlying to the benchmark")
    price: NumberList = Field(description="price of each position's underlying")
    benchmark_price: Price = Field(description="price of the benchmark, e.g. SPX")

    @model_validator(mode="after")
    def _check(self) -> BetaWeightedDeltaInputs:
        lengths = {len(self.delta), len(self.beta), len(self.price)}
        check(min(lengths) >= 1, "give at least one position: delta, beta and price")
        check(
            len(lengths - {1}) <= 1,
            f"delta, beta and price must have one value per position or a single value (got {len(self.delta)}, "
            f"{len(self.beta)} and {len(self.price)} values)",
        )
        for value in self.price:
            check(value > 0, f"every price must be positive (got {fmt(value)})")
        return self


class BetaWeightedDeltaOutputs(Outputs):
    beta_weighted_delta: float  # benchmark units: P/L in dollars per 1-point benchmark move
    per_position: list[float]
    dollar_delta: float  # beta_weighted_delta × benchmark_price, dollars of benchmark exposure
    pnl_per_1pct: float  # dollars of P/L for a 1 % benchmark move


def beta_weighted_delta(inputs: BetaWeightedDeltaInputs) -> BetaWeightedDeltaOutputs:
    """Beta-weighted delta: Σ delta_i × beta_i × price_i / benchmark_price, in benchmark units.

    It is the number of benchmark units (e.g. SPX "shares") with the same exposure; a 1 %
    benchmark move changes the position by about dollar_delta / 100 dollars.
    """
    delta, beta, price = (np.asarray(v, dtype=float) for v in (inputs.delta, inputs.beta, inputs.price))
    per_position = np.broadcast_to(delta * beta * price / inputs.benchmark_price, (max(len(delta), len(beta), len(price)),))
    total = float(per_position.sum())
    return BetaWeightedDeltaOutputs(
        beta_weighted_delta=total,
        per_position=per_position.tolist(),
        dollar_delta=total * inputs.benchmark_price,
        pnl_per_1pct=total * inputs.benchmark_price / 100.0,
    )


# --- VIX call hedge -----------------------------------------------------------------------------


class CondorBook(Inputs):
    """An iron condor position whose loss the VIX calls should offset."""

    long_put: Price
    short_put: Price
    short_call: Price
    long_call: Price
    credit: float
    contracts: int = Field(1, ge=1, le=MAX_COUNT)
    multiplier: int = Field(100, ge=1, le=MAX_COUNT)

    @model_validator(mode="after")
    def _check(self) -> CondorBook:
        check_condor(self.long_put, self.short_put, self.short_call, self.long_call, self.credit)
        return self


class VixHedgeInputs(Inputs):
    """A sell-off scenario, a VIX call, and the loss to offset."""

    spx_drop: Fraction = Field(gt=0, lt=1, description="SPX fall in the scenario, decimal (0.10) or percent (10%)")
    vix: Price = Field(description="VIX level now")
    vix_rise: float | None = Field(None, ge=0, le=MAX_PRICE, description="VIX rise in the scenario, in VIX points")
    vix_beta: float | None = Field(None, gt=0, le=1000, description="VIX percent rise per 1 % SPX fall (4: a 10 % fall lifts the VIX 40 %)")
    call_strike: Price = Field(description="strike of the VIX call")
    call_premium: float | None = Field(None, ge=0, le=MAX_PRICE, description="price of one VIX call, VIX points")
    book_loss: float | None = Field(None, ge=0, le=MAX_MONEY, description="loss of the condor book in the scenario, dollars")
    condor: CondorBook | None = Field(None, description="the condor position, instead of book_loss")
    spot: Price | None = Field(None, description="SPX level now (needed with condor)")
    offset: Fraction = Field(1.0, gt=0, le=100, description="fraction of the loss the calls should pay back (1 = all)")
    multiplier: int = Field(100, ge=1, le=MAX_COUNT, description="dollars per VIX point per VIX option")

    @model_validator(mode="after")
    def _check(self) -> VixHedgeInputs:
        check(
            (self.vix_rise is None) != (self.vix_beta is None),
            "give the scenario's VIX move either as vix_rise (points) or as vix_beta, one of them",
        )
        check(
            (self.book_loss is None) != (self.condor is None),
            "give the loss to offset either as book_loss (dollars) or as the condor position, one of them",
        )
        check(self.condor is None or self.spot is not None, "with a condor position, give spot (the SPX level now)")
        return self


class VixHedgeOutputs(Outputs):
    scenario_spx: float | None  # SPX level after the fall (with spot)
    scenario_vix: float  # VIX level in the scenario
    book_loss: float  # dollars
    target_payoff: float  # offset × book_loss, dollars
    payoff_per_contract: float  # (scenario VIX − strike)⁺ × multiplier, dollars
    contracts: int  # ceil(target_payoff / payoff_per_contract)
    total_payoff: float  # dollars
    coverage: float | None  # total_payoff / book_loss
    premium_cost: float | None  # contracts × premium × multiplier, dollars
    net_result: float | None  # total_payoff − premium_cost − book_loss, dollars


def vix_hedge(inputs: VixHedgeInputs) -> VixHedgeOutputs:
    """VIX calls needed so that, in the scenario, their payoff offsets ``offset`` of the book's loss.

        scenario VIX = VIX + vix_rise, or VIX × (1 + vix_beta × spx_drop)
        payoff per contract = max(scenario VIX − strike, 0) × multiplier      (dollars)
        book loss = given, or the condor's loss at expiry at SPX × (1 − spx_drop):
                    max(0, owed − credit) × multiplier × contracts
        contracts = ceil(offset × book loss / payoff per contract)
    The calls are valued at their intrinsic value at the scenario VIX level: time value left
    and the gap between VIX options' settlement and the spot VIX are ignored.
    """
    if inputs.vix_rise is not None:
        scenario_vix = inputs.vix + inputs.vix_rise
    else:
        scenario_vix = inputs.vix * (1.0 + inputs.vix_beta * inputs.spx_drop)
    scenario_spx = None if inputs.spot is None else inputs.spot * (1.0 - inputs.spx_drop)
    if inputs.condor is not None:
        book = inputs.condor
        strikes = np.array([book.long_put, book.short_put, book.short_call, book.long_call])
        owed = float(condor_owed(scenario_spx, strikes))
        book_loss = max(0.0, owed - book.credit) * book.multiplier * book.contracts
    else:
        book_loss = inputs.book_loss
    payoff_per_contract = max(scenario_vix - inputs.call_strike, 0.0) * inputs.multiplier
    target = inputs.offset * book_loss
    if target > 0:
        check(
            payoff_per_contract > 0,
            f"in this scenario the VIX ends at {fmt(scenario_vix)}, not above the call strike ({fmt(inputs.call_strike)}), "
            "so the calls pay nothing; lower the strike or use a larger VIX move",
        )
        contracts = math.ceil(target / payoff_per_contract - 1e-9)  # 1e-9: 2.0000000001 contracts is 2
    else:
        contracts = 0
    total_payoff = contracts * payoff_per_contract
    premium_cost = None if inputs.call_premium is None else contracts * inputs.call_premium * inputs.multiplier
    return VixHedgeOutputs(
        scenario_spx=scenario_spx,
        scenario_vix=scenario_vix,
        book_loss=book_loss,
        target_payoff=target,
        payoff_per_contract=payoff_per_contract,
        contracts=contracts,
        total_payoff=total_payoff,
        coverage=total_payoff / book_loss if book_loss > 0 else None,
        premium_cost=premium_cost,
        net_result=None if premium_cost is None else total_payoff - premium_cost - book_loss,
    )


register(
    Calculator(
        name="hedge-ratio",
        description="Minimum-variance hedge ratio ρ·σp/σh with hedge effectiveness (R²) and basis risk",
        inputs=HedgeRatioInputs,
        fn=hedge_ratio,
        example={"correlation": 0.6, "portfolio_vol": 0.20, "hedge_vol": 0.40},
    )
)

register(
    Calculator(
        name="decorrelation-oversize",
        description="Hedge notional oversized by a decorrelation factor (default 2.8x, from the basis-risk article)",
        inputs=DecorrelationInputs,
        fn=decorrelation_oversize,
        example={"notional": 50000},
    )
)

register(
    Calculator(
        name="beta-weighted-delta",
        description="Beta-weighted delta of one or more positions in units of a benchmark such as SPX",
        inputs=BetaWeightedDeltaInputs,
        fn=beta_weighted_delta,
        example={"delta": [100, -50], "beta": [1.2, 0.9], "price": [590, 210], "benchmark_price": 5900},
    )
)

register(
    Calculator(
        name="vix-hedge",
        description="VIX calls needed to offset a share of an iron condor book's loss if SPX falls and the VIX jumps",
        inputs=VixHedgeInputs,
        fn=vix_hedge,
        example={
            "spx_drop": 0.10,
            "vix": 16,
            "vix_rise": 14,
            "call_strike": 22,
            "call_premium": 1.2,
            "condor": {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10, "contracts": 10},
            "spot": 5900,
            "offset": 0.5,
        },
    )
)
