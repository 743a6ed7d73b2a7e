"""``kg suggest``: pre-annotate a document for its curator.

:func:`suggest` reads a document's text and the curated corpus and proposes,
each with its exact quote and offsets: registry names (a new spelling as a
new alias), dates with the text's precision, quoted speech and who it is
attributed to, outlets and channels, capitalised names the registry lacks,
and candidate relation facts from the patterns the *other* documents'
curated facts follow (:mod:`graph.curation.patterns`). :func:`write_suggestions`
writes them to ``<id>.suggested.yaml`` beside the document, a file the build
never loads; the curator accepts a suggestion by moving it into ``<id>.yaml``.
Curated files are only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from yaml import YAMLError

from ..paths import sources_dir
from .check import sources_root_of
from .files import CurationError, load_plain, replace_file, yaml_text
from .mentions import Mention, NameIndex, RegistryEntity, capitalised_names, without_composite_names, words
from .patterns import CandidateFact, apply_patterns, learn_patterns
from .textdates import TextDate, find_dates

__all__ = ["Suggestions", "suggest", "write_suggestions", "suggestions_path", "SUFFIX", "OUTLET_TYPES", "SPEECH_WORDS"]

SUFFIX = ".suggested.yaml"
HEADER = "# kg suggest:"
#: Entity types listed as outlets and channels rather than as plain mentions.
OUTLET_TYPES = ("MediaOutlet", "Channel", "Platform")
#: Fewer words than this in quotation marks is a quoted phrase, not speech.
SPEECH_WORDS = 4
_SPEECH = re.compile(r"“([^”]{12,}?)”|\"([^\"\n]{12,}?)\"")
_ADDRESS = re.compile(r"\b(?:(?:t|telegram)\.me/[\w.]+|[A-Za-z][\w-]*\.(?:ir|com|net|org|iq|tv|news)(?:/[\w.-]+)?)", re.I)


@dataclass
class Suggestions:
    """Everything :func:`suggest` found in one document's text."""

    document: str
    text: str
    sources: Path
    mentions: list[Mention] = field(default_factory=list)
    outlets: list[Mention] = field(default_factory=list)
    addresses: list[tuple[int, int]] = field(default_factory=list)
    dates: list[TextDate] = field(default_factory=list)
    speech: list[tuple[int, int, str | None, int, int]] = field(default_factory=list)  # start, end, speaker, attribution span
    new_names: list[Mention] = field(default_factory=list)
    facts: list[CandidateFact] = field(default_factory=list)


def _quotes(entry) -> list[str]:
    raw = [*(entry.get("quotes") or []), *([entry["quote"]] if entry.get("quote") else [])]
    return [q["text"] if isinstance(q, dict) else q for q in raw if isinstance(q, (str, dict))]


def _ids(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value]) if v is not None]


def read_corpus(sources: Path) -> tuple[list[RegistryEntity], dict[str, tuple[Path, dict]]]:
    """The registry and the document files, as plain data (broken files are skipped: that is kg check's)."""
    entities = []
    for path in sorted((sources / "entities").glob("*.yaml")):
        try:
            items = (load_plain(path.read_text(encoding="utf-8")) or {}).get("entities") or []
        except (OSError, ValueError, YAMLError, AttributeError):  # a broken file is kg check's business
            continue
        for item in items:
            if isinstance(item, dict) and item.get("id"):
                names = [str(item.get("label") or ""), *map(str, item.get("aliases") or [])]
                entities.append(RegistryEntity(str(item["id"]), str(item.get("type")), tuple(n for n in names if n)))
    documents = {}
    for path in sorted((sources / "documents").glob("*.yaml")):
        if path.name.endswith(SUFFIX):
            continue
        try:
            documents[path.stem] = (path, load_plain(path.read_text(encoding="utf-8")) or {})
        except (OSError, ValueError, YAMLError, AttributeError):  # a broken file is kg check's business
            continue
    return entities, documents


def _examples(documents: dict, skip: str):
    for doc_id, (path, data) in sorted(documents.items()):
        if doc_id == skip:
            continue
        for item in data.get("facts") or []:
            if isinstance(item, dict) and item.get("relation") and item.get("object") is not None:
                for subject in _ids(item.get("subject")):
                    for obj in _ids(item.get("object")):
                        for quote in _quotes(item):
                            yield (str(item["relation"]), subject, obj, str(item.get("status", "reported")), quote,
                                   f"{path.name}")


def _attribution(text: str, start: int, end: int, actors: list[Mention], persons: set[str]) -> tuple[str | None, int, int]:
    """Who a quotation is attributed to, and the words that say so: the first person named before it
    in its sentence, else the nearest actor, else the first just after it; (None, start, start) if none."""
    sentence = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    before = [m for m in actors if sentence <= m.start and m.end <= start]
    people = [m for m in before if m.entities[0] in persons]
    if before:
        chosen = people[0] if people else before[-1]  # the person the sentence is about, else the nearest actor
        return chosen.entities[0], chosen.start, start
    stop = min([i for i in (text.find(". ", end), text.find("\n", end)) if i != -1] or [len(text)])
    after = [m for m in actors if end <= m.start and m.end <= stop]
    return (after[0].entities[0], end, after[0].end) if after else (None, start, start)


def suggest(document: str | Path, sources: Path | None = None) -> Suggestions:
    """Pre-annotate one document; the patterns come from every other document.

    Parameters
    ----------
    document : str or Path
        A document id, or the path of its ``.yaml`` or ``.txt`` file.
    sources : Path, optional
        The sources folder (default: the project's; for a path, the folder it lies in).

    Examples
    --------
    >>> found = suggest("jttm-2024-07-30")
    >>> [(f.subject, f.relation, f.object, f.quote) for f in found.facts]
    [('al-nujaba', 'backedBy', 'iran', 'Iran-Backed Al-Nujaba Movement')]
    >>> all(found.text[f.start:f.end] == f.quote for f in found.facts)
    True
    """
    from ..schema import load_schema

    path = Path(document)
    if path.suffix in (".yaml", ".txt") and path.is_file():
        sources = Path(sources) if sources else sources_root_of(path)[0]
        doc_id = path.name.removesuffix(SUFFIX).removesuffix(".yaml").removesuffix(".txt")
    else:
        sources, doc_id = Path(sources or sources_dir()), str(document)
    entities, documents = read_corpus(sources)
    text_name = (documents.get(doc_id, (None, {}))[1].get("document") or {}).get("file") or f"{doc_id}.txt"
    text_path = sources / "documents" / str(text_name)
    if not text_path.is_file():
        raise CurationError(f"no text for document '{doc_id}' at {text_path}; add it first with kg add FILE --id {doc_id}")
    try:
        text = text_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(f"{text_path} is not UTF-8 text ({exc.reason} at byte {exc.start}); convert it to UTF-8") from None
    schema = load_schema()
    types = {e.id: e.type for e in entities}
    index = NameIndex(entities)
    spans = words(text)
    found = Suggestions(doc_id, text, sources)
    every = index.find(text, spans)
    is_outlet = lambda m: any(types.get(e) in OUTLET_TYPES for e in m.entities)
    found.mentions = [m for m in every if not is_outlet(m)]
    found.outlets = [m for m in every if is_outlet(m)]
    found.addresses = [m.span() for m in _ADDRESS.finditer(text)]
    found.dates = find_dates(text)
    actors = [m for m in every if len(m.entities) == 1 and schema.is_a(types.get(m.entities[0], ""), "Actor")]
    persons = {e.id for e in entities if schema.is_a(e.type, "Person")}
    quoted = [m.span() for m in _SPEECH.finditer(text)]
    actors = [m for m in actors if not any(s < m.start and m.end < e for s, e in quoted)]  # the speaker is outside quotes
    for match in _SPEECH.finditer(text):
        inner = match.group(1) or match.group(2)
        if len(inner.split()) < SPEECH_WORDS or index.find(inner) and index.find(inner)[0].exact == inner.strip(" ,."):
            continue  # a quoted name or phrase, not speech
        found.speech.append((match.start(), match.end(), *_attribution(text, match.start(), match.end(), actors, persons)))
    taken = every + [Mention(d.start, d.end, d.exact) for d in found.dates]
    found.new_names = capitalised_names(text, taken)
    # Facts join two names, so their patterns read the names that hold no other entity's name.
    plain = NameIndex(without_composite_names(entities))
    patterns = learn_patterns(_examples(documents, doc_id), plain)
    found.facts = apply_patterns(text, plain.find(text, spans), patterns, schema, types)
    return found


def _flow(**values):
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap((k, v) for k, v in values.items() if v is not None and v is not False)
    mapping.fa.set_flow_style()
    return mapping


def _data(found: Suggestions) -> dict:
    text = found.text
    mention = lambda m: _flow(entity=m.entities[0] if len(m.entities) == 1 else list(m.entities), quote=m.exact,
                              start=m.start, end=m.end, new_alias=m.new_alias)
    new_names: dict[str, list[Mention]] = {}
    for m in found.new_names:
        new_names.setdefault(m.exact, []).append(m)
    return {
        "suggested_for": found.document,
        "mentions": [mention(m) for m in found.mentions],
        "outlets": [mention(m) for m in found.outlets]
        + [_flow(address=text[s:e], quote=text[s:e], start=s, end=e) for s, e in found.addresses],
        "dates": [_flow(date=d.edtf, precision=d.precision, quote=d.exact, start=d.start, end=d.end) for d in found.dates],
        "speech": [_flow(speaker=speaker, quote=text[s:e], start=s, end=e,
                         attribution=_flow(quote=text[a:b], start=a, end=b) if b > a else None)
                   for s, e, speaker, a, b in found.speech],
        "new_names": [_flow(label=name, quote=name, start=ms[0].start, end=ms[0].end, occurrences=len(ms))
                      for name, ms in new_names.items()],
        "facts": [{"record": _flow(relation=f.relation, subject=f.subject, object=f.object, status=f.status,
                                   quote=_loader_quote(found, f.start, f.quote)),
                   "start": f.start, "end": f.end, "pattern": f.pattern.describe(), "learned_from": f.pattern.source}
                  for f in found.facts],
    }


def _loader_quote(found: Suggestions, start: int, quote: str):
    """The quote as the loader wants it: with its occurrence when the words occur more than once."""
    from ..quotes import NormalizedText

    matches = NormalizedText(found.text).find_all(quote)
    if len(matches) < 2:
        return quote
    occurrence = next(i for i, m in enumerate(matches, 1) if m.start == start)
    return _flow(text=quote, occurrence=occurrence)


def suggestions_path(found: Suggestions) -> Path:
    """Where the suggestions go: ``<id>.suggested.yaml`` beside the document."""
    return found.sources / "documents" / f"{found.document}{SUFFIX}"


def write_suggestions(found: Suggestions) -> Path:
    """Write ``<id>.suggested.yaml`` beside the document, atomically; refuse a file kg suggest did not write."""
    path = suggestions_path(found)
    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(HEADER):
        raise CurationError(f"{path} exists and was not written by kg suggest; it is never overwritten (move it away)")
    header = (f"{HEADER} suggestions for {found.document}.yaml. The build never loads this file.\n"
              f"# Accept a suggestion by moving it into {found.document}.yaml (a fact's 'record' is a ready record);\n"
              "# offsets are character positions in the text. Run kg suggest again to refresh it.\n")
    replace_file(path, (header + yaml_text(_data(found))).encode("utf-8"))
    return path
