"""The one list of calculators. The CLI, the assistant's router and the HTTP API all read it.

Each calculator module ends with ``register(Calculator(...))``; ``import calculators``
imports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from calculators.errors import CalculatorError


@dataclass(frozen=True)
class Calculator:
    name: str  # e.g. "iron-condor"
    description: str  # one line
    inputs: type[BaseModel]  # frozen pydantic model; JSON Schema via inputs.model_json_schema()
    fn: Callable[[BaseModel], BaseModel]  # pure function: inputs model -> outputs model
    example: dict  # valid raw inputs

    def run(self, raw: dict) -> dict:
        """Validate raw inputs, call fn, and return {"calculator", "inputs", "outputs"}.

        Invalid inputs raise CalculatorError with one sentence naming the field. Floats keep
        full precision; the result is JSON-safe (no NaN or infinity).
        """
        inputs = self.inputs.parse(raw)  # every input model derives from calculators.base.Inputs
        outputs = self.fn(inputs)  # output models reject NaN and infinity (calculators.base.Outputs)
        return {
            "calculator": self.name,
            "inputs": inputs.model_dump(mode="json"),
            "outputs": outputs.model_dump(mode="json"),
        }


_CALCULATORS: dict[str, Calculator] = {}


def register(calc: Calculator) -> Calculator:
    """Add a calculator; registering the same name twice is a programming error."""
    if calc.name in _CALCULATORS and _CALCULATORS[calc.name] is not calc:
        raise ValueError(f"calculator {calc.name!r} is registered twice")
    _CALCULATORS[calc.name] = calc
    return calc


def get(name: str) -> Calculator:
    """The calculator called ``name``; an unknown name raises CalculatorError listing the others."""
    try:
        return _CALCULATORS[name]
    except KeyError:
        available = ", ".join(sorted(_CALCULATORS))
        raise CalculatorError(f"unknown calculator {name!r}; available: {available}") from None


def all_calculators() -> list[Calculator]:
    """Every registered calculator, in registration order."""
    return list(_CALCULATORS.values())

