"""Correlation statistics against scipy and statsmodels."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from calculators.correlation import CorrelationInputs, correlation
from calculators.errors import CalculatorError


def sample(n: int = 300, seed: int = 3, rho: float = -0.6):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 0.01, n)
    y = rho * x / 0.01 * 0.05 + rng.normal(0, 0.05 * np.sqrt(1 - rho**2), n)
    return x, y


def tau_b_brute_force(x, y) -> float:
    """Kendall's τ-b from every pair: (concordant − discordant) / √((n0 − ties_x)(n0 − ties_y))."""
    concordant = discordant = ties_x = ties_y = pairs = 0
    for i, j in itertools.combinations(range(len(x)), 2):
        dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
        pairs += 1
        ties_x += dx == 0
        ties_y += dy == 0
        concordant += dx * dy > 0
        discordant += dx * dy < 0
    return (concordant - discordant) / np.sqrt((pairs - ties_x) * (pairs - ties_y))


@pytest.mark.parametrize("n", [8, 40, 300])
def test_statistics_match_scipy_and_statsmodels(n):
    x, y = sample(n)
    out = correlation(CorrelationInputs(x=x, y=y, confidence=0.9))
    pearson = stats.pearsonr(x, y)
    assert out.n == n and out.dropped == 0
    assert out.pearson == pytest.approx(pearson.statistic, rel=1e-12)
    assert out.pearson_p == pytest.approx(pearson.pvalue, rel=1e-9)
    interval = pearson.confidence_interval(confidence_level=0.9)
    assert out.pearson_ci == pytest.approx([interval.low, interval.high], rel=1e-12)
    spearman = stats.spearmanr(x, y)
    assert out.spearman == pytest.approx(spearman.statistic, rel=1e-12)
    assert out.spearman_p == pytest.approx(spearman.pvalue, rel=1e-9)
    kendall = stats.kendalltau(x, y)
    assert out.kendall == pytest.approx(tau_b_brute_force(x, y), rel=1e-12)
    assert out.kendall_p == pytest.approx(kendall.pvalue, rel=1e-9)
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    assert (out.alpha, out.beta) == pytest.approx(tuple(fit.params), rel=1e-10)
    assert out.r_squared == pytest.approx(fit.rsquared, rel=1e-10)
    assert out.residual_vol == pytest.approx(np.std(fit.resid, ddof=1), rel=1e-10)


def test_kendall_p_value_is_the_normal_approximation_for_large_samples():
    x, y = sample(400)
    out = correlation(CorrelationInputs(x=x, y=y))
    z = 3 * out.kendall * np.sqrt(400 * 399) / np.sqrt(2 * (2 * 400 + 5))  # no ties
    assert out.kendall_p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_ties_use_average_ranks_and_tau_b():
    x = np.array([1, 2, 2, 3, 4, 4, 4, 5, 6, 7], dtype=float)
    y = np.array([2, 1, 3, 3, 5, 4, 6, 6, 8, 7], dtype=float)
    out = correlation(CorrelationInputs(x=x, y=y))
    assert out.spearman == pytest.approx(stats.spearmanr(x, y).statistic, rel=1e-12)
    assert out.kendall == pytest.approx(tau_b_brute_force(x, y), rel=1e-12)


def test_missing_values_are_dropped_and_counted_and_pandas_series_work():
    x, y = sample(50)
    xs, ys = pd.Series(x), pd.Series(y)
    xs[[2, 9]] = np.nan
    ys[[9, 30]] = np.nan
    out = correlation(CorrelationInputs(x=xs, y=[None if np.isnan(v) else v for v in ys]))
    keep = ~(xs.isna() | ys.isna())
    assert (out.n, out.dropped) == (47, 3)
    assert out.pearson == pytest.approx(stats.pearsonr(xs[keep], ys[keep]).statistic, rel=1e-12)


@pytest.mark.parametrize("kind", ["simple", "log"])
def test_returns_are_taken_over_consecutive_complete_rows(kind):
    rng = np.random.default_rng(11)
    spx = 4000 * np.exp(np.cumsum(rng.normal(0, 0.01, 80)))
    vix = 15 * np.exp(np.cumsum(rng.normal(0, 0.05, 80)))
    spx[10] = np.nan
    out = correlation(CorrelationInputs(x=spx, y=vix, returns=kind))
    frame = pd.DataFrame({"spx": spx, "vix": vix}).dropna()
    changes = frame.pct_change() if kind == "simple" else np.log(frame).diff()
    changes = changes.dropna()
    assert (out.n, out.dropped) == (78, 1)
    assert out.pearson == pytest.approx(stats.pearsonr(changes.spx, changes.vix).statistic, rel=1e-10)


def test_rolling_correlation_matches_pandas():
    x, y = sample(200)
    out = correlation(CorrelationInputs(x=x, y=y, window=30))
    rolling = pd.Series(x).rolling(30).corr(pd.Series(y)).dropna()
    assert out.rolling.count == len(rolling) == 171
    assert out.rolling.last == pytest.approx(rolling.iloc[-1], rel=1e-9)
    assert (out.rolling.min, out.rolling.max, out.rolling.mean) == pytest.approx((rolling.min(), rolling.max(), rolling.mean()), rel=1e-9)


def test_rolling_correlation_of_trending_price_levels_and_flat_windows():
    rng = np.random.default_rng(9)
    x = 4000 * np.exp(np.cumsum(rng.normal(0.001, 0.01, 500)))
    y = 15 + np.cumsum(rng.normal(0, 0.5, 500))
    y[100:140] = 20.0  # 40 days without a move: the windows inside have no correlation
    out = correlation(CorrelationInputs(x=x, y=y, window=25))
    rolling = pd.Series(x).rolling(25).corr(pd.Series(y))
    defined = rolling[np.isfinite(rolling)]
    assert out.rolling.count == len(defined) == 476 - 16
    assert (out.rolling.min, out.rolling.max, out.rolling.mean) == pytest.approx((defined.min(), defined.max(), defined.mean()), rel=1e-8)


def test_regimes_split_by_the_condition_and_compare():
    x, y = sample(400)
    level = np.random.default_rng(5).uniform(10, 45, 400)
    out = correlation(CorrelationInputs(x=x, y=y, regime=level, above=30, below=20))
    high, low = level > 30, level < 20
    assert out.regimes.high.n == high.sum() and out.regimes.low.n == low.sum()
    assert out.regimes.high.label == "regime > 30" and out.regimes.low.label == "regime < 20"
    expected_high, expected_low = stats.pearsonr(x[high], y[high]), stats.pearsonr(x[low], y[low])
    assert out.regimes.high.pearson == pytest.approx(expected_high.statistic, rel=1e-12)
    assert out.regimes.low.pearson_p == pytest.approx(expected_low.pvalue, rel=1e-9)
    assert out.regimes.ratio == pytest.approx(expected_high.statistic / expected_low.statistic, rel=1e-12)


def test_one_threshold_compares_against_the_rest():
    x, y = sample(100)
    level = np.linspace(10, 40, 100)
    out = correlation(CorrelationInputs(x=x, y=y, regime=level, above=30))
    assert out.regimes.high.n + out.regimes.low.n == 100 and out.regimes.low.label == "regime <= 30"


def test_a_regime_too_small_reports_its_size_without_statistics():
    x, y = sample(50)
    level = np.full(50, 15.0)
    level[:2] = 35
    out = correlation(CorrelationInputs(x=x, y=y, regime=level, above=30, below=20))
    assert out.regimes.high.n == 2 and out.regimes.high.pearson is None and out.regimes.ratio is None


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"x": [1, 2, 3], "y": [1, 2, 3]}, "at least 4 complete pairs of values (got 3)"),
        ({"x": [1, 2, 3, 4, 5], "y": [1, 2, 3, 4]}, "x has 5 values but y has 4"),
        ({"x": [1, 1, 1, 1, 1], "y": [1, 2, 3, 4, 5]}, "x does not vary"),
        ({"x": [1, 2, float("inf"), 4, 5], "y": [1, 2, 3, 4, 5]}, "x[2] must be a finite number"),
        ({"x": [1, 2, "a", 4, 5], "y": [1, 2, 3, 4, 5]}, "x[2] must be a number"),
        ({"x": [1, 2, 3, 4, 5], "y": [1, 3, 2, 5, 4], "window": 6}, "the window (6) is longer than the 5 pairs"),
        ({"x": [1, 2, 3, 4, 5], "y": [1, 3, 2, 5, 4], "above": 3}, "above and below need a regime series"),
        ({"x": [1, 2, 3, 4, 5], "y": [1, 3, 2, 5, 4], "regime": [1, 2, 3, 4, 5]}, "needs a threshold"),
        ({"x": [1, 2, 3, 4, 5], "y": [1, 3, 2, 5, 4], "regime": [1, 2, 3, 4, 5], "above": 2, "below": 4}, "must not exceed"),
        ({"x": [1, 2, -3, 4, 5], "y": [1, 3, 2, 5, 4], "returns": "log"}, "x has a zero or negative value"),
        ({"x": [1, 2, 3, 4, 5], "y": [1, 3, 2, 5, 4], "confidence": 95}, "confidence must be less than 1"),
    ],
)
def test_bad_inputs_are_explained(raw, sentence):
    with pytest.raises(CalculatorError) as err:
        correlation(CorrelationInputs(**raw))
    assert sentence in str(err.value)
