"""``kg alias``: accept a new spelling as an alias of a registry entity, editing the registry in place.

The registry file is read and written with ruamel.yaml's round trip, so its
comments, key order, quoting and flow or block style stay as they were; only
the new alias is added, at the end of the entity's ``aliases`` list. The
file is replaced atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..paths import sources_dir
from .files import CurationError, load_round_trip, replace_file, yaml_text

__all__ = ["AliasResult", "add_alias"]


@dataclass(frozen=True)
class AliasResult:
    entity: str
    alias: str
    file: Path


def add_alias(entity_id: str, alias: str, sources: Path | None = None) -> AliasResult:
    """Add ``alias`` to the entity ``entity_id`` in whichever registry file defines it.

    Raises
    ------
    CurationError
        No registry file defines the id, or the entity already has that alias.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "entities").mkdir()
    >>> path = root / "entities" / "people.yaml"
    >>> _ = path.write_text("# People.\\nentities:\\n  - id: x   # keep\\n    label: X\\n    aliases: [X]\\n")
    >>> _ = add_alias("x", "Ex", root)
    >>> print(path.read_text(), end="")
    # People.
    entities:
      - id: x   # keep
        label: X
        aliases: [X, Ex]
    """
    alias = alias.strip()
    if not alias:
        raise CurationError("the alias is empty; give the spelling exactly as the document writes it")
    known = []
    for path in sorted((Path(sources or sources_dir()) / "entities").glob("*.yaml")):
        data = load_round_trip(path.read_text(encoding="utf-8"))
        for entity in (data or {}).get("entities") or []:
            known.append(str(entity.get("id")))
            if entity.get("id") != entity_id:
                continue
            aliases = entity.get("aliases")
            if aliases is None:
                entity["aliases"] = aliases = []
            if alias in aliases:
                raise CurationError(f"'{entity_id}' already has the alias {alias!r} ({path})")
            aliases.append(alias)
            replace_file(path, yaml_text(data).encode("utf-8"))
            return AliasResult(entity_id, alias, path)
    import difflib

    close = difflib.get_close_matches(entity_id, known, n=1)
    raise CurationError(f"no entity '{entity_id}' in the registry" + (f"; did you mean '{close[0]}'?" if close else ""))
