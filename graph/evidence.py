"""The loader's checks of single values: quotes, statuses, ids, dates and types.

Each check reports its own problem (file, line, what, fix) and returns
None or nothing, so that one bad value never stops the others being checked.
"""

from __future__ import annotations

from .dates import DateError, DateSpec, parse_date
from .errors import Problem
from .fields import CONTEXT_CHARS, MIN_QUOTE_CHARS, MIN_QUOTE_WORDS, QUOTE_KEYS, as_list, hint
from .model import Evidence, Fact, Node
from .quotes import normalize
from .yamlio import LineDict

__all__ = ["Resolver", "too_short"]


def too_short(quote: str) -> bool:
    """True when a quote has fewer than three words or fewer than 12 characters.

    Examples
    --------
    >>> too_short("Al-Nujaba"), too_short("January 8, 2024")
    (True, False)
    """
    text = normalize(quote).strip()
    return len(text.split()) < MIN_QUOTE_WORDS or len(text) < MIN_QUOTE_CHARS


class Resolver:
    """Checks of :class:`graph.loader.SourceLoader` that the second pass calls for every value."""

    def _known_ids(self) -> set[str]:
        # Ids are all registered in pass 1; pass 2 only looks them up, so compute the set once.
        if self._known is None:
            self._known = set(self.entities) | set(self.records)
        return self._known

    def evidence(self, doc_id: str, quote, file: str, line: int) -> Evidence | None:
        with self.clock("load.quotes"):
            return self._evidence(doc_id, quote, file, line)

    def _evidence(self, doc_id: str, quote, file: str, line: int) -> Evidence | None:
        occurrence, occurrence_given, short = 1, isinstance(quote, dict) and "occurrence" in quote, False
        if isinstance(quote, LineDict):
            self._check_keys(quote, QUOTE_KEYS, file, "a quote")
            if quote.bad & {"text", "short"}:  # reported already
                return None
            occurrence, short = quote.get("occurrence", 1), quote.get("short", False)
            quote = quote.get("text")
        if not isinstance(quote, str) or not quote.strip():
            self.problem(file, line, "a quote is empty or not text", "write the quote as a string copied from the document")
            return None
        if too_short(quote) and short is not True:
            self.problem(file, line, f"quote {quote[:60]!r} is too short to be evidence",
                         f"quote at least {MIN_QUOTE_WORDS} words and {MIN_QUOTE_CHARS} characters; if this short passage "
                         f"is all the evidence there is, write {{text: {quote[:60]!r}, short: true}}")
            return None
        text = self.texts[doc_id]
        matches = text.find_all(quote)
        if not matches:
            closest = text.closest_passage(quote)
            self.problem(file, line, f"quote not found in {self.documents[doc_id].text_file}: {quote[:100]!r}",
                         f"closest passage: {closest!r}" if closest else "copy the passage from the document")
            return None
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or not 1 <= occurrence <= len(matches):
            self.problem(file, line, f"quote {quote[:60]!r} has no occurrence {occurrence!r}; it occurs {len(matches)} time(s)",
                         f"use an occurrence from 1 to {len(matches)}")
            return None
        match = matches[occurrence - 1]
        if len(matches) > 1 and not occurrence_given:
            self.problem(file, line, f"quote {quote[:60]!r} occurs {len(matches)} times in the document",
                         "lengthen it until it is unique, or write {text: ..., occurrence: N}")
            return None
        document = self.documents[doc_id]
        for start, end in document.boilerplate:
            if match.start < end and match.end > start:
                self.problem(file, line, f"quote {quote[:60]!r} is subscription boilerplate, which is never evidence",
                             "quote the report's own text instead")
                return None
        full = document.text
        return Evidence(
            document=doc_id, start=match.start, end=match.end, exact=match.exact,
            prefix=full[max(0, match.start - CONTEXT_CHARS):match.start], suffix=full[match.end:match.end + CONTEXT_CHARS],
        )

    def quotes_of(self, item: LineDict, doc_id: str, file: str, what: str, required: bool = True) -> set[Evidence]:
        raw = as_list(item.get("quotes")) + as_list(item.get("quote"))
        if not raw:
            if required:
                self.problem(file, item.line, f"{what} has no quote", "add 'quote:' with the passage that supports it")
            return set()
        found = set()
        for quote in raw:
            line = getattr(quote, "line", item.line_of("quotes" if "quotes" in item else "quote"))
            evidence = self.evidence(doc_id, quote, file, line)
            if evidence:
                found.add(evidence)
        return found

    def status_of(self, item: LineDict, file: str, what: str, default: str | None = None) -> str | None:
        if "status" in item.bad:
            return None
        statuses = self.schema.statuses  # the voices, read from the ontology
        value = item.get("status", default)
        if value is None:
            self.problem(file, item.line, f"{what} has no status", f"add 'status:' ({', '.join(statuses)})")
            return None
        if not isinstance(value, str) or value not in statuses:
            self.problem(file, item.line_of("status"), f"unknown status '{value}'",
                         hint(value, statuses) or f"use {', '.join(statuses)}")
            return None
        if statuses[value] == "Inferred" and not item.get("note"):
            self.problem(file, item.line_of("status"), f"{what} is inferred but gives no reasoning",
                         "add 'note:' saying how the quotes imply it")
        return statuses[value]

    def resolve_ids(self, value, file: str, line: int, field: str) -> list[str]:
        resolved = []
        known = self._known_ids()
        for ref in as_list(value):
            if isinstance(ref, str) and ref in known:
                resolved.append(ref)
            elif isinstance(ref, (str, int, float)) and not isinstance(ref, bool):
                self.unresolved.append(Problem(file, line, f"unknown id '{ref}' in '{field}'",
                                               hint(ref, known) or "add it to sources/entities/ or define the record"))
            else:
                self.problem(file, line, f"'{field}' must be an id or a list of ids, not {ref!r}",
                             "write one id, or a list such as [al-nujaba, iran]")
        return resolved

    def date_of(self, value, file: str, line: int) -> DateSpec | None:
        text = str(value).strip()
        if not text.isascii() or any(c.isspace() for c in text):
            odd = "spaces" if text.isascii() else "characters other than ASCII (such as Arabic-Indic digits)"
            self.problem(file, line, f"bad date: {text!r} has {odd} inside it",
                         f"write it with the digits 0-9 and no spaces, e.g. {''.join(c for c in text if not c.isspace())!r}"
                         if text.isascii() else "write it with the digits 0-9, e.g. 2024-01-08")
            return None
        try:
            return parse_date(value)
        except DateError as exc:
            self.problem(file, line, f"bad date: {exc}",
                         "write YYYY-MM-DD, YYYY-MM, YYYY, A/B, [A..B] or 'unknown' (see docs/curation.md)")
            return None

    def check_type(self, node_id: str, wanted: str | None, file: str, line: int, field: str) -> None:
        if not wanted or wanted not in self.schema.ancestors:
            return
        types = self._types_of(node_id)
        if types and not any(self.schema.is_a(t, wanted) for t in types):
            self.problem(file, line, f"'{node_id}' is a {'/'.join(sorted(types))}, but '{field}' needs a {wanted}",
                         "check the id, or the entity's type in the registry")

    def _types_of(self, node_id: str) -> set[str]:
        if node_id in self.entities:  # an unknown type is reported already: no type checks then
            etype = self.entities[node_id].type
            return {etype} if etype in self.entity_types else set()
        record = self.records.get(node_id)
        if record is None:
            return set()
        return set(record.types) or {"Event" if record.kind == "event" else "Statement"}

    def add_fact(self, fact: Fact) -> None:
        existing = self.facts.get(fact.key)
        if existing is None:
            self.facts[fact.key] = fact
        else:
            existing.evidence |= fact.evidence
            existing.attributed_to |= fact.attributed_to
            existing.notes |= fact.notes
            existing.role_label = existing.role_label or fact.role_label

    def _fact(self, subject: Node, predicate: str, obj, status: str, doc_id: str, evidence, file: str, line: int,
              attributed_to=(), record: str | None = None, notes=(), role_label: str | None = None) -> None:
        self.add_fact(Fact(subject=subject, predicate=predicate, object=obj, status=status, document=doc_id,
                           evidence=set(evidence), attributed_to=set(attributed_to), record=record,
                           notes={str(n) for n in notes if n}, role_label=role_label, file=file, line=line))
