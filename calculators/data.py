"""Loading series for the correlation and hedge-ratio calculators: the one module of the
package that reads files. Returns are not computed here: pass ``returns`` to the calculator.

- ``read_csv``: a CSV with a date column and named numeric columns, sorted and aligned on its
  dates; cells that are not numbers become missing values (the calculator drops and counts them).
- ``load_sample("spx-vix")``: S&P 500 and VIX daily closes that ship with the ``arch`` package
  (offline), joined on the trading dates both have.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from calculators.errors import CalculatorError

SAMPLES = {
    "spx-vix": "S&P 500 daily close (arch.data.sp500, 1999-2018) and VIX close (arch.data.vix, 2014-2019), "
    "on the dates both have; columns spx and vix",
}
DATE_NAMES = ("date", "datetime", "time", "timestamp", "day")


def read_csv(path: str | Path, columns: list[str], date_column: str | None = None) -> pd.DataFrame:
    """The named columns of a CSV as floats, indexed by its date column and sorted by date.

    The date column is ``date_column``, else the first column called date/datetime/time/
    timestamp/day (any case), else the first column. Raises CalculatorError for a missing file
    or column, unreadable dates, or a date that appears twice.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise CalculatorError(f"no such file: {path}") from None
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise CalculatorError(f"cannot read {path} as CSV: {err}") from None
    if date_column is None:
        date_column = next((c for c in frame.columns if str(c).strip().lower() in DATE_NAMES), frame.columns[0])
    for name in [date_column, *columns]:
        if name not in frame.columns:
            raise CalculatorError(f"column {name!r} is not in {path.name}; it has: {', '.join(map(str, frame.columns))}")
    try:
        dates = pd.to_datetime(frame[date_column], format="mixed")
    except (ValueError, TypeError):
        raise CalculatorError(f"the column {date_column!r} of {path.name} does not hold dates") from None
    data = frame[list(dict.fromkeys(columns))].apply(pd.to_numeric, errors="coerce")
    data.index = pd.DatetimeIndex(dates, name="date")
    repeated = data.index[data.index.duplicated()]
    if len(repeated):
        raise CalculatorError(f"{path.name} has {len(repeated)} repeated dates (first: {repeated[0].date()}); give one row per date")
    return data.sort_index()


def load_sample(name: str) -> pd.DataFrame:
    """A sample data set by name (see SAMPLES), indexed by date."""
    if name != "spx-vix":
        raise CalculatorError(f"unknown sample {name!r}; available: {', '.join(SAMPLES)}")
    from arch.data import sp500, vix

    spx = sp500.load()["Close"].rename("spx")
    vix_close = vix.load()["vix"].rename("vix")
    frame = pd.concat([spx, vix_close], axis=1, join="inner").astype(float)
    frame.index = pd.DatetimeIndex(frame.index, name="date")
    return frame.sort_index()


def column_values(frame: pd.DataFrame, column: str) -> list[float | None]:
    """One column as a list for a calculator, None for a missing value."""
    if column not in frame.columns:
        raise CalculatorError(f"column {column!r} is not in the data; it has: {', '.join(map(str, frame.columns))}")
    return [None if pd.isna(v) else float(v) for v in frame[column]]
