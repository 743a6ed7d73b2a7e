"""Load the curated sources in two passes and check everything.

The first pass reads every file and registers every id; the second resolves
references, parses dates, finds every quote in its document and turns
records into facts. All problems are collected and reported together, each
with its file, line and a fix.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path

from .clock import Clock
from .dates import DateError, DateSpec, parse_date
from .errors import Problem, SourceError
from .model import STATUSES, Corpus, Document, Entity, Evidence, Fact, Literal, Node, Record
from .quotes import NormalizedText
from .schema import Schema, load_schema
from .yamlio import LineDict, load_yaml

__all__ = ["load_sources", "SourceLoader"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONTEXT_CHARS = 32
DOCUMENT_KINDS = {"monitoring-report": "MonitoringReport", "news-article": "NewsArticle"}
EVENT_TYPES = ("Attack", "MilitaryOperation", "War", "Moratorium", "GovernmentAction")

# Record fields: YAML key -> (kg property, how the value is read).
EVENT_FIELDS = {
    "claimed_by": ("claimedBy", "ids"),
    "perpetrator": ("perpetrator", "ids"),
    "target": ("target", "ids"),
    "place": ("place", "ids"),
    "weapon": ("weapon", "ids"),
    "declared_by": ("declaredBy", "ids"),
    "part_of": ("partOfEvent", "ids"),
    "in_response_to": ("inResponseTo", "ids"),
    "date": ("date", "date"),
    "occurrences": ("occurrences", "integer"),
    "occurrences_text": ("occurrencesText", "string"),
    "outcome": ("outcome", "string"),
}
STATEMENT_FIELDS = {
    "speaker": ("speaker", "ids"),
    "on_behalf_of": ("onBehalfOf", "ids"),
    "date": ("date", "date"),
    "via": ("via", "ids"),
    "claims": ("claimsResponsibilityFor", "ids"),
    "disavows": ("disavows", "ids"),
    "denies": ("denies", "ids"),
    "threatens": ("threatens", "ids"),
    "declares": ("declares", "ids"),
    "declares_end_of": ("declaresEndOf", "ids"),
    "affirms_commitment_to": ("affirmsCommitmentTo", "ids"),
    "supports": ("supports", "ids"),
    "criticizes": ("criticizes", "ids"),
    "about": ("about", "ids"),
    "in_response_to": ("inResponseTo", "ids"),
}
COMMON_KEYS = {"quote", "quotes", "note", "status"}
EVENT_KEYS = {"event", "type", "label", "date_text", *EVENT_FIELDS, *COMMON_KEYS}
STATEMENT_KEYS = {"statement", "types", "label", "gist", "date_text", "followed_through", *STATEMENT_FIELDS, *COMMON_KEYS}
RELATION_KEYS = {"relation", "subject", "object", "date", "role", "claimed_by", *COMMON_KEYS}
ENTITY_KEYS = {"id", "type", "label", "aliases", "description", "unnamed", "note"}
DOCUMENT_KEYS = {
    "id", "file", "original_file", "sha256", "title", "kind", "language", "publisher",
    "series", "published", "cites", "boilerplate", "notes",
}


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class SourceLoader:
    """Reads ``sources/`` into a :class:`~graph.model.Corpus`.

    Parameters
    ----------
    root : Path
        The ``sources`` folder, holding ``entities/`` and ``documents/``.
    schema : Schema, optional
        The vocabulary; read from ``ontology/kg.ttl`` when not given.
    """

    def __init__(self, root: Path, schema: Schema | None = None, clock: Clock | None = None):
        self.clock = clock or Clock()
        self.root = Path(root)
        self.schema = schema or load_schema()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.entities: dict[str, Entity] = {}
        self.documents: dict[str, Document] = {}
        self.texts: dict[str, NormalizedText] = {}
        self.records: dict[str, Record] = {}
        self.facts: dict[tuple, Fact] = {}
        self._metadata: dict[str, LineDict] = {}
        self._known: set[str] | None = None
        self.entity_types = set(self.schema.subclasses("Entity"))

    # -- helpers -------------------------------------------------------------

    def _display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, file: str, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, line, message, hint))

    def _known_ids(self) -> set[str]:
        # Ids are all registered in pass 1; pass 2 only looks them up, so compute the set once.
        if self._known is None:
            self._known = set(self.entities) | set(self.records)
        return self._known

    def _check_keys(self, item: LineDict, allowed: set[str], file: str, what: str) -> None:
        for key in item:
            if key not in allowed:
                self.problem(file, item.line_of(key), f"unknown field '{key}' in {what}",
                             _hint(key, allowed) or f"allowed fields: {', '.join(sorted(allowed))}")

    def _require(self, item: LineDict, key: str, file: str, what: str) -> object:
        value = item.get(key)
        if value is None or value == "" or value == []:
            self.problem(file, item.line, f"{what} is missing the field '{key}'", f"add '{key}:' to it")
            return None
        return value

    # -- pass 1: read files, register ids ------------------------------------

    def _yaml_files(self, folder: str, what: str, fix: str):
        """Yield (path, display name, data) of every parsable YAML file in a sources folder."""
        # <id>.suggested.yaml is kg suggest's draft beside a document: never curated input.
        files = sorted(p for p in (self.root / folder).glob("*.yaml") if not p.name.endswith(".suggested.yaml"))
        if not files:
            self.problem(self._display(self.root / folder), 0, f"no {what} files found", fix)
        for path in files:
            file = self._display(path)
            data, problems = load_yaml(path, file)
            self.problems.extend(problems)
            if data is not None:
                yield path, file, data

    def read_entities(self) -> None:
        for _path, file, data in self._yaml_files(
                "entities", "entity registry", "create sources/entities/<topic>.yaml with a top-level 'entities:' list"):
            if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
                self.problem(file, getattr(data, "line", 1), "an entity file must have a top-level 'entities:' list",
                             "start the file with 'entities:' and list one mapping per entity")
                continue
            for item in data["entities"]:
                self._read_entity(item, file)

    def _read_entity(self, item, file: str) -> None:
        if not isinstance(item, LineDict):
            self.problem(file, 0, f"entity entry {item!r} is not a mapping",
                         "write each entity as 'id: ..., type: ..., label: ...'")
            return
        self._check_keys(item, ENTITY_KEYS, file, "an entity")
        entity_id = self._require(item, "id", file, "an entity")
        etype = self._require(item, "type", file, f"entity '{entity_id}'")
        label = self._require(item, "label", file, f"entity '{entity_id}'")
        description = self._require(item, "description", file, f"entity '{entity_id}'")
        if entity_id is None:
            return
        entity_id = str(entity_id)
        if not SLUG.match(entity_id):
            self.problem(file, item.line_of("id"), f"id '{entity_id}' is not a slug",
                         "use lower-case letters, digits and single hyphens, e.g. 'al-nujaba'")
        if etype is not None and etype not in self.entity_types:
            self.problem(file, item.line_of("type"), f"unknown entity type '{etype}'",
                         _hint(etype, self.entity_types) or f"use one of {', '.join(sorted(self.entity_types))}")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            self.problem(file, item.line_of("aliases"), f"aliases of '{entity_id}' must be a list of strings",
                         "write aliases: [First Spelling, Second Spelling]")
            aliases = []
        if entity_id in self.entities:
            first = self.entities[entity_id]
            self.problem(file, item.line_of("id"), f"duplicate id '{entity_id}'",
                         f"it is already defined at {first.file}, line {first.line}; rename one of them")
            return
        self.entities[entity_id] = Entity(
            id=entity_id, type=str(etype), label=str(label or entity_id), aliases=tuple(dict.fromkeys(aliases)),
            description=str(description or ""), unnamed=bool(item.get("unnamed", False)), file=file, line=item.line,
        )

    def read_documents(self) -> list[tuple[Document, list, str]]:
        loaded = []
        for path, file, data in self._yaml_files(
                "documents", "document", "add sources/documents/<id>.yaml beside each <id>.txt"):
            if not isinstance(data, LineDict) or not isinstance(data.get("document"), LineDict):
                self.problem(file, getattr(data, "line", 1), "a document file needs a 'document:' mapping",
                             "start the file with 'document:' holding id, file, sha256, title, kind and language")
                continue
            for key in data:
                if key not in ("document", "facts"):
                    self.problem(file, data.line_of(key), f"unknown top-level field '{key}'",
                                 _hint(key, ["document", "facts"]) or "use 'document:' and 'facts:'")
            document = self._read_document(data["document"], path, file)
            if document is not None:
                self._metadata[document.id] = data["document"]
            facts = data.get("facts") or []
            if not isinstance(facts, list):
                self.problem(file, data.line_of("facts"), "'facts:' must be a list of records",
                             "write one '- relation: ...', '- event: ...' or '- statement: ...' per record")
                facts = []
            if document is not None:
                loaded.append((document, facts, file))
        return loaded

    def _read_document(self, meta: LineDict, path: Path, file: str) -> Document | None:
        self._check_keys(meta, DOCUMENT_KEYS, file, "the document record")
        values = {key: self._require(meta, key, file, "the document record")
                  for key in ("id", "file", "sha256", "title", "kind", "language")}
        if any(v is None for v in values.values()):
            return None
        doc_id = str(values["id"])
        if not SLUG.match(doc_id):
            self.problem(file, meta.line_of("id"), f"document id '{doc_id}' is not a slug",
                         "use lower-case letters, digits and single hyphens")
        if path.stem != doc_id:
            self.problem(file, meta.line_of("id"), f"document id '{doc_id}' does not match the file name '{path.name}'",
                         f"rename the file to {doc_id}.yaml or change the id")
        if doc_id in self.documents:
            self.problem(file, meta.line_of("id"), f"duplicate document id '{doc_id}'", "give each document its own id")
            return None
        text_path = path.parent / str(values["file"])
        if not text_path.is_file():
            self.problem(file, meta.line_of("file"), f"document text '{values['file']}' not found",
                         f"put the text at {self._display(text_path)}")
            return None
        raw = text_path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != str(values["sha256"]).lower():
            self.problem(file, meta.line_of("sha256"),
                         f"the document {values['file']} has changed: its SHA-256 is {digest}, not {values['sha256']}",
                         "restore the original text byte-for-byte; if the change is intended, review every quote and update sha256")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(file, meta.line_of("file"), f"{values['file']} is not UTF-8 ({exc.reason})", "convert it to UTF-8")
            return None
        first_line = text.split("\n", 1)[0].rstrip("\r")
        if str(values["title"]) != first_line:
            self.problem(file, meta.line_of("title"), "the title differs from the document's first line",
                         f"copy the first line exactly: {first_line[:100]!r}")
        if values["kind"] not in DOCUMENT_KINDS:
            self.problem(file, meta.line_of("kind"), f"unknown document kind '{values['kind']}'",
                         f"use one of {', '.join(DOCUMENT_KINDS)}")
        document = Document(
            id=doc_id, yaml_file=file, text_file=str(values["file"]), original_file=str(meta.get("original_file") or ""),
            sha256=digest, title=first_line, kind=str(values["kind"]), language=str(values["language"]), text=text,
            notes=[str(n) for n in _as_list(meta.get("notes"))],
        )
        self.documents[doc_id] = document
        self.texts[doc_id] = NormalizedText(text)
        self._read_boilerplate(document, meta, file)
        return document

    def _read_boilerplate(self, document: Document, meta: LineDict, file: str) -> None:
        for entry in _as_list(meta.get("boilerplate")):
            to_end = isinstance(entry, dict) and "from" in entry
            text = entry["from"] if to_end else entry
            matches = self.texts[document.id].find_all(str(text))
            if not matches:
                self.problem(file, getattr(entry, "line", meta.line_of("boilerplate")),
                             f"boilerplate passage not found: {str(text)[:80]!r}", "copy the passage from the document")
                continue
            for match in matches:
                document.boilerplate.append((match.start, len(document.text) if to_end else match.end))

    def register_records(self, loaded) -> None:
        for document, items, file in loaded:
            seen_here: set[str] = set()
            for item in items:
                if not isinstance(item, LineDict):
                    self.problem(file, 0, f"record {item!r} is not a mapping",
                                 "start each record with '- relation:', '- event:' or '- statement:'")
                    continue
                kind = next((k for k in ("event", "statement") if k in item), None)
                if kind is None:
                    continue
                record_id = str(item[kind])
                line = item.line_of(kind)
                if not SLUG.match(record_id):
                    self.problem(file, line, f"{kind} id '{record_id}' is not a slug",
                                 "use lower-case letters, digits and single hyphens")
                if record_id in self.entities:
                    self.problem(file, line, f"{kind} id '{record_id}' is already an entity id",
                                 f"rename the {kind}; ids are shared by entities and records")
                    continue
                if record_id in seen_here:
                    self.problem(file, line, f"duplicate {kind} id '{record_id}' in this document",
                                 "merge the two records or rename one")
                    continue
                seen_here.add(record_id)
                existing = self.records.get(record_id)
                if existing is None:
                    self.records[record_id] = Record(id=record_id, kind=kind, types=set(), label="", file=file, line=line)
                elif existing.kind != kind:
                    self.problem(file, line, f"'{record_id}' is a {existing.kind} in {existing.file}, line {existing.line}, "
                                 f"but a {kind} here", "use another id")

    # -- pass 2: resolve -----------------------------------------------------

    def evidence(self, doc_id: str, quote, file: str, line: int) -> Evidence | None:
        with self.clock("load.quotes"):
            return self._evidence(doc_id, quote, file, line)

    def _evidence(self, doc_id: str, quote, file: str, line: int) -> Evidence | None:
        occurrence, occurrence_given = 1, isinstance(quote, dict) and "occurrence" in quote
        if isinstance(quote, dict):
            occurrence = quote.get("occurrence", 1)
            quote = quote.get("text")
        if not isinstance(quote, str) or not quote.strip():
            self.problem(file, line, "a quote is empty or not text", "write the quote as a string copied from the document")
            return None
        text = self.texts[doc_id]
        matches = text.find_all(quote)
        if not matches:
            closest = text.closest_passage(quote)
            self.problem(file, line, f"quote not found in {self.documents[doc_id].text_file}: {quote[:100]!r}",
                         f"closest passage: {closest!r}" if closest else "copy the passage from the document")
            return None
        if not isinstance(occurrence, int) or not 1 <= occurrence <= len(matches):
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
        raw = _as_list(item.get("quotes")) + _as_list(item.get("quote"))
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
        value = item.get("status", default)
        if value is None:
            self.problem(file, item.line, f"{what} has no status", "add 'status: claimed', 'reported' or 'assessed'")
            return None
        if value not in STATUSES:
            self.problem(file, item.line_of("status"), f"unknown status '{value}'",
                         _hint(value, STATUSES) or "use claimed, reported or assessed")
            return None
        return STATUSES[value]

    def resolve_ids(self, value, file: str, line: int, field: str) -> list[str]:
        resolved = []
        known = self._known_ids()
        for ref in _as_list(value):
            ref = str(ref)
            if ref in known:
                resolved.append(ref)
            else:
                self.problem(file, line, f"unknown id '{ref}' in '{field}'",
                             _hint(ref, known) or "add it to sources/entities/ or define the record")
        return resolved

    def date_of(self, value, file: str, line: int) -> DateSpec | None:
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
        if node_id in self.entities:
            return {self.entities[node_id].type}
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

    # -- document metadata -----------------------------------------------

    def resolve_document_metadata(self, document: Document, meta: LineDict, file: str) -> None:
        doc = Node("doc", document.id)
        publisher = meta.get("publisher")
        if publisher is not None:
            self._entity_with_quote(doc, "publisherEntity", publisher, document, file, meta.line_of("publisher"))
        for cited in _as_list(meta.get("cites")):
            self._entity_with_quote(doc, "cites", cited, document, file, getattr(cited, "line", meta.line_of("cites")))
        series = meta.get("series")
        if series is not None:
            if not isinstance(series, LineDict) or "value" not in series:
                self.problem(file, meta.line_of("series"), "series needs 'value' and 'quote'",
                             "write series: {value: ..., quote: ...}")
            else:
                evidence = self.quotes_of(series, document.id, file, "the series")
                if evidence:
                    self._fact(doc, "series", Literal(str(series["value"])), "Reported", document.id, evidence, file, series.line)
        published = meta.get("published")
        if not isinstance(published, LineDict) or "date" not in published:
            self.problem(file, meta.line_of("published") if published is not None else meta.line,
                         "the document record needs 'published' with a date",
                         "write published: {date: 2024-01-08, quote: ...}, or date: unknown with the bounds you can derive")
            return
        spec = self.date_of(published["date"], file, published.line_of("date"))
        bounds = _as_list(published.get("bounds"))
        evidence, notes = set(), []
        for bound in bounds:
            if isinstance(bound, LineDict):
                evidence |= self.quotes_of(bound, document.id, file, "a date bound")
                notes.append(bound.get("note"))
        evidence |= self.quotes_of(published, document.id, file, "the publication date", required=not bounds)
        if spec is not None:
            text = published.get("text")
            if text:
                notes.append(f"Publication date as stated: {text}.")
            self._fact(doc, "date", spec, "Reported" if spec.precision == "day" else "Assessed", document.id, evidence,
                       file, published.line, notes=notes)

    def _entity_with_quote(self, doc: Node, predicate: str, entry, document: Document, file: str, line: int) -> None:
        if not isinstance(entry, LineDict) or "entity" not in entry:
            self.problem(file, line, f"'{predicate}' entries need 'entity' and 'quote'", "write {entity: some-id, quote: ...}")
            return
        ids = self.resolve_ids(entry["entity"], file, entry.line, predicate)
        evidence = self.quotes_of(entry, document.id, file, f"'{predicate}' of the document")
        for entity_id in ids:
            if evidence:
                self._fact(doc, predicate, Node("id", entity_id), "Reported", document.id, evidence, file, entry.line)

    # -- records -------------------------------------------------------------

    def resolve_record_types(self, loaded) -> None:
        """Give every record its types first, so that type checks see them all."""
        for document, items, file in loaded:
            for item in items:
                if not isinstance(item, LineDict):
                    continue
                if "event" in item and str(item["event"]) in self.records:
                    etype = item.get("type")
                    if etype not in EVENT_TYPES:
                        self.problem(file, item.line_of("type"), f"event '{item['event']}' has type {etype!r}",
                                     _hint(etype, EVENT_TYPES) if etype else f"add 'type:' ({', '.join(EVENT_TYPES)})")
                    else:
                        self.records[str(item["event"])].types.add(etype)
                elif "statement" in item and str(item["statement"]) in self.records:
                    types = _as_list(item.get("types"))
                    allowed = [c for c in self.schema.subclasses("Statement") if c != "Statement"]
                    record = self.records[str(item["statement"])]
                    record.types.add("Statement")
                    if not types:
                        self.problem(file, item.line, f"statement '{item['statement']}' has no 'types'",
                                     f"add types: [...] from {', '.join(allowed)}")
                    for stype in types:
                        if stype in allowed:
                            record.types.add(stype)
                        else:
                            self.problem(file, item.line_of("types"), f"unknown statement type '{stype}'",
                                         _hint(stype, allowed) or f"use {', '.join(allowed)}")

    def resolve_record(self, item: LineDict, document: Document, file: str) -> None:
        if "relation" in item:
            self._check_keys(item, RELATION_KEYS, file, "a relation record")
            self.resolve_relation(item, document, file)
        elif "event" in item:
            self._check_keys(item, EVENT_KEYS, file, "an event record")
            self.resolve_event(item, document, file)
        elif "statement" in item:
            self._check_keys(item, STATEMENT_KEYS, file, "a statement record")
            self.resolve_statement(item, document, file)
        else:
            self.problem(file, item.line, "a record must be a relation, an event or a statement",
                         "start it with 'relation:', 'event:' or 'statement:'" + (f" ({_hint(next(iter(item)), ['relation', 'event', 'statement'])})" if item else ""))

    def resolve_relation(self, item: LineDict, document: Document, file: str) -> None:
        name = str(item["relation"])
        relations = self.schema.curated_relations
        prop = relations.get(name)
        if prop is None:
            self.problem(file, item.line_of("relation"), f"unknown relation '{name}'",
                         _hint(name, relations) or f"use one of {', '.join(sorted(relations))}")
            return
        status = self.status_of(item, file, f"relation '{name}'")
        evidence = self.quotes_of(item, document.id, file, f"relation '{name}'")
        subjects = self.resolve_ids(self._require(item, "subject", file, f"relation '{name}'"), file, item.line_of("subject"), "subject")
        if prop.range == "DateSpec":
            raw = self._require(item, "date", file, f"relation '{name}'")
            objects = [self.date_of(raw, file, item.line_of("date"))] if raw is not None else []
        else:
            objects = [Node("id", i) for i in self.resolve_ids(self._require(item, "object", file, f"relation '{name}'"),
                                                              file, item.line_of("object"), "object")]
        claimants = self.resolve_ids(item.get("claimed_by"), file, item.line_of("claimed_by"), "claimed_by")
        if status and prop.requires_status and status != prop.requires_status:
            self.problem(file, item.line_of("status"), f"relation '{name}' is always {prop.requires_status.lower()}, not {status.lower()}",
                         f"write status: {prop.requires_status.lower()}")
        if status == "Claimed" and not claimants:
            self.problem(file, item.line, f"claimed relation '{name}' does not say who claims it", "add 'claimed_by: <id>'")
        for subject in subjects:
            self.check_type(subject, prop.domain, file, item.line_of("subject"), f"{name} subject")
        for obj in objects:
            if isinstance(obj, Node):
                self.check_type(obj.id, prop.range, file, item.line_of("object"), f"{name} object")
        if status is None or not evidence:
            return
        for subject in subjects:
            for obj in objects:
                if obj is not None:
                    self._fact(Node("id", subject), name, obj, status, document.id, evidence, file, item.line,
                               attributed_to=claimants, notes=[item.get("note")],
                               role_label=str(item["role"]) if item.get("role") else None)

    def _record_fields(self, item: LineDict, record: Record, fields: dict, status: str, evidence, document: Document,
                       file: str, claimants: list[str]) -> None:
        subject = Node("id", record.id)
        for key, (predicate, reader) in fields.items():
            if key not in item or item[key] in (None, []):
                continue
            line = item.line_of(key)
            prop = self.schema.properties[predicate]
            if reader == "ids":
                objects = [Node("id", i) for i in self.resolve_ids(item[key], file, line, key)]
                for obj in objects:
                    self.check_type(obj.id, prop.range, file, line, key)
            elif reader == "date":
                spec = self.date_of(item[key], file, line)
                objects = [spec] if spec else []
            elif reader == "integer":
                if not isinstance(item[key], int) or isinstance(item[key], bool) or item[key] < 1:
                    self.problem(file, line, f"'{key}' must be a whole number of at least 1",
                                 "write the count the source gives, or use occurrences_text for 'several'")
                    continue
                objects = [Literal(str(item[key]), "integer")]
            else:
                objects = [Literal(str(item[key]))]
            if not evidence:
                continue
            for obj in objects:
                if predicate == "claimedBy":  # a claim of responsibility is each claimant's own
                    fact_status, attributed = "Claimed", [obj.id]
                else:
                    fact_status, attributed = status, (claimants if status == "Claimed" else [])
                self._fact(subject, predicate, obj, fact_status, document.id, evidence, file, line,
                           attributed_to=attributed, record=record.id, notes=[item.get("note")])

    def _annotate(self, record: Record, item: LineDict, document: Document, file: str, label_key: str | None) -> None:
        record.documents.add(document.id)
        label = item.get(label_key) if label_key else None
        if label:
            if not record.label:
                record.label, record.file, record.line = str(label), file, item.line
            elif str(label) != record.label:
                record.alt_labels.add(str(label))
        for key, target in (("date_text", record.date_texts), ("gist", record.gists), ("note", record.notes)):
            if item.get(key):
                target.add(str(item[key]))

    def resolve_event(self, item: LineDict, document: Document, file: str) -> None:
        record = self.records.get(str(item["event"]))
        if record is None or record.kind != "event":
            return
        what = f"event '{record.id}'"
        self._annotate(record, item, document, file, "label")
        if not item.get("label") and not record.label:
            self.problem(file, item.line, f"{what} has no label", "add 'label:' with a short neutral description")
        status = self.status_of(item, file, what)
        evidence = self.quotes_of(item, document.id, file, what)
        claimants = self.resolve_ids(item.get("claimed_by"), file, item.line_of("claimed_by"), "claimed_by")
        if status == "Claimed" and not claimants:
            self.problem(file, item.line, f"{what} is claimed but names no claimant", "add 'claimed_by: [<id>]'")
        if status is None:
            return
        if evidence:
            self._fact(Node("id", record.id), "status", Node("status", status), status, document.id, evidence, file,
                       item.line, attributed_to=claimants if status == "Claimed" else (), record=record.id)
        self._record_fields(item, record, EVENT_FIELDS, status, evidence, document, file, claimants)

    def resolve_statement(self, item: LineDict, document: Document, file: str) -> None:
        record = self.records.get(str(item["statement"]))
        if record is None or record.kind != "statement":
            return
        what = f"statement '{record.id}'"
        self._annotate(record, item, document, file, "label")
        status = self.status_of(item, file, what, default="reported")
        evidence = self.quotes_of(item, document.id, file, what)
        for ev in evidence:
            record.quoted.add(ev.exact)
        for key in ("speaker", "date"):
            self._require(item, key, file, what)
        speakers = _as_list(item.get("speaker"))
        if len(speakers) > 1:
            self.problem(file, item.line_of("speaker"), f"{what} has {len(speakers)} speakers",
                         "give one speaker; split a joint statement into one record per speaker")
        if status is None:
            return
        self._record_fields(item, record, STATEMENT_FIELDS, status, evidence, document, file, [])
        followed = item.get("followed_through")
        if followed is not None:
            line = item.line_of("followed_through")
            if not isinstance(followed, LineDict) or not isinstance(followed.get("value"), bool):
                self.problem(file, line, "'followed_through' needs 'value: true|false', 'status' and 'quote'",
                             "write followed_through: {value: false, status: reported, quote: ...}")
                return
            if "Threat" not in record.types:
                self.problem(file, line, f"{what} has 'followed_through' but is not a Threat", "add Threat to its types")
            fstatus = self.status_of(followed, file, "followed_through")
            fevidence = self.quotes_of(followed, document.id, file, "followed_through")
            if fstatus and fevidence:
                self._fact(Node("id", record.id), "followedThrough", Literal(str(followed["value"]).lower(), "boolean"),
                           fstatus, document.id, fevidence, file, line, record=record.id, notes=[followed.get("note")])

    # -- warnings --------------------------------------------------------

    def warn_unused(self) -> None:
        # One search per alias in all texts joined (a NUL cannot occur in a needle), not one per document.
        corpus_text = "\0".join(self.texts[d].normalized for d in sorted(self.documents)).lower()
        for entity in self.entities.values():
            for alias in entity.aliases:
                needle = NormalizedText(alias).normalized.lower()
                if needle not in corpus_text:
                    self.warnings.append(Problem(entity.file, entity.line, f"alias {alias!r} of '{entity.id}' occurs in no document",
                                                 "keep only spellings the sources use"))
        used = set()
        for fact in self.facts.values():
            used.add(fact.subject.id)
            if isinstance(fact.object, Node):
                used.add(fact.object.id)
            used |= fact.attributed_to
        for entity in self.entities.values():
            if entity.id not in used:
                self.warnings.append(Problem(entity.file, entity.line, f"entity '{entity.id}' takes part in no fact",
                                             "curate a fact that uses it, or remove it"))

    # -- driver ----------------------------------------------------------

    def load(self) -> Corpus:
        with self.clock("load.read"):
            self.read_entities()
            loaded = self.read_documents()
        self.register_records(loaded)
        self.resolve_record_types(loaded)
        for document, items, file in loaded:
            self.resolve_document_metadata(document, self._metadata[document.id], file)
            for item in items:
                if isinstance(item, LineDict):
                    self.resolve_record(item, document, file)
        facts_by_subject: dict[str, list[Fact]] = {}
        for fact in self.facts.values():
            facts_by_subject.setdefault(fact.subject.id, []).append(fact)
        for record in self.records.values():
            if record.documents and not record.label and record.kind == "statement":
                record.label = self._statement_label(record, facts_by_subject.get(record.id, []))
        if self.problems:
            raise SourceError(self.problems)
        self.warn_unused()
        facts = sorted(self.facts.values(), key=lambda f: (f.document, f.subject, f.predicate, str(f.key[2]), f.status))
        return Corpus(entities=self.entities, documents=self.documents, records=self.records, facts=facts,
                      warnings=sorted(set(self.warnings)))

    def _statement_label(self, record: Record, facts: list[Fact]) -> str:
        speakers = sorted({f.object.id for f in facts if f.predicate == "speaker"})
        dates = sorted({f.object.edtf or "unknown date" for f in facts if f.predicate == "date"})
        who = ", ".join(self.entities[s].label for s in speakers if s in self.entities) or "unknown speaker"
        kinds = sorted(t for t in record.types if t != "Statement")
        kind = self.schema.labels.get(kinds[0], "statement") if kinds else "statement"
        return f"{kind[0].upper()}{kind[1:]} by {who}, {dates[0] if dates else 'unknown date'}"


def load_sources(root: Path, schema: Schema | None = None, clock: Clock | None = None) -> Corpus:
    """Load and check ``sources/``; raise :class:`SourceError` listing every problem.

    Examples
    --------
    >>> from pathlib import Path
    >>> from graph.paths import sources_dir
    >>> corpus = load_sources(sources_dir())
    >>> corpus.entities["akram-al-kaabi"].label
    'Akram Al-Kaabi'
    """
    loader = SourceLoader(root, schema, clock)
    return loader.load()
