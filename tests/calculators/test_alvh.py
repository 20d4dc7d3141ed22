"""ALVH layer schedule: the defaults the articles state, and the arithmetic."""

from __future__ import annotations

import pytest

from calculators import sources
from calculators.alvh import AlvhLayersInputs, alvh_layers
from calculators.errors import CalculatorError


def test_defaults_come_from_the_articles():
    inputs = AlvhLayersInputs(notional=1_000_000)
    assert (inputs.allocation, inputs.increment, inputs.expirations, inputs.hedge_ratio) == (0.05, 0.20, [30, 60, 90], 1.0)
    out = alvh_layers(inputs)
    assert out.budget == pytest.approx(50_000) and out.hedge_notional == pytest.approx(1_000_000)
    assert out.layer_count == 5
    assert [layer.expiration_days for layer in out.layers] == [30, 60, 90, 30, 60]
    assert [layer.notional for layer in out.layers] == pytest.approx([200_000] * 5)
    assert [layer.budget for layer in out.layers] == pytest.approx([10_000] * 5)
    assert all(layer.activation_vix is None for layer in out.layers) and out.notes
    assert out.checks.allocation_in_steward_range and out.checks.increment_in_article_range and out.checks.hedge_ratio_in_band
    cited = {ref.parameter: ref.article_id for ref in out.sources}
    assert cited["increment"] == sources.LAYER_INCREMENTS.article_id
    assert cited["allocation"] == sources.STEWARD_ALLOCATION.article_id
    assert cited["expirations"] == cited["hedge_ratio"] == sources.EXPIRATIONS.article_id
    assert cited["decorrelation_factor"] == sources.DECORRELATION.article_id


def test_a_30_percent_increment_leaves_a_smaller_last_layer():
    out = alvh_layers(
        AlvhLayersInputs(notional=500_000, increment="30%", allocation="2%", hedge_ratio=1.3, decorrelation_factor=2.8, activation_levels=[18, 22, 26, 30])
    )
    hedge_notional = 500_000 * 1.3 * 2.8
    assert out.hedge_notional == pytest.approx(hedge_notional) and out.budget == pytest.approx(10_000)
    assert [layer.fraction for layer in out.layers] == pytest.approx([0.3, 0.3, 0.3, 0.1])
    assert sum(layer.notional for layer in out.layers) == pytest.approx(hedge_notional)
    assert sum(layer.budget for layer in out.layers) == pytest.approx(10_000)
    assert [layer.activation_vix for layer in out.layers] == [18, 22, 26, 30]
    assert out.notes == []


def test_values_outside_the_articles_ranges_are_flagged_not_refused():
    out = alvh_layers(AlvhLayersInputs(notional=100_000, allocation=0.10, increment=0.5, hedge_ratio=1.5))
    assert not out.checks.allocation_in_steward_range
    assert not out.checks.increment_in_article_range
    assert not out.checks.hedge_ratio_in_band
    assert out.layer_count == 2


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"activation_levels": [20, 25]}, "5 layers need 5 activation levels (got 2)"),
        ({"notional": -1}, "notional must be greater than 0"),
        ({"increment": 0}, "increment must be at least 0.01"),
        ({"expirations": [30, -60]}, "every expiration must be a positive number of days"),
        ({"decorrelation_factor": 0.5}, "decorrelation_factor must be at least 1"),
    ],
)
def test_bad_schedules_are_explained(raw, sentence):
    with pytest.raises(CalculatorError) as err:
        AlvhLayersInputs(**({"notional": 1_000_000} | raw))
    assert sentence in str(err.value)
