"""The loader's second pass: turn each document's metadata and records into facts.

Every id is registered by now (:mod:`graph.reading`), so references resolve
in any order; each value is checked by :mod:`graph.evidence`.
"""

from __future__ import annotations

from .fields import BOUND_KEYS, ENTITY_QUOTE_KEYS, EVENT_FIELDS, FOLLOWED_KEYS, INFERRED_KEYS, PUBLISHED_KEYS, \
    SERIES_KEYS, \
    STATEMENT_FIELDS, as_list, hint
from .model import Document, Literal, Node, Record
from .yamlio import LineDict

__all__ = ["RecordReader"]

RECORD_KINDS = ("relation", "event", "statement")


class RecordReader:
    """Pass 2 of :class:`graph.loader.SourceLoader`: document metadata, relations, events, statements."""

    # -- document metadata -----------------------------------------------

    def resolve_document_metadata(self, document: Document, meta: LineDict, file: str) -> None:
        doc = Node("doc", document.id)
        publisher = meta.get("publisher")
        if publisher is not None:
            self._entity_with_quote(doc, "publisherEntity", publisher, document, file, meta.line_of("publisher"))
        for cited in as_list(meta.get("cites")):
            self._entity_with_quote(doc, "cites", cited, document, file, getattr(cited, "line", meta.line_of("cites")))
        series = meta.get("series")
        if series is not None:
            if not isinstance(series, LineDict) or "value" not in series or isinstance(series["value"], (list, dict)):
                self.problem(file, meta.line_of("series"), "series needs 'value' and 'quote'",
                             "write series: {value: ..., quote: ...}")
            else:
                self._check_keys(series, SERIES_KEYS, file, "the series")
                evidence = self.quotes_of(series, document.id, file, "the series")
                if evidence:
                    self._fact(doc, "series", Literal(str(series["value"])), "Reported", document.id, evidence, file, series.line)
        published = meta.get("published")
        if not isinstance(published, LineDict) or "date" not in published:
            self.problem(file, meta.line_of("published") if published is not None else meta.line,
                         "the document record needs 'published' with a date",
                         "write published: {date: 2024-01-08, quote: ...}, or date: unknown with the bounds you can derive")
            return
        self._check_keys(published, PUBLISHED_KEYS, file, "'published'")
        spec = self.date_of(published["date"], file, published.line_of("date")) if "date" in published else None
        bounds = published.get("bounds")
        if bounds is None:
            evidence = self.quotes_of(published, document.id, file, "the publication date")
            if spec is not None and evidence:
                self._fact(doc, "date", spec, "Reported", document.id, evidence, file, published.line)
            return
        # An undated document: its date is unknown; the bounds a curator derives are the curator's inference.
        if spec is not None and spec.precision != "unknown":
            self.problem(file, published.line_of("date"), "a document with 'bounds' has no stated date",
                         "write date: unknown and put the derived date in bounds: {date: ..., note: ..., quote: ...}")
        if not isinstance(bounds, LineDict) or "date" not in bounds or not bounds.get("note"):
            self.problem(file, published.line_of("bounds"), "'bounds' needs 'date', 'note' and 'quote' or 'quotes'",
                         "write bounds: {date: '[2023-10-07..]', note: how the quotes imply it, quote: ...}")
            return
        self._check_keys(bounds, BOUND_KEYS, file, "the date bounds")
        bound = self.date_of(bounds["date"], file, bounds.line_of("date"))
        evidence = self.quotes_of(bounds, document.id, file, "the date bounds")
        if spec is not None and bound is not None and evidence:
            self._fact(doc, "date", spec, "Inferred", document.id, evidence, file, published.line,
                       notes=[published.get("note") or "The document states no publication date."])
            self._fact(doc, "dateBounds", bound, "Inferred", document.id, evidence, file, bounds.line,
                       notes=[bounds["note"]])

    def _entity_with_quote(self, doc: Node, predicate: str, entry, document: Document, file: str, line: int) -> None:
        if not isinstance(entry, LineDict) or "entity" not in entry:
            self.problem(file, line, f"'{predicate}' entries need 'entity' and 'quote'", "write {entity: some-id, quote: ...}")
            return
        self._check_keys(entry, ENTITY_QUOTE_KEYS, file, f"'{predicate}'")
        ids = self.resolve_ids(entry.get("entity"), file, entry.line, predicate)
        evidence = self.quotes_of(entry, document.id, file, f"'{predicate}' of the document")
        for entity_id in ids:
            if evidence:
                self._fact(doc, predicate, Node("id", entity_id), "Reported", document.id, evidence, file, entry.line)

    # -- records -------------------------------------------------------------

    def resolve_record(self, item: LineDict, document: Document, file: str) -> None:
        if "relation" in item:
            self.resolve_relation(item, document, file)
        elif "event" in item:
            self.resolve_event(item, document, file)
        elif "statement" in item:
            self.resolve_statement(item, document, file)
        elif not item.bad & set(RECORD_KINDS):
            self.problem(file, item.line, "a record must be a relation, an event or a statement",
                         "start it with 'relation:', 'event:' or 'statement:'"
                         + (f" ({hint(next(iter(item)), RECORD_KINDS)})" if item else ""))

    def resolve_relation(self, item: LineDict, document: Document, file: str) -> None:
        name = str(item["relation"])
        relations = self.schema.curated_relations
        prop = relations.get(name)
        if prop is None:
            self.problem(file, item.line_of("relation"), f"unknown relation '{name}'",
                         hint(name, relations) or f"use one of {', '.join(sorted(relations))}")
            return
        status = self.status_of(item, file, f"relation '{name}'")
        evidence = self.quotes_of(item, document.id, file, f"relation '{name}'")
        subjects = self.resolve_ids(self._require(item, "subject", file, f"relation '{name}'"), file, item.line_of("subject"), "subject")
        if prop.range == "DateSpec":
            raw = self._require(item, "date", file, f"relation '{name}'")
            objects = [self.date_of(raw, file, item.line_of("date"))] if raw is not None else []
        elif not prop.is_object:  # an assessment's verdict: a boolean or the source's words
            raw = self._require(item, "value", file, f"relation '{name}'")
            boolean = str(prop.range).endswith("#boolean")
            if raw is not None and boolean != isinstance(raw, bool):
                self.problem(file, item.line_of("value"),
                             f"relation '{name}' takes {'true or false' if boolean else 'text'}, not {raw!r}",
                             "write value: true or value: false" if boolean else "write the source's words as value:")
                raw = None
            objects = [] if raw is None else [Literal(str(raw).lower(), "boolean") if boolean else Literal(str(raw))]
        else:
            objects = [Node("id", i) for i in self.resolve_ids(self._require(item, "object", file, f"relation '{name}'"),
                                                              file, item.line_of("object"), "object")]
        claimants = self.resolve_ids(item.get("claimed_by"), file, item.line_of("claimed_by"), "claimed_by")
        if status and prop.requires_status and status != prop.requires_status:
            self.problem(file, item.line_of("status"), f"relation '{name}' is always {prop.requires_status.lower()}, not {status.lower()}",
                         f"write status: {prop.requires_status.lower()}")
        if status == "Claimed" and not item.get("claimed_by") and "claimed_by" not in item.bad:
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
                inferred = item.get("date_inferred")
                if inferred is not None and objects and evidence:
                    self._inferred_date(subject, spec, inferred, evidence, record, document, file, line)
                    continue
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

    def _inferred_date(self, subject: Node, spec, inferred, record_evidence, record: Record, document: Document,
                       file: str, line: int) -> None:
        """A date the curator worked out: status inferred, with its reasoning and the quotes it rests on,
        which are the record's own ("since the beginning of February") and those the reasoning adds."""
        if not isinstance(inferred, LineDict) or not inferred.get("note"):
            self.problem(file, line, "'date_inferred' needs 'note' (the reasoning) and 'quote' or 'quotes'",
                         "write date_inferred: {note: ..., quotes: [...]}")
            return
        self._check_keys(inferred, INFERRED_KEYS, file, "'date_inferred'")
        evidence = self.quotes_of(inferred, document.id, file, "date_inferred")
        if evidence:
            self._fact(subject, "date", spec, "Inferred", document.id, evidence | set(record_evidence), file,
                       inferred.line,
                       record=record.id, notes=[inferred["note"]])

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

    def _record_of(self, item: LineDict, kind: str) -> Record | None:
        """The registered record an event or statement entry declares, if pass 1 accepted its id."""
        record = self.records.get(item[kind]) if isinstance(item[kind], str) else None
        return record if record is not None and record.kind == kind else None

    def resolve_event(self, item: LineDict, document: Document, file: str) -> None:
        record = self._record_of(item, "event")
        if record is None:
            return
        what = f"event '{record.id}'"
        self._annotate(record, item, document, file, "label")
        if not item.get("label") and not record.label and "label" not in item.bad:
            self.problem(file, item.line, f"{what} has no label", "add 'label:' with a short neutral description")
        status = self.status_of(item, file, what)
        evidence = self.quotes_of(item, document.id, file, what)
        claimants = self.resolve_ids(item.get("claimed_by"), file, item.line_of("claimed_by"), "claimed_by")
        if status == "Claimed" and not item.get("claimed_by") and "claimed_by" not in item.bad:
            self.problem(file, item.line, f"{what} is claimed but names no claimant", "add 'claimed_by: [<id>]'")
        if status is None:
            return
        if evidence:
            self._fact(Node("id", record.id), "status", Node("status", status), status, document.id, evidence, file,
                       item.line, attributed_to=claimants if status == "Claimed" else (), record=record.id)
        self._record_fields(item, record, EVENT_FIELDS, status, evidence, document, file, claimants)

    def resolve_statement(self, item: LineDict, document: Document, file: str) -> None:
        record = self._record_of(item, "statement")
        if record is None:
            return
        what = f"statement '{record.id}'"
        self._annotate(record, item, document, file, "label")
        status = self.status_of(item, file, what, default="reported")
        evidence = self.quotes_of(item, document.id, file, what)
        for ev in evidence:
            record.quoted.add(ev.exact)
        for key in ("speaker", "date"):
            self._require(item, key, file, what)
        speakers = as_list(item.get("speaker"))
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
            self._check_keys(followed, FOLLOWED_KEYS, file, "followed_through")
            if "Threat" not in record.types:
                self.problem(file, line, f"{what} has 'followed_through' but is not a Threat", "add Threat to its types")
            fstatus = self.status_of(followed, file, "followed_through")
            fevidence = self.quotes_of(followed, document.id, file, "followed_through")
            if fstatus and fevidence:
                self._fact(Node("id", record.id), "followedThrough", Literal(str(followed["value"]).lower(), "boolean"),
                           fstatus, document.id, fevidence, file, line, record=record.id, notes=[followed.get("note")])
