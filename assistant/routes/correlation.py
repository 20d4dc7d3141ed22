"""Route of the correlation calculator (calculators/correlation.py): data questions.

"What's the correlation between SPX and VIX daily returns?", "beta of VIX to SPX", "rolling
60-day correlation", "is it weaker when the VIX is above 20?" run the calculator on the bundled
SPX/VIX sample (calculators/data.py), or on a CSV named in the message with the columns it
names. The request's inputs describe the data (sample or path, columns, return type, window,
VIX-level thresholds); ``run`` loads the series and reports that description, with the first and
last dates, as the calculation's inputs, never the series themselves.
"""

from __future__ import annotations

import functools
from pathlib import Path

from assistant import routes
from assistant.formatting import fmt_number, fmt_pct, markdown_table
from assistant.reply import Calculation
from assistant.routes import Output, Route
from assistant.understand.text import tidy

SAMPLE = "spx-vix sample"
HIGH_VOL_VIX = 20  # "high-volatility regime" with no level named: VIX above 20 (its long-run average)
MAX_CSV_BYTES = 20 * 1024 * 1024
RETURNS_WORDS = {"log": "log returns", "simple": "simple returns", "none": "levels"}
MAIN = ("pearson", "spearman", "kendall", "beta", "r_squared", "rolling", "regimes")


def assemble(found: dict, inputs: dict) -> None:
    data = found.get("dataset")
    if not data:
        return
    inputs["data"] = data.get("path") or SAMPLE
    inputs["x"], inputs["y"] = data["x"], data["y"]
    inputs["returns"] = data.get("returns", "log")
    if data.get("window"):
        inputs["window"] = data["window"]
    above, below = data.get("above"), data.get("below")
    if above is None and below is None and data.get("regime_words"):
        above = HIGH_VOL_VIX
    if above is not None or below is not None:
        # the regime condition is the VIX level (for a CSV: its vix column if named, else y)
        inputs["regime"] = "vix" if "vix" in (inputs["x"], inputs["y"]) or inputs["data"] == SAMPLE else inputs["y"]
        if above is not None:
            inputs["above"] = tidy(above)
        if below is not None:
            inputs["below"] = tidy(below)


def gaps(inputs: dict, focus) -> list[str]:
    needed = ["data", "x", "y"] + (["window"] if "rolling" in (focus or ()) else [])
    return [name for name in needed if name not in inputs]


@functools.lru_cache(maxsize=1)
def _sample():
    from calculators import data

    return data.load_sample("spx-vix")


def _frame(inputs: dict):
    from calculators import data
    from calculators.errors import CalculatorError

    source = inputs["data"]
    if source == SAMPLE:
        return _sample()
    from assistant.settings import get_settings

    # Anyone on the website can send a chat message: a named CSV is read only from the data folder.
    folder = Path(get_settings().csv_dir).resolve()
    given = Path(source).expanduser()
    path = (given if given.is_absolute() else folder / given).resolve()
    if folder not in path.parents:
        raise CalculatorError(f"CSV files are read from the data folder only ({folder}); put {given.name} there and name it")
    if path.is_file() and path.stat().st_size > MAX_CSV_BYTES:
        raise CalculatorError(f"{path.name} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB")
    columns = [inputs["x"], inputs["y"]] + ([inputs["regime"]] if inputs.get("regime") else [])
    return data.read_csv(path, list(dict.fromkeys(columns)))


def run(inputs: dict) -> dict:
    """Load the data, run the registry's correlation calculator, and report the data's description."""
    from calculators import data, registry

    frame = _frame(inputs)
    raw = {"x": data.column_values(frame, inputs["x"]), "y": data.column_values(frame, inputs["y"]), "returns": inputs.get("returns", "log")}
    for name in ("window", "above", "below"):
        if inputs.get(name) is not None:
            raw[name] = inputs[name]
    if inputs.get("regime"):
        raw["regime"] = data.column_values(frame, inputs["regime"])
    result = registry.get("correlation").run(raw)
    used = frame[[inputs["x"], inputs["y"]]].dropna()
    described = dict(inputs)
    if len(used):
        described["start"], described["end"] = str(used.index[0].date()), str(used.index[-1].date())
    return {"calculator": "correlation", "inputs": described, "outputs": result["outputs"]}


def _regime_name(label: str, subject: str = "VIX") -> str:
    """'regime > 20' -> 'VIX above 20' (subject "the VIX is": 'the VIX is above 20')."""
    for sign, words in ((">=", "at or above"), ("<=", "at or below"), (">", "above"), ("<", "below")):
        if label.startswith(f"regime {sign} "):
            return f"{subject} {words} {label[len(f'regime {sign} '):]}"
    return label


def compose(calc: Calculation, focus: tuple[str, ...]) -> str:
    inp, out = calc.inputs, calc.outputs
    returns = inp.get("returns", "log")
    if inp.get("data") == SAMPLE:
        where = "the bundled **spx-vix sample** (daily closes of the S&P index and the VIX)"
        kind = f"daily {RETURNS_WORDS[returns]}"
    else:
        where = f"**{Path(inp['data']).name}** (columns {inp['x']} and {inp['y']})"
        kind = RETURNS_WORDS[returns] if returns == "none" else f"{RETURNS_WORDS[returns]} of consecutive rows"
    dates = f", {inp['start']} to {inp['end']}" if inp.get("start") else ""
    lines = [f"On {where}{dates}: n = **{out['n']:,}** pairs of {kind} of {inp['x'].upper()} and {inp['y'].upper()}."]
    asked = [f for f in focus if f in MAIN] or ["pearson"]
    if "regimes" in asked and "pearson" not in asked:
        asked.insert(0, "pearson")
    extra = [f for f in focus if f not in MAIN]
    for name in asked + extra:
        text = _figure(name, calc)
        if text:
            lines.append(text)
    return "\n".join(lines)


def _figure(name: str, calc: Calculation) -> str | None:
    inp, out = calc.inputs, calc.outputs
    y, x = inp["y"].upper(), inp["x"].upper()
    if name == "pearson":
        return f"- Pearson correlation: **{fmt_number(out['pearson'], 4)}**"
    if name == "spearman":
        return f"- Spearman rank correlation: **{fmt_number(out['spearman'], 4)}**"
    if name == "kendall":
        return f"- Kendall's tau: **{fmt_number(out['kendall'], 4)}**"
    if name == "beta":
        return f"- Beta of {y} on {x} (OLS slope): **{fmt_number(out['beta'], 4)}**"
    if name == "r_squared":
        return f"- R² ({x} explains this share of {y}'s variance): **{fmt_pct(out['r_squared'])}**"
    if name == "alpha":
        return f"- Alpha (OLS intercept): {fmt_number(out['alpha'], 6)}"
    if name == "residual_vol":
        return f"- Residual volatility per period: {fmt_number(out['residual_vol'], 6)}"
    if name == "pearson_p":
        return f"- p-value of the Pearson correlation: {out['pearson_p']:.3g}"
    if name == "pearson_ci":
        low, high = out["pearson_ci"]
        return f"- {fmt_pct(out['confidence'], 0)} interval of the Pearson correlation: {fmt_number(low, 4)} to {fmt_number(high, 4)}"
    if name == "n":
        return None  # always in the first line
    if name == "rolling" and out.get("rolling"):
        r = out["rolling"]
        if r.get("last") is None:
            return f"- Rolling {r['window']}-pair correlation: not defined for the last window"
        return (
            f"- Rolling {r['window']}-day correlation: latest **{fmt_number(r['last'], 4)}**; over {r['count']:,} windows "
            f"min {fmt_number(r['min'], 4)}, max {fmt_number(r['max'], 4)}, mean {fmt_number(r['mean'], 4)}"
        )
    if name == "regimes" and out.get("regimes"):
        reg = out["regimes"]
        high, low = reg["high"], reg["low"]
        rows = [
            [_regime_name(s["label"]), f"{s['n']:,}", "n/a" if s["pearson"] is None else fmt_number(s["pearson"], 4)]
            for s in (high, low)
        ]
        text = "\n" + markdown_table(["Regime (VIX level)", "n", "Pearson r"], rows)
        if high["pearson"] is not None and low["pearson"] is not None:
            weaker = high if abs(high["pearson"]) < abs(low["pearson"]) else low
            text += f"\n\nThe correlation is weaker (smaller in absolute value) when {_regime_name(weaker['label'], 'the VIX is')}."
        return text
    return None


ROUTE = routes.register(
    Route(
        name="correlation",
        topic="correlation",
        fields=("data", "x", "y", "returns", "window", "regime", "above", "below"),
        required=("data", "x", "y"),
        key_inputs=("window", "above", "below"),
        outputs=(
            Output("n", "count", "Pairs used"),
            Output("dropped", "count", "Rows dropped"),
            Output("pearson", "ratio", "Pearson correlation"),
            Output("pearson_p", "ratio", "p-value"),
            Output("pearson_ci", "structure", "Pearson interval"),
            Output("confidence", "%", "Confidence"),
            Output("spearman", "ratio", "Spearman correlation"),
            Output("spearman_p", "ratio", "Spearman p-value"),
            Output("kendall", "ratio", "Kendall's tau"),
            Output("kendall_p", "ratio", "Kendall p-value"),
            Output("beta", "ratio", "Beta (OLS slope)"),
            Output("alpha", "ratio", "Alpha (OLS intercept)"),
            Output("r_squared", "%", "R²"),
            Output("residual_vol", "ratio", "Residual volatility per period"),
            Output("rolling", "structure", "Rolling correlation"),
            Output("regimes", "structure", "Regimes"),
            Output("rolling.last", "ratio", "Latest"),
            Output("rolling.min", "ratio", "Min"),
            Output("rolling.max", "ratio", "Max"),
            Output("rolling.mean", "ratio", "Mean"),
            Output("rolling.window", "count", "Window"),
            Output("rolling.count", "count", "Windows"),
        ),
        rank=0,
        claims=((0, lambda found, named: "dataset" in found),),
        focus=(
            (r"\bspearman\b|rank correlation", ("spearman",)),
            (r"\bkendall\b|\btau\b", ("kendall",)),
            (r"\bbeta\b|\bregress\w*|\bslope\b", ("beta",)),
            (r"\br[- ]?squared\b|\br2\b|r\u00b2|\bexplain\w*|variance", ("r_squared",)),
            (r"\brolling\b|\bwindow\b", ("rolling",)),
            (r"\bregimes?\b|\babove\b|\bbelow\b|\bover \d|\bunder \d|high[- ]vol|\bstress|\bweaker\b|\bstronger\b|[<>]", ("regimes",)),
            (r"\bp[- ]?values?\b|significan\w*", ("pearson_p",)),
            (r"confidence interval|\binterval\b", ("pearson_ci",)),
            (r"\balpha\b|\bintercept\b", ("alpha",)),
            (r"\bresidual\b|basis risk", ("residual_vol",)),
            (r"how many (?:days|observations|pairs|returns|points|rows)|sample size|\bn\b", ("n",)),
            (r"\bpearson\b|correlat\w*|\bcorrs?\b|relationship|move together|co-?move\w*|opposite|inverse\w*|negatively related", ("pearson",)),
        ),
        plain_names={
            "data": "the data (the bundled SPX/VIX sample, or a CSV path)",
            "x": "the first column",
            "y": "the second column",
            "window": "the rolling window in days",
        },
        assemble=assemble,
        gaps=gaps,
        moves_spot=False,
        compose=compose,
        run=run,
    )
)
