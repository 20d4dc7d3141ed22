"""What every calculator shares: frozen input/output models, unit-aware number types, and
the translation of pydantic's validation errors into one sentence a trader understands.

Units, the same everywhere: volatilities, rates, dividend yields and other fractions are
decimals (0.15); a string with a percent sign ("15%") means the same value. Time is
calendar days. Prices and strikes are index points.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from calculators.errors import CalculatorError


class FieldProblem(ValueError):
    """Raised by a field validator; the message continues a sentence that starts with the field's name."""


def fmt(x: float) -> str:
    """A number as a trader writes it in a sentence: 5700, 3.5, 0.15 (at most 6 decimals; 1e+20 for extremes)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return repr(x)
    if isinstance(x, int) and abs(x) >= 10**15:  # also ints too large for a float (309+ digits)
        digits = len(str(abs(x))) if abs(x) < 10**4000 else None
        return f"a number of {digits:,} digits" if digits and digits > 20 else f"{x:.6g}" if digits else "a number too large to show"
    if not math.isfinite(x) or abs(x) >= 1e15 or 0 < abs(x) < 1e-6:
        return f"{x:g}"
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- number types ------------------------------------------------------------------------
# The bounds keep every calculation finite; no real position comes near them.
MAX_PRICE = 1e7
MIN_PRICE = 1e-6
MAX_DAYS = 36_500.0
MAX_MONEY = 1e15
MIN_VOLATILITY = 1e-4
MIN_DAYS = 1e-4
MIN_CREDIT = 1e-4  # points; SPX options trade in steps of 0.05
MAX_COUNT = 1_000_000  # contracts, multipliers


def parse_percent(value: Any) -> Any:
    """'15%' -> 0.15; anything else is left for pydantic to check."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = value.strip()[:-1].strip()
        try:
            return float(Decimal(number) / 100)  # Decimal: "1.3%" is 0.013, not 0.013000000000000001
        except ArithmeticError:
            raise FieldProblem(f"must be a number or a percent like 15% (got {value!r})") from None
    return value


def _check_volatility(value: float) -> float:
    if value <= 0:
        raise FieldProblem(f"must be a positive volatility (got {fmt(value)}); write 0.15 or 15% for 15 %")
    if value < MIN_VOLATILITY:
        raise FieldProblem(f"must be at least {fmt(MIN_VOLATILITY)} (0.01 %) (got {value:g})")
    if value > 5:
        raise FieldProblem(
            f"must be a decimal volatility such as 0.18 (got {fmt(value)}, which would be {fmt(value * 100)} %); "
            f"for {fmt(value)} % write {fmt(value / 100)} or {fmt(value)}%"
        )
    return value


def _check_rate(value: float) -> float:
    if abs(value) >= 1:
        raise FieldProblem(
            f"must be a decimal rate such as 0.04 (got {fmt(value)}, which would be {fmt(value * 100)} %); "
            f"for {fmt(value)} % write {fmt(value / 100)} or {fmt(value)}%"
        )
    return value


Volatility = Annotated[float, BeforeValidator(parse_percent), AfterValidator(_check_volatility)]
"""Annualised volatility as a decimal (0.18), or '18%'; above 0 and at most 5 (500 %)."""

Rate = Annotated[float, BeforeValidator(parse_percent), AfterValidator(_check_rate)]
"""Continuously compounded annual rate or dividend yield as a decimal (0.04), or '4%'; |rate| < 1."""

Fraction = Annotated[float, BeforeValidator(parse_percent)]
"""A fraction as a decimal (0.25) or a percent ('25%'); bounds are set per field with Field()."""

def _check_price(value: float) -> float:
    if value < MIN_PRICE:
        raise FieldProblem(f"must be at least {MIN_PRICE:g} (got {value:g})")
    return value


def _check_days(value: float) -> float:
    if value < MIN_DAYS:
        raise FieldProblem(f"must be at least {fmt(MIN_DAYS)} of a day (got {value:g})")
    return value


Price = Annotated[float, Field(gt=0, le=MAX_PRICE), AfterValidator(_check_price)]
"""A price, strike or index level in points: above zero, at most ten million."""

Days = Annotated[float, Field(gt=0, le=MAX_DAYS), AfterValidator(_check_days)]
"""Calendar days to expiry, above zero, at most 100 years; T = days / 365."""

Money = Annotated[float, Field(gt=0, le=MAX_MONEY)]
"""An amount in dollars, above zero, at most a quadrillion."""

Number = Annotated[float, Field(ge=-MAX_MONEY, le=MAX_MONEY)]
"""A data value, finite and at most a quadrillion in size."""


def _missing_to_none(value: Any) -> Any:
    """Accept lists, numpy arrays and pandas Series; NaN and None mark a missing value (-> None)."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return value
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [None if v != v else v for v in value]  # v != v: only NaN (None == None)
    return value


Series = Annotated[list[Number | None], BeforeValidator(_missing_to_none)]
"""A sequence of numbers (list, numpy array, pandas Series); None or NaN marks a missing value."""


def _scalar_to_list(value: Any) -> Any:
    """A single number stands for a list of one; a string '1,2,3' is split on commas."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (int, float)):
        return [value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


NumberList = Annotated[list[Number], BeforeValidator(_scalar_to_list)]
"""One number or a list of numbers."""


# --- models ------------------------------------------------------------------------------


class Outputs(BaseModel):
    """Base of every output model: frozen, and a NaN or infinity can never leave a calculator."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Inputs(BaseModel):
    """Base of every input model: frozen, no unknown fields, no NaN or infinity.

    Building one from bad values raises ``CalculatorError`` with a plain sentence, so the pure
    functions can be used straight from Python with the same errors the CLI and API show.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise CalculatorError(explain(err)) from None

    @classmethod
    def parse(cls, raw: Any) -> Inputs:
        """Validate a raw dict (from JSON, the CLI or the assistant), raising CalculatorError."""
        if not isinstance(raw, dict):
            raise CalculatorError(f"the inputs must be a set of named values, not {type(raw).__name__}")
        try:
            return cls.model_validate(raw)
        except ValidationError as err:
            raise CalculatorError(explain(err)) from None


def check(condition: bool, sentence: str) -> None:
    """Raise CalculatorError(sentence) unless condition holds."""
    if not condition:
        raise CalculatorError(sentence)


# --- error sentences -----------------------------------------------------------------------


def _path(loc: tuple) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "the inputs"


def _shown(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def explain(err: ValidationError) -> str:
    """The first problem in a pydantic ValidationError, as one sentence naming the field."""
    first = err.errors(include_url=False)[0]
    kind, loc, ctx, value = first["type"], tuple(first["loc"]), first.get("ctx") or {}, first.get("input")
    field = _path(loc)
    cause = ctx.get("error")
    if isinstance(cause, CalculatorError):
        return str(cause) if not loc else f"{field}: {cause}"
    if isinstance(cause, FieldProblem):
        return f"{field} {cause}"
    sentences = {
        "missing": f"{field} is required",
        "extra_forbidden": f"unknown input '{field}'",
        "finite_number": f"{field} must be a finite number (got {_shown(value)})",
        "float_parsing": f"{field} must be a number (got {_shown(value)})",
        "float_type": f"{field} must be a number (got {_shown(value)})",
        "int_parsing": f"{field} must be a whole number (got {_shown(value)})",
        "int_type": f"{field} must be a whole number (got {_shown(value)})",
        "int_from_float": f"{field} must be a whole number (got {_shown(value)})",
        "greater_than": f"{field} must be greater than {_shown(ctx.get('gt'))} (got {_shown(value)})",
        "greater_than_equal": f"{field} must be at least {_shown(ctx.get('ge'))} (got {_shown(value)})",
        "less_than": f"{field} must be less than {_shown(ctx.get('lt'))} (got {_shown(value)})",
        "less_than_equal": f"{field} must be at most {_shown(ctx.get('le'))} (got {_shown(value)})",
        "literal_error": f"{field} must be {ctx.get('expected')} (got {_shown(value)})",
        "list_type": f"{field} must be a list of numbers (got {_shown(value)})",
        "too_short": f"{field} needs at least {ctx.get('min_length')} values",
        "bool_parsing": f"{field} must be true or false (got {_shown(value)})",
        "model_type": f"{field} must be a set of named values (got {_shown(value)})",
        "dict_type": f"{field} must be a set of named values (got {_shown(value)})",
    }
    return sentences.get(kind, f"{field}: {first['msg']}")
