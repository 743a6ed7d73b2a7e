"""The exception hierarchy of faction-kg.

Every error a user can cause derives from :class:`KGError`; the command line
turns these into one clear message and an exit code, never a traceback.

Exit codes follow pySHACL: 0 ok, 1 SHACL violations, 2 bad input.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SourceError(KGError):
    """The source files have problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the source files:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))


class ShaclViolations(KGError):
    """The built graph does not conform to the SHACL shapes."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, report_text: str, count: int):
        self.report_text = report_text
        self.count = count
        super().__init__(
            f"SHACL validation failed with {count} violation(s); "
            f"the previous output was left untouched.\n{report_text}"
        )


class MissingBuild(KGError):
    """A command needs built output that is not there."""


class QueryError(KGError):
    """A SPARQL query is invalid, refused or failed."""
