"""The loader's first pass: read every file and register every id.

Nothing here looks an id up: the entity registry, the document records and
the ids of events and statements are all registered first, so that the
second pass (:mod:`graph.records`) can resolve references in any order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import Problem
from .fields import DOCUMENT_KEYS, DOCUMENT_KINDS, ENTITY_KEYS, EVENT_KEYS, RELATION_KEYS, SLUG, \
    STATEMENT_KEYS, as_list, hint, shape_problem
from .model import Document, Entity, Record
from .quotes import NormalizedText
from .yamlio import LineDict, parse_yaml, read_source, unsafe_character

__all__ = ["Reader"]

RECORD_KEYS = {"relation": RELATION_KEYS, "event": EVENT_KEYS, "statement": STATEMENT_KEYS}


class Reader:
    """Pass 1 of :class:`graph.loader.SourceLoader`: files, entities, documents, record ids."""

    # -- helpers -------------------------------------------------------------

    def _display(self, path: Path) -> str:
        try:
            text = str(path.relative_to(self.root.parent))
        except ValueError:
            text = str(path)
        # A file name with control or bidi characters is shown escaped, never raw on the terminal.
        return text.encode("unicode_escape").decode("ascii") if unsafe_character(text) else text

    def problem(self, file: str, line: int, message: str, hint: str = "", root: bool = False) -> None:
        self.problems.append(Problem(file, line, message, hint, root))

    def _check_keys(self, item: LineDict, allowed: set[str], file: str, what: str) -> None:
        """Report unknown fields and fields of the wrong shape; drop the latter from ``item``."""
        bad = set()
        for key in list(item):
            if key not in allowed:
                self.problem(file, item.line_of(key), f"unknown field '{key}' in {what}",
                             hint(key, allowed) or f"allowed fields: {', '.join(sorted(allowed))}")
                continue
            wrong = shape_problem(key, item[key])
            if wrong is not None:
                self.problem(file, item.line_of(key), f"'{key}' in {what} {wrong[0]}", wrong[1])
                bad.add(key)
                del item[key]
        if bad:
            item.bad = item.bad | bad

    def _require(self, item: LineDict, key: str, file: str, what: str) -> object:
        value = item.get(key)
        if value is None or value == "" or value == []:
            if key not in item.bad:
                self.problem(file, item.line, f"{what} is missing the field '{key}'", f"add '{key}:' to it")
            return None
        return value

    def _source_files(self, folder: str, what: str, fix: str) -> list[Path]:
        """Every YAML file of a sources folder; a .yml file, or none at all, is a problem."""
        # Hidden files (editor locks such as .#people.yaml) are not sources.
        # <id>.suggested.yaml is kg suggest's draft beside a document: never curated input.
        files = sorted(p for p in (self.root / folder).glob("*.yaml")
                       if not p.name.startswith(".") and not p.name.endswith(".suggested.yaml"))
        for path in sorted((self.root / folder).glob("*.yml")):
            if not path.name.startswith("."):
                self.problem(self._display(path), 0, "the build reads only files ending in .yaml",
                             f"rename it to {path.stem}.yaml", root=True)
        if not files:
            self.problem(self._display(self.root / folder), 0, f"no {what} files found", fix, root=True)
        return files

    def _parse(self, path: Path, file: str, text: str | None, problems: list, empty_fix: str):
        """The data of a YAML file read as ``text``, or None (its problems recorded)."""
        data, problems = parse_yaml(text, file) if text is not None else (None, problems)
        self.problems.extend(problems)
        if data is None and not problems:
            self.problem(file, 0, "the file is empty (or holds only comments)", empty_fix, root=True)
        if data is None:
            self.failed_files.add(path.stem)
        return data

    def _yaml_files(self, folder: str, what: str, fix: str, empty_fix: str):
        """Yield (path, display name, data) of every readable, non-empty YAML file in a sources folder."""
        for path in self._source_files(folder, what, fix):
            file = self._display(path)
            text, _raw, problems = read_source(path, file, self.real_root, root_is_real=True)
            data = self._parse(path, file, text, problems, empty_fix)
            if data is not None:
                yield path, file, data

    # -- the entity registry -------------------------------------------------

    def read_entities(self) -> None:
        for _path, file, data in self._yaml_files(
                "entities", "entity registry", "create sources/entities/<topic>.yaml with a top-level 'entities:' list",
                "add an 'entities:' list, or delete the file"):
            if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
                self.problem(file, getattr(data, "line", 1), "an entity file must have a top-level 'entities:' list",
                             "start the file with 'entities:' and list one mapping per entity", root=True)
                continue
            for item in data["entities"]:
                self._read_entity(item, file, data.line_of("entities"))

    def _read_entity(self, item, file: str, list_line: int) -> None:
        if not isinstance(item, LineDict):
            self.problem(file, list_line, f"entity entry {str(item)[:60]!r} is not a mapping",
                         "write each entity as 'id: ..., type: ..., label: ...'", root=True)
            return
        self._check_keys(item, ENTITY_KEYS, file, "an entity")
        entity_id = self._require(item, "id", file, "an entity")
        etype = self._require(item, "type", file, f"entity '{entity_id}'")
        label = self._require(item, "label", file, f"entity '{entity_id}'")
        description = self._require(item, "description", file, f"entity '{entity_id}'")
        if entity_id is None:
            self.rejected_ids = True
            return
        if not isinstance(entity_id, str) or not SLUG.match(entity_id):
            self.problem(file, item.line_of("id"), f"id {entity_id!r} is not a slug",
                         "use lower-case letters, digits and single hyphens, in quotes if it is all digits, e.g. 'al-nujaba'")
            self.rejected_ids = True
        entity_id = str(entity_id)
        if etype is not None and etype not in self.entity_types:
            self.problem(file, item.line_of("type"), f"unknown entity type '{etype}'",
                         hint(etype, self.entity_types) or f"use one of {', '.join(sorted(self.entity_types))}")
        aliases = [str(a) for a in as_list(item.get("aliases"))]
        if entity_id in self.entities:
            first = self.entities[entity_id]
            self.problem(file, item.line_of("id"), f"duplicate id '{entity_id}'",
                         f"it is already defined at {first.file}, line {first.line}; rename one of them")
            return
        self.entities[entity_id] = Entity(
            id=entity_id, type=str(etype), label=str(label or entity_id), aliases=tuple(dict.fromkeys(aliases)),
            description=str(description or ""), unnamed=bool(item.get("unnamed", False)), file=file, line=item.line,
        )
        self.shared_aliases[entity_id] = {str(a) for a in as_list(item.get("shared_aliases"))}

    # -- document files ------------------------------------------------------

    def read_documents(self) -> list[tuple[Document, list, str, int]]:
        loaded = []
        for path in self._source_files("documents", "document", "add sources/documents/<id>.yaml beside each <id>.txt"):
            file = self._display(path)
            text, raw, problems = read_source(path, file, self.real_root, root_is_real=True)
            cached = self.cache.document(file, raw, self._still_holds) if text is not None else None
            if cached is not None:
                loaded.append(self._use_checked(file, *cached))
                continue
            problems_before = len(self.problems)
            data = self._parse(path, file, text, problems, "write the document's record and its facts "
                               "(see docs/curation.md), or delete the file and its text")
            if data is None:
                continue
            if not isinstance(data, LineDict) or not isinstance(data.get("document"), LineDict):
                self.problem(file, getattr(data, "line", 1), "a document file needs a 'document:' mapping",
                             "start the file with 'document:' holding id, file, sha256, title, kind and language", root=True)
                self.failed_files.add(path.stem)
                continue
            for key in data:
                if key not in ("document", "facts"):
                    self.problem(file, data.line_of(key), f"unknown top-level field '{key}'",
                                 hint(key, ["document", "facts"]) or "use 'document:' and 'facts:'")
            document = self._read_document(data["document"], path, file)
            if document is not None:
                self._metadata[document.id] = data["document"]
            else:  # its records are not registered: references to them are a cascade
                self.failed_files.add(path.stem)
                self.rejected_ids = True
            facts = data.get("facts") or []
            if not isinstance(facts, list):
                self.problem(file, data.line_of("facts"), "'facts:' must be a list of records",
                             "write one '- relation: ...', '- event: ...' or '- statement: ...' per record")
                facts = []
            if document is not None:
                loaded.append((document, facts, file, data.line_of("facts")))
                if len(self.problems) == problems_before:  # only a clean file is remembered
                    self.cache.put_document(file, raw, (data, document, self.texts[document.id]))
        return loaded

    def _still_holds(self, checked) -> bool:
        """Whether a document file's checked record still describes its text (same hash, readable, inside the sources)."""
        data, document, _text = checked
        if document.id in self.documents:
            return False  # a duplicate id: let the full check report it
        text_path = self.root / "documents" / document.text_file
        _text, raw, _problems = read_source(text_path, self._display(text_path), self.real_root, root_is_real=True)
        return raw is not None and hashlib.sha256(raw).hexdigest() == document.sha256

    def _use_checked(self, file: str, data: LineDict, document: Document, text: NormalizedText):
        """Register a document from its checked record, as :meth:`_read_document` would have."""
        self.text_files.add(document.text_file)
        self.documents[document.id] = document
        self.texts[document.id] = text
        self._metadata[document.id] = data["document"]
        return document, data.get("facts") or [], file, data.line_of("facts")

    def _text_path(self, meta: LineDict, path: Path, file: str) -> Path | None:
        name = str(meta["file"])
        if Path(name).name != name or name in (".", ".."):
            self.problem(file, meta.line_of("file"), f"the document text '{name}' is a path, not a file name",
                         f"put the text beside the document file, in {self._display(path.parent)}, and give its name only")
            return None
        return path.parent / name

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
        text_path = self._text_path(meta, path, file)
        if text_path is None:
            return None
        self.text_files.add(text_path.name)
        if not text_path.exists() and not text_path.is_symlink():
            self.problem(file, meta.line_of("file"), f"document text '{values['file']}' not found",
                         f"put the text at {self._display(text_path)}")
            return None
        text, raw, problems = read_source(text_path, self._display(text_path), self.real_root, root_is_real=True)
        if text is None:
            problem = problems[0]
            self.problem(file, meta.line_of("file"), f"the document text {values['file']}: {problem.message}"
                         + (f" (line {problem.line})" if problem.line else ""), problem.hint)
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != str(values["sha256"]).lower():
            self.problem(file, meta.line_of("sha256"),
                         f"the document {values['file']} has changed: its SHA-256 is {digest}, not {values['sha256']}",
                         "restore the original text byte-for-byte; if the change is intended, review every quote and update sha256")
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
            notes=[str(n) for n in as_list(meta.get("notes"))],
        )
        self.documents[doc_id] = document
        self.texts[doc_id] = NormalizedText(text)
        self._read_boilerplate(document, meta, file)
        return document

    def _read_boilerplate(self, document: Document, meta: LineDict, file: str) -> None:
        for entry in as_list(meta.get("boilerplate")):
            to_end = isinstance(entry, dict) and "from" in entry
            text = entry["from"] if to_end else entry
            line = getattr(entry, "line", meta.line_of("boilerplate"))
            if not isinstance(text, str):
                self.problem(file, line, "a boilerplate entry must be a passage, or {from: passage}",
                             "write the passage in quotes")
                continue
            matches = self.texts[document.id].find_all(text)
            if not matches:
                self.problem(file, line, f"boilerplate passage not found: {text[:80]!r}", "copy the passage from the document")
                continue
            for match in matches:
                document.boilerplate.append((match.start, len(document.text) if to_end else match.end))

    def check_orphan_texts(self) -> None:
        """A text in documents/ that no document file names would silently vanish from the graph."""
        folder = self.root / "documents"
        for path in sorted(folder.glob("*.txt")):
            if not path.name.startswith(".") and path.name not in self.text_files and path.stem not in self.failed_files:
                self.problem(self._display(path), 0, "this text belongs to no document file",
                             f"add {path.stem}.yaml beside it (see docs/curation.md), or move the text out of the sources")

    # -- record ids ----------------------------------------------------------

    def register_records(self, loaded) -> None:
        for _document, items, file, facts_line in loaded:
            seen_here: set[str] = set()
            for item in items:
                if not isinstance(item, LineDict):
                    self.problem(file, facts_line, f"record {str(item)[:60]!r} is not a mapping",
                                 "start each record with '- relation:', '- event:' or '- statement:'")
                    continue
                kind = next((k for k in ("relation", "event", "statement") if k in item), None)
                if kind is not None:
                    self._check_keys(item, RECORD_KEYS[kind], file, f"{'an' if kind == 'event' else 'a'} {kind} record")
                if kind not in ("event", "statement"):
                    continue
                if kind not in item:  # its id had the wrong shape
                    self.rejected_ids = True
                    continue
                record_id = item[kind]
                line = item.line_of(kind)
                if not isinstance(record_id, str) or not SLUG.match(record_id):
                    self.problem(file, line, f"{kind} id {record_id!r} is not a slug",
                                 "use lower-case letters, digits and single hyphens")
                    self.rejected_ids = True
                    continue
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

    def resolve_record_types(self, loaded) -> None:
        """Give every record its types first, so that type checks see them all."""
        allowed = [c for c in self.schema.subclasses("Statement") if c != "Statement"]
        event_types = [c for c in self.schema.subclasses("Event") if c != "Event"]  # from the ontology
        for _document, items, file, _line in loaded:
            for item in items:
                if not isinstance(item, LineDict):
                    continue
                if isinstance(item.get("event"), str) and item["event"] in self.records:
                    etype = item.get("type")
                    if etype in event_types:
                        self.records[item["event"]].types.add(etype)
                    elif "type" not in item.bad:
                        self.problem(file, item.line_of("type"), f"event '{item['event']}' has type {etype!r}",
                                     hint(etype, event_types) if etype else f"add 'type:' ({', '.join(event_types)})")
                elif isinstance(item.get("statement"), str) and item["statement"] in self.records:
                    types = as_list(item.get("types"))
                    record = self.records[item["statement"]]
                    record.types.add("Statement")
                    if not types and "types" not in item.bad:
                        self.problem(file, item.line, f"statement '{item['statement']}' has no 'types'",
                                     f"add types: [...] from {', '.join(allowed)}")
                    for stype in types:
                        if stype in allowed:
                            record.types.add(stype)
                        else:
                            self.problem(file, item.line_of("types"), f"unknown statement type '{stype}'",
                                         hint(stype, allowed) or f"use {', '.join(allowed)}")
