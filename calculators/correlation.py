"""Correlation statistics of two paired series (x, y), e.g. SPX returns and VIX changes.

Rows with a missing value (None or NaN) are dropped and counted. With ``returns`` the values
are prices turned into returns over consecutive complete rows: simple r_t = v_t / v_(t−1) − 1,
log r_t = ln(v_t / v_(t−1)) (the first complete row has no return).

    Pearson r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)²·Σ(y−ȳ)²); p-value two-sided from
        t = r·√((n−2)/(1−r²)) with n−2 degrees of freedom
    Fisher-z interval: tanh(atanh(r) ± z_(1−α/2) / √(n−3)) at confidence 1−α
    Spearman ρ = Pearson r of the ranks (ties get their average rank); p-value as for Pearson
    Kendall τ-b with its p-value (exact for small samples without ties, else the normal
        approximation), as scipy.stats.kendalltau computes it
    OLS of y on x: β = cov(x, y)/var(x), α = ȳ − β·x̄, R² = r²;
        residual_vol = sample standard deviation of the residuals (n−1) = s_y·√(1 − r²),
        the basis risk left after hedging y with β units of x (per period of the data)
    Rolling: Pearson r over each window of ``window`` consecutive pairs; last, min, max, mean
    Regimes: the pairs split by a condition series (e.g. the VIX level): above a threshold vs
        below another (or vs the rest when only one is given); Pearson r in each and their ratio
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from calculators.base import Fraction, Inputs, Number, Outputs, Series, check, fmt
from calculators.registry import Calculator, register

Returns = Literal["none", "simple", "log"]
MIN_PAIRS = 4  # the Fisher interval needs n − 3 > 0


# --- preparing the data ---------------------------------------------------------------------


def complete_rows(*columns) -> tuple[np.ndarray, int]:
    """Stack equal-length columns (None/NaN = missing) into a 2-D float array of the rows that
    have every value; also return how many rows were dropped."""
    data = np.array([np.asarray(column, dtype=float) for column in columns])
    keep = ~np.isnan(data).any(axis=0)
    return data[:, keep], int((~keep).sum())


def to_returns(values: np.ndarray, returns: str, name: str) -> np.ndarray:
    """Prices -> simple or log returns of consecutive values ("none": unchanged)."""
    if returns == "none":
        return values
    check(bool((values > 0).all()), f"{name} has a zero or negative value, so its {returns} returns cannot be computed")
    ratio = values[1:] / values[:-1]
    return np.log(ratio) if returns == "log" else ratio - 1.0


def prepare(x, y, returns: str = "none", condition=None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int]:
    """Drop incomplete rows, turn x and y into returns if asked (the condition stays a level,
    taken at the end of each return's period). Returns x, y, condition, rows dropped."""
    columns = [x, y] if condition is None else [x, y, condition]
    data, dropped = complete_rows(*columns)
    xs, ys = to_returns(data[0], returns, "x"), to_returns(data[1], returns, "y")
    cond = None
    if condition is not None:
        cond = data[2][1:] if returns != "none" else data[2]
    return xs, ys, cond, dropped


def check_pairs(x: np.ndarray, y: np.ndarray) -> None:
    """Raise CalculatorError unless there are enough pairs and both series vary."""
    check(len(x) >= MIN_PAIRS, f"a correlation needs at least {MIN_PAIRS} complete pairs of values (got {len(x)})")
    check(_varies(x), "x does not vary, so its correlation with y is undefined")
    check(_varies(y), "y does not vary, so its correlation with x is undefined")


def _varies(values: np.ndarray) -> bool:
    deviations = values - values.mean()
    return bool((deviations * deviations).sum() > 0)


# --- statistics -------------------------------------------------------------------------------


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation coefficient, clipped to [−1, 1] against rounding."""
    dx, dy = x - x.mean(), y - y.mean()
    r = float((dx * dy).sum() / math.sqrt((dx * dx).sum() * (dy * dy).sum()))
    return max(-1.0, min(1.0, r))


def t_test_p(r: float, n: int) -> float:
    """Two-sided p-value of H0: no correlation, t = r·√((n−2)/(1−r²)) with n−2 degrees of freedom."""
    from scipy.special import stdtr  # scipy is slow to import; only correlations need it

    if abs(r) >= 1.0:
        return 0.0
    t = abs(r) * math.sqrt((n - 2) / (1.0 - r * r))
    return float(2.0 * stdtr(n - 2, -t))


def fisher_interval(r: float, n: int, confidence: float) -> list[float]:
    """Confidence interval for Pearson r: tanh(atanh(r) ± z/√(n−3)), z the normal quantile."""
    if abs(r) >= 1.0:
        return [r, r]
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    center, half = math.atanh(r), z / math.sqrt(n - 3)
    return [math.tanh(center - half), math.tanh(center + half)]


def ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """OLS of y on x with intercept: beta, alpha, R², residual_vol (residual std, n−1)."""
    dx, dy = x - x.mean(), y - y.mean()
    beta = float((dx * dy).sum() / (dx * dx).sum())
    alpha = float(y.mean() - beta * x.mean())
    residuals = dy - beta * dx
    r_squared = 1.0 - float((residuals * residuals).sum() / (dy * dy).sum())
    return beta, alpha, max(0.0, r_squared), float(residuals.std(ddof=1))


def rolling_pearson(x: np.ndarray, y: np.ndarray, window: int) -> np.ndarray:
    """Pearson r over each run of ``window`` consecutive pairs (NaN where a window does not vary).

    Window sums come from cumulative sums of the data centred on its overall mean, which keeps
    the rounding error far below the digits a trader reads while staying O(n).
    """
    dx, dy = x - x.mean(), y - y.mean()

    def window_sums(values: np.ndarray) -> np.ndarray:
        total = np.concatenate(([0.0], np.cumsum(values)))
        return total[window:] - total[:-window]

    sx, sy = window_sums(dx), window_sums(dy)
    sxx = window_sums(dx * dx) - sx * sx / window
    syy = window_sums(dy * dy) - sy * sy / window
    sxy = window_sums(dx * dy) - sx * sy / window
    # a window that does not vary leaves rounding noise, not an exact 0, in its sum of squares
    varies = (sxx > 1e-12 * window * (dx * dx).max()) & (syy > 1e-12 * window * (dy * dy).max())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = sxy / np.sqrt(sxx * syy)
    return np.clip(np.where(varies, r, np.nan), -1.0, 1.0)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing the average of their ranks (as scipy.stats.rankdata)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts_group = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    ends = np.append(starts[1:], len(values))  # one past each group's last position
    ranks = np.empty(len(values))
    ranks[order] = ((starts + ends - 1) / 2.0 + 1.0)[group]
    return ranks


# --- calculator -------------------------------------------------------------------------------


class CorrelationInputs(Inputs):
    """Two paired series and what to compute on them."""

    x: Series = Field(description="first series (e.g. SPX returns); None marks a missing value")
    y: Series = Field(description="second series, paired with x")
    returns: Returns = Field("none", description="none: use values as given; simple or log: turn prices into returns")
    confidence: Fraction = Field(0.95, gt=0, lt=1, description="confidence level of the Pearson interval")
    window: int | None = Field(None, ge=3, le=10_000_000, description="rolling window, in pairs")
    regime: Series | None = Field(None, description="condition series paired with x and y, e.g. the VIX level")
    above: Number | None = Field(None, description="high regime: condition above this")
    below: Number | None = Field(None, description="low regime: condition below this")

    @model_validator(mode="after")
    def _check(self) -> CorrelationInputs:
        check(len(self.x) == len(self.y), f"x has {len(self.x)} values but y has {len(self.y)}; they must be paired")
        if self.regime is None:
            check(self.above is None and self.below is None, "above and below need a regime series to compare against")
        else:
            check(
                len(self.regime) == len(self.x),
                f"regime has {len(self.regime)} values but x and y have {len(self.x)}; they must be paired",
            )
            check(self.above is not None or self.below is not None, "a regime series needs a threshold: above, below or both")
            if self.above is not None and self.below is not None:
                check(
                    self.below <= self.above,
                    f"the low-regime threshold below ({fmt(self.below)}) must not exceed the high-regime threshold above ({fmt(self.above)})",
                )
        return self


class RollingSummary(Outputs):
    window: int
    count: int  # windows with a defined correlation
    last: float | None
    min: float | None
    max: float | None
    mean: float | None


class RegimeStats(Outputs):
    label: str  # e.g. "regime > 30"
    n: int
    pearson: float | None  # None with fewer than 4 pairs or a series that does not vary
    pearson_p: float | None
    pearson_ci: list[float] | None
    beta: float | None


class RegimeComparison(Outputs):
    high: RegimeStats
    low: RegimeStats
    ratio: float | None  # high-regime Pearson r / low-regime Pearson r


class CorrelationOutputs(Outputs):
    n: int  # pairs used
    dropped: int  # rows dropped for a missing value
    pearson: float
    pearson_p: float
    pearson_ci: list[float]  # [low, high]
    confidence: float
    spearman: float
    spearman_p: float
    kendall: float
    kendall_p: float
    beta: float  # OLS slope of y on x
    alpha: float  # OLS intercept, units of y
    r_squared: float
    residual_vol: float  # std of the OLS residuals, units of y per period
    rolling: RollingSummary | None = None
    regimes: RegimeComparison | None = None


def _regime_stats(label: str, x: np.ndarray, y: np.ndarray, confidence: float) -> RegimeStats:
    n = len(x)
    if n < MIN_PAIRS or not _varies(x) or not _varies(y):
        return RegimeStats(label=label, n=n, pearson=None, pearson_p=None, pearson_ci=None, beta=None)
    r = pearson(x, y)
    return RegimeStats(
        label=label, n=n, pearson=r, pearson_p=t_test_p(r, n), pearson_ci=fisher_interval(r, n, confidence), beta=ols(x, y)[0]
    )


def correlation(inputs: CorrelationInputs) -> CorrelationOutputs:
    """Pearson, Spearman and Kendall with p-values, Fisher interval, OLS, rolling and regime
    correlations of x and y (formulas in the module docstring)."""
    from scipy.stats import kendalltau  # scipy is slow to import; only correlations need it

    x, y, condition, dropped = prepare(inputs.x, inputs.y, inputs.returns, inputs.regime)
    check_pairs(x, y)
    n = len(x)
    r = pearson(x, y)
    rho = pearson(average_ranks(x), average_ranks(y))
    tau = kendalltau(x, y)
    beta, alpha, r_squared, residual_vol = ols(x, y)
    results: dict = {
        "n": n,
        "dropped": dropped,
        "pearson": r,
        "pearson_p": t_test_p(r, n),
        "pearson_ci": fisher_interval(r, n, inputs.confidence),
        "confidence": inputs.confidence,
        "spearman": rho,
        "spearman_p": t_test_p(rho, n),
        "kendall": float(tau.statistic),
        "kendall_p": float(tau.pvalue),
        "beta": beta,
        "alpha": alpha,
        "r_squared": r_squared,
        "residual_vol": residual_vol,
    }
    if inputs.window is not None:
        check(inputs.window <= n, f"the window ({inputs.window}) is longer than the {n} pairs of values")
        rolling = rolling_pearson(x, y, inputs.window)
        defined = rolling[~np.isnan(rolling)]
        results["rolling"] = RollingSummary(
            window=inputs.window,
            count=len(defined),
            last=None if np.isnan(rolling[-1]) else float(rolling[-1]),
            min=float(defined.min()) if len(defined) else None,
            max=float(defined.max()) if len(defined) else None,
            mean=float(defined.mean()) if len(defined) else None,
        )
    if condition is not None:
        if inputs.above is not None and inputs.below is not None:
            high, low = condition > inputs.above, condition < inputs.below
            labels = (f"regime > {fmt(inputs.above)}", f"regime < {fmt(inputs.below)}")
        elif inputs.above is not None:
            high = condition > inputs.above
            low = ~high
            labels = (f"regime > {fmt(inputs.above)}", f"regime <= {fmt(inputs.above)}")
        else:
            low = condition < inputs.below
            high = ~low
            labels = (f"regime >= {fmt(inputs.below)}", f"regime < {fmt(inputs.below)}")
        high_stats = _regime_stats(labels[0], x[high], y[high], inputs.confidence)
        low_stats = _regime_stats(labels[1], x[low], y[low], inputs.confidence)
        ratio = None
        if high_stats.pearson is not None and low_stats.pearson:
            ratio = high_stats.pearson / low_stats.pearson
        results["regimes"] = RegimeComparison(high=high_stats, low=low_stats, ratio=ratio)
    return CorrelationOutputs(**results)


register(
    Calculator(
        name="correlation",
        description="Pearson, Spearman and Kendall correlation with p-values, Fisher interval, OLS beta, rolling and regime correlation",
        inputs=CorrelationInputs,
        fn=correlation,
        example={
            "x": [0.012, -0.004, 0.007, -0.021, 0.003, 0.015, -0.009, 0.001, -0.013, 0.006],
            "y": [-0.05, 0.04, -0.06, 0.12, 0.01, -0.03, 0.02, -0.02, 0.09, 0.03],
        },
    )
)
