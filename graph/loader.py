"""Load the curated sources in two passes and check everything.

The first pass (:mod:`graph.reading`) reads every file and registers every
id; the second (:mod:`graph.records`) resolves references, parses dates,
finds every quote in its document (:mod:`graph.evidence`) and turns records
into facts; last come the checks across the corpus (:mod:`graph.consistency`).
All problems are collected and reported together, each with its file, line
and a fix; a file that cannot be read at all is reported first, and the
unknown ids it causes are collapsed into a count.
"""

from __future__ import annotations

from pathlib import Path

from .cache import BuildCache
from .clock import Clock
from .consistency import check_intended_names, hierarchy_cycles, self_loops, shared_aliases
from .dates import in_words
from .errors import Problem, SourceError
from .evidence import Resolver
from .model import Corpus, Document, Entity, Fact, Node, Record
from .quotes import NormalizedText
from .reading import Reader
from .records import RecordReader
from .schema import Schema, load_schema
from .words import WordIndex
from .yamlio import LineDict

__all__ = ["load_sources", "SourceLoader"]


class SourceLoader(Reader, Resolver, RecordReader):
    """Reads ``sources/`` into a :class:`~graph.model.Corpus`.

    Parameters
    ----------
    root : Path
        The ``sources`` folder, holding ``entities/`` and ``documents/``.
    schema : Schema, optional
        The vocabulary; read from ``ontology/kg.ttl`` when not given.
    clock : Clock, optional
        Adds up the time of the loader's steps.
    cache : BuildCache, optional
        Gives the checked record of a document file read before, unchanged (default: none, every file is checked).
    """

    def __init__(self, root: Path, schema: Schema | None = None, clock: Clock | None = None,
                 cache: BuildCache | None = None):
        self.clock = clock or Clock()
        self.cache = cache if cache is not None else BuildCache.off()
        self.root = Path(root)
        self.real_root = self.root.resolve()  # once: every file read must lie inside it
        self.schema = schema or load_schema()
        self.problems: list[Problem] = []
        self.unresolved: list[Problem] = []  # unknown ids: a cascade when a file could not be read
        self.warnings: list[Problem] = []
        self.entities: dict[str, Entity] = {}
        self.shared_aliases: dict[str, set[str]] = {}
        self.documents: dict[str, Document] = {}
        self.texts: dict[str, NormalizedText] = {}
        self.records: dict[str, Record] = {}
        self.facts: dict[tuple, Fact] = {}
        self.failed_files: set[str] = set()  # stems of document files that could not be used at all
        self.text_files: set[str] = set()
        self.rejected_ids = False
        self._metadata: dict[str, LineDict] = {}
        self._known: set[str] | None = None
        self.entity_types = set(self.schema.subclasses("Entity"))

    # -- warnings --------------------------------------------------------

    def warn_unused(self) -> None:
        index = WordIndex({d: text.normalized.lower() for d, text in self.texts.items()})
        for entity in self.entities.values():
            for alias in entity.aliases:
                used = index.documents_using(NormalizedText(alias).normalized.lower())
                if used:
                    entity.alias_documents[alias] = used
                else:
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
            self.check_orphan_texts()
        self.register_records(loaded)
        self.resolve_record_types(loaded)
        for document, items, file, _line in loaded:
            self.resolve_document_metadata(document, self._metadata[document.id], file)
            for item in items:
                if isinstance(item, LineDict):
                    self.resolve_record(item, document, file)
        facts = list(self.facts.values())
        for check in (self_loops, hierarchy_cycles):
            self.problems.extend(check(facts))
        self.problems.extend(shared_aliases(self.entities, self.shared_aliases))
        self.problems.extend(check_intended_names(self.entities, self.shared_aliases))
        facts_by_subject: dict[str, list[Fact]] = {}
        for fact in facts:
            facts_by_subject.setdefault(fact.subject.id, []).append(fact)
        for record in self.records.values():
            if record.documents and not record.label and record.kind == "statement":
                record.label = self._statement_label(record, facts_by_subject.get(record.id, []))
        if self.problems or self.unresolved:
            if self.rejected_ids or any(p.root for p in self.problems):
                raise SourceError(self.problems, cascade=self.unresolved)
            raise SourceError(self.problems + self.unresolved)
        self.warn_unused()
        facts = sorted(facts, key=lambda f: (f.document, f.subject, f.predicate, str(f.key[2]), f.status))
        return Corpus(entities=self.entities, documents=self.documents, records=self.records, facts=facts,
                      warnings=sorted(set(self.warnings)))

    def _statement_label(self, record: Record, facts: list[Fact]) -> str:
        speakers = sorted({f.object.id for f in facts if f.predicate == "speaker"})
        dates = [in_words(d) if d.precision != "unknown" else "unknown date"
                 for d in sorted({f.object for f in facts if f.predicate == "date"}, key=lambda d: d.edtf)]
        who = ", ".join(self.entities[s].label for s in speakers if s in self.entities) or "unknown speaker"
        kinds = sorted(t for t in record.types if t != "Statement")
        kind = self.schema.labels.get(kinds[0], "statement") if kinds else "statement"
        return f"{kind[0].upper()}{kind[1:]} by {who}, {dates[0] if dates else 'unknown date'}"


def load_sources(root: Path, schema: Schema | None = None, clock: Clock | None = None,
                 cache: BuildCache | None = None) -> Corpus:
    """Load and check ``sources/``; raise :class:`SourceError` listing every problem.

    Examples
    --------
    >>> from pathlib import Path
    >>> from graph.paths import sources_dir
    >>> corpus = load_sources(sources_dir())
    >>> corpus.entities["akram-al-kaabi"].label
    'Akram Al-Kaabi'
    """
    loader = SourceLoader(root, schema, clock, cache)
    return loader.load()
