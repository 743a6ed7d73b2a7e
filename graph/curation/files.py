"""Safe writes for the curation commands: atomic, never over an existing file, YAML round-tripped.

Every file a curation command writes goes through :func:`write_new` or
:func:`replace_file`: the bytes are written to a temporary file in the same
folder, flushed to disk and then moved into place in one step, so an
interrupted command leaves either the old file or the new one, never half
of one. YAML is read and written with ruamel.yaml's round-trip mode, which
keeps comments, key order, quoting and flow style.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from ..errors import KGError

__all__ = ["CurationError", "write_new", "replace_file", "round_trip", "yaml_text", "load_round_trip", "load_plain"]


class CurationError(KGError):
    """A curation command was refused (exit code 2): the message says why and what to do."""


def _temporary(path: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, 0o644)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; refuse if ``path`` exists (even if it appears meanwhile).

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_new(folder / "a.txt", b"one")
    >>> write_new(folder / "a.txt", b"two")
    Traceback (most recent call last):
    ...
    graph.curation.files.CurationError: ... already exists; it is never overwritten (choose another id, or remove it first)
    >>> (folder / "a.txt").read_bytes(), sorted(p.name for p in folder.iterdir())
    (b'one', ['a.txt'])
    """
    path = Path(path)
    temporary = _temporary(path, data)
    try:
        os.link(temporary, path)  # fails if the name exists: no window in which a file could be replaced
    except FileExistsError:
        raise CurationError(f"{path} already exists; it is never overwritten "
                            "(choose another id, or remove it first)") from None
    finally:
        temporary.unlink()


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, replacing it if it exists (keeping its permissions).

    Examples
    --------
    >>> path = Path(tempfile.mkdtemp()) / "a.yaml"
    >>> replace_file(path, b"one"); replace_file(path, b"two")
    >>> path.read_bytes(), sorted(p.name for p in path.parent.iterdir())
    (b'two', ['a.yaml'])
    """
    path = Path(path)
    temporary = _temporary(path, data)
    try:
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def round_trip():
    """A ruamel.yaml round-trip reader and writer with the project's layout (two-space indents, long lines)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold a long quote onto two lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def load_round_trip(text: str):
    """Parse YAML keeping its comments and layout (for :func:`yaml_text` to write back).

    Examples
    --------
    >>> source = "# keep me\\nfacts:\\n  - {relation: memberOf, quote: 'He said'}  # and me\\n"
    >>> yaml_text(load_round_trip(source)) == source
    True
    """
    return round_trip().load(text)


def yaml_text(data) -> str:
    """YAML text of ``data`` (plain or round-tripped), as ruamel.yaml writes it."""
    stream = io.StringIO()
    round_trip().dump(data, stream)
    return stream.getvalue()


def load_plain(text: str):
    """YAML as plain data, as the YAML language server reads it: an unquoted date stays a string.

    Examples
    --------
    >>> load_plain("date: 2024-01-08\\nn: 3\\n")
    {'date': '2024-01-08', 'n': 3}
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(text, Loader=Loader)
