"""The exception hierarchy of faction-kg.

Every error a user can cause derives from :class:`KGError`; the command line
turns these into one clear message and an exit code, never a traceback.

Exit codes follow pySHACL: 0 ok, 1 SHACL violations, 2 bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "KGError",
    "Problem",
    "SourceError",
    "ShaclViolations",
    "MissingBuild",
    "QueryError",
    "EXIT_OK",
    "EXIT_VIOLATIONS",
    "EXIT_BAD_INPUT",
]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
MAX_MESSAGE = 600  # characters: a 20 000-character value in the sources never floods the terminal


class KGError(Exception):
    """Base class of every error the user can cause and fix."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one source file, with where it is and how to fix it.

    Examples
    --------
    >>> print(Problem("sources/entities/people.yaml", 12, "unknown id 'al-nujaaba'", "did you mean 'al-nujaba'?"))
    sources/entities/people.yaml, line 12: unknown id 'al-nujaaba' (did you mean 'al-nujaba'?)
    """

    file: str
    line: int
    message: str
    hint: str = ""
    root: bool = field(default=False, compare=False)  # a whole file is unusable: report it first

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        message = self.message if len(self.message) <= MAX_MESSAGE else self.message[: MAX_MESSAGE - 1] + "…"
        text = f"{where}: {message}"
        return f"{text} ({self.hint})" if self.hint else text


class SourceError(KGError):
    """The source files have problems; ``problems`` lists all of them.

    Problems that make a whole file unusable (``root``) come first. The
    ``cascade`` (references that fail only because such a file could not be
    read) is collapsed into one line with a count.

    Examples
    --------
    >>> error = SourceError([Problem("a.yaml", 9, "bad date"), Problem("entities/e.yaml", 0, "the file is empty", root=True)],
    ...                     cascade=[Problem("a.yaml", 3, "unknown id 'x'"), Problem("a.yaml", 5, "unknown id 'y'")])
    >>> print(error)
    2 problems in the source files:
      entities/e.yaml: the file is empty
      a.yaml, line 9: bad date
      ... and 2 references to ids that are not defined, most likely because of the problems above (the first: a.yaml, line 3)
    """

    def __init__(self, problems: list[Problem], cascade: list[Problem] = ()):
        unique = set(problems)
        self.problems = sorted(p for p in unique if p.root) + sorted(p for p in unique if not p.root)
        self.cascade = sorted(cascade)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the source files:", *(f"  {p}" for p in self.problems)]
        if self.cascade:
            first = self.cascade[0]
            lines.append(f"  ... and {len(self.cascade)} reference{'s' if len(self.cascade) != 1 else ''} to ids that are "
                         f"not defined, most likely because of the problems above (the first: {first.file}, line {first.line})")
        super().__init__("\n".join(lines))


class ShaclViolations(KGError):
    """The built graph does not conform to the SHACL shapes."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, report_text: str, count: int, problems: list[Problem] = ()):
        self.report_text = report_text
        self.count = count
        self.problems = sorted(problems)
        head = f"SHACL validation failed with {count} violation{'s' if count != 1 else ''}; the previous output was left untouched"
        if not self.problems:
            super().__init__(f"{head}.\n{report_text}")
            return
        super().__init__("\n".join([f"{head}:", *(f"  {p}" for p in self.problems)]))


class MissingBuild(KGError):
    """A command needs built output that is not there."""


class QueryError(KGError):
    """A SPARQL query is invalid, refused or failed."""
