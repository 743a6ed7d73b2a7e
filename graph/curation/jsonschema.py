"""JSON Schemas for the curated YAML files, generated from the ontology and the registry.

With a schema, the YAML language server (VS Code, Neovim, Emacs, JetBrains)
completes field names, relation names, statuses, types and ids while the
curator types, and underlines what is wrong. Nothing is written by hand
that the project already knows: the relation names, which relation needs
which status, the statuses, the entity, event, statement and document types
come from ``ontology/kg.ttl``, and the ids from the registry and the
documents' records. ``kg schema`` writes them to ``schemas/``; run it again
after adding entities.

A schema sees one file at a time and not the text, so quotes, hashes,
duplicate ids and boilerplate remain ``kg check``'s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..fields import EVENT_FIELDS, EVENT_KEYS, RELATION_KEYS, STATEMENT_FIELDS, STATEMENT_KEYS
from ..paths import project_root

__all__ = ["DOCUMENT_SCHEMA", "REGISTRY_SCHEMA", "schemas", "write_schemas"]

DOCUMENT_SCHEMA = "document.schema.json"
REGISTRY_SCHEMA = "registry.schema.json"
_SINGLE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[~?%]?"
DATE_PATTERN = rf"^(?:unknown|{_SINGLE}|{_SINGLE}/(?:{_SINGLE}|\.\.)|\.\./{_SINGLE}|\[(?:{_SINGLE})?\.\.(?:{_SINGLE})?\])$"

# The fields of the file format and how each value is written ("ids": one id or a list of them). The
# record fields come from the loader's own tables (graph.fields), so the schema cannot fall behind them.
_READER_KINDS = {"ids": "ids", "date": "date", "integer": "count", "string": "string"}
_COMMON = {"quote": "quote", "quotes": "quotes", "note": "string", "status": "status"}
_RELATION = {"relation": "relation", "subject": "ids", "object": "ids", "value": "verdict", "date": "date",
             "role": "string", "claimed_by": "ids", **_COMMON}
_EVENT = {"event": "slug", "type": "event_type", "label": "string", "date_text": "string", "date_inferred": "inferred",
          **{key: _READER_KINDS[reader] for key, (_, reader) in EVENT_FIELDS.items()}, **_COMMON}
_STATEMENT = {"statement": "slug", "types": "statement_types", "label": "string", "gist": "string",
              "date_text": "string", "date_inferred": "inferred", "followed_through": "followed",
              **{key: _READER_KINDS[reader] for key, (_, reader) in STATEMENT_FIELDS.items()}, **_COMMON}
assert set(_RELATION) == RELATION_KEYS and set(_EVENT) == EVENT_KEYS and set(_STATEMENT) == STATEMENT_KEYS, \
    "graph.fields and the JSON Schema name different record fields"


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _defs(schema, ids: list[str]) -> dict:
    from rdflib import RDF

    from ..schema import KG

    statuses = sorted(str(s)[len(str(KG)):].lower() for s in schema.graph.subjects(RDF.type, KG.AssertionStatus))
    below = lambda cls: [c for c in schema.subclasses(cls) if c != cls]
    text = {"type": "string", "minLength": 1}
    quote = {"anyOf": [text, {"type": "object", "required": ["text"], "additionalProperties": False,
                              "properties": {"text": text, "occurrence": {"type": "integer", "minimum": 1},
                                             "short": {"type": "boolean"}}}]}
    return {
        "slug": {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"},
        "id": {"enum": ids, "description": "An id from sources/entities/ or a record in a document."},
        "ids": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}]},
        "date": {"type": "string", "pattern": DATE_PATTERN,
                 "description": "YYYY-MM-DD, YYYY-MM, YYYY, A/B, [A..B] or unknown (see docs/curation.md)."},
        "status": {"enum": statuses},
        "string": text,
        "count": {"type": "integer", "minimum": 1},
        "quote": quote,
        "quotes": {"type": "array", "minItems": 1, "items": quote},
        "relation": {"enum": sorted(schema.curated_relations)},
        "event_type": {"enum": below("Event")},
        "statement_types": {"type": "array", "minItems": 1, "items": {"enum": below("Statement")}},
        "entity_type": {"enum": below("Entity")},
        "document_kind": {"enum": [_kebab(c) for c in below("SourceDocument")]},
        "followed": {"type": "object", "required": ["value", "status"], "additionalProperties": False,
                     "properties": {"value": {"type": "boolean"}, "status": {"$ref": "#/$defs/status"},
                                    "quote": {"$ref": "#/$defs/quote"}, "quotes": {"$ref": "#/$defs/quotes"},
                                    "note": text},
                     "anyOf": [{"required": ["quote"]}, {"required": ["quotes"]}]},
        "verdict": {"type": ["boolean", "string"], "description": "An assessment's verdict: true or false, or the "
                                                                   "source's words."},
        "inferred": {"type": "object", "required": ["note"], "additionalProperties": False,
                     "properties": {"note": text, "quote": {"$ref": "#/$defs/quote"},
                                    "quotes": {"$ref": "#/$defs/quotes"}},
                     "anyOf": [{"required": ["quote"]}, {"required": ["quotes"]}]},
        "with_quote": {"type": "object", "required": ["quote"],
                       "properties": {"quote": {"$ref": "#/$defs/quote"}, "quotes": {"$ref": "#/$defs/quotes"}}},
    }


def _record(fields: dict, key: str, required: list[str], extra: list | None = None) -> dict:
    record = {"type": "object", "required": [key, *required], "additionalProperties": False,
              "properties": {name: {"$ref": f"#/$defs/{kind}"} for name, kind in fields.items()},
              "anyOf": [{"required": ["quote"]}, {"required": ["quotes"]}]}
    if extra:
        record["allOf"] = extra
    return record


def _status_rules(schema) -> list[dict]:
    """A relation the ontology says is always claimed (or assessed) must say so."""
    rules = []
    for name, prop in sorted(schema.curated_relations.items()):
        if prop.requires_status:
            rules.append({"if": {"properties": {"relation": {"const": name}}},
                          "then": {"properties": {"status": {"const": prop.requires_status.lower()}}}})
    return rules


def schemas(sources: Path | None = None) -> dict[str, dict]:
    """The two schemas, keyed by file name; they depend only on the ontology and the sources.

    Examples
    --------
    >>> found = schemas()
    >>> sorted(found), "spokespersonOf" in found[DOCUMENT_SCHEMA]["$defs"]["relation"]["enum"]
    (['document.schema.json', 'registry.schema.json'], True)
    >>> found[DOCUMENT_SCHEMA]["$defs"]["status"]["enum"]
    ['assessed', 'claimed', 'inferred', 'reported']
    """
    from ..loader import load_sources
    from ..schema import load_schema

    schema = load_schema()
    corpus = load_sources(sources or project_root() / "sources", schema)
    defs = _defs(schema, sorted({*corpus.entities, *corpus.records}))
    keyed = lambda key, value: {"type": "object", "required": [key, "quote"], "additionalProperties": False,
                                "properties": {key: value, "quote": {"$ref": "#/$defs/quote"}}}
    metadata = {
        "type": "object", "required": ["id", "file", "sha256", "title", "kind", "language", "published"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/$defs/slug"}, "file": defs["string"], "original_file": defs["string"],
            "sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
            "title": {"type": "string", "description": "The text's first line, exactly."},
            "kind": {"$ref": "#/$defs/document_kind"}, "language": defs["string"],
            "publisher": keyed("entity", {"$ref": "#/$defs/ids"}),
            "series": keyed("value", defs["string"]),
            "published": {"type": "object", "required": ["date"], "additionalProperties": False,
                          "properties": {"date": {"$ref": "#/$defs/date"}, "quote": {"$ref": "#/$defs/quote"},
                                         "quotes": {"$ref": "#/$defs/quotes"}, "text": defs["string"],
                                         "note": defs["string"],
                                         "bounds": {"type": "object", "required": ["date", "note"],
                                                    "additionalProperties": False,
                                                    "properties": {"date": {"$ref": "#/$defs/date"},
                                                                   "note": defs["string"],
                                                                   "quote": {"$ref": "#/$defs/quote"},
                                                                   "quotes": {"$ref": "#/$defs/quotes"}}}}},
            "cites": {"type": "array", "items": keyed("entity", {"$ref": "#/$defs/ids"})},
            "boilerplate": {"type": "array", "items": {"anyOf": [defs["string"], {
                "type": "object", "required": ["from"], "additionalProperties": False, "properties": {"from": defs["string"]}}]}},
            "notes": {"anyOf": [defs["string"], {"type": "array", "items": defs["string"]}]},
        },
    }
    record = {"anyOf": [_record(_RELATION, "relation", ["subject", "status"], _status_rules(schema)),
                        _record(_EVENT, "event", ["type", "status"]),
                        _record(_STATEMENT, "statement", ["types", "speaker", "date"])]}
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}
    document = {**head, "$id": DOCUMENT_SCHEMA, "title": "faction-kg source document (sources/documents/<id>.yaml)",
                "type": "object", "required": ["document"], "additionalProperties": False,
                "properties": {"document": metadata, "facts": {"type": "array", "items": record}}}
    entity = {"type": "object", "required": ["id", "type", "label", "description"], "additionalProperties": False,
              "properties": {"id": {"$ref": "#/$defs/slug"}, "type": {"$ref": "#/$defs/entity_type"},
                             "label": defs["string"], "description": defs["string"], "note": defs["string"],
                             "unnamed": {"type": "boolean"},
                             "aliases": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}}}
    registry = {"$schema": head["$schema"], "$id": REGISTRY_SCHEMA, "$defs": {k: defs[k] for k in ("slug", "string", "entity_type")},
                "title": "faction-kg entity registry (sources/entities/<topic>.yaml)", "type": "object",
                "required": ["entities"], "additionalProperties": False,
                "properties": {"entities": {"type": "array", "items": entity}}}
    return {DOCUMENT_SCHEMA: document, REGISTRY_SCHEMA: registry}


def write_schemas(folder: Path | None = None, sources: Path | None = None) -> list[Path]:
    """Write the schemas (sorted keys, two-space indents: the same bytes for the same sources), atomically."""
    from .files import replace_file

    folder = Path(folder or project_root() / "schemas")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas(sources).items():
        replace_file(folder / name, (json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
        written.append(folder / name)
    return written
