"""One routing spec per calculator: how the chat reads a question for it and how it answers.

Every calculator of the registry (``calculators/``) has one ``Route`` here, registered in the
module that mirrors its calculator module (``routes/condor.py`` beside ``calculators/condor.py``...).
A route holds everything the chat knows about its calculator, in one place:

- ``subjects``: a regular expression for the words that name it, and ``rank`` (most specific first);
- ``fields`` it reads, ``required`` inputs, ``key_inputs`` (the inputs that make a message a
  calculation, and a new position rather than a change to the remembered one), ``plain_names``
  (how to ask for a missing input), ``market``/``market_outputs`` (inputs needed only when one
  of those outputs is asked);
- ``claims``: (rank, predicate) pairs choosing it from the inputs a message states;
- ``implied_focus``: (input, output) pairs: a message that states the input asks for the output
  (a what-if date or level asks for the what-if P/L);
- ``focus``: words asking for a figure -> its output fields;
- ``outputs``: every output with its unit ($, points, %, per day, per vol point, ratio, count...),
  read by the one formatting module (assistant/formatting.py) for chat answers and ``vixshield calc``;
- ``assemble``: how its inputs are built from what the slot readers found;
- ``compose``: its answer, ``run``: how it is run (default: the registry's ``run``), and
  ``contracts``: whether its figures are per stated contracts (the answer's footnote), and
  ``spx_multiplier``: whether the chat passes VIXSHIELD_MULTIPLIER as its ``multiplier``.

The understanding (assistant/understand/calc.py) loops over these routes; nothing else lists
calculators. The route modules are pure: no I/O at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Units an output can have (assistant/formatting.py formats each).
UNITS = (
    "$",  # dollars (for the whole position where the calculator multiplies)
    "points",  # index points (a price, a width, a move)
    "level",  # an index level (a break-even): 5,694.9
    "%",  # a probability, share or volatility, stored as a fraction
    "$ per day",
    "points per day",
    "$ per vol point",
    "$ per point",
    "points per vol point",
    "ratio",  # a plain number: a correlation, a hedge ratio, a beta
    "factor",  # a multiple: 2.8x
    "count",  # a whole number of things
    "days",
    "vix points",
    "date",
    "text",
    "table",  # a list of rows: shown as a Markdown table
    "structure",  # nested figures shown by the calculator's own composer
)


@dataclass(frozen=True)
class Output:
    name: str
    unit: str
    label: str = ""  # how the answer names it; "" = from the name

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r} for output {self.name!r}")

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


Predicate = Callable[[dict, list[str]], bool]  # (found, named calculators) -> claims the message


@dataclass(frozen=True, eq=False)
class Route:
    name: str  # the registry's name
    topic: str  # the subject as a conversation topic ("iron condor")
    fields: tuple[str, ...]  # inputs the chat fills
    required: tuple[str, ...]
    key_inputs: tuple[str, ...]
    outputs: tuple[Output, ...]
    subjects: str | None = None  # regex naming it (in the lower-cased message)
    rank: int = 100  # order among subjects: most specific first
    claims: tuple[tuple[int, Predicate], ...] = ()
    focus: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (regex, output fields), in the order tried
    plain_names: Mapping[str, str] = field(default_factory=dict)
    market: tuple[str, ...] = ()  # inputs needed only when one of market_outputs is asked
    market_outputs: frozenset[str] = frozenset()
    implied_focus: tuple[tuple[str, str], ...] = ()  # (input, output): stating the input asks for the output
    assemble: Callable[[dict, dict], None] | None = None  # (found, inputs) -> fills inputs in place
    gaps: Callable[[dict, tuple], list[str]] | None = None  # (inputs, focus) -> missing input names; None = generic
    moves_spot: bool = True  # "what if SPX drops 2%?" moves a remembered spot
    compose: Callable | None = None  # (Calculation, focus) -> Markdown; None = the generic table
    run: Callable[[dict], dict] | None = None  # raw inputs -> {"calculator", "inputs", "outputs"}; None = registry
    contracts: bool = False  # figures are per stated option contracts (the answer says so)
    spx_multiplier: bool = False  # takes VIXSHIELD_MULTIPLIER as its `multiplier` unless the user states one
    chat: bool = True  # False: reachable from the CLI and API only

    def output(self, name: str) -> Output | None:
        return self._outputs.get(name)

    @property
    def _outputs(self) -> dict[str, Output]:
        return {o.name: o for o in self.outputs}

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.outputs)

    def plain_name(self, name: str) -> str:
        return self.plain_names.get(name) or PLAIN_NAMES.get(name) or name.replace("_", " ")


# Plain names shared by several calculators' inputs; a route's own plain_names come first.
PLAIN_NAMES = {
    "spot": "the SPX level",
    "iv": "the implied volatility",
    "days": "the days to expiry",
    "credit": "the net credit",
    "kind": "whether it is a put or a call",
    "strike": "the strike",
}

_ROUTES: dict[str, Route] = {}


def register(route: Route) -> Route:
    if route.name in _ROUTES and _ROUTES[route.name] is not route:
        raise ValueError(f"route {route.name!r} is registered twice")
    _ROUTES[route.name] = route
    return route


def find(name: str | None) -> Route | None:
    _load()
    return _ROUTES.get(name or "")


def get(name: str) -> Route:
    route = find(name)
    if route is None:
        raise KeyError(f"no route for calculator {name!r}")
    return route


def all_routes() -> list[Route]:
    _load()
    return list(_ROUTES.values())


def chat_routes() -> list[Route]:
    return [r for r in all_routes() if r.chat]


_LOADED = False


def _load() -> None:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        from assistant.routes import alvh, bsm, condor, correlation, hedging, spreads  # noqa: F401
