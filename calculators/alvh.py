"""ALVH (Adaptive Layered VIX Hedge) layer schedule: a hedge budget and the exposure to hedge,
split into layers across expirations and (optionally) VIX activation levels.

Every default is a figure an article states (calculators/sources.py quotes each one):
    increment 0.20       "Layer VIX calls or futures in 20-30% increments of notional exposure"
                         (lower end of the range)
    allocation 0.05      "allocating no more than 2-5% of NFT portfolio notional to VIX-linked
                         instruments" (the upper end, so the budget is a ceiling)
    expirations 30/60/90 "Layer VIX hedges at 30-, 60-, and 90-day expirations"
    hedge_ratio 1.0      "adjust the hedge ratio — often moving from 1:1 toward 1:1.3 or 1:0.7"
    decorrelation 1.0    no oversizing. The basis-risk article's 2.8x is measured for VIX hedges
                         of NFT books during DeFi shocks; pass decorrelation_factor=2.8 to apply it.
The articles give no VIX activation levels, so there is no default: pass activation_levels.

The arithmetic (this calculator's convention, not a rule of the methodology):
    budget          = notional × allocation                        (dollars, a ceiling)
    hedge_notional  = notional × hedge_ratio × decorrelation_factor (dollars of exposure)
    layers          = ceil(1 / increment); each covers ``increment`` of hedge_notional, the last
                      the remainder; layer i gets expirations[i mod len(expirations)] and the
                      same share of the budget as of the exposure
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, model_validator

from calculators import sources
from calculators.base import MAX_DAYS, Fraction, Inputs, Money, Outputs, Price, check
from calculators.registry import Calculator, register


class AlvhLayersInputs(Inputs):
    notional: Money = Field(description="notional exposure of the book to hedge, dollars")
    allocation: Fraction = Field(
        sources.ALLOCATION_RANGE[1], gt=0, le=1, description="share of notional for the hedge budget (steward: 2-5 %)"
    )
    increment: Fraction = Field(
        sources.INCREMENT_RANGE[0], ge=0.01, le=1, description="share of the exposure each layer covers (articles: 20-30 %)"
    )
    expirations: list[Annotated[int, Field(le=int(MAX_DAYS))]] = Field(list(sources.EXPIRATION_DAYS), min_length=1, description="days to expiry, assigned to layers in turn")
    hedge_ratio: float = Field(sources.HEDGE_RATIO_BASE, gt=0, le=100, description="hedge exposure per unit of book (band 0.7-1.3)")
    decorrelation_factor: float = Field(1.0, ge=1, le=100, description="oversizing for decorrelation (basis-risk article: 2.8 in shocks)")
    activation_levels: list[Price] | None = Field(None, description="VIX level at which each layer is put on, one per layer")

    @model_validator(mode="after")
    def _check(self) -> AlvhLayersInputs:
        for days in self.expirations:
            check(days > 0, f"every expiration must be a positive number of days (got {days})")
        if self.activation_levels is not None:
            count = layer_count(self.increment)
            check(
                len(self.activation_levels) == count,
                f"{count} layers need {count} activation levels (got {len(self.activation_levels)})",
            )
        return self


def layer_count(increment: float) -> int:
    """ceil(1 / increment), with 1e-9 of slack so that 1/0.2 is 5 layers, not 6."""
    return math.ceil(1.0 / increment - 1e-9)


class Layer(Outputs):
    layer: int  # 1, 2, ...
    fraction: float  # share of hedge_notional (and of the budget)
    notional: float  # dollars of exposure this layer hedges
    budget: float  # dollars of the budget ceiling for this layer
    expiration_days: int
    activation_vix: float | None


class SourceRef(Outputs):
    parameter: str
    article_id: str
    title: str
    quote: str


class Checks(Outputs):
    allocation_in_steward_range: bool  # 2 % ≤ allocation ≤ 5 %
    increment_in_article_range: bool  # 20 % ≤ increment ≤ 30 %
    hedge_ratio_in_band: bool  # 0.7 ≤ hedge_ratio ≤ 1.3


class AlvhLayersOutputs(Outputs):
    budget: float  # dollars, ceiling for the whole hedge
    hedge_notional: float  # dollars of exposure the layers cover
    layer_count: int
    layers: list[Layer]
    checks: Checks
    sources: list[SourceRef]
    notes: list[str]


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] - 1e-12 <= value <= bounds[1] + 1e-12


def alvh_layers(inputs: AlvhLayersInputs) -> AlvhLayersOutputs:
    """Split the hedge into layers (arithmetic in the module docstring); flag parameters outside
    the ranges the articles state, and cite the article behind each figure."""
    budget = inputs.notional * inputs.allocation
    hedge_notional = inputs.notional * inputs.hedge_ratio * inputs.decorrelation_factor
    count = layer_count(inputs.increment)
    layers = []
    for index in range(count):
        fraction = inputs.increment if index < count - 1 else round(1.0 - inputs.increment * (count - 1), 12)  # no 0.19999999999999996
        layers.append(
            Layer(
                layer=index + 1,
                fraction=fraction,
                notional=hedge_notional * fraction,
                budget=budget * fraction,
                expiration_days=inputs.expirations[index % len(inputs.expirations)],
                activation_vix=None if inputs.activation_levels is None else inputs.activation_levels[index],
            )
        )
    notes = []
    if inputs.activation_levels is None:
        notes.append("the articles state no VIX activation levels; pass activation_levels to set one per layer")
    cited = [
        ("allocation", sources.STEWARD_ALLOCATION),
        ("increment", sources.LAYER_INCREMENTS),
        ("expirations", sources.EXPIRATIONS),
        ("hedge_ratio", sources.HEDGE_RATIO_BAND),
        ("decorrelation_factor", sources.DECORRELATION),
    ]
    return AlvhLayersOutputs(
        budget=budget,
        hedge_notional=hedge_notional,
        layer_count=count,
        layers=layers,
        checks=Checks(
            allocation_in_steward_range=_within(inputs.allocation, sources.ALLOCATION_RANGE),
            increment_in_article_range=_within(inputs.increment, sources.INCREMENT_RANGE),
            hedge_ratio_in_band=_within(inputs.hedge_ratio, sources.HEDGE_RATIO_RANGE),
        ),
        sources=[
            SourceRef(parameter=name, article_id=src.article_id, title=src.title, quote=src.quote) for name, src in cited
        ],
        notes=notes,
    )


register(
    Calculator(
        name="alvh-layers",
        description="ALVH layer schedule: hedge budget and exposure split into layers across 30/60/90-day expirations",
        inputs=AlvhLayersInputs,
        fn=alvh_layers,
        example={"notional": 1_000_000},
    )
)
