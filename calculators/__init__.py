"""VixShield calculators: pure functions of frozen, typed inputs (no I/O, no model, no state).

Importing the package registers every calculator; read them through ``calculators.registry``:

    from calculators import registry
    registry.get("iron-condor").run({"long_put": 5700, "short_put": 5750, "short_call": 6050,
                                     "long_call": 6100, "credit": 3.5})
"""

from calculators import bsm, condor, spreads, hedging, correlation, alvh  # noqa: F401, I001  (registers them, in this order)
from calculators.errors import CalculatorError, VixShieldError
from calculators.registry import Calculator, all_calculators, get, register

__all__ = ["Calculator", "CalculatorError", "VixShieldError", "all_calculators", "get", "register"]
