"""``kg check``: the build's loading, hash, quote and SHACL checks, without writing anything.

Problems come back as :class:`Diagnostic` records that print as
``file:line:col: error: message``, the format editors and CI annotate. The
checks are the build's own (:func:`graph.loader.load_sources` and
:func:`graph.shacl_sparql.validate_ntriples`), so the messages are the same; only
the outputs are skipped, which makes a check several times faster than a build.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, Problem, SourceError
from ..paths import sources_dir

__all__ = ["Diagnostic", "CheckResult", "check_sources", "shacl_problems", "sources_root_of"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at a place in a file.

    Examples
    --------
    >>> print(Diagnostic("sources/entities/people.yaml", 12, 5, "error", "unknown id 'x'", "did you mean 'y'?"))
    sources/entities/people.yaml:12:5: error: unknown id 'x' (did you mean 'y'?)
    """

    file: str
    line: int
    column: int
    severity: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class CheckResult:
    """What a check found: diagnostics (errors first), and the exit code the build would give."""

    exit_code: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: int = 0
    facts: int = 0
    elsewhere: int = 0  # when one file is checked: problems found in the other files

    def to_json(self) -> str:
        """The result as JSON for tools (stable key order).

        Examples
        --------
        >>> print(CheckResult(0).to_json())
        {"diagnostics": [], "documents": 0, "elsewhere": 0, "exit_code": 0, "facts": 0, "ok": true}
        """
        data = {"ok": self.exit_code == EXIT_OK, "exit_code": self.exit_code, "documents": self.documents,
                "facts": self.facts, "elsewhere": self.elsewhere, "diagnostics": [asdict(d) for d in self.diagnostics]}
        return json.dumps(data, sort_keys=True, ensure_ascii=False)


def sources_root_of(path: Path | None) -> tuple[Path, Path | None]:
    """The sources folder to load for ``path``, and the one file to report on (if ``path`` is a file).

    A file is checked together with the whole folder it belongs to, since its
    ids refer to the registry and to other documents.

    Examples
    --------
    >>> root, only = sources_root_of(sources_dir() / "entities" / "people.yaml")
    >>> root == sources_dir(), only.name
    (True, 'people.yaml')
    """
    if path is None:
        return sources_dir(), None
    path = Path(path)
    if path.is_file():
        return path.resolve().parent.parent, path.resolve()
    return path, None


def _shown(root: Path, display: str) -> Path:
    """The loader names files relative to the sources folder's parent; make that a real path."""
    path = Path(display)
    return path if path.is_absolute() else root.parent / path


def _relative(path: Path) -> str:
    """Relative to the working folder when inside it (as editors expect), else absolute."""
    path = Path(os.path.abspath(path))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _column(path: Path, line: int) -> int:
    """The column of the first character on ``line`` (the key the loader points at), else 1."""
    if line < 1:
        return 1
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    if line > len(lines):
        return 1
    text = lines[line - 1]
    return len(text) - len(text.lstrip(" ")) + 1 if text.strip() else 1


_PARSER_PLACE = re.compile(r"at \(line (\d+), column (\d+)\)$")


def _diagnostic(root: Path, problem: Problem, severity: str) -> Diagnostic:
    path = _shown(root, problem.file)
    parsed = _PARSER_PLACE.search(problem.message)  # the YAML parser knows the column itself
    column = int(parsed[2]) if parsed and int(parsed[1]) == problem.line else _column(path, problem.line)
    return Diagnostic(_relative(path), max(problem.line, 1), column, severity, problem.message, problem.hint)


_BLOCK = re.compile(r"^Constraint Violation in (?P<component>\S+)", re.M)
_FIELD = re.compile(r"^\t(Focus Node|Value Node|Result Path|Message): (.*)$", re.M)


def shacl_problems(report_text: str, corpus) -> list[Problem]:
    """One :class:`Problem` per SHACL violation, placed at the fact or record it is about."""
    from ..rdf import BASE

    facts = {(f.subject.id, f.predicate, getattr(f.object, "id", None)): f for f in corpus.facts}
    places = {**{e.id: (e.file, e.line) for e in corpus.entities.values()},
              **{r.id: (r.file, r.line) for r in corpus.records.values() if r.file}}
    problems = []
    starts = [m.start() for m in _BLOCK.finditer(report_text)] + [len(report_text)]
    for begin, end in zip(starts, starts[1:]):
        values = dict(_FIELD.findall(report_text[begin:end]))
        local = lambda key: re.sub(r"^(id:|<" + re.escape(str(BASE)) + r"id/)|>$", "", values.get(key, ""))
        focus, value, path = local("Focus Node"), local("Value Node"), values.get("Result Path", "")
        fact = facts.get((focus, path.removeprefix("kg:"), value))
        file, line = (fact.file, fact.line) if fact else places.get(focus, ("", 0))
        message = f"SHACL: {values.get('Focus Node', '?')} {path}: {values.get('Message', 'violation')}"
        problems.append(Problem(file or "sources", line, message, "check the ids and types this record uses"))
    return problems


def check_sources(path: Path | None = None, *, shacl: bool = True) -> CheckResult:
    """Run the build's checks on a sources folder, or on one file of it, writing nothing.

    Parameters
    ----------
    path : Path, optional
        A sources folder (default: the project's ``sources/``) or a file in
        it; for a file, only the problems in that file are listed (and the
        others counted in ``elsewhere``).
    shacl : bool
        Also validate the graph with the SHACL shapes (only when loading succeeded).

    Returns
    -------
    CheckResult
        Exit code 0 when all is well, 1 for SHACL violations, 2 for bad input.

    Examples
    --------
    >>> result = check_sources(shacl=False)
    >>> result.exit_code, result.diagnostics, result.documents
    (0, [], 5)
    """
    from ..cache import BuildCache
    from ..loader import load_sources
    from ..schema import load_schema

    root, only = sources_root_of(path)
    schema = load_schema()
    try:
        # The build's cache of checked records, read only: a file unchanged since a build is not read again
        corpus = load_sources(root, schema, cache=BuildCache(read_only=True))
    except SourceError as error:
        result = CheckResult(EXIT_BAD_INPUT, sorted(_diagnostic(root, p, "error") for p in error.problems))
    else:
        result = CheckResult(EXIT_OK, documents=len(corpus.documents), facts=len(corpus.facts))
        if shacl:
            from ..export import split_graphs
            from ..rdf import corpus_nquads
            from ..shacl_sparql import validate_ntriples

            report = validate_ntriples("".join(split_graphs(corpus_nquads(corpus, schema))[0]))  # as the build does
            if not report.conforms:
                result.exit_code = EXIT_VIOLATIONS
                result.diagnostics = sorted(_diagnostic(root, p, "error") for p in shacl_problems(report.text, corpus))
    if only is not None:
        mine = [d for d in result.diagnostics if Path(d.file).resolve() == only]
        result.elsewhere = len(result.diagnostics) - len(mine)
        result.diagnostics = mine  # the exit code stays the folder's: the build would fail all the same
    return result
