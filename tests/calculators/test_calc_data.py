"""Loading CSVs and the bundled spx-vix sample (calculators.data)."""

from __future__ import annotations

import pytest
from arch.data import sp500, vix

from calculators.data import column_values, load_sample, read_csv
from calculators.errors import CalculatorError


def test_a_csv_is_sorted_by_date_and_bad_cells_become_missing(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("Date,spx,vix\n2024-01-03,4700,13.1\n2024-01-02,4740,12.5\n2024-01-04,n/a,14\n")
    frame = read_csv(path, ["spx", "vix"])
    assert [str(d.date()) for d in frame.index] == ["2024-01-02", "2024-01-03", "2024-01-04"]
    assert column_values(frame, "spx") == [4740.0, 4700.0, None]


@pytest.mark.parametrize(
    ("text", "columns", "sentence"),
    [
        ("date,a\n2024-01-02,1\n", ["b"], "column 'b' is not in prices.csv; it has: date, a"),
        ("date,a\n2024-01-02,1\n2024-01-02,2\n", ["a"], "1 repeated dates (first: 2024-01-02)"),
        ("date,a\nsoon,1\nlater,2\n", ["a"], "does not hold dates"),
    ],
)
def test_bad_csvs_are_explained(tmp_path, text, columns, sentence):
    path = tmp_path / "prices.csv"
    path.write_text(text)
    with pytest.raises(CalculatorError) as err:
        read_csv(path, columns)
    assert sentence in str(err.value)


def test_a_missing_file_is_explained(tmp_path):
    with pytest.raises(CalculatorError, match="no such file"):
        read_csv(tmp_path / "nope.csv", ["a"])


def test_the_spx_vix_sample_joins_the_arch_data_on_dates():
    frame = load_sample("spx-vix")
    assert list(frame.columns) == ["spx", "vix"]
    spx, vix_close = sp500.load()["Close"], vix.load()["vix"]
    common = spx.index.intersection(vix_close.index)
    assert len(frame) == len(common) and frame.index.is_monotonic_increasing
    day = common[100]
    assert frame.loc[day, "spx"] == spx[day] and frame.loc[day, "vix"] == vix_close[day]
    with pytest.raises(CalculatorError, match="unknown sample 'gold'"):
        load_sample("gold")
