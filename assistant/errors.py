"""Errors of the assistant, all under ``VixShieldError`` (see ``calculators.errors``)."""

from calculators.errors import CalculatorError, VixShieldError


class InvalidInput(VixShieldError):
    """A request the assistant cannot take as it is (empty message, bad parameter)."""

    status_code = 422


class NotFound(VixShieldError):
    """An unknown conversation, glossary term, article or calculator."""

    status_code = 404


class Unauthorized(VixShieldError):
    """No API key where one is needed."""

    status_code = 401


class Forbidden(VixShieldError):
    """A wrong API key."""

    status_code = 403


class IndexNotReady(VixShieldError):
    """The search index is missing or being built."""

    status_code = 503


class Busy(VixShieldError):
    """The database (or another shared service) is busy or unreachable for now: retry shortly."""

    status_code = 503
    retry_after = 2


__all__ = [
    "Busy",
    "CalculatorError",
    "Forbidden",
    "IndexNotReady",
    "InvalidInput",
    "NotFound",
    "Unauthorized",
    "VixShieldError",
]
