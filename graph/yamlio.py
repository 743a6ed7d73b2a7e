"""Load YAML source files, keeping the line of every mapping and key.

Curators get errors that point at a line, as in networkx's ``gml.py``. The
loader uses libyaml's C parser where available and records, for every
mapping, the line where it starts and the line of each key.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem

__all__ = ["LineDict", "load_yaml"]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_BaseLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp_as_text(loader, node):
    # Dates stay text so that "2024-01" and "2024-01-08" parse the same way.
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def load_yaml(path: Path, display: str) -> tuple[object, list[Problem]]:
    """Parse one YAML file; return its data, or None and the parse problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_text("a: 1\\nb: [2, 3\\n")
    >>> data, problems = load_yaml(p, "x.yaml")
    >>> print(problems[0])  # doctest: +ELLIPSIS
    x.yaml, line 3: broken YAML: ... (check the brackets, quotes and indentation near that line)
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 0, f"not valid UTF-8 ({exc.reason})", "save the file as UTF-8")]
    try:
        return yaml.load(text, Loader=_LineLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        what = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [
            Problem(
                display,
                line,
                f"broken YAML: {what} at (line {line}, column {column})",
                "check the brackets, quotes and indentation near that line",
            )
        ]
