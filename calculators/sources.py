"""The articles behind every methodology figure a calculator uses as a default.

Each figure is quoted word for word from the article (corpus/articles/<article_id>.md); the
article id is the slug of the page title. tests/calculators/test_sources.py checks each quote
against the corpus, so no figure here can drift from what the articles say.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    article_id: str
    title: str
    quote: str  # the sentence fragment that states the figure


DECORRELATION = Source(
    article_id="basis-risk-from-using-vix-to-hedge-nfts-has-anyone-quantified-how-much-the",
    title=(
        "Basis risk from using VIX to hedge NFTs — has anyone quantified how much the correlation actually breaks "
        "during DeFi liquidity shocks?"
    ),
    quote="an average decorrelation factor of 2.8x during shocks, meaning hedges must be oversized by nearly three times",
)
DECORRELATION_FACTOR = 2.8

LAYER_INCREMENTS = Source(
    article_id="russell-clark-compares-alvh-hedging-to-nft-ownership-does-the-hedge-create-the",
    title=(
        "Russell Clark compares ALVH hedging to NFT ownership - does the hedge create the real value like the "
        "on-chain token does?"
    ),
    quote="Layer VIX calls or futures in 20-30% increments of notional exposure",
)
INCREMENT_RANGE = (0.20, 0.30)

STEWARD_ALLOCATION = Source(
    article_id="does-the-alvh-hedge-concept-from-vixshield-iron-condors-actually-make-sense-for",
    title=(
        "Does the ALVH hedge concept from VixShield Iron Condors actually make sense for NFT portfolio drawdowns, "
        "or is this just marketing fluff?"
    ),
    quote="allocating no more than 2-5% of NFT portfolio notional to VIX-linked instruments",
)
ALLOCATION_RANGE = (0.02, 0.05)

_PRECISE_HEDGING_TITLE = (
    "Russell Clark's SPX Mastery talks about precise hedging - does the 1:1 peg in wrapped tokens work the same "
    "way as our iron condor delta neutrality?"
)
_PRECISE_HEDGING_ID = "russell-clarks-spx-mastery-talks-about-precise-hedging-does-the-1-1-peg-in"

EXPIRATIONS = Source(
    article_id=_PRECISE_HEDGING_ID,
    title=_PRECISE_HEDGING_TITLE,
    quote="Layer VIX hedges at 30-, 60-, and 90-day expirations",
)
EXPIRATION_DAYS = (30, 60, 90)

HEDGE_RATIO_BAND = Source(
    article_id=_PRECISE_HEDGING_ID,
    title=_PRECISE_HEDGING_TITLE,
    quote="adjust the hedge ratio — often moving from 1:1 toward 1:1.3 or 1:0.7",
)
HEDGE_RATIO_BASE = 1.0
HEDGE_RATIO_RANGE = (0.7, 1.3)

ALL = (DECORRELATION, LAYER_INCREMENTS, STEWARD_ALLOCATION, EXPIRATIONS, HEDGE_RATIO_BAND)
