"""Calculator answers: the generic composer, the contract footnote, and helpers the routes share.

Every figure is formatted by assistant/formatting.py in the unit its route gives it.
"""

from __future__ import annotations

from assistant import routes
from assistant.formatting import format_output, format_value, markdown_table
from assistant.reply import Calculation

CONTRACTS_NOTE = "Figures are per the stated contracts"


def line(calc: Calculation, name: str, value=None, label: str | None = None) -> str | None:
    """'- Label: value' for one output in its unit, None when the calculator did not give it."""
    value = calc.outputs.get(name) if value is None else value
    if value is None:
        return None
    route = routes.find(calc.calculator)
    spec = route.output(name) if route is not None else None
    title = label or (spec.title if spec is not None else name.replace("_", " ").capitalize())
    return f"- {title}: {format_output(calc.calculator, name, value)}"


def rows_table(calc: Calculation, name: str) -> str | None:
    """A list output of records (e.g. ALVH layers) as a Markdown table, columns in their units."""
    rows = calc.outputs.get(name)
    if not rows or not isinstance(rows, list) or not isinstance(rows[0], dict):
        return None
    columns = [c for c in rows[0] if any(r.get(c) is not None for r in rows)]
    route = routes.find(calc.calculator)
    titles = []
    for c in columns:
        spec = route.output(f"{name}.{c}") if route is not None else None
        titles.append(spec.title if spec is not None else c.replace("_", " ").capitalize())
    body = [[format_output(calc.calculator, f"{name}.{c}", r.get(c)) for c in columns] for r in rows]
    return markdown_table(titles, body)


def ordered(route, focus: tuple[str, ...]) -> list[str]:
    """The route's outputs, the asked ones first."""
    names = list(route.output_names)
    return [n for n in focus if n in names] + [n for n in names if n not in focus]


def compose_generic(calc: Calculation, focus: tuple[str, ...]) -> str:
    """The outputs in their units, the asked ones first; list outputs as tables."""
    route = routes.find(calc.calculator)
    title = route.topic if route is not None else calc.calculator
    lines = [f"**{title[:1].upper() + title[1:]}**:"]
    names = ordered(route, focus) if route is not None else list(calc.outputs)
    tables = []
    for name in names:
        value = calc.outputs.get(name)
        unit = route.output(name).unit if route is not None and route.output(name) else None
        if unit == "table":
            table = rows_table(calc, name)
            if table:
                tables.append(table)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and unit != "structure":
            lines.append(line(calc, name))
    return "\n".join(lines + [""] * bool(tables) + tables).strip()


def compose_calculation(calc: Calculation, focus: tuple[str, ...]) -> str:
    """The answer body for a calculation: its route's composer, else the generic one."""
    route = routes.find(calc.calculator)
    composer = route.compose if route is not None and route.compose is not None else compose_generic
    return composer(calc, tuple(focus))


def has_contracts(calculator: str) -> bool:
    route = routes.find(calculator)
    return route is not None and route.contracts


__all__ = ["CONTRACTS_NOTE", "compose_calculation", "compose_generic", "format_value", "has_contracts", "line", "rows_table"]
