"""`vixshield calc`: one subcommand per calculator, generated from ``calculators.registry``.

Each input field becomes an option (``long_put`` -> ``--long-put``); numbers may carry a
percent sign where the field is a volatility, rate or fraction (``--iv 15%``). Lists are
comma-separated (``--x 0.01,-0.02,,0.03``: an empty item is a missing value); a nested group
of values (``--leg-prices``) takes its values in field order or as ``name=value`` pairs.
``--json`` prints exactly {"calculator", "inputs", "outputs"}; the default is a rounded table.
Position calculators (iron-condor, vertical-spread) take the what-if inputs (``--at-days``,
``--at-spot``, ``--iv-shift``, ``--at-iv``, ``--grid-spots``, ``--grid-days``): the table then
starts with the what-if P/L in one sentence, and ``--table`` prints the P/L grid (index levels ×
dates) as a rich table instead.

Imports stay light: ``calculators`` (numpy, pydantic) loads only when a calc command runs,
pandas only with --csv/--sample, matplotlib only with --plot; never torch or faiss.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path

import click

from calculators.errors import CalculatorError

WHAT_IF_CALCULATORS = ("iron-condor", "vertical-spread")
DEFAULT_TABLE_GRID = {"grid_spots": 13, "grid_days": 6}  # --table without --grid-spots/--grid-days
SERIES_FROM_DATA = {"hedge-ratio": ("x", "y"), "correlation": ("x", "y", "regime")}
MISSING_WORDS = {"", "nan", "na", "n/a", "none", "null"}


def _registry():
    from calculators import registry  # importing the package registers every calculator

    return registry


class CalcGroup(click.Group):
    """Builds a subcommand per registered calculator, on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [calc.name for calc in _registry().all_calculators()]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        try:
            return build_command(_registry().get(name))
        except CalculatorError:
            return None


@click.group(cls=CalcGroup, invoke_without_command=True)
@click.pass_context
def calc(ctx: click.Context) -> None:
    """Option, iron condor, hedge sizing and correlation calculators (run one with --help)."""
    if ctx.invoked_subcommand is None:
        calculators = _registry().all_calculators()
        width = max(len(c.name) for c in calculators)
        for calculator in calculators:
            click.echo(f"{calculator.name.ljust(width)}  {calculator.description}")


# --- building a command from an input model ----------------------------------------------------------


def _field_kind(annotation) -> tuple[str, object]:
    """('choice', values) | ('list', None) | ('model', model) | ('bool', None) | ('scalar', None)."""
    from pydantic import BaseModel

    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return _field_kind(args[0])
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", typing.get_args(annotation)
    if typing.get_origin(annotation) is list:
        return "list", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if annotation is bool:
        return "bool", None
    return "scalar", None


def build_command(calculator) -> click.Command:
    """A click command whose options are the calculator's input fields, plus --json and extras."""
    params: list[click.Parameter] = []
    kinds: dict[str, tuple[str, object]] = {}
    from_data = SERIES_FROM_DATA.get(calculator.name, ())
    for name, field in calculator.inputs.model_fields.items():
        kind, detail = kinds.setdefault(name, _field_kind(field.annotation))
        help_text = field.description or ""
        if not field.is_required() and field.default is not None:
            help_text += f" (default: {field.default})"
        if kind == "list":
            help_text += "; comma-separated" + ("; with --csv/--sample: a column name" if name in from_data else "")
        elif kind == "model":
            help_text += f"; values in the order {', '.join(detail.model_fields)} (or name=value pairs)"
        option = "--" + name.replace("_", "-")
        metavar = {"list": "LIST", "model": "VALUES"}.get(kind, "NUMBER")
        if kind == "choice":
            params.append(click.Option([option, name], type=click.Choice(detail), default=None, help=help_text))
        elif kind == "bool":
            params.append(click.Option([f"{option}/--no-{option[2:]}", name], default=None, help=help_text))
        else:
            params.append(click.Option([option, name], default=None, metavar=metavar, help=help_text))
    params.append(click.Option(["--json", "as_json"], is_flag=True, help="Print {calculator, inputs, outputs} as JSON"))
    if from_data:
        params.append(click.Option(["--csv", "csv_path"], type=click.Path(path_type=Path), help="Read the series from a CSV with a date column"))
        params.append(click.Option(["--date-column"], default=None, help="The CSV's date column (default: 'date' or the first)"))
    if calculator.name == "correlation":
        params.append(click.Option(["--sample"], type=click.Choice(["spx-vix"]), help="Use a bundled data set (columns spx, vix)"))
    if calculator.name == "iron-condor":
        params.append(click.Option(["--plot"], type=click.Path(path_type=Path), help="Write a payoff diagram (PNG) to this file"))
        params.append(click.Option(["--eval-days", "eval_days"], default=None, hidden=True, help="old name of --at-days"))
    if calculator.name in WHAT_IF_CALCULATORS:
        params.append(click.Option(["--table"], is_flag=True, help="Print the P/L grid (index levels x dates, dollars) as a table"))

    def callback(as_json: bool, csv_path: Path | None = None, date_column: str | None = None, sample: str | None = None, plot: Path | None = None,
                 table: bool = False, eval_days: str | None = None, **values):
        raw = {}
        for name, value in values.items():
            if value is not None:
                kind, detail = kinds[name]
                raw[name] = _convert(name, value, kind, detail, as_columns=bool(csv_path or sample) and name in from_data)
        if eval_days is not None:
            raw["eval_days"] = eval_days
        if csv_path or sample:
            raw = _with_data(calculator.name, raw, csv_path, date_column, sample)
        if table and "grid_spots" not in raw and "grid_days" not in raw:
            raw |= DEFAULT_TABLE_GRID
        result = calculator.run(raw)
        if as_json:
            click.echo(json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False))
        elif table:
            click.echo(what_if_sentence(result) or "", nl=bool(what_if_sentence(result)))
            click.echo(render_grid(result))
        else:
            sentence = what_if_sentence(result)
            click.echo((sentence + "\n\n" if sentence else "") + render_table(result))
        if plot is not None:
            plot_condor(result, plot)
            click.echo(f"wrote {plot}", err=as_json)

    return click.Command(calculator.name, params=params, callback=callback, help=calculator.description, short_help=calculator.description)


def _convert(name: str, text: str, kind: str, detail, as_columns: bool):
    """An option's text -> the raw value the input model validates (pydantic does the typing)."""
    if kind == "list":
        if as_columns:
            return text
        return [None if item.strip().lower() in MISSING_WORDS else item.strip() for item in text.split(",")]
    if kind == "model":
        text = text.strip()
        if text.startswith("{"):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise CalculatorError(f"--{name.replace('_', '-')} is not valid JSON: {text}") from None
        items = [item.strip() for item in text.split(",") if item.strip()]
        if all("=" in item for item in items):
            return dict(item.split("=", 1) for item in items)
        fields = list(detail.model_fields)
        if len(items) > len(fields) or any("=" in item for item in items):
            raise CalculatorError(f"--{name.replace('_', '-')} takes values in the order {', '.join(fields)}")
        return dict(zip(fields, items))
    return text


def _with_data(calculator_name: str, raw: dict, csv_path: Path | None, date_column: str | None, sample: str | None) -> dict:
    """Replace column names in x / y / regime by the columns' values (from the CSV or the sample)."""
    from calculators import data

    if csv_path and sample:
        raise CalculatorError("give either --csv or --sample, not both")
    if sample:
        raw.setdefault("x", "spx")
        raw.setdefault("y", "vix")
    names = [raw[field] for field in SERIES_FROM_DATA[calculator_name] if field in raw]
    if len(names) < 2 or "x" not in raw or "y" not in raw:
        raise CalculatorError("with --csv, name the columns to use: --x COLUMN --y COLUMN")
    frame = data.load_sample(sample) if sample else data.read_csv(csv_path, names, date_column)
    for field in SERIES_FROM_DATA[calculator_name]:
        if field in raw:
            raw[field] = data.column_values(frame, raw[field])
    return raw


# --- output ------------------------------------------------------------------------------------------

TABLE_SKIP = {"quote"}  # long article quotes: in --json only


def _number(key: str, value, calculator: str | None = None) -> str:
    """One output in its unit, formatted as chat answers format it (assistant/formatting.py)."""
    from assistant.formatting import format_output

    if isinstance(value, float) and value != 0 and abs(value) < 1e-4 and not isinstance(value, bool):
        return f"{value:.3g}"
    return format_output(calculator, key, value)


def _rows(prefix: str, value, rows: list[tuple[str, str]], calculator: str | None = None) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _rows(f"{prefix}.{key}" if prefix else key, item, rows, calculator)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for index, item in enumerate(value, 1):
            text = ", ".join(f"{k} {_number(f'{prefix}.{k}', v, calculator)}" for k, v in item.items() if v is not None and k not in TABLE_SKIP)
            rows.append((f"{prefix}[{index}]", text))
    elif isinstance(value, list):
        if len(value) > 6:
            rows.append((prefix, f"({len(value)} values; see --json)"))
        elif value:
            rows.append((prefix, ", ".join(_number(prefix, v, calculator) for v in value)))
    elif value is not None:
        rows.append((prefix, _number(prefix, value, calculator)))


def render_table(result: dict) -> str:
    """The outputs as a two-column table, numbers rounded for reading (JSON keeps full precision)."""
    rows: list[tuple[str, str]] = []
    _rows("", result["outputs"], rows, result["calculator"])
    width = max((len(key) for key, _ in rows), default=0)
    return "\n".join([result["calculator"], "-" * len(result["calculator"])] + [f"{key.ljust(width)}  {text}" for key, text in rows])


def _dollars(value: float, cents: bool = True) -> str:
    return f"{'-' if value < 0 else ''}${abs(value):,.{2 if cents else 0}f}"


def _when(at_days: float, days_remaining: float) -> str:
    if days_remaining <= 0:
        return "at expiry"
    return "today" if at_days == 0 else f"in {at_days:g} day{'s' if at_days != 1 else ''}"


def what_if_sentence(result: dict) -> str | None:
    """'P/L in 10 days at 5,800 (IV +5 points: 23 %): -$2,488.26 for the position (...)', or None."""
    w = result["outputs"].get("what_if")
    if not w:
        return None
    vols = sorted(set(round(v * 100, 2) for v in w["ivs"].values()))
    iv = f"{vols[0]:g} %" if len(vols) == 1 else f"{vols[0]:g}-{vols[-1]:g} %"
    shift = f"IV {w['iv_shift']:+g} points: {iv}" if w["iv_shift"] else f"IV {iv}"
    per = f"{_dollars(w['pnl_per_contract'])} per contract, " if w["contracts"] > 1 else ""
    return (f"P/L {_when(w['at_days'], w['days_remaining'])} ({w['days_remaining']:g} days left) at {w['spot']:,g} ({shift}, "
            f"rate {w['rate'] * 100:g} %, dividend {w['dividend'] * 100:g} %): {_dollars(w['pnl'])} for the position "
            f"({per}{w['pnl_points']:+.2f} points per contract)")


def render_grid(result: dict) -> str:
    """The P/L grid as a rich table: index levels down, days from now across, dollars in the cells."""
    from rich.console import Console
    from rich.table import Table

    grid = result["outputs"].get("grid")
    if not grid:
        notes = result["outputs"].get("notes") or []
        raise CalculatorError(notes[-1] if notes else "this calculator has no P/L grid")
    inputs = result["inputs"]
    table = Table()
    table.add_column("index", justify="right", style="bold")
    for day in grid["days"]:
        label = "today" if day == 0 else ("expiry" if day >= inputs["days"] else f"day {day:g}")
        table.add_column(label, justify="right")
    for level, row in zip(grid["spots"], grid["pnl"]):
        table.add_row(f"{level:,.0f}" if float(level).is_integer() else f"{level:,.1f}",
                      *(f"[{'green' if v > 0 else 'red' if v < 0 else 'default'}]{_dollars(v, cents=False)}" for v in row))
    console = Console(width=max(100, 14 * (len(grid["days"]) + 1)), force_terminal=False)
    with console.capture() as capture:
        console.print(table)
    title = f"P/L in dollars, {inputs['contracts']} contract(s): index level down, days from now across"
    return "\n".join([title] + [line.rstrip() for line in capture.get().rstrip("\n").splitlines()])


def plot_condor(result: dict, path: Path) -> None:
    """Payoff diagram: P/L at expiry and at the evaluation date against the index, break-evens and spot marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    inputs, outputs = result["inputs"], result["outputs"]
    curve = outputs["curve"]
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.plot(curve["prices"], curve["pnl_expiry"], color="tab:blue", label="P/L at expiry")
    if curve["pnl_eval"] is not None:
        when = "today" if not inputs["at_days"] else f"in {inputs['at_days']:g} days"
        if inputs["iv_shift"]:
            when += f", IV {inputs['iv_shift']:+g} points"
        elif inputs["at_iv"] is not None:
            when += f", IV {inputs['at_iv'] * 100:g} %"
        ax.plot(curve["prices"], curve["pnl_eval"], color="tab:orange", linestyle="--", label=f"P/L {when}")
    what_if = outputs.get("what_if")
    if what_if:
        ax.plot([what_if["spot"]], [what_if["pnl"]], "o", color="tab:purple", label=f"what-if at {what_if['spot']:g}: {_dollars(what_if['pnl'])}")
    ax.axhline(0, color="grey", linewidth=0.8)
    for level in (outputs["lower_breakeven"], outputs["upper_breakeven"]):
        ax.axvline(level, color="tab:green", linestyle=":", linewidth=1)
        ax.annotate(f"{level:g}", (level, 0), textcoords="offset points", xytext=(3, 6), color="tab:green", fontsize=8)
    if inputs["spot"] is not None:
        ax.axvline(inputs["spot"], color="tab:red", linewidth=1, label=f"spot {inputs['spot']:g}")
    strikes = "/".join(f"{inputs[leg]:g}" for leg in ("long_put", "short_put", "short_call", "long_call"))
    ax.set_title(f"Iron condor {strikes}, credit {outputs['credit']:g}, {inputs['contracts']} contract(s)")
    ax.set_xlabel("index level")
    ax.set_ylabel("P/L (dollars)")
    ax.legend(loc="lower center")
    ax.grid(alpha=0.3)
    try:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    except OSError as err:
        raise CalculatorError(f"cannot write the plot to {path}: {err.strerror or err}") from None
    finally:
        plt.close(fig)
