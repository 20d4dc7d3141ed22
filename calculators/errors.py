"""The one error tree of the project.

``VixShieldError`` is the root; the HTTP layer maps each branch to one 4xx
status in a single exception handler. ``CalculatorError`` lives here, in the
pure-math package, so ``calculators`` imports nothing from ``assistant``.
"""


class VixShieldError(Exception):
    """Base of every error the project raises on purpose."""

    status_code = 400


class CalculatorError(VixShieldError, ValueError):
    """Inputs a calculator cannot work with; the message is a sentence a trader understands."""

    status_code = 422
