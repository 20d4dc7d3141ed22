"""The committed glossary (corpus/glossary.yaml) and the Glossary look-ups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.glossary import Glossary, GlossaryError, compute_sources
from assistant.ingest import load_articles
from assistant.numbers import numbers_in

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "corpus" / "glossary.yaml"
ARTICLES = ROOT / "corpus" / "articles"

METHODOLOGY = [
    "alvh",
    "time-shifting",
    "second-engine",
    "big-top-temporal-theta-cash-press",
    "false-binary",
    "steward-vs-promoter",
    "temporal-layering",
    "adaptive-layering",
    "vixshield-methodology",
    "spx-mastery",
]
REQUIRED = METHODOLOGY + """iron-condor call-spread put-spread delta gamma theta vega delta-neutrality time-value
    break-even-point vix vix-futures term-structure spx macd rsi ad-line wacc irr capm pe-ratio pcf-ratio ddm drip
    quick-ratio reit market-cap etf ipo ico ido dex amm dao defi mev multi-sig hft fomc cpi ppi gdp
    real-effective-exchange-rate interest-rate-differential conversion reversal nft wrapped-token smart-contract
    basis-risk convexity hedge-ratio correlation liquidity-drag implied-volatility credit-spread
    probability-of-profit""".split()


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(GLOSSARY)


@pytest.fixture(scope="module")
def articles():
    return {a.id: a for a in load_articles(ARTICLES)}


def test_size_and_required_entries(glossary):
    assert len(glossary) >= 60
    assert len(list(glossary)) == len(glossary)
    missing = [i for i in REQUIRED if glossary.get(i) is None]
    assert missing == []


def test_schema(glossary):
    raw = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and len(raw) == len(glossary)
    for entry in raw:
        assert set(entry) == {"id", "term", "aliases", "definition", "sources", "related"}, entry["id"]
    ids = [t.id for t in glossary]
    assert len(ids) == len(set(ids))
    for term in glossary:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.id)
        assert term.term and term.aliases, term.id
        assert term.related and all(glossary.get(r) for r in term.related), term.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", term.definition) if s]
        assert 1 <= len(sentences) <= 3, term.id
        assert len(term.definition.split()) <= 80, term.id


def test_definitions_hold_no_numbers(glossary):
    # Every number an answer shows must come from a cited passage, so definitions carry none.
    assert {t.id: numbers_in(t.definition) for t in glossary if numbers_in(t.definition)} == {}


def test_required_wording(glossary):
    assert "call spread" in glossary.get("iron-condor").definition
    assert "put spread" in glossary.get("iron-condor").definition
    mev = glossary.get("mev")
    assert any("Maximal Extractable Value" in s for s in (mev.term, mev.definition, *mev.aliases))
    alvh = glossary.get("alvh")
    assert any("Adaptive Layered VIX Hedge" in s for s in (alvh.term, alvh.definition, *alvh.aliases))


def test_sources_exist_and_match_the_articles(glossary, articles):
    for term in glossary:
        assert all(s in articles for s in term.sources), term.id
    # `sources` is what scripts/glossary_sources.py computes from the articles.
    computed = compute_sources(glossary, articles.values())
    stale = {t.id: (list(t.sources), computed[t.id]) for t in glossary if list(t.sources) != computed[t.id]}
    assert stale == {}, "run python scripts/glossary_sources.py"


def test_every_article_term_is_covered(glossary, articles):
    # Each "Expansion (ABBR)" or "ABBR (Expansion)" pair the articles use is a glossary entry.
    pairs = set()
    for article in articles.values():
        pairs |= set(re.findall(r"\b([A-Z][A-Za-z/&-]*(?: [A-Z][A-Za-z/&-]*)*) \(([^()]+)\)", article.body))
    assert len(pairs) >= 30
    unknown = sorted(f"{a} ({b})" for a, b in pairs if glossary.lookup(a) is None and glossary.lookup(b) is None)
    assert unknown == []


@pytest.mark.parametrize("term_id", METHODOLOGY)
def test_methodology_definitions_come_from_the_articles(glossary, articles, term_id):
    term = glossary.get(term_id)
    assert term.sources, term_id
    text = " ".join(f"{articles[s].title} {articles[s].body}" for s in term.sources).lower()
    words = re.findall(r"[a-z][a-z'-]{3,}", term.definition.lower())
    untraced = sorted({w for w in words if w.strip("'-") not in text})
    assert untraced == [], f"{term_id}: words not in its source articles: {untraced}"
    # ...and the term itself is named in every source.
    names = [n.lower() for n in term.names]
    for source in term.sources:
        body = f"{articles[source].title} {articles[source].body}".lower()
        assert glossary.mentions(body) and any(t.id == term_id for t, _, _ in glossary.mentions(body))
        assert any(re.sub(r"\W+", " ", n).strip() in re.sub(r"\W+", " ", body) for n in names), (term_id, source)


@pytest.mark.parametrize(
    "name, term_id",
    [
        ("ALVH", "alvh"),
        ("alvh", "alvh"),
        ("Adaptive Layered VIX Hedge", "alvh"),
        ("A/D line", "ad-line"),
        ("a-d line", "ad-line"),
        ("Advance Decline Line", "ad-line"),
        ("mev", "mev"),
        ("Maximal Extractable Value", "mev"),
        ("Iron Condors", "iron-condor"),
        ("iron condor", "iron-condor"),
        ("iron condur", "iron-condor"),
        ("weighted average cost of capital", "wacc"),
        ("WACC", "wacc"),
        ("P/E", "pe-ratio"),
        ("price-to-earnings ratio", "pe-ratio"),
        ("multisig", "multi-sig"),
        ("Multi-Sig", "multi-sig"),
        ("Time Travel", "time-shifting"),
        ("time-shifting", "time-shifting"),
        ("the second engine", "second-engine"),
        ("Private Leverage Layer", "second-engine"),
        ("False Binary", "false-binary"),
        ("loyalty vs motion", "false-binary"),
        ("Temporal Theta", "big-top-temporal-theta-cash-press"),
        ("Break-Even Point", "break-even-point"),
        ("extrinsic value", "time-value"),
        ("Decentralized Exchanges", "dex"),
        ("S&P 500", "spx"),
        ("impled volatility", "implied-volatility"),
        ("Exchange Traded Funds", "etf"),
    ],
)
def test_lookup(glossary, name, term_id):
    found = glossary.lookup(name)
    assert found is not None and found.id == term_id


@pytest.mark.parametrize("name", ["capital of France", "France", "hello", "", "   ", "the", "weather tomorrow"])
def test_lookup_unrelated_is_none(glossary, name):
    assert glossary.lookup(name) is None


@pytest.mark.parametrize(
    "question, first",
    [
        ("what is WACC", "wacc"),
        ("wat is alvh", "alvh"),
        ("what's MEV", "mev"),
        ("How does a wrapped token keep its 1:1 peg?", "wrapped-token"),
        ("how do iron condurs work?", "iron-condor"),
        ("Explain the Steward vs. Promoter Distinction", "steward-vs-promoter"),
        ("is the VIX term structure in contango?", "term-structure"),
        ("what does time travel mean in trading", "time-shifting"),
        ("whats the advance decline line", "ad-line"),
        ("What is a sensible P/E?", "pe-ratio"),
        ("does delta neutrality hold after the conversion?", "delta-neutrality"),
        ("what is IV crush", "implied-volatility"),
        ("Tell me about the Big Top \u201cTemporal Theta\u201d Cash Press", "big-top-temporal-theta-cash-press"),
    ],
)
def test_find_in_first(glossary, question, first):
    found = glossary.find_in(question)
    assert found and found[0].id == first, [t.id for t in found]


@pytest.mark.parametrize(
    "question",
    [
        "Who won the World Cup?",
        "What is the capital of France?",
        "It is a spy movie about a vegan chef",
        "What IS it, and can you tell me more?",
        "Is the weather nice in Paris in spring?",
        "Please explain how this works",
    ],
)
def test_find_in_unrelated_is_empty(glossary, question):
    assert glossary.find_in(question) == []


def test_find_in_ranks_and_dedupes(glossary):
    found = [t.id for t in glossary.find_in("MEV (Maximal Extractable Value) and MEV again, plus the conversion of gamma")]
    assert found.count("mev") == 1
    assert found[0] == "mev" and set(found) == {"mev", "conversion", "gamma"}
    # Longer exact names beat single ordinary words; longest match wins over its parts.
    assert [t.id for t in glossary.find_in("conversion and delta neutrality")] == ["delta-neutrality", "conversion"]
    assert "etf" not in [t.id for t in glossary.find_in("a letfover metfor")]  # no hits inside words
    assert [t.id for t in glossary.find_in("SPY or spy")] == ["spy"]
    assert {t.id for t in glossary.find_in("What is the P/E of the S&P 500?")} == {"pe-ratio", "spx"}


def _write(tmp_path: Path, entries) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return path


def _entry(term_id, **kw):
    entry = {"id": term_id, "term": term_id.upper(), "aliases": [], "definition": "A thing.", "sources": [], "related": []}
    entry.update(kw)
    return entry


@pytest.mark.parametrize(
    "entries, message",
    [
        ([_entry("a1"), _entry("a1")], "duplicate id"),
        ([_entry("a1", definition="  ")], "'definition' must be a non-empty string"),
        ([_entry("a1", related=["nope"])], "unknown id 'nope'"),
        ([_entry("a1", related=["a1"])], "related to itself"),
        ([_entry("Bad Id")], "lowercase slug"),
        ([_entry("a1", colour="red")], "unknown keys"),
        ([_entry("a1", aliases="x")], "'aliases' must be a list"),
        ([_entry("a1", aliases=["same"]), _entry("b1", aliases=["Same"])], "already a name of 'a1'"),
        ({"not": "a list"}, "expected a list"),
    ],
)
def test_load_rejects_invalid_files(tmp_path, entries, message):
    with pytest.raises(GlossaryError, match=re.escape(message)):
        Glossary.load(_write(tmp_path, entries))


def test_load_missing_file(tmp_path):
    with pytest.raises(GlossaryError, match="no such file"):
        Glossary.load(tmp_path / "none.yaml")
