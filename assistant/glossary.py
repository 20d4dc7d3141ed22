"""The glossary (``corpus/glossary.yaml``): load, look a term up, find the terms a question names.

``Glossary.load`` validates the file and precomputes every normalised name, so
``find_in`` (on the per-question hot path) is dictionary look-ups over the
question's word n-grams plus one batched rapidfuzz call for typos.

Normalisation: NFKD to ASCII, lowercase, words are runs of letters/digits, so
"A/D Line", "a-d line" and "ad line" meet on the words; "multi-sig" also meets
"multisig" (joined form). Each name is indexed as written, without its
parenthetical part ("Break-Even Point (Options)" -> "break even point"), split on
" / " ("Time-Shifting / Time Travel" -> both), without a leading "The", and with
its last word in the plural.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from assistant.errors import VixShieldError

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD = re.compile(r"[a-z0-9]+")
_PAREN = re.compile(r"\s*\([^)]*\)")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u2014": " ", "\u2013": " "})  # "risk—given" is two words

# Never the start or end of a fuzzy n-gram, and never a term on their own.
STOPWORDS = frozenset(
    """a about above after all also am an and any are as at be been being between both but by can could
    define definition describe did do does doing done each else explain explained for from get give had has have
    having he her here hers him his how i if in into is it its it's just know let like me mean meaning means
    more most much my no not now of on one or our out over please question say she should so some such tell
    than that the their them then there these they this those to too under up us use used using vs versus
    was wat we were what whats when where which while who whom why will with work works would you your""".split()
)
# Short all-caps aliases that are also ordinary words: matched in free text only in capitals.
COMMON_WORDS = frozenset({"spy", "it", "us", "am", "ad", "pe", "cap", "dip", "peg", "pop", "iv"})

LOOKUP_CUTOFF = 86.0  # rapidfuzz ratio (0-100) a whole name must reach
MIN_FUZZY_CHARS = 5  # shorter words and names are never matched fuzzily


class GlossaryError(VixShieldError):
    """A glossary file that does not validate; the message names the entry."""

    status_code = 500


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    aliases: tuple[str, ...]
    definition: str
    sources: tuple[str, ...]
    related: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


def fold(text: str) -> str:
    """Lowercase ASCII with typographic quotes straightened."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES)).encode("ascii", "ignore").decode("ascii")
    return text.lower()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _variants(name: str) -> list[tuple[str, int]]:
    """(name variant, rank) pairs: rank 0 as written, 1 derived, 2 plural."""
    out = [(name, 0)]
    base = _PAREN.sub("", name).strip()
    parts = [base, *[p.strip() for p in base.split(" / ")]] if " / " in base else [base]
    for part in parts:
        out.append((part, 1))
        if part.lower().startswith("the "):
            out.append((part[4:], 1))
    return out


def _fuzzy_cutoff(length: int) -> float:
    if length >= 10:
        return 85.0
    if length >= 7:
        return 88.0
    return 90.0


class Glossary:
    def __init__(self, terms: list[Term]):
        self.terms: list[Term] = list(terms)
        self._by_id = {t.id: t for t in self.terms}
        # exact key -> (rank, term index); a key is the words joined by " " (or, for
        # several words, joined by ""). Lower rank wins; first declared wins ties.
        self._exact: dict[str, tuple[int, int]] = {}
        self._case_sensitive: dict[str, int] = {}  # e.g. "SPY": only in capitals in free text
        self._short_punct: list[tuple[re.Pattern, int, int]] = []  # "P/E", "A/D": too short as words
        declared: dict[str, str] = {}
        for index, term in enumerate(self.terms):
            for name in term.names:
                key = " ".join(words(name))
                if key in declared and declared[key] != term.id:
                    raise GlossaryError(f"glossary: the name {name!r} of {term.id!r} is already a name of {declared[key]!r}")
                declared[key] = term.id
                if name.isupper() and key in COMMON_WORDS:
                    self._case_sensitive[name] = index
                if len(key.replace(" ", "")) < 3 and re.search(r"[/&]", name):
                    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", re.I)
                    self._short_punct.append((pattern, index, len(words(name))))
                for variant, rank in _variants(name):
                    toks = words(variant)
                    if not toks:
                        continue
                    keys = [(" ".join(toks), rank)]
                    if len(toks) > 1:
                        keys.append(("".join(toks), rank + 1))
                    plural = [*toks[:-1], _plural(toks[-1])]
                    keys.append((" ".join(plural), 2))
                    if len(toks) > 1:
                        keys.append(("".join(plural), 3))
                    for key, r in keys:
                        if key not in self._exact or self._exact[key][0] > r:
                            self._exact[key] = (r, index)
        # Keys usable in free text: not too short, not ordinary words.
        self._text_keys = {
            k: v[1]
            for k, v in self._exact.items()
            if len(k.replace(" ", "")) >= 3 and k not in COMMON_WORDS and k not in STOPWORDS
        }
        self._max_words = max((k.count(" ") + 1 for k in self._text_keys), default=1)
        # Plural keys are left out: a plural of a short name ("spies") would let ordinary words ("spikes") match it,
        # and a typo of a longer plural is still close to its singular.
        self._fuzzy_keys = [k for k, (rank, _) in self._exact.items() if len(k) >= MIN_FUZZY_CHARS and rank < 2]
        self._fuzzy_terms = [self._exact[k][1] for k in self._fuzzy_keys]

    # --- loading ------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        """Read and validate ``path``: unique ids, non-empty definitions, known related ids."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise GlossaryError(f"{path}: no such file") from None
        except yaml.YAMLError as err:
            raise GlossaryError(f"{path}: not valid YAML ({err})") from None
        if isinstance(data, dict) and "terms" in data:
            data = data["terms"]
        if not isinstance(data, list):
            raise GlossaryError(f"{path}: expected a list of entries")
        terms = [cls._term(entry, i, path) for i, entry in enumerate(data)]
        seen: set[str] = set()
        for term in terms:
            if term.id in seen:
                raise GlossaryError(f"{path}: duplicate id {term.id!r}")
            seen.add(term.id)
        for term in terms:
            for other in term.related:
                if other not in seen:
                    raise GlossaryError(f"{path}: {term.id!r} is related to unknown id {other!r}")
                if other == term.id:
                    raise GlossaryError(f"{path}: {term.id!r} is related to itself")
        return cls(terms)

    @staticmethod
    def _term(entry, i: int, path: Path) -> Term:
        if not isinstance(entry, dict):
            raise GlossaryError(f"{path}: entry {i} is not a mapping")
        where = f"{path}: entry {entry.get('id', i)!r}"
        unknown = set(entry) - {"id", "term", "aliases", "definition", "sources", "related"}
        if unknown:
            raise GlossaryError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("id", "term", "definition"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise GlossaryError(f"{where}: {key!r} must be a non-empty string")
        if not ID_PATTERN.match(entry["id"]):
            raise GlossaryError(f"{where}: id must be a lowercase slug")
        lists = {}
        for key in ("aliases", "sources", "related"):
            value = entry.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise GlossaryError(f"{where}: {key!r} must be a list of non-empty strings")
            lists[key] = tuple(v.strip() for v in value)
        return Term(
            id=entry["id"],
            term=entry["term"].strip(),
            aliases=lists["aliases"],
            definition=" ".join(entry["definition"].split()),
            sources=lists["sources"],
            related=lists["related"],
        )

    # --- access -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def get(self, term_id: str) -> Term | None:
        return self._by_id.get(term_id)

    def lookup(self, name: str) -> Term | None:
        """The entry with this name or alias: exact (case/punctuation-insensitive, plural-tolerant), else fuzzy."""
        toks = words(name)
        while toks and toks[0] in ("the", "a", "an"):
            toks = toks[1:]
        if not toks:
            return None
        for key in (" ".join(toks), "".join(toks)):
            if key in self._exact:
                return self.terms[self._exact[key][1]]
        key = " ".join(toks)
        if len(key) < MIN_FUZZY_CHARS:
            return None
        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=max(LOOKUP_CUTOFF, _fuzzy_cutoff(len(key))))
        return self.terms[self._fuzzy_terms[best[2]]] if best else None

    def mentions(self, text: str) -> list[tuple[Term, int, int]]:
        """Exact mentions in ``text`` as (term, first word, word count), longest match first, no overlaps."""
        toks = words(text)
        found: list[tuple[int, int, int]] = []  # (term index, start, length)
        i = 0
        while i < len(toks):
            for n in range(min(self._max_words, len(toks) - i), 0, -1):
                gram = toks[i : i + n]
                index = self._text_keys.get(" ".join(gram))
                if index is None and n > 1:
                    index = self._text_keys.get("".join(gram))
                if index is not None:
                    found.append((index, i, n))
                    i += n
                    break
            else:
                i += 1
        if self._case_sensitive:
            for position, raw in enumerate(re.findall(r"[A-Za-z0-9]+", text)):
                if raw in self._case_sensitive:
                    found.append((self._case_sensitive[raw], position, 1))
        for pattern, index, n in self._short_punct:
            match = pattern.search(text)
            if match:
                found.append((index, len(words(text[: match.start()])), n))
        return [(self.terms[index], start, n) for index, start, n in found]

    def find_in(self, text: str) -> list[Term]:
        """Terms named in free text, best first: exact names (more words first), then typos."""
        toks = words(text)
        exact = self.mentions(text)
        covered = set()
        for _, start, n in exact:
            covered.update(range(start, start + n))
        ranked: list[tuple[tuple, Term]] = []
        for term, start, n in exact:
            chars = sum(len(t) for t in toks[start : start + n])
            ranked.append(((0, -n, start, -chars), term))  # more words first, then the first named

        grams: list[str] = []
        starts: list[int] = []
        for i in range(len(toks)):
            for n in range(1, 4):
                span = range(i, i + n)
                if i + n > len(toks) or covered.intersection(span):
                    break
                gram = toks[i : i + n]
                if gram[0] in STOPWORDS or gram[-1] in STOPWORDS:
                    continue
                joined = " ".join(gram)
                if len(joined) >= MIN_FUZZY_CHARS and not joined.isdigit():
                    grams.append(joined)
                    starts.append(i)
        if grams and self._fuzzy_keys:
            scores = process.cdist(grams, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=85.0, workers=1)
            for row, gram in enumerate(grams):
                col = int(scores[row].argmax())
                score = float(scores[row, col])
                if score and score >= _fuzzy_cutoff(min(len(gram), len(self._fuzzy_keys[col]))):
                    term = self.terms[self._fuzzy_terms[col]]
                    ranked.append(((1, -score, -len(gram), starts[row]), term))

        out: list[Term] = []
        seen: set[str] = set()
        for _, term in sorted(ranked, key=lambda item: item[0]):
            if term.id not in seen:
                seen.add(term.id)
                out.append(term)
        return out


def load_default() -> Glossary:
    """The project's glossary (``corpus/glossary.yaml`` under the configured corpus folder)."""
    from assistant.settings import get_settings

    return Glossary.load(get_settings().corpus_dir / "glossary.yaml")


__all__ = ["Glossary", "GlossaryError", "Term", "compute_sources", "fold", "load_default", "words"]


def compute_sources(glossary: Glossary, articles) -> dict[str, list[str]]:
    """Term id -> ids of the articles whose title or body names the term (exact names and aliases)."""
    found: dict[str, list[str]] = {t.id: [] for t in glossary}
    for article in sorted(articles, key=lambda a: a.id):
        for term_id in sorted({t.id for t, _, _ in glossary.mentions(f"{article.title}\n{article.body}")}):
            found[term_id].append(article.id)
    return found
