"""``kg add``: copy a new text into the corpus and scaffold its metadata record.

The text is copied byte for byte to ``sources/documents/<id>.txt`` and its
SHA-256 written into a new ``<id>.yaml``. The title is the first line. What
the text suggests for the publication date, the publisher and the series is
written as commented lines, each with its quote, for the curator to accept
by removing the ``#``. A text already in the corpus (the same SHA-256), a
text that is not UTF-8 and an existing file are refused.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAMLError

from ..paths import project_root, sources_dir
from .files import CurationError, load_round_trip, write_new, yaml_text
from .jsonschema import DOCUMENT_SCHEMA
from .textdates import find_dates

__all__ = ["AddResult", "add_document", "document_kinds", "slug_of"]

#: How the loader wants ids written (lower-case words joined by single hyphens).
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: How far into the text the publication date is looked for (the head of a report).
HEAD_CHARS = 600


@dataclass
class AddResult:
    """The files ``kg add`` wrote, and what it suggested in comments."""

    id: str
    text: Path
    metadata: Path
    sha256: str
    suggestions: list[str] = field(default_factory=list)


def slug_of(name: str) -> str:
    """A document id from a file name.

    Examples
    --------
    >>> slug_of("JTTM 2024_01_08 (copy).txt")
    'jttm-2024-01-08-copy'
    """
    return "-".join(re.findall(r"[a-z0-9]+", Path(name).stem.lower()))


def document_kinds() -> list[str]:
    """The document kinds, from the ontology's subclasses of kg:SourceDocument, as the loader spells them.

    Examples
    --------
    >>> document_kinds()
    ['monitoring-report', 'news-article']
    """
    from ..schema import load_schema

    names = [c for c in load_schema().subclasses("SourceDocument") if c != "SourceDocument"]
    return sorted(re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower() for name in names)


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CurationError(f"{path} is not UTF-8 text: byte {exc.start} (line {line}) is {raw[exc.start:exc.start + 1]!r} "
                            f"({exc.reason}); convert it to UTF-8 first, e.g. iconv -f WINDOWS-1252 -t UTF-8") from None


def _corpus_hashes(documents: Path) -> dict[str, str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.stem for p in sorted(documents.glob("*.txt"))}


def _known_metadata(documents: Path) -> tuple[list[dict], list[dict]]:
    """The publishers and series the curated documents record, with their quotes (curated files are only read)."""
    publishers, series = [], []
    for path in sorted(documents.glob("*.yaml")):
        if path.name.endswith(".suggested.yaml"):
            continue
        try:
            meta = (load_round_trip(path.read_text(encoding="utf-8")) or {}).get("document") or {}
        except (OSError, ValueError, YAMLError, AttributeError):  # a broken file is kg check's business, not add's
            continue
        for key, found in (("publisher", publishers), ("series", series)):
            entry = meta.get(key)
            if isinstance(entry, dict) and isinstance(entry.get("quote"), str) and entry not in found:
                found.append(dict(entry))
    return publishers, series


def _flow(key: str, value: dict) -> str:
    """``key: {a: 1, b: {c: 2}}`` on one line, as the curated files write metadata."""
    from ruamel.yaml.comments import CommentedMap

    def flow(item):
        if not isinstance(item, dict):
            return item
        mapping = CommentedMap((k, flow(v)) for k, v in item.items())
        mapping.fa.set_flow_style()
        return mapping

    return yaml_text({key: flow(value)}).strip()


def _metadata_text(doc_id: str, name: str, digest: str, text: str, documents: Path) -> tuple[str, list[str]]:
    from ruamel.yaml.comments import CommentedMap

    title = text.split("\n", 1)[0].rstrip("\r")
    kinds = document_kinds()
    record = CommentedMap(id=doc_id, file=name, sha256=digest, title=title, kind=kinds[0], language="en")
    record.yaml_add_eol_comment(f"or {', '.join(kinds[1:])}", "kind")
    record.yaml_add_eol_comment("check", "language", column=len("  kind: " + kinds[0]) + 2)
    suggestions = []
    publishers, series = _known_metadata(documents)
    for key, entries in (("publisher", publishers), ("series", series)):
        for entry in entries:
            if entry["quote"] in text:
                suggestions.append(_flow(key, entry))
    head = text[:HEAD_CHARS]
    seen = set()
    for date in find_dates(head):
        if date.precision in ("day", "month", "year") and date.edtf not in seen:
            seen.add(date.edtf)
            occurrence = text.count(date.exact)
            quote = date.exact if occurrence == 1 else {"text": date.exact, "occurrence": 1}
            suggestions.append(_flow("published", {"date": date.edtf, "quote": quote}))
    body = yaml_text({"document": record})
    schema = os.path.relpath(project_root() / "schemas" / DOCUMENT_SCHEMA, documents)
    lines = [f"# yaml-language-server: $schema={schema}",
             "# Written by kg add. Accept a suggestion by removing its '#'; 'published' is required.", body.rstrip("\n")]
    if suggestions:
        lines.append("  # Suggested from the text (each quote occurs in it):")
        lines += [f"  # {s}" for s in suggestions]
    else:
        lines.append("  # published: {date: YYYY-MM-DD, quote: \"...\"}   # no date found in the head of the text")
    lines += ["", "facts: []", ""]
    return "\n".join(lines), suggestions


def add_document(text_file: Path, sources: Path | None = None, doc_id: str | None = None) -> AddResult:
    """Copy ``text_file`` into ``sources/documents/`` and write its metadata record.

    Parameters
    ----------
    text_file : Path
        The new report, UTF-8 text.
    sources : Path, optional
        The sources folder (default: the project's).
    doc_id : str, optional
        The document id (default: from the file name); also the files' names.

    Raises
    ------
    CurationError
        The text is not UTF-8, has no title line, is in the corpus already,
        the id is not a slug, or ``<id>.txt`` or ``<id>.yaml`` exists.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "note.txt").write_text("A Short Note\\n\\nMarch 3, 2024\\n", encoding="utf-8")
    >>> result = add_document(folder / "note.txt", folder / "sources")
    >>> result.id, result.suggestions
    ('note', ["published: {date: '2024-03-03', quote: 'March 3, 2024'}"])
    """
    text_file = Path(text_file)
    documents = Path(sources or sources_dir()) / "documents"
    doc_id = doc_id or slug_of(text_file.name)
    if not _SLUG.match(doc_id):
        raise CurationError(f"the id {doc_id!r} is not a slug; use lower-case letters, digits and single hyphens, "
                            "e.g. --id jttm-2024-03-01")
    raw = text_file.read_bytes()
    text = _decode(raw, text_file)
    if not text.split("\n", 1)[0].strip():
        raise CurationError(f"{text_file} starts with an empty line; the title is the text's first line, "
                            "so the text must begin with it (the copy must stay byte for byte)")
    digest = hashlib.sha256(raw).hexdigest()
    documents.mkdir(parents=True, exist_ok=True)
    existing = _corpus_hashes(documents).get(digest)
    if existing:
        raise CurationError(f"{text_file} is already in the corpus as document '{existing}' "
                            f"({documents / (existing + '.txt')}, the same SHA-256 {digest})")
    target, metadata = documents / f"{doc_id}.txt", documents / f"{doc_id}.yaml"
    for path in (target, metadata):
        if path.exists():
            raise CurationError(f"{path} already exists; it is never overwritten (choose another --id)")
    yaml_body, suggestions = _metadata_text(doc_id, target.name, digest, text, documents)
    write_new(target, raw)
    try:
        write_new(metadata, yaml_body.encode("utf-8"))
    except BaseException:
        target.unlink()
        raise
    return AddResult(doc_id, target, metadata, digest, suggestions)
