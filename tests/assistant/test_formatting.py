"""The one formatting module: each output in the unit its calculator's route gives it, the same in
chat answers and in `vixshield calc`."""

import pytest

from assistant import routes
from assistant.formatting import fmt_money, format_output, format_value, markdown_table, unit_of


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (-1881.9234, "$", "-$1,881.92"),
        (4650.0, "$", "$4,650"),
        (-0.001, "$", "$0"),
        (3.5, "points", "3.50 points"),
        (5694.9, "level", "5,694.9"),
        (0.5, "%", "50.0%"),
        (0.41812, "%", "41.8%"),
        (38.79, "$ per day", "$38.79 per day"),
        (-1.72868, "points per day", "-1.7287 points per day"),
        (-116.36, "$ per vol point", "-$116.36 per vol point"),
        (6.4827, "points per vol point", "6.4827 points per vol point"),
        (-0.817256, "ratio", "-0.8173"),
        (2.8, "factor", "2.8x"),
        (1256, "count", "1,256"),
        (None, "$", "n/a"),
        (float("nan"), "ratio", "n/a"),
    ],
)
def test_each_unit_reads_as_a_trader_writes_it(value, unit, text):
    assert format_value(value, unit) == text


def test_every_route_output_has_a_known_unit_and_every_unit_formats():
    for route in routes.all_routes():
        for output in route.outputs:
            assert output.unit in routes.UNITS
            format_value(1.5, output.unit)  # no unit falls through to an error


def test_units_come_from_the_route_nested_ones_too():
    assert unit_of("iron-condor", "greeks.theta") == "$ per day"
    assert unit_of("iron-condor", "greeks.vega") == "$ per vol point"
    assert unit_of("option", "theta") == "points per day"
    assert unit_of("vix-hedge", "coverage") == "%"
    assert unit_of("alvh-layers", "layers[2].notional") == "$"
    assert unit_of("correlation", "regimes.high.pearson_p") == "ratio"  # not a share, though it ends in _p
    assert unit_of(None, "max_loss", 12.0) == "$"  # no route: the name decides


def test_chat_and_the_cli_format_a_figure_the_same_way():
    from assistant.cli_calc import _number

    assert format_output("vix-hedge", "coverage", 0.5) == _number("coverage", 0.5, "vix-hedge") == "50.0%"
    assert format_output("iron-condor", "max_loss", 4490.0) == _number("max_loss", 4490.0, "iron-condor") == "$4,490"


def test_markdown_table():
    assert markdown_table(["Layer", "Notional"], [["1", fmt_money(125000)]]) == "| Layer | Notional |\n|---|---:|\n| 1 | $125,000 |"
