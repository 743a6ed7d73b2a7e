"""Read source files safely, and parse YAML keeping the line of every key.

Curators get errors that point at a line, as in networkx's ``gml.py``. The
loader uses libyaml's C parser where available and records, for every
mapping, the line where it starts and the line of each key.

Every file is read through :func:`read_source`, which never blocks and never
raises: a folder, a named pipe, a dangling symlink, a symlink loop, a file
outside the sources folder, a file too large, bytes that are not UTF-8,
control characters and bidirectional controls each become one
:class:`~graph.errors.Problem`. YAML anchors and aliases are refused before
anything is built from them, so an alias bomb costs nothing.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import yaml

from .errors import Problem

__all__ = ["LineDict", "load_yaml", "parse_yaml", "read_source", "MAX_FILE_BYTES", "MAX_DEPTH", "unsafe_character"]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 16 * 1024 * 1024
"""The largest source file read (16 MiB): the five real documents are below 40 kB."""
MAX_DEPTH = 32
"""The deepest nesting of lists and mappings accepted: the curation format uses four levels."""

# C0 controls other than tab, line feed and the CR of a CRLF; DEL; C1 controls;
# lone surrogates (from YAML escapes) and the two non-characters U+FFFE, U+FFFF;
# and the bidirectional embeddings, overrides and isolates ("Trojan Source").
# One character class, so that the scan of a clean file is fast.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_LONE_CR = re.compile("\r(?!\n)")
_BIDI = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
_ESCAPE = re.compile(r'\\[^"\\ \t\n/]')  # a YAML escape other than \" \\ \  \/ and a line fold
_BIDI_FIX = "remove it; a right-to-left name displays correctly without it"
_CONTROL_FIX = "remove it, or replace it with a space"


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each key.

    ``bad`` holds the keys the loader removed because their value had the
    wrong shape, so that it does not also report them as missing.
    """

    line: int = 0
    key_lines: dict
    bad: frozenset = frozenset()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def unsafe_character(text: str) -> tuple[int, str, str] | None:
    """The first control or bidirectional character in ``text``: (index, what, fix), or None.

    Examples
    --------
    >>> unsafe_character("Al-Nujaba\\u202e Movement")
    (9, 'a bidirectional control character U+202E', 'remove it; a right-to-left name displays correctly without it')
    >>> unsafe_character("tab\\tand\\r\\nnewline") is None
    True
    """
    found = [m for m in (_UNSAFE.search(text), _LONE_CR.search(text) if "\r" in text else None) if m]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    code = f"U+{ord(first.group()):04X}"
    if first.group() in _BIDI:
        return first.start(), f"a bidirectional control character {code}", _BIDI_FIX
    return first.start(), f"a control character {code}", _CONTROL_FIX


class _LineLoader(_BaseLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a list or mapping is used as a key", key_node.start_mark)
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


def _construct_int(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, "a number with too many digits", node.start_mark) from None


def _refuse(loader, node):
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag!r} is not part of the curation format", node.start_mark)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("binary", "set", "omap", "pairs"):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)


def _at(display: str, text: str, index: int, what: str, fix: str) -> Problem:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(display, line, f"{what} at column {column}", fix, root=True)


def _inside(path: Path, real_root: Path) -> bool:
    """Whether ``path``, symlinks followed, lies in ``real_root`` (itself free of symlinks).

    A file named ``real_root/name`` or ``real_root/folder/name`` with no symlink on the way is inside as it
    stands: two ``lstat`` calls, where resolving the path reads every folder up from ``/``.
    """
    parent = path.parent
    if not path.is_symlink() and (parent == real_root or (parent.parent == real_root and not parent.is_symlink())):
        return True
    return path.resolve().is_relative_to(real_root)


def read_source(path: Path, display: str, root: Path | None = None, *,
                root_is_real: bool = False) -> tuple[str | None, bytes | None, list[Problem]]:
    """Read one source file as UTF-8 text without ever blocking or raising.

    Parameters
    ----------
    path : Path
        The file.
    display : str
        How messages name it.
    root : Path, optional
        When given, the file (after following symlinks) must lie inside it.
    root_is_real : bool
        ``root`` has its symlinks resolved already (a loader reading thousands of files resolves it once).

    Returns
    -------
    text, raw, problems
        The text and its bytes, or None and None and one problem.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> os.mkfifo(folder / "pipe.yaml")
    >>> print(read_source(folder / "pipe.yaml", "pipe.yaml")[2][0])
    pipe.yaml: this is a named pipe, not a file (put a regular file here)
    """

    def fail(what: str, fix: str, line: int = 0):
        return None, None, [Problem(display, line, what, fix, root=True)]

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if path.is_symlink():
            return fail(f"this is a symlink to {os.readlink(path)}, which does not exist", "point it at the file, or replace it with the file")
        return fail("the file does not exist", "create it, or fix the name that refers to it")
    except PermissionError:
        return fail("the file cannot be read (permission denied)", "make it readable, e.g. chmod a+r")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return fail("this is a symlink loop", "replace the symlink with the file itself")
        return fail(f"the file cannot be read ({exc.strerror})", "check the file")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            return fail("this is a folder, not a file", "rename the folder, or move it out of the sources")
        if stat.S_ISFIFO(mode):
            return fail("this is a named pipe, not a file", "put a regular file here")
        return fail("this is not a regular file", "put a regular file here")
    with os.fdopen(fd, "rb") as handle:
        if root is not None and not _inside(path, root if root_is_real else root.resolve()):
            return fail(f"the file lies outside the sources folder ({path.resolve()})",
                        "copy the file into the sources folder instead of linking to it")
        try:
            raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return fail(f"the file cannot be read ({exc.strerror})", "check the file")
    if len(raw) > MAX_FILE_BYTES:
        return fail(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", "split it into smaller files")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return fail(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", "save the file as UTF-8", line)
    bad = unsafe_character(text)
    if bad is not None:
        return None, None, [_at(display, text, *bad)]
    return text, raw, []


def _strings(value, line: int):
    """Yield (line, text) for every string in parsed YAML, with the line of its key."""
    if isinstance(value, str):
        yield line, value
    elif isinstance(value, dict):
        for key, item in value.items():
            key_line = value.line_of(key) if isinstance(value, LineDict) else line
            if isinstance(key, str):
                yield key_line, key
            yield from _strings(item, key_line)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, getattr(item, "line", line))


def _check_events(text: str, display: str) -> list[Problem]:
    """Refuse anchors, aliases and deep nesting while only parsing: before anything is built.

    libyaml's composer recurses once per level, so a file nested thousands
    of levels deep would crash the process instead of raising an error.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return [Problem(display, event.start_mark.line + 1, f"lists and mappings are nested more than {MAX_DEPTH} deep",
                                "the curation format needs only a few levels; flatten the structure", root=True)]
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            kind, sign = ("alias", "*") if isinstance(event, yaml.AliasEvent) else ("anchor", "&")
            return [Problem(display, event.start_mark.line + 1, f"a YAML {kind} ('{sign}{event.anchor}') is not allowed",
                            "write the value out in full; the curation format does not use anchors and aliases", root=True)]
    return []


def load_yaml(path: Path, display: str, root: Path | None = None) -> tuple[object, list[Problem]]:
    """Parse one YAML file; return its data, or None and the problems.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_text("a: 1\\nb: [2, 3\\n")
    >>> data, problems = load_yaml(p, "x.yaml")
    >>> print(problems[0])  # doctest: +ELLIPSIS
    x.yaml, line 3: broken YAML: ... (check the brackets, quotes and indentation near that line)
    >>> _ = p.write_text("a: &x [1]\\nb: *x\\n")
    >>> print(load_yaml(p, "x.yaml")[1][0])  # doctest: +ELLIPSIS
    x.yaml, line 1: a YAML anchor ('&x') is not allowed (write the value out in full; ...)
    """
    text, _raw, problems = read_source(path, display, root)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> tuple[object, list[Problem]]:
    """Parse the text of a YAML file that :func:`read_source` read; return its data, or None and the problems."""
    try:
        problems = _check_events(text, display)
        if problems:
            return None, problems
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        what = " ".join(filter(None, [exc.context, exc.problem]))
        fix = "check the brackets, quotes and indentation near that line"
        if "\t" in what or "tab" in what:
            fix = "indent with spaces; YAML does not allow tabs for indentation"
        return None, [Problem(display, line, f"broken YAML: {what} at (line {line}, column {column})", fix, root=True)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 0, f"broken YAML: {exc}", "check the file", root=True)]
    except RecursionError:
        return None, [Problem(display, 0, "broken YAML: lists or mappings nested too deeply", "flatten the structure", root=True)]
    # The raw text is clean already: only an escape in a double-quoted string
    # ("\\x07", "\\u202e") can make an unsafe character, so most files skip the walk.
    return data, _check_strings(data, display) if _ESCAPE.search(text) else []


def _check_strings(data, display: str) -> list[Problem]:
    try:
        for line, string in _strings(data, getattr(data, "line", 1)):
            bad = unsafe_character(string)
            if bad is not None:
                _index, what, fix = bad
                return [Problem(display, line, f"{what} in the text {string[:60]!r}", fix)]
    except RecursionError:
        return [Problem(display, 0, "lists or mappings nested too deeply", "flatten the structure")]
    return []
