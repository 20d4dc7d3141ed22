"""Slot readers: each reads one kind of input out of the message into ``found``.

A reader takes the text it used (``Scan``), so that no number is read twice; ``READERS`` is the
table of readers in the order that keeps their numbers apart. ``found`` uses the readers' own
names (``options``, ``put_wing``, ``dollars``, ``data``...); each calculator's route assembles
its inputs from it (assistant/routes/).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.understand.text import (
    AT,
    CHANGED,
    DAYS_PER_MONTH,
    MULTIPLIER,
    NUM,
    PCT,
    SIGN,
    START,
    SUFFIX,
    WORDS,
    Scan,
    correlation,
    fraction,
    money,
    number,
    signed,
    tidy,
)

CONDOR_STRIKES = ("long_put", "short_put", "short_call", "long_call")
MARKET = ("spot", "iv", "days")


# A question about data: a statistic of two series (the SPX and the VIX, or the columns of a CSV) asked for,
# not quoted as an input ("correlation 0.6", "VIX beta 4" are inputs of other calculators).
DATA_STAT = (
    r"\bcorrelat\w*|\bcorrs?\b|\bpearson\b|\bspearman\b|\bkendall\b|\btau\b|\bbeta\b|\br[- ]?squared\b|\br2\b|r\u00b2|"
    r"\bregress\w*|\brelationship\b|\bmove together\b|\bco-?move\w*|\bmoves?\s+(?:in\s+)?opposite\b|\binverse(?:ly)?\b|"
    r"\bopposite\s+directions?\b|\bnegatively\s+related\b|\banti-?correlat\w*"
)
# The S&P 500 under the names traders use for it in a data question ("do stocks and the VIX move opposite?").
SPX_NAMES = r"\b(?:spx|s&p(?:\s*500)?|sp\s?500|stocks?|equities|the\s+(?:stock\s+)?market)\b"
CSV_PATH = r"(?P<path>(?:~|\.{1,2})?(?:/?[\w.-]+/)*[\w.-]+\.csv)\b"
SERIES_NAMES = r"spx|vix"


def read_window(scan: Scan) -> int | None:
    """A rolling window in days: "60-day rolling", "rolling 60-day", "a 90 day window", "window of 30"."""
    m = scan.first(
        rf"{START}(?P<w>\d+)\s*-?\s*(?:trading\s+)?(?:days?|d|sessions?|observations?|obs)?\s*-?\s*(?:rolling|moving|window)\b",
        r"\brolling\s+(?:window\s+of\s+)?(?P<w>\d+)\b",
        r"\bwindow\s+(?:of\s+)?(?P<w>\d+)\b",
    )
    return int(m["w"]) if m else None


def read_data(scan: Scan, found: dict) -> None:
    """A data question for the correlation calculator: which data (the bundled SPX/VIX sample or a CSV
    named in the message, with its columns), the return type, a rolling window and VIX-level regimes.
    Takes the numbers it reads (the window, the thresholds), so no other reader sees them."""
    text = scan.text
    stats = [m for m in re.finditer(DATA_STAT, text) if not re.match(rf"\s*{AT}{SIGN}{NUM}", text[m.end() :])]
    if re.search(rf"\b(?:correlation|corr|rho)\b[^.?!]{{0,60}}?(?:\bis|\bof|=|:)\s*{SIGN}{NUM}", text):
        stats = []  # "correlation between my book and the VIX calls is -0.8": a stated input, not a question about data
    path = re.search(CSV_PATH, scan.original)
    both = re.search(SPX_NAMES, text) and re.search(r"\bvix\b", text)
    if not stats or not (both or path):
        # a follow-up to a data question: "and on a rolling 20-day window?" ("a 30-day window" alone stays days)
        window = read_window(scan) if re.search(r"\b(?:rolling|moving)\b", text) else None
        if window:
            found["window"] = window
        return
    data: dict = {"x": "spx", "y": "vix"}
    if path:
        data["path"] = path["path"]
        scan.cut(path, "path")
        m = re.search(r"\bcolumns?\s+[\"'`]?(?P<a>[\w.-]+)[\"'`]?\s*(?:and|,|&|vs\.?|versus|with)\s*[\"'`]?(?P<b>[\w.-]+)", scan.original)
        if m:
            data["x"], data["y"] = m["a"], m["b"]
    # Which series is regressed on which: "regress VIX ... on SPX", "beta of the VIX to SPX"
    m = re.search(rf"\bregress\w*\s+(?:the\s+)?(?P<y>{SERIES_NAMES})\b[^.?!]*?\bon\s+(?:the\s+)?(?P<x>{SERIES_NAMES})\b", text) or re.search(
        rf"\bbeta\s+of\s+(?:the\s+)?(?P<y>{SERIES_NAMES})\b[^.?!]*?\b(?:to|on|against|versus|vs\.?|relative\s+to)\s+(?:the\s+)?(?P<x>{SERIES_NAMES})\b", text
    )
    if m and not path and m["x"] != m["y"]:
        data["x"], data["y"] = m["x"], m["y"]
    if re.search(r"\bsimple\b|\barithmetic\b|\bpercent(?:age)?\s+(?:returns|changes)\b|\bpct\s+returns\b", text):
        data["returns"] = "simple"
    elif re.search(r"\blog\b|\blog[- ]returns?\b|\blogarithmic\b", text):
        data["returns"] = "log"
    elif re.search(r"\b(?:levels|prices|closes|closing\s+prices)\b|\bin\s+levels?\b", text):
        data["returns"] = "none"
    window = read_window(scan)
    if window:
        data["window"] = window
    elif re.search(r"\brolling\b", text):
        data["rolling"] = True
    # VIX-level regimes: "when the VIX is above 20", "VIX > 30 vs below 20", "VIX under 15"
    level = r"(?:(?:the\s+)?vix(?:'s)?\s+(?:level\s+)?(?:is\s+|was\s+|are\s+|stays\s+|trades\s+)?)?"
    above = r"(?:above|over|higher\s+than|greater\s+than|more\s+than|exceeds|>|>=)"
    below = r"(?:below|under|lower\s+than|less\s+than|<|<=)"
    for side, word in (("above", above), ("below", below)):
        m = scan.first(rf"\b{level}{word}\s*(?P<v>{NUM})\b(?!\s*%)", rf"{level}{word}\s*(?P<v>{NUM})\b(?!\s*%)")
        if m:
            data[side] = tidy(number(m["v"]))
    if "above" not in data and "below" not in data and re.search(
        r"\bregimes?\b|\bhigh[- ]vol(?:atility)?\b|\bstress(?:ed)?\b|\bturbulen\w*|\bcalm\b|\bcris[ie]s\b", text
    ):
        data["regime_words"] = True
    found["dataset"] = data


def read_strikes(scan: Scan, found: dict) -> None:
    """Strikes with their roles. Each strike keeps the role the user gave it (never sorted)."""

    def put(role: str, value: str) -> None:
        found.setdefault(role, tidy(number(value)))

    # "5800/5850/6100/6150": long put / short put / short call / long call
    for m in scan.take(rf"{START}(?P<a>{NUM})\s*(?P<sep>[/-])\s*(?P<b>{NUM})\s*(?P=sep)\s*(?P<c>{NUM})\s*(?P=sep)\s*(?P<d>{NUM})(?![\d/])"):
        for role, key in zip(CONDOR_STRIKES, "abcd"):
            put(role, m[key])

    # "short 6100 / long 6150 call spread": each strike with the side written before it
    for m in scan.take(rf"\b(?P<s1>short|long)\s+(?P<a>{NUM})\s*(?:/|,|and|&)\s*(?P<s2>short|long)\s+(?P<b>{NUM})\s*(?P<k>put|call)s?\b"):
        if m["s1"] != m["s2"]:
            put(f"{m['s1']}_{m['k']}", m["a"])
            put(f"{m['s2']}_{m['k']}", m["b"])

    # "4900/4950 put spread", "call spread 5300/5350": the short put is the higher put, the short call the lower call
    spreads = scan.take(
        rf"{START}(?P<a>{NUM})\s*[/-]\s*(?P<b>{NUM})\s*(?P<k>put|call)s?(?:\s+(?:credit\s+|vertical\s+)?(?:spread|vertical))?"
    ) + scan.take(rf"\b(?P<k>put|call)\s+(?:credit\s+)?(?:spread|vertical)\s+(?:of\s+|at\s+)?(?P<a>{NUM})\s*[/-]\s*(?P<b>{NUM})") + [
        m for m in scan.take(rf"\b(?:bull\s+(?P<k>put)|bear\s+(?P<k2>call))(?:\s+(?:credit\s+)?(?:spread|vertical))?\s+(?:of\s+|at\s+)?(?P<a>{NUM})\s*[/-]\s*(?P<b>{NUM})")
    ]
    for m in spreads:
        a, b = number(m["a"]), number(m["b"])
        kind = m["k"] or m.groupdict().get("k2")
        if kind == "put":
            put("short_put", str(max(a, b)))
            put("long_put", str(min(a, b)))
        else:
            put("short_call", str(min(a, b)))
            put("long_call", str(max(a, b)))

    # "short put 6000", "long call at 5950", "the short put were 5800"
    for m in scan.take(rf"\b(?P<side>short|long)\s+(?P<k>put|call)s?\s+(?:strike\s+)?{AT}(?P<v>{NUM})(?![\d/])"):
        put(f"{m['side']}_{m['k']}", m["v"])
    # "5850 short put"
    for m in scan.take(rf"{START}(?P<v>{NUM})\s+(?P<side>short|long)\s+(?P<k>put|call)\b"):
        put(f"{m['side']}_{m['k']}", m["v"])

    # "sell the 5750 put", "buy the 5700 put", "short 5850 put", "I sell the 5700 put and 6100 call"
    leg = rf"(?:(?:the|a|an|one)\s+)?{NUM}\s*(?:strike\s+)?(?:put|call)s?\b"
    verbs = r"(?P<verb>sell|sells|selling|sold|short|shorting|write|writes|writing|wrote|buy|buys|buying|bought|long)"
    for m in scan.take(rf"\b{verbs}\s+(?P<legs>{leg}(?:\s*(?:,\s*and|,|and|&|plus|\+)\s*{leg})*)"):
        side = "long" if m["verb"].startswith(("buy", "bought", "long")) else "short"
        for one in re.finditer(rf"(?P<v>{NUM})\s*(?:strike\s+)?(?P<k>put|call)", m["legs"]):
            put(f"{side}_{one['k']}", one["v"])

    # "call credit spread, short 6100 long 6150": the side named once for the whole spread
    kinds = set(re.findall(r"\b(put|call)s?\b", scan.text))
    if len(kinds) == 1:
        kind = kinds.pop()
        for m in scan.take(rf"\b(?P<side>short|long|sold|sell|bought|buy)\s+(?:the\s+)?(?:strike\s+)?{AT}(?P<v>{NUM})\b(?!\s*(?:put|call|%|-?\s*strike)|/\d)"):
            put(f"{'short' if m['side'] in ('short', 'sold', 'sell') else 'long'}_{kind}", m["v"])

    # "short strikes 5850 and 6150": roles not named, so the lower is the put
    m = scan.first(rf"\bshort(?:s|\s+strikes?)\s+(?:are\s+|at\s+|of\s+)?(?P<a>{NUM})\s*(?:and|/|,|-|&)\s*(?P<b>{NUM})")
    if m:
        a, b = number(m["a"]), number(m["b"])
        put("short_put", str(min(a, b)))
        put("short_call", str(max(a, b)))

    # Wings: "50-point wings", "wings 50 points further out", "50 wide", "put wing 25"
    for m in scan.take(rf"\b(?P<k>put|call)\s+wing\s+{AT}(?P<w>{NUM})") + scan.take(
        rf"{START}(?P<w>{NUM})[- ]?(?:points?|pts?|wide)?[- ]?(?P<k>put|call)\s+wing"
    ):
        found.setdefault(f"{m['k']}_wing", number(m["w"]))
    m = scan.first(
        rf"{START}(?P<w>{NUM})\s*-?\s*(?:points?|pts?)?\s*-?\s*(?:wide\s+)?wings?\b",
        rf"{START}(?P<w>{NUM})\s*-?\s*(?:points?|pts?)?\s*-?\s*wide\b",
        rf"\bwings?\s+(?:of\s+|are\s+|at\s+|is\s+)?(?P<w>{NUM})(?:\s*-?\s*(?:points?|pts?|wide))?",
    )
    if m:
        found.setdefault("put_wing", number(m["w"]))
        found.setdefault("call_wing", number(m["w"]))

    # A single option, for the option and implied-vol calculators: "the 6000 call", "a put struck at 5800"
    for m in scan.take(rf"{START}(?P<v>{NUM})\s*(?:strike\s+)?(?:spx\s+|index\s+|spy\s+)?(?P<k>put|call)s?\b") + scan.take(
        rf"\b(?P<k>put|call)\s+(?:option\s+)?(?:with\s+(?:a\s+)?)?(?:strike\s+{AT}|struck\s+at\s+)(?P<v>{NUM})"
    ):
        found.setdefault("options", []).append((m["k"], tidy(number(m["v"]))))


def read_hedge(scan: Scan, found: dict) -> None:
    """Correlation and the two volatilities of the minimum-variance hedge ratio; notional and factor."""
    vol = r"(?:vol|volatility|sigma)"
    portfolio = r"(?:portfolio|book|position)"
    hedge = r"(?:hedge\s+instrument|hedging\s+instrument|instrument|hedge|vix\s+(?:calls?|futures?|options?)|vix|uvxy|vxx)"
    # "portfolio vol 20%", "volatility of the book 20%", "sigma portfolio 15%" (or "σ portfolio"); a minus is kept
    of = r"(?:{vol}\s+of|sigma)\s+(?:the\s+|my\s+|our\s+)?".format(vol=vol)
    for field, noun, kinds in (("portfolio_vol", portfolio, "annual(?:ized)?|realized"), ("hedge_vol", hedge, "annual(?:ized)?|realized|implied")):
        m = scan.first(
            rf"\b{noun}(?:'s)?\s+(?:(?:{kinds})\s+)?{vol}\s*{CHANGED}{AT}{SIGN}(?P<v>{NUM}){PCT}",
            rf"\b{of}{noun}\s*{AT}{SIGN}(?P<v>{NUM}){PCT}",
            rf"{START}{SIGN}(?P<v>{NUM}){PCT}\s+{noun}\s+{vol}",
            # "my book runs about 20% vol", "the hedge instrument 40% vol"
            rf"\b{noun}(?:'s)?\s+(?:runs?\s+|running\s+|is\s+|has\s+|at\s+|with\s+)?(?:about\s+|around\s+|roughly\s+|~\s*)?{SIGN}(?P<v>{NUM}){PCT}\s*(?:annual(?:ized)?\s+)?{vol}\b",
        )
        if m:
            found[field] = signed(m, fraction(number(m["v"]), bool(m["p"])))
    m = scan.first(
        rf"\b(?:correlation(?:\s+coefficient)?|corr|rho)(?:\s+(?:between|of|with|to)\s+[a-z][\w\s&-]*?)?\s*{CHANGED}{AT}{SIGN}(?P<v>{NUM}){PCT}",
        rf"\bcorrelated\s+{AT}{SIGN}(?P<v>{NUM}){PCT}",
        rf"{START}{SIGN}(?P<v>{NUM}){PCT}\s+correlation",
    )
    if m:
        found["correlation"] = signed(m, correlation(number(m["v"]), bool(m["p"])))

    # Notional: "$50,000 VIX hedge", "$100,000 hedge", "hedge of $1.2m", "notional 100k"
    m = scan.first(
        rf"\$\s?(?P<v>{NUM})\s*{SUFFIX}?\s*(?:(?:of\s+)?(?:vix|uvxy|notional|total|call|calls|long)\s+)*(?:hedge|notional)",
        rf"{START}(?P<v>{NUM})\s*{SUFFIX}\s*(?:(?:of\s+)?(?:vix|uvxy|notional|total|call|calls|long)\s+)*(?:hedge|notional)",
        rf"\b(?:notional|hedge(?:\s+(?:size|notional))?)\s*(?:(?:of|is|at|=|:|was|were|worth|size)\s*)*\$\s?(?P<v>{NUM})\s*{SUFFIX}?",
        rf"\b(?:notional|hedge(?:\s+(?:size|notional))?)\s*(?:(?:of|is|at|=|:|was|worth|size)\s*)*(?P<v>{NUM})\s*{SUFFIX}",
        rf"{START}(?P<v>\d{{1,3}}(?:,\d{{3}})+|\d{{5,}})\s*{SUFFIX}?\s+(?:notional|book|portfolio)\b",  # "a 2,000,000 notional book"
    )
    if m:
        found["notional"] = money(m["v"], m["s"])
    # Factor: "2.8x", "by the 2.8x decorrelation factor", "a factor of 2.8", "3 times"
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:x|times)(?!\w)(?!\s+(?:the\s+)?(?:\d{{3,}}|\u00a6|(?:iron\s+)?condors?|ics?\b|spreads?|lots?|contracts?))",  # not "2x 5650/5700/..."
        rf"\bfactor\s+(?:of\s+|=\s*|{CHANGED})(?P<v>{NUM})(?!\s*%)",
        rf"\bover-?siz\w*\s+(?:\w+\s+){{0,4}}?by\s+(?:a\s+)?(?P<v>{NUM})(?!\s*%|\d)",
    )
    if m:
        found["factor"] = tidy(number(m["v"]))


def read_vix(scan: Scan, found: dict) -> None:
    """The VIX call hedge scenario: "SPX falls 10%", "VIX at 16 rises to 30", "VIX beta 4",
    "22-strike VIX calls", "offset half of a $20,000 loss"."""
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s*(?:spx\s+|market\s+|index\s+)?(?:drop|fall|decline|sell-?off|selloff|crash|correction|drawdown)",
        rf"\bspx\s*(?:-|down\s+|minus\s+)\s*(?P<v>{NUM})\s*(?:%|percent)",
    )
    if m:
        found["spx_drop"] = fraction(number(m["v"]), True)
    rises = r"(?:rises?|rose|jumps?|jumped|spikes?|spiked|goes|went|gets|got|climbs?|climbed|pops?|popped|moves?|up|increases?)"
    m = scan.first(
        rf"\bvix\s+(?:(?:is|at|of|=|from|level|now|currently)\s*)*(?P<a>{NUM})\s+(?:and\s+)?(?:{rises}\s+)?to\s+(?P<b>{NUM})",
        rf"\bvix\s+{rises}\s+from\s+(?P<a>{NUM})\s+to\s+(?P<b>{NUM})",
    )
    if m:
        found["vix"], found["vix_to"] = tidy(number(m["a"])), tidy(number(m["b"]))
    points = r"\s*(?:points?|pts?)\b"
    m = scan.first(  # "VIX at 18 rises 10 pts", "vix goes from 15 up 12 points"
        rf"\bvix\s+(?:(?:is|at|of|=|level|now|currently)\s*)*(?P<a>{NUM})\s+(?:now\s+)?(?:and\s+)?(?:then\s+)?{rises}\s+(?:up\s+)?(?:by\s+)?(?P<v>{NUM}){points}",
        rf"\bvix\s+{rises}\s+(?:up\s+)?from\s+(?P<a>{NUM})\s+(?:up\s+|higher\s+)?(?:by\s+)?(?P<v>{NUM}){points}",
        rf"\bvix\s+{rises}\s+(?:up\s+)?(?:by\s+)?(?P<v>{NUM}){points}\s+from\s+(?P<a>{NUM})",  # "the VIX rises 14 points from 16"
    )
    if m:
        found["vix"], found["vix_rise"] = tidy(number(m["a"])), tidy(number(m["v"]))
    m = scan.first(rf"\b(?:it|that|vol)\s+(?:\w+\s+)?{rises}\s+(?:up\s+)?(?:by\s+)?(?P<v>{NUM}){points}") if re.search(r"\bvix\b", scan.original) else None
    if m:  # "vix is 15 now and i figure it pops 12 pts"
        found.setdefault("vix_rise", tidy(number(m["v"])))
    m = scan.first(rf"\bvix\s+(?:only\s+|just\s+|instead\s+)?{rises}\s+(?:up\s+)?to\s+(?P<b>{NUM})")
    if m:
        found.setdefault("vix_to", tidy(number(m["b"])))
    m = scan.first(rf"\bvix\s+(?:only\s+|just\s+|instead\s+)?{rises}\s+(?:up\s+)?(?:by\s+)?(?P<v>{NUM})(?P<u>\s*%|\s*percent|\s*points?|\s*pts?)?")
    if m:
        if m["u"] and "%" in m["u"] or m["u"] and "percent" in m["u"]:
            found["vix_rise_pct"] = fraction(number(m["v"]), True)
        else:
            found["vix_rise"] = tidy(number(m["v"]))
    m = scan.first(rf"\bvix\s+beta\s*{AT}(?P<v>{NUM})", rf"\bbeta\s+(?:to\s+(?:the\s+)?vix\s+)?{AT}(?P<v>{NUM})(?=[^.]*\bvix\b)")
    if m:
        found["vix_beta"] = tidy(number(m["v"]))
    m = re.search(rf"\bcalls?\s+(?:at|for|@|costing)\s+\$?(?P<v>{NUM})\b(?!\s*(?:%|percent|points?|pts?|-?\s*strike))", scan.text)
    if m:  # "22-strike VIX calls at 1.20": the call's price (only the number is taken: the strike reader needs "calls")
        scan.cut(m, "v")
        found.setdefault("price", tidy(number(m["v"])))
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*-?\s*strike\s+(?:vix\s+)?calls?",
        rf"\bvix\s+calls?\s+(?:struck\s+at|at\s+(?:the\s+|a\s+)?strike|with\s+(?:a\s+)?strike\s+(?:of\s+)?)\s*(?P<v>{NUM})",
    )
    if m:
        found["call_strike"] = tidy(number(m["v"]))
    m = scan.first(rf"\bvix\s+(?:(?:is|was|at|of|=|:|now|currently|level|trading|sits)\s*)*(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|-?\s*strike|calls?|puts?|\d))")
    if m:
        found["vix"] = tidy(number(m["v"]))
    m = scan.first(
        r"\b(?P<half>half)\b(?=[^.]*\bloss)",
        r"\b(?:cover(?:ing)?|offset(?:ting)?|hedg(?:e|ing))\s+(?:only\s+|just\s+)?(?P<half>half)\b",
        rf"\b(?:offset|cover|recoup|pay\s+back|hedge)\s+(?P<v>{NUM})\s*(?:%|percent)",
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s+of\s+(?:the\s+|my\s+|a\s+|its\s+)?(?:book'?s?\s+|condor'?s?\s+)?loss",
        r"\b(?P<all>fully|all of the loss|the whole loss|the entire loss)\b",
    )
    if m:
        said = m.groupdict()
        found["offset"] = 0.5 if said.get("half") else 1 if said.get("all") else fraction(number(said["v"]), True)
    m = scan.first(
        rf"\$\s?(?P<v>{NUM})\s*{SUFFIX}?\s+(?:(?:book|condor|portfolio|position|potential|scenario)\s+)?loss",
        rf"\bloss(?:es)?\s+(?:of\s+|=\s*|{CHANGED})\$?\s?(?P<v>{NUM})\s*{SUFFIX}?(?!\s*%)",
        rf"\blos(?:e|es|ing)\s+\$\s?(?P<v>{NUM})\s*{SUFFIX}?",
    )
    if m:
        found["book_loss"] = money(m["v"], m["s"])


def read_alvh(scan: Scan, found: dict) -> None:
    """ALVH layer parameters: "3% allocation", "25% increments", "30/60/90-day expirations",
    "hedge ratio 1:1.3", "activate at VIX 20, 25 and 30"."""
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s*(?:of\s+(?:the\s+)?(?:notional|portfolio|book)\s+)?(?:(?:hedge|hedging|vix|alvh)\s+)?(?:allocation|budget)",
        rf"\b(?:allocat\w*|budget)\s+{CHANGED}(?:of\s+|is\s+|at\s+)?(?P<v>{NUM})\s*(?:%|percent)",
    )
    if m:
        found["allocation"] = fraction(number(m["v"]), True)
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s*(?:notional\s+)?(?:increments?|layers|steps|tranches)",
        rf"\b(?:increments?|layers|tranches)\s+(?:of\s+|{CHANGED})(?P<v>{NUM})\s*(?:%|percent)",
    )
    if m:
        found["increment"] = fraction(number(m["v"]), True)
    days_list = r"\d{1,3}(?:(?:\s*/\s*|,\s+|\s+and\s+|,\s+and\s+|-)\d{1,3})"  # "30/60/90", "30, 60 and 90"; not "5,950"
    for pattern in (
        rf"{START}(?P<list>{days_list}+)\s*-?\s*(?:days?|d)\b(?:\s+(?:expirations?|expiries|tenors?|expiry))?",
        rf"\b(?:expirations?|expiries|tenors?)\s+(?:of\s+|at\s+)?(?P<list>{days_list}*)\s*(?:days?)?",
    ):
        m = re.search(pattern, scan.text)
        # Three or more day counts ("30/60/90-day"), or any named as expirations: "6000 and 30 days" is not one.
        if m and (len(re.findall(r"\d+", m["list"])) >= 3 or re.search(r"expir|tenor", m.group(0))):
            found["expirations"] = [int(d) for d in re.findall(r"\d+", m["list"])]
            scan.cut(m)
            break
    m = scan.first(rf"\bhedge\s+ratio\s*{AT}(?:1\s*:\s*)?(?P<v>{NUM})", rf"{START}1\s*:\s*(?P<v>{NUM})\s+(?:hedge\s+)?ratio")
    if m:
        found["alvh_ratio"] = tidy(number(m["v"]))
    m = scan.first(rf"\bactivat\w*\s+(?:at\s+|when\s+)?(?:(?:the\s+)?vix\s+)?(?:levels?\s+)?(?:of\s+|is\s+|hits\s+|reaches\s+)?(?P<list>{NUM}(?:\s*(?:/|,|and|,\s*and)\s*{NUM})+)")
    if m:
        found["activation_levels"] = [tidy(number(v)) for v in re.findall(NUM, m["list"])]


def read_position(scan: Scan, found: dict) -> None:
    """A position's delta, beta and price, for the beta-weighted delta."""
    m = scan.first(rf"\bdelta\s*{AT}(?P<neg>-\s*)?(?P<v>{NUM})", rf"{START}(?P<neg>-\s*)?(?P<v>{NUM})\s+deltas?\b")
    if m:
        found["delta"] = -tidy(number(m["v"])) if m["neg"] else tidy(number(m["v"]))
    else:  # "short 300 shares": a share's delta is 1
        m = scan.first(rf"\b(?P<side>short|long|own|hold|bought|sold)\s+(?P<v>{NUM})\s+shares?\b")
        if m:
            n = tidy(number(m["v"]))
            found["delta"] = -n if m["side"] in ("short", "sold") else n
    m = scan.first(rf"\bbeta\s*{AT}(?P<v>{NUM})", rf"{START}(?P<v>{NUM})\s+beta\b")
    if m:
        found["beta"] = tidy(number(m["v"]))
    m = scan.first(rf"\b(?:priced\s+at|price\s+{AT}|trading\s+at|stock\s+at|shares?\s+at|(?!spx\b)[a-z]{{2,5}}\s+at)\s*\$?\s?(?P<v>{NUM})",
                   rf"\$\s?(?P<v>{NUM})\s+(?:stock|share|etf)\b")
    if m:
        found["bwd_price"] = tidy(number(m["v"]))


# After a small number that could be a credit: what makes it something else (a time, a count, a size, a
# range or a strike list). "for 1.25 - break-evens?" is a credit; "for 25-point wings", "for 10-20 days" are not.
NOT_A_CREDIT = (
    r"(?![\d,.]*\d|\s*(?:%|percent|days?|dte|d\b|weeks?|months?|years?|contracts?|lots?|x\b|times|wide|points?\s+wide|"
    r"k\b|m\b|am\b|pm\b|delta)|\s*/|\s*-\s*\d|-[a-z])"
)
SMALL = r"\d{1,3}(?:\.\d+)?|\.\d+"  # a credit in points: never a strike-sized number


def read_credit(scan: Scan, found: dict) -> None:
    """The net credit: "for a 4.20 credit", "collected $3.10", "sold for $3.50", "credit 2", "$350 credit",
    "for 1.25", "the 5800/5850/6100/6150 condor at 2.80"."""
    # "got a $500,000 book" is a size, not a credit
    dollars = r"(?P<d>\$)?\s?(?P<v>{num})(?![\d,.]*\d)\s*(?P<dw>dollars?|usd)?(?!\s*(?:k|m|mm|million|thousand)?\s*(?:book|portfolio|account|fund|notional|exposure|bag))".format(num=NUM)
    m = scan.first(
        rf"{START}{dollars}\s*(?:points?|pts?)?\s*(?:of\s+)?(?:net\s+|total\s+)?credit\b",
        rf"\bcredit\s*(?:received\s+|collected\s+)?{AT}(?:roughly\s+)?{dollars}",
        rf"\b(?:collect(?:ed|ing|s)?|receiv(?:e|ed|es|ing)|took\s+in|take\s+in|taking\s+in|got|gotten|get|getting|filled\s+(?:at|for))\s+(?:a\s+)?(?:net\s+)?(?:credit\s+of\s+)?(?:about\s+)?{dollars}",
        rf"\b(?:sold|sell|sells|selling|opened|open|put\s+(?:it\s+|this\s+)?on)\s+(?:[a-z]+\s+){{0,3}}?for\s+(?:a\s+)?(?:net\s+)?{dollars}",
        rf"\bfor\s+(?P<d>\$)\s?(?P<v>{NUM})(?P<dw>)(?!\s*(?:k|m|mm|million|thousand)\b)",
        # "for 2.10": a small number after "for" that is not a time, a count or a size
        rf"\bfor\s+(?:a\s+)?(?P<d>)(?P<v>{SMALL})(?P<dw>){NOT_A_CREDIT}",
    )
    if m is None:
        # "the 5650/5700/6000/6050 iron condor at 2.80", "5800/5850/6100/6150 @ 4.20": a price right after the
        # position. The strikes are already taken, so this looks at the original words; only the price is taken.
        position = rf"(?:{NUM}(?:\s*[/-]\s*{NUM}){{1,3}}|\b(?:condors?|ics?|spreads?|verticals?))"
        m = re.search(rf"{position}\s+(?:at|@)\s*(?P<d>\$)?\s?(?P<v>{SMALL})(?P<dw>){NOT_A_CREDIT}", scan.original)
        if m is None or not scan.is_free(m, "v"):
            return
        scan.cut(m, "v")
    if m:
        found["credit"] = number(m["v"])
        found["credit_in_dollars"] = bool(m["d"] or m["dw"])


def read_count(scan: Scan, found: dict) -> None:
    """Contracts: "10 contracts", "5 lots", "x3", "make it 2 contracts", "one contract"."""
    m = scan.first(
        rf"{START}(?!an?\s)(?P<v>\d+|{WORDS})\s+(?:contracts?|lots?|condors?|units?|spreads?)\b",  # not "a condor", "a lot of"
        r"\b(?P<v>an?)\s+contract\b",
        r"\b(?:contracts?|lots?|quantity|qty)\s*(?:of\s+|is\s+|=\s*|:\s*)?(?P<v>\d+)\b(?![.,]\d)",
        r"\b(?:trade|trading|sell|selling|buy|buying|run|running|do|open|opening|on|for|with)\s+(?P<v>\d+)\s+of\s+(?:them|those|these|it)\b",
        r"(?<![\w.])x\s?(?P<v>\d+)\b(?![.,]\d)",
        # "I'm short 10 of the 5800/5850/6050/6100 condors" (the strikes are already read)
        r"\b(?:short|long|sold|bought|sell|buy|hold|holding|own|have|running)\s+(?P<v>\d{1,3})\s+of\s+(?:the|these|those|my)\s+(?:\u00a6+\s*)?(?:iron\s+)?(?:condors?|spreads?|ics?)\b",
        r"(?:^|(?<=\s))(?P<v>\d{1,3})\s?x\s+(?=(?:the\s+)?(?:\d{3,}|\u00a6)|(?:iron\s+)?condors?|ics?\b|spreads?)",  # "2x 5650/5700/..."
    )
    if m:
        found["contracts"] = int(number(m["v"]))


_SPAN = rf"(?P<n>{NUM}|{WORDS})\s*-?\s*(?P<u>days?|weeks?|wks?)"
_IV = r"(?:implied\s+vol(?:atility)?|iv|vol(?:atility)?)"
_UP = (
    r"(?:rises?|rose|risen|goes\s+up|gone\s+up|went\s+up|jumps?|jumped|climbs?|climbed|increases?|increased|spikes?|spiked|"
    r"pops?|popped|surges?|surged|soars?|soared|explodes?|exploded|expands?|expanded|is\s+up|up)"
)
_DOWN = r"(?:falls?|fell|fallen|drops?|dropped|declines?|declined|decreases?|decreased|goes\s+down|went\s+down|is\s+down|down|eases?|eased)"
_ALSO = r"(?:(?:also|then|suddenly|really|just|instantly|only)\s+)?"
_PNL = (
    r"\bp\s*/\s*l\b|\bp&l\b|\bpnl\b|profit\s+(?:or|and)\s+loss|\b(?:make|made|gain|win)\s+or\s+(?:lose|lost)\b|\bdamage\b|"
    r"\bhow\s+much\s+(?:do|would|will|did|could)\s+(?:i|we|you)\s+(?:lose|make|be\s+down|be\s+up)\b|"
    r"\bwhat\s+happens\s+to\s+(?:my|the|this|that|a)\b|\bwhat\s+(?:do|would|will|could|did)\s+(?:i|we|you)\s+(?:lose|make|gain)\b"
)
_CHANGE = rf"{_ALSO}(?:has\s+|had\s+|have\s+)?{_ALSO}(?:{_UP}|{_DOWN}|goes|went|gone|moves?|moved|is|was|were|gets|got)(?:\s+(?:up|down|back))?"


def _span_days(m: re.Match) -> int | float:
    n = number(m["n"])
    return tidy(n * 7 if m["u"].startswith("w") else n)


def read_what_if(scan: Scan, found: dict) -> None:
    """A what-if for a position: a later date, index level and volatility.

    - ``at_days``: "in ten days", "10 days from now", "after 10 days", "at day 10", "in 10 days' time";
      ``before_expiry``: "a week before expiry", "with 10 days left" (the route turns it into at_days = days - N);
    - ``at_spot``: "if SPX is at 5,800 in ten days", "my P/L if the index drops to 5800", "SPX at 5,800 in
      ten days"; without a date or P/L words, ``if_spot`` (the route makes it at_spot or spot);
    - ``iv_shift`` in vol points: "if IV rises 5 points", "vol down 3 vol points", "IV +5 points";
    - ``at_iv``: "if IV has risen to 23%", "with IV falling to 15%".
    A span that is a time to expiry ("expiring in 30 days", "30 days to expiry") is left to read_time.
    """
    m = scan.first(
        rf"(?<!expir)(?<!expiring\s)(?<!expires\s)\b(?:in|after|within|(?:over|for)\s+the\s+next|in\s+the\s+next)\s+{_SPAN}(?:'?\s+time)?(?:\s+from\s+(?:now|today))?\b(?!\s*(?:to|until|till|before|left)\b)",
        rf"{START}{_SPAN}\s+from\s+(?:now|today)",
        rf"{START}{_SPAN}\s+(?:go(?:es)?\s+by|pass(?:es)?|have\s+passed|elapse|later)\b",  # "if 20 days go by"
        rf"\b(?:at\s+|on\s+|by\s+)?day\s+(?P<n>{NUM})(?P<u>)\b",
    )
    dated_at = []  # where the later date is named: a level in that sentence is the what-if level
    if m:
        found["at_days"] = _span_days(m)
        dated_at.append(m.start())
    elif re.search(rf"{_PNL}|\bif\b", scan.text):
        m = scan.first(r"\b(?P<t>tomorrow|tmrw|tmr|tmrrw)\b", r"\b(?P<w>next\s+week)\b")
        if m:
            found["at_days"] = 1 if m.groupdict().get("t") else 7
    m = scan.first(
        rf"{START}(?P<n>{NUM}|{WORDS}|a)\s*-?\s*(?P<u>days?|weeks?)\s+(?:before|prior\s+to|ahead\s+of)\s+(?:the\s+)?expir\w*",
        rf"\bwith\s+(?:[^,.?!]{{0,30}}?\band\s+)?(?:only\s+|just\s+)?(?P<n>{NUM}|{WORDS}|a)\s*-?\s*(?P<u>days?|weeks?)\s+(?:left|remaining|to\s+go)\b"
        if re.search(rf"\bif\b|{_PNL}", scan.text) else r"(?!x)x",  # "the put with 35 days left" is the time to expiry
    )
    if m:
        found["before_expiry"] = _span_days(m)
        dated_at.append(m.start())
    where = r"(?:spx|spot|the\s+index|the\s+market|it|the\s+underlying)"
    moves = (
        r"(?:is|'s|was|were|goes|went|gets|moves?|falls?|drops?|rises?|rall(?:y|ies|ied)|trades?|sits|sitting|trading|hovering|closes|ends|settles|hits|"
        r"slides?|slid|sinks?|sank|dips?|dipped|climbs?|climbed|runs?|ran|pulls?\s+back|sells?\s+off|tanks?|tanked|crashes|crashed|"
        r"tags?|tagged|touch(?:es|ed)?|reach(?:es|ed)?|finish(?:es|ed)?|ends\s+up|ended\s+up|expires?|expired)"
    )
    # "P/L at expiration if SPX settles at 5770": the level is the one on expiry day
    at_expiry = scan.first(r"\b(?:at|on|by|upon)\s+(?:the\s+)?(?:expiration|expiry|settlement)(?:\s+day)?\b|\bexpiration\s+day\b") if re.search(rf"{_PNL}|\bif\b", scan.text) else None
    m = scan.first(
        rf"\bif\s+{where}\s*{_ALSO}(?:has\s+|had\s+|have\s+|'s\s+|is\s+)?{_ALSO}{moves}(?:\s+(?:back|down|up|just|only))*\s+(?:to|at)?\s*\$?(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|\d))",
        rf"\b(?:spx|spot|the\s+index)\s+(?:is\s+)?at\s+(?P<v>{NUM})(?=\s+(?:in|after|on|by|at\s+day)\b|\s+{_SPAN}\s+from)",
        rf"\b(?:spx|spot|the\s+index)\s+{_ALSO}(?:gaps?|gapped|{moves})(?:\s+(?:down|up))?\s+to\s+(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|\d))"
        if "at_days" in found or "before_expiry" in found else r"(?!x)x",
        rf"\bwith\s+(?:spx|spot|the\s+index)\s+(?:still\s+)?(?:at\s+|back\s+at\s+|now\s+at\s+)?(?P<v>{NUM})(?=\s*(?:[?.!]|$)|\s+and\s+\S+\s+days?\s+(?:left|remaining|to\s+go))" if re.search(_PNL, scan.text) else r"(?!x)x",
    )
    if m is None and ("at_days" in found or "before_expiry" in found):
        # "If five days from now SPX is at 5650...": a level in the sentence that names the later date
        sentences = [x for x in re.finditer(r"[^.!?]+", scan.text) if re.search(r"\bif\b", x[0]) or any(x.start() <= at < x.end() for at in dated_at)]
        for sentence in sentences:
            m = re.search(rf"\b(?:(?:spx|spot|the\s+index)\s+(?:is|'s|will\s+be|would\s+be|were)\s+(?:at\s+)?|with\s+(?:spx|spot|the\s+index)\s+(?:at\s+)?)"
                          rf"(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|\d))", sentence[0])
            if m:
                scan.cut(re.search(re.escape(m[0]), scan.text))
                break
    if ("at_days" in found or "before_expiry" in found) and "at_iv" not in found:
        # "If after 30 days the index is unchanged but implied vol is 26%": the IV then, not today's
        for sentence in [x for x in re.finditer(r"[^.!?]+", scan.text) if any(x.start() <= at < x.end() for at in dated_at)]:
            level = re.search(rf"\b{_IV}\s+(?:is|'s|will\s+be|would\s+be|were|at)\s+(?P<v>{NUM})(?P<p>\s*%|\s*percent\b)", sentence[0])
            if level:
                found["at_iv"] = fraction(number(level["v"]), True)
                scan.cut(re.search(re.escape(level[0]), scan.text))
                break
    if m and at_expiry and "at_days" not in found:
        found["before_expiry"] = 0
    if m:
        # "if SPX is at 5,800 in ten days" / "my P/L if SPX drops to 5800" value the position there; a bare
        # "what if SPX drops to 5800?" moves the spot, unless the remembered position has a what-if (the route decides)
        dated = "at_days" in found or "before_expiry" in found or re.search(_PNL, scan.text)
        found["at_spot" if dated else "if_spot"] = tidy(number(m["v"]))
    # "IV has risen to 23%", "IV pops to 25%": a level after a move ("if IV were 20%" is a new IV; "IV jumps 5%" is
    # ambiguous, relative or points, and is left unread)
    m = scan.first(rf"\b{_IV}\s+{_CHANGE}\s+to\s+(?P<v>{NUM}){PCT}", rf"\bwith\s+{_IV}\s+(?:{_UP}|{_DOWN}|falling|rising)\s+to\s+(?P<v>{NUM}){PCT}")
    if m:
        found["at_iv"] = fraction(number(m["v"]), bool(m["p"]))
    m = scan.first(
        rf"\b{_IV}\s+(?:is\s+|has\s+|had\s+)?{_ALSO}(?:has\s+|had\s+)?(?P<dir>{_UP}|{_DOWN})\s+(?:by\s+)?(?P<v>{NUM}|{WORDS})\s*(?:vol(?:atility)?\s+)?(?:points?|pts?)\b",
        rf"\b{_IV}\s*(?:shift\s*(?:of|=|:)?\s*)?(?P<dir>[+-])\s*(?P<v>{NUM})\s*(?:vol(?:atility)?\s+)?(?:points?|pts?)?\b(?!\s*%)",
    )
    if m:
        down = m["dir"] == "-" or re.fullmatch(_DOWN, m["dir"]) is not None
        found["iv_shift"] = tidy(-number(m["v"]) if down else number(m["v"]))


def read_time(scan: Scan, found: dict) -> None:
    """Days to expiry ("30 days", "45 DTE", "three weeks", "2 months" = 61)."""
    # Years are never a time to expiry here ("I've traded for three years", "college in three years"),
    # nor is a span of the past ("5 months ago", "for the past 2 months", "62 years old").
    units = r"(?P<u>days?|d|dte|weeks?|wks?|months?|mos?)"
    for m in re.finditer(rf"{START}(?P<n>{NUM}|{WORDS})\s*-?\s*(?:calendar\s+)?{units}\b", scan.text):
        unit, n = m["u"], number(m["n"])
        if m["n"] in ("a", "an") and unit.startswith(("d", "dte")):
            continue  # "a day" is not a time to expiry; "a week" and "a month" are
        if re.match(r"\s+(?:ago|old)\b", scan.text[m.end():]) or re.search(r"\b(?:past|last|previous)\s+$", scan.text[: m.start()]):
            continue
        if unit.startswith(("w",)):
            n *= 7
        elif unit.startswith("mo"):
            n = round(n * DAYS_PER_MONTH)
        found.setdefault("days", tidy(n))
        scan.cut(m)
        break
    else:
        m = scan.first(rf"\b(?:dte|days\s+to\s+(?:expiry|expiration)|days\s+left)\s*(?:of\s+|is\s+|=\s*|:\s*)?(?P<n>{NUM})\b(?!\s*%)")
        if m:
            found["days"] = tidy(number(m["n"]))


def read_rates(scan: Scan, found: dict) -> None:
    """Rate and dividend yield as decimals: "rate 4%", "risk-free 4.5%", "zero rates and dividends"."""
    zero = r"(?:zero|no|nil|0%?)"
    if scan.first(
        rf"\b{zero}\s+(?:interest\s+)?rates?\s*(?:and|&|or|,)\s*(?:{zero}\s+)?(?:dividends?|div(?:idend)?\s+yields?|yields?)",
        rf"\b(?:interest\s+)?rates?\s*(?:and|&)\s*(?:dividends?|div(?:idend)?\s+yields?|yields?)\s+(?:(?:of|at|are|is|=|both|set\s+to)\s*)*{zero}\b",
    ):
        found["rate"] = 0
        found["dividend"] = 0
    if scan.first(rf"\b{zero}\s+(?:interest\s+|risk[- ]free\s+)?rates?\b", rf"\b(?:interest\s+|risk[- ]free\s+)?rates?\s+{AT}(?:zero|nil)\b"):
        found.setdefault("rate", 0)
    if scan.first(rf"\b{zero}\s+(?:dividends?|div(?:idend)?\s+yield|yield)", rf"\b(?:dividends?|div(?:idend)?\s+yield)\s+{AT}(?:zero|nil)\b"):
        found.setdefault("dividend", 0)
    m = scan.first(
        rf"\b(?:risk[- ]free(?:\s+(?:interest\s+)?rate)?|interest\s+rates?|rates?|r(?=\s*=))\s*{AT}(?P<v>{NUM}){PCT}",
        rf"{START}(?P<v>{NUM})(?P<p>\s*%|\s*percent)\s*(?:risk[- ]free|interest|rates?)\b",
    )
    if m:
        found.setdefault("rate", fraction(number(m["v"]), bool(m["p"])))
    m = scan.first(
        rf"\b(?:div(?:idend)?s?\s+yield|dividends?|div|yield|q(?=\s*=))\s*{AT}(?P<v>{NUM}){PCT}",
        rf"{START}(?P<v>{NUM})(?P<p>\s*%|\s*percent)\s*(?:dividend|div|yield)",
    )
    if m:
        found.setdefault("dividend", fraction(number(m["v"]), bool(m["p"])))


def read_iv(scan: Scan, found: dict) -> None:
    """Implied volatility as a decimal: "IV 15%", "22% implied vol", "implied volatility 18%", "vol of 0.2"."""
    name = r"(?:implied\s+vol(?:atility)?|iv|vol(?:atility)?|sigma)"
    m = scan.first(
        rf"\b{name}\s*{AT}{SIGN}(?P<v>{NUM}){PCT}",
        rf"{START}{SIGN}(?P<v>{NUM}){PCT}\s*{name}\b",
    )
    if m:
        found["iv"] = signed(m, fraction(number(m["v"]), bool(m["p"])))  # "IV -15%" is passed on for the calculator to refuse


def read_spot(scan: Scan, found: dict) -> None:
    """The index level ("SPX at 6000", "SPX 5500", "spot 6010", "index at 5,950") or a move ("SPX drops 2%")."""
    verbs = (
        r"(?:is|was|at|of|=|:|now|currently|trading|trades|traded|sits|sitting|drops?|dropped|falls?|fell|rises?|rose|"
        r"rall(?:y|ies|ied)|goes|went|moves?|moved|closes|closed|ends?|ended|settles?|to|around|near|@|level|price|"
        r"back|down|up|were|be|being|gets|got|hits?|has|had|run|ran|climbed|slid|sank|now|ripped|rips|jumped|spiked|popped|tanked|crashed|dumped|pumped)"
    )
    where = r"(?:spx|spot(?:\s+price)?|the\s+index|index|underlying|the\s+market)"
    m = scan.first(
        rf"\b{where}(?:\s+(?:drops?|dropped|falls?|fell|declines?|declined|sells?\s+off|crash(?:es|ed)?|rall(?:y|ies|ied)|rises?|rose|gains?|moves?|goes|jumps?))"
        rf"\s+(?P<dir>down\s+|up\s+)?(?:by\s+)?(?P<v>{NUM})(?P<u>\s*%|\s*percent|\s*points?|\s*pts?)"
    )
    if m:
        falls = re.search(r"drop|fall|fell|declin|sell|crash|down", m.group(0)) is not None
        size = number(m["v"]) * (-1 if falls else 1)
        found["spot_move"] = (size, "%" in m["u"] or "percent" in m["u"])
    m = scan.first(rf"\b{where}\s*(?:{verbs}\s*)*\$?(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|[/x]|put|call|\d))")
    if m:
        found["spot"] = tidy(number(m["v"]))


def read_price(scan: Scan, found: dict) -> None:
    """An option's market price, for implied volatility: "priced at 12.50", "trading at $40", "costs 12"."""
    m = scan.first(
        rf"\b(?:priced\s+at|price\s+{AT}|trad(?:es|ing|ed)\s+(?:at\s+|for\s+)?(?=\$?\d+\.\d)|costs?|costing|worth|premium\s+{AT}|marked\s+at|mark\s+{AT}|quoted\s+at|bid\s+at|offered\s+at|"
        rf"mid(?:point|price)?\s+{AT}|last\s+(?:price\s+|traded\s+|trade\s+|print\s+)?{AT}|(?:bid|ask)\s+{AT})\s*\$?\s?(?P<v>{NUM})"
    )
    if m:
        found["price"] = tidy(number(m["v"]))


def read_dollars(scan: Scan, found: dict) -> None:
    """Any other dollar amount, kept aside: a credit for a spread, a notional for a hedge."""
    for m in re.finditer(rf"\$\s?(?P<v>{NUM})\s*{SUFFIX}?|{START}(?P<w>{NUM})\s*(?P<t>k|thousand|million|mm|m)\b", scan.text):
        if re.search(r"\b(?:down|up|lost|losing|lose|loss\s+of|underwater|red|green)\s+(?:about|around|roughly|~|nearly|almost)?\s*$", scan.text[: m.start()]):
            continue  # "my condor is down about $1,500": a running P/L, not a credit or a notional
        if m["v"]:
            found.setdefault("dollars", []).append((number(m["v"]), m["s"]))
        else:
            found.setdefault("dollars", []).append((number(m["w"]), m["t"]))


# The slot readers, in the order that keeps their numbers apart (strikes before the spot, the data
# question's window and thresholds before a correlation value...): (reader, when it runs).
READERS: tuple[tuple[Callable[[Scan, dict], None], Callable[[str], bool]], ...] = (
    (read_data, lambda low: True),
    (read_strikes, lambda low: True),
    (read_hedge, lambda low: True),
    (read_alvh, lambda low: True),
    (read_vix, lambda low: True),
    (read_credit, lambda low: True),
    (read_count, lambda low: True),
    (read_what_if, lambda low: True),
    (read_time, lambda low: True),
    (read_rates, lambda low: True),
    (read_iv, lambda low: True),
    (read_spot, lambda low: True),
    (read_position, lambda low: re.search(r"\bbeta[- ](?:weighted|adjusted)\b", low) is not None),
    (read_price, lambda low: True),
    (read_dollars, lambda low: True),
)


def read_all(low: str) -> dict:
    """Every input the message states: each reader of READERS in turn takes what it reads."""
    scan = Scan(low)
    found: dict = {}
    for reader, applies in READERS:
        if applies(low):
            reader(scan, found)
    return found


def credit_points(found: dict, inputs: dict) -> int | float:
    """The credit in index points. A credit written in dollars ("$350 credit") that is larger than the
    widest wing cannot be points, so it is dollars per contract: divided by the multiplier (100).
    With no wing known, a dollar credit of 100 or more is read the same way."""
    credit = found["credit"]
    if found.get("credit_in_dollars"):
        widths = []
        if "short_put" in inputs and "long_put" in inputs:
            widths.append(abs(inputs["short_put"] - inputs["long_put"]))
        if "short_call" in inputs and "long_call" in inputs:
            widths.append(abs(inputs["long_call"] - inputs["short_call"]))
        if "short_strike" in inputs and "long_strike" in inputs:
            widths.append(abs(inputs["short_strike"] - inputs["long_strike"]))
        limit = max(widths) if widths else 100 - 1e-9
        if credit > limit:
            credit /= MULTIPLIER
    return tidy(credit)
