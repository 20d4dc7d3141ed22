"""Numbers for reading: the one place that turns a calculator figure into text.

Chat answers (assistant/routes/) and ``vixshield calc`` (assistant/cli_calc.py) both format
through here, so a figure reads the same everywhere: each output's unit comes from its
calculator's route (``Output(name, unit)``); an output no route lists falls back to what its
name says (``fmt_output``).

    $                 -1880.5 -> "-$1,880.50"; 4650 -> "$4,650"
    points            3.5 -> "3.50 points"         level  5694.9 -> "5,694.9" (an index level)
    %                 0.41812 -> "41.8%" (probabilities, shares, volatilities are fractions)
    $ per day         -12.3 -> "-$12.30 per day"       points per day   -1.729 -> "-1.729 points per day"
    $ per vol point   -111.4 -> "-$111.37 per vol point"
    ratio             -0.81717 -> "-0.8172"           factor 2.8 -> "2.8x"
    count             1256 -> "1,256"                 days 30 -> "30 days"
"""

from __future__ import annotations

import math
import re


def fmt_number(value: float, decimals: int = 2) -> str:
    """5746.5 -> '5,746.5'; 3.5 -> '3.5'; 0.30000000004 -> '0.3'."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_points(value: float) -> str:
    """Index points with two decimals: 3.5 -> '3.50', 5746.5 -> '5,746.50'."""
    return f"{value:,.2f}"


def fmt_money(value: float) -> str:
    """Dollars: 4650 -> '$4,650'; -12.345 -> '-$12.35'."""
    sign = "-" if value < 0 and round(abs(value), 2) > 0 else ""
    value = abs(value)
    body = f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"
    return f"{sign}${body}"


def fmt_pct(value: float, decimals: int = 1) -> str:
    """A probability or share as a percentage: 0.41812 -> '41.8%'."""
    return f"{100 * value:.{decimals}f}%"


def format_value(value, unit: str) -> str:
    """``value`` in ``unit`` (one of assistant.routes.UNITS)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(float(value)):
        return "n/a"
    if unit == "$":
        return fmt_money(value)
    if unit == "points":
        return f"{fmt_points(value)} points"
    if unit == "level":
        return fmt_number(value)
    if unit == "%":
        return fmt_pct(value)
    if unit == "$ per day":
        return f"{fmt_money(value)} per day"
    if unit == "points per day":
        return f"{fmt_number(value, 4)} points per day"
    if unit == "$ per point":
        return f"{fmt_money(value)} per point"
    if unit == "$ per vol point":
        return f"{fmt_money(value)} per vol point"
    if unit == "points per vol point":
        return f"{fmt_number(value, 4)} points per vol point"
    if unit == "ratio":
        return fmt_number(value, 4)
    if unit == "factor":
        return f"{fmt_number(value)}x"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else fmt_number(value)
    if unit == "days":
        return f"{fmt_number(value, 1)} days"
    return fmt_number(value, 4)


_MONEY = re.compile(r"(^|_)(max_profit|max_loss|expected_value|notional|payoff|cost|loss|budget|amount|dollars?)($|_)")
_SHARE = re.compile(r"(^|_)(pop|p|probability|effectiveness|r_squared|fraction|share|allocation|pct|coverage|confidence)($|_)")


def unit_by_name(name: str, value) -> str:
    """The unit an output's name implies, for one no route lists."""
    leaf = name.rsplit(".", 1)[-1]
    if leaf.endswith("_points"):
        return "points"
    if isinstance(value, (int, float)) and _SHARE.search(leaf) and not leaf.endswith("_ratio") and abs(value) <= 1.0:
        return "%"
    if _MONEY.search(leaf):
        return "$"
    if isinstance(value, int) and not isinstance(value, bool):
        return "count"
    return "ratio"


def unit_of(calculator: str | None, name: str, value=None) -> str:
    """The unit of output ``name`` (a dotted path for nested ones: "greeks.theta") of ``calculator``."""
    from assistant import routes

    route = routes.find(calculator)
    spec = None
    if route is not None:
        # "regimes.high.pearson_p": the nested figure's own entry, else the route's entry for its name
        spec = route.output(name) or route.output(re.sub(r"\[\d+\]", "", name)) or route.output(name.rsplit(".", 1)[-1])
    if spec is not None and spec.unit not in ("structure", "table", "text"):
        return spec.unit
    return unit_by_name(name, value)


def format_output(calculator: str | None, name: str, value) -> str:
    """One calculator output as text, in its unit."""
    return format_value(value, unit_of(calculator, name, value))


def fmt_output(name: str, value) -> str:
    """An output formatted by what its name says it is (no calculator known)."""
    return format_value(value, unit_by_name(name, value)) if isinstance(value, (int, float)) or value is None else str(value)


def label(name: str) -> str:
    return name.replace("_", " ").replace("pop", "probability of profit").capitalize()


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table: numbers right-aligned."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)
