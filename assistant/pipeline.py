"""The assistant: question -> understand -> retrieve and/or calculate -> compose -> reply.

One ``Assistant`` owns the whole path; the CLI, the HTTP API and the widget
all call ``run()`` (or ``stream()``) and get the same ``Reply``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant import compose, evidence
from assistant.compose import DISCLAIMER, SCOPE_LINE, CitationList, renumber
from assistant.errors import CalculatorError, InvalidInput, NotFound
from assistant.message import POINTS_BACK, split_clauses, strip_markup, the_question
from assistant.numbers import drop_ungrounded, numbers_in, numbers_of, ungrounded
from assistant.reply import Calculation, Related, Reply
from assistant.settings import Settings, get_settings
from assistant.understand import Intent, Understanding, understand
from assistant.understand.calc import subject_topic

MAX_MESSAGE_CHARS = 4000
MAX_NUMBER_DIGITS = 100  # no figure a question needs comes near; 309+ digits overflow a float


# "What's the price of bitcoin right now?": a quote, which no article holds.
LIVE_DATA = re.compile(
    r"\b(?:price|quote|level|value|trading at|close|closing)\b.*\b(?:right now|rn|atm|today|currently|at the moment|this morning|live)\b|"
    r"\b(?:current|live|today's|latest) (?:price|quote|level|value)\b"
)


@dataclass
class Draft:
    """A reply being composed, before the number-honesty check."""

    answer: str
    citations: CitationList = field(default_factory=CitationList)
    calculations: list[Calculation] = field(default_factory=list)
    grounded: bool = True
    state: dict = field(default_factory=dict)
    rule_numbers: list[float] = field(default_factory=list)  # constants of a calculator's refusal ("at most 1")
    related: list[Related] = field(default_factory=list)  # nearest articles, on a "not covered" decline only


def clean_message(message) -> str:
    """The message trimmed, or InvalidInput with a sentence saying what is wrong."""
    if not isinstance(message, str):
        raise InvalidInput("message must be a string")
    text = message.strip()
    if not text:
        raise InvalidInput("message is empty: send a question of 1 to 4,000 characters")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(f"message is {len(text):,} characters long; the limit is {MAX_MESSAGE_CHARS:,}")
    if re.search("[\ud800-\udfff]", text):
        raise InvalidInput("message holds a lone UTF-16 surrogate (such as \\ud800): send valid Unicode text")
    longest = max((len(run) for run in re.findall(r"\d+", text)), default=0)
    if longest > MAX_NUMBER_DIGITS:
        raise InvalidInput(f"message holds a number with {longest:,} digits; numbers may have at most {MAX_NUMBER_DIGITS}")
    return text


class Assistant:
    def __init__(self, settings: Settings | None = None, store=None, index=None):
        from assistant.index import SearchIndex
        from assistant.store import create_store

        self.settings = settings or get_settings()
        self.index = index or SearchIndex(self.settings)
        self.store = store or create_store(self.settings)
        self._sentence_table = None
        from assistant.answers import CuratedAnswers

        self.answers = CuratedAnswers(self.settings)  # corpus/answers, loaded in warm_up
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def warm_up(self, rebuild_stale: bool = True) -> None:
        """Open the store and load the index, the sentence table and the curated answers.
        ``rebuild_stale=False`` serves a stale index as it is (see SearchIndex.load)."""
        import calculators  # noqa: F401  (registers every calculator)

        self.store.open()
        self.index.load(rebuild_stale=rebuild_stale)
        self.sentence_table()
        self.answers.load()

    # --- the path ---------------------------------------------------------------

    def run(self, message: str, conversation_id: str | None = None, context: dict | None = None) -> Reply:
        """``context``: the state to start from when the conversation has none stored yet
        (the earlier turns an OpenAI-style client sends along; see
        ``assistant.api.routes.openai_compat.context_state``)."""
        text = clean_message(message)
        if conversation_id is None:
            conversation_id = self.store.new_conversation()
        elif not self.store.exists(conversation_id):
            raise NotFound(f"no conversation with id {conversation_id!r}")
        with self._lock(conversation_id):
            previous = self.store.last_state(conversation_id) or context
            asked, understanding = self.understand(text, previous)
            draft = self.answer(asked, understanding)
            reply = self.finish(conversation_id, text, draft)
            self.store.add_turn(conversation_id, text, reply, draft.state)
        return reply

    def understand(self, text: str, previous) -> tuple[str, Understanding]:
        """The question the message asks (markup removed; the question of a message with background
        before it) and what it means. A complete calculation spread over several sentences
        ("SPX is at 5900... what is the probability of profit?") is read from the whole message.
        """
        plain = strip_markup(text)
        if not plain:
            raise InvalidInput("message has no text once its markup is removed: send a question of 1 to 4,000 characters")
        asked = the_question(plain)
        u = self.understand_in_context(asked, previous)
        if asked != plain and not (u.intent is Intent.CALCULATION and u.calc is not None and not u.calc.missing):
            whole = understand(plain, previous, self.index.glossary)
            if whole.intent is Intent.CALCULATION and whole.calc is not None and not whole.calc.missing:
                return plain, whole
            if whole.intent is Intent.DEFINITION and u.intent is not Intent.DEFINITION and POINTS_BACK.search(asked):
                return plain, whole  # 'a customer asked what "time travel" means... I'd like to give them the definition. What is it?'
        return asked, u

    def understand_in_context(self, asked: str, previous):
        """A question that leans on the sentence before it ("...this phrase 'false binary'. what does it
        mean?") is read with the term that sentence names as its topic, as a follow-up would be."""
        whole = understand(asked, previous, self.index.glossary)
        *context, question = split_clauses(asked)
        if context and whole.intent in (Intent.METHODOLOGY, Intent.DEFINITION) and POINTS_BACK.search(question):
            named = self.index.glossary.find_in(" ".join(context))
            named = [t for t in named if t.id not in evidence.GENERIC_TERMS] or named  # "vix futs in backwardation": backwardation
            if named:
                alone = understand(question, {**(previous or {}), "topic": named[-1].term}, self.index.glossary)
                if alone.intent is Intent.DEFINITION:
                    return alone
        return whole

    def stream(self, message: str, conversation_id: str | None = None, context: dict | None = None) -> Iterator[str | Reply]:
        """Yield the answer text in pieces, then the whole reply (already stored)."""
        reply = self.run(message, conversation_id, context)
        for piece in re.findall(r"\S+\s*|\s+", reply.answer):
            yield piece
        yield reply

    def answer(self, text: str, u: Understanding) -> Draft:
        state = {"topic": u.topic, "calculation": None, "focus": [], "asked": u.query}
        if u.intent is Intent.GREETING:
            draft = Draft(f"Hello! {SCOPE_LINE} Ask me about a term, the methodology, or give me a position to compute.", grounded=False)
        elif u.intent is Intent.CALCULATION and u.calc is not None:
            draft = self.calculate(text, u)
        elif (curated := self.curated(text, u)) is not None:
            draft = curated
        elif u.intent is Intent.ADVICE:
            draft = self.advise(text, u)
        elif u.intent is Intent.DEFINITION:
            draft = self.define(text, u) or self.explain(text, u)
        else:
            draft = self.explain(text, u)
        if draft.grounded or draft.state.get("calculation"):
            state.update({k: v for k, v in draft.state.items() if v is not None})
        draft.state = state
        return draft

    # --- the branches -------------------------------------------------------------

    def calculate(self, text: str, u: Understanding) -> Draft:
        import calculators.registry as registry
        from assistant import routes
        from assistant.routes.answers import CONTRACTS_NOTE, compose_calculation

        request = u.calc
        pending = {"calculation": {"calculator": request.calculator, "inputs": request.inputs}, "focus": list(request.focus)}
        if request.missing:
            needed = " and ".join(request.missing) if len(request.missing) <= 2 else ", ".join(request.missing[:-1]) + " and " + request.missing[-1]
            return Draft(f"To compute that I need {needed}. Tell me and I will run the numbers.", grounded=False, state=pending)
        route = routes.get(request.calculator)
        inputs = dict(request.inputs)
        calculator = registry.get(request.calculator)
        if route.spx_multiplier and "multiplier" not in inputs:
            inputs["multiplier"] = self.settings.multiplier  # VIXSHIELD_MULTIPLIER: dollars per index point
        try:
            result = route.run(inputs) if route.run is not None else calculator.run(inputs)
        except CalculatorError as err:
            explanation = without_derived_numbers(str(err), text).rstrip(".")
            return Draft(
                f"I can't compute that: {explanation}. Check the inputs and ask again.",
                grounded=False,
                state={"calculation": None},
                rule_numbers=[n for n in numbers_in(explanation) if n.is_integer() and abs(n) <= 10],
            )
        calc = Calculation(**result)
        body = compose_calculation(calc, tuple(request.focus))
        disclaimer = DISCLAIMER[1:-1]
        note = f"{CONTRACTS_NOTE}; {disclaimer.lower()}" if route.contracts else disclaimer
        return Draft(f"{body}\n\n{note}", calculations=[calc], state=pending)

    def curated(self, text: str, u: Understanding) -> Draft | None:
        """The editors' curated answer (corpus/answers) when its question is close to this one; cited as answer:<id>."""
        from assistant.chunking import Chunk

        found = self.answers.match(text, self.index.encode_query(text))
        if found is None:
            return None
        item, _score = found
        citations = CitationList()
        number = citations.cite(Chunk(id=f"{item.source_id}#0", source_id=item.source_id, title=item.question,
                                      url=None, position=0, text=item.answer, kind="answer"))
        answer = f"{item.answer} [{number}]"
        if u.intent is Intent.ADVICE:
            answer = f"I can't tell you whether to place a trade: this is educational, not financial advice.\n\n{answer}"
        return Draft(answer, citations=citations, state={"topic": u.topic or item.question})

    def define(self, text: str, u: Understanding) -> Draft | None:
        glossary = self.index.glossary
        term = glossary.lookup(u.term) if u.term else None
        if term is None:
            named = glossary.find_in(text)
            term = named[0] if named else None
        if term is None:
            return None
        citations = CitationList()
        chunk = next(c for c in self.index.chunks if c.source_id == f"glossary:{term.id}")
        number = citations.cite(chunk)
        answer = f"**{term.term}**: {term.definition} [{number}]"
        support = self.supporting_sentence(text, term)
        if support is not None:
            answer += f"\n\n{support.text} [{citations.cite(support.chunk)}]"
        return Draft(answer, citations=citations, state={"topic": term.term})

    def supporting_sentence(self, text: str, term) -> compose.Candidate | None:
        """One article sentence that names the term (and reads on its own), the one closest to the question."""
        query_vector = self.index.encode_query(text)
        named = [
            x for x in self.sentence_table().sentences
            if x.chunk.kind == "article" and term.id in x.terms and len(x.text.split()) >= 6 and not compose.leans_back(x.text)
        ]
        if not named:
            return None
        best = max(named, key=lambda x: float(x.vector @ query_vector))
        return compose.Candidate(best.chunk, best.position, best.text, float(best.vector @ query_vector), best.vector, sentence=best)

    def explain(self, text: str, u: Understanding, limit: int = 3, require_evidence: bool = True) -> Draft:
        """Answer from the article sentences that carry the ask, or say the articles don't."""
        query = u.query or text
        hits = self.index.search(query, k=10)
        named = self.index.glossary.find_in(query)
        if LIVE_DATA.search(query.lower()):
            return self.decline("I have no live market data: the VixShield knowledge base holds articles, not quotes.")
        if relevance(hits) < self.settings.decline_threshold and not named and not evidence.in_domain(query):
            return self.decline()
        table = self.sentence_table()
        query_vector = self.index.encode_query(query)
        focus = evidence.focus_of(query, self.index.glossary)
        scored = table.score(query, query_vector, self.index.glossary, focus)
        sides = evidence.comparison_sides(query)
        if require_evidence:
            explaining = evidence.explaining(query) and not table.unknown_trading_words(focus)
            found = [x for x in scored if evidence.is_evidence(x, explaining)]
            if sides:
                found = self.both_sides(sides, table, found)
            if not found:
                return self.not_covered(query, focus, scored, hits)
        else:
            found = scored
        keep = 2 if sides and len(found) >= 2 else 1
        chosen = compose.choose_evidence(found, table, limit=max(limit, keep), keep=keep)
        verb = evidence.ask_verb(query, focus, self.index.glossary) if require_evidence and not sides else None
        if verb and not any(evidence.says(c.sentence, verb) for c in chosen):
            # "how do you measure basis risk?": the evidence names the topic; the sentence that names the ask goes too
            doing = [x for x in scored if evidence.says(x.sentence, verb) and x.coverage >= evidence.MIN_COVERAGE_ALONE]
            doing.sort(key=lambda x: x.sentence.chunk.source_id != found[0].sentence.chunk.source_id)  # the evidence's own article first
            if doing:
                found = [found[0], doing[0], *[x for x in found[1:] if x is not doing[0]]]
                chosen = compose.choose_evidence(found, table, limit=max(limit, 2), keep=2)
        citations = CitationList()
        answer = compose.cited_sentences(chosen, citations)
        topic = u.topic or (named[0].term if named else None)
        # the calculator the answer talks about ("oversized by nearly three times"), for "so for a $60k hedge?"
        return Draft(answer, citations=citations, state={"topic": topic, "subject": subject_topic(answer.lower())})

    def both_sides(self, sides: tuple[str, str], table, found: list) -> list:
        """For "how is X different from Y": the best evidence for each side, first."""
        picks = []
        glossary = self.index.glossary
        terms = [glossary.lookup(re.sub(r"\s+(?:itself|themselves)$", "", side)) for side in sides]
        for side, term in zip(sides, terms):
            vector = self.index.encode_query(side)
            side_focus = evidence.focus_of(side, glossary)
            scored = table.score(side, vector, glossary, side_focus, k=40)
            found_side = [x for x in scored if evidence.is_evidence(x)]
            # a side is a short noun phrase: the sentence that names all of it beats a merely similar one
            best = next((x for x in found_side if x.coverage >= evidence.MIN_COVERAGE), found_side[0] if found_side else None)
            if all(terms):  # two glossary terms ("a VIX future and the VIX index"): their definitions tell them apart
                best = next((x for x in scored if x.sentence.chunk.source_id == f"glossary:{term.id}" and x.sentence.position == 0), best)
            if best is not None and all(best.sentence is not p.sentence for p in picks):
                picks.append(best)
        return picks + [x for x in found if all(x.sentence is not p.sentence for p in picks)] if picks else found

    def not_covered(self, query: str, focus, scored, hits) -> Draft:
        """An in-domain question whose ask no article states: say so, and point at the nearest articles."""
        answer = evidence.not_covered_sentence(query, focus, scored[0] if scored else None)
        related, seen = [], set()
        nearest = [hit.chunk for hit in hits] + [x.sentence.chunk for x in scored]  # passages, then sentences
        for chunk in nearest:
            if chunk.kind == "article" and chunk.source_id not in seen and len(related) < 3:
                seen.add(chunk.source_id)
                related.append(Related(id=chunk.source_id, title=chunk.title, url=chunk.url))
        return Draft(answer, grounded=False, related=related, state={"not_covered": True})

    def sentence_table(self):
        """The article sentences of the loaded index (rebuilt when another index is swapped in)."""
        manifest = self.index.loaded_manifest
        if self._sentence_table is None or self._sentence_table[0] is not manifest:
            self._sentence_table = (manifest, evidence.SentenceTable.build(self.index))
        return self._sentence_table[1]

    def advise(self, text: str, u: Understanding) -> Draft:
        """A request for a trade decision: never a yes or no; the methodology's framing where the
        articles give one, else a plain statement that they don't."""
        lead = "I can't tell you whether to place a trade: this is educational, not financial advice."
        draft = self.explain(text, u, limit=2)
        if draft.grounded:
            draft.answer = f"{lead} Here is how the VixShield methodology frames it:\n\n{draft.answer}"
        elif draft.related:
            draft.answer = f"{lead} {draft.answer}"
        else:
            draft.answer = f"{lead} {SCOPE_LINE}"
        return draft

    def decline(self, why: str = "I can't answer that from the VixShield knowledge base.") -> Draft:
        return Draft(f"{why} {SCOPE_LINE}", grounded=False)

    # --- the last check -------------------------------------------------------------

    def finish(self, conversation_id: str, question: str, draft: Draft) -> Reply:
        """Keep only sentences whose numbers are grounded, and only citations the answer uses."""
        pool = numbers_in(question) + draft.rule_numbers
        for citation in draft.citations.items:
            pool += numbers_in(citation.text)
        for calc in draft.calculations:
            pool += numbers_of(calc.inputs) + numbers_of(calc.outputs)
        answer, _removed = drop_ungrounded(draft.answer, pool)
        if not answer:
            answer = "I can't give a figure for that from what I have. Rephrase the question or check the inputs."
            draft.grounded, draft.citations = False, CitationList()
        answer, citations = renumber(answer, draft.citations.items)
        return Reply(
            conversation_id=conversation_id,
            answer=answer,
            citations=citations,
            calculations=draft.calculations,
            grounded=draft.grounded,
            related=draft.related,
        )

    def _lock(self, conversation_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(conversation_id, threading.Lock())



def relevance(hits) -> float:
    """How well the corpus covers a question: the best cosine of an article passage.

    Glossary entries do not count here (a word such as "reverse" can sit close
    to a glossary term without the question being about it); a question that
    names a glossary term is answered anyway.
    """
    return max((hit.dense for hit in hits if hit.chunk.kind == "article"), default=float("-inf"))


def without_derived_numbers(explanation: str, question: str) -> str:
    """Keep only the question's numbers in a calculator's refusal.

    Parenthesised figures the calculator derived ("the wing width (50)") and
    clauses that show one ("write 0.15 or 15%") are dropped; the rule's own
    small constants ("at most 1") stay.
    """
    pool = numbers_in(question) + [float(n) for n in range(-10, 11)]
    explanation = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if ungrounded(m.group(1), pool) else m.group(0), explanation)
    clauses = [c for c in re.split(r";\s*", explanation) if not ungrounded(c, pool)]
    return "; ".join(clauses) or "the inputs are inconsistent"
