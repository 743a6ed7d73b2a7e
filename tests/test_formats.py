"""Every graph, table and linked-data file the build writes validates against its format's own schema."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

XSD = Path(__file__).resolve().parent / "data" / "xsd"
SCHEMAS = {"kg.graphml": XSD / "graphml-1.0" / "graphml.xsd", "kg.gexf": XSD / "gexf-1.3" / "gexf.xsd"}


def xmllint(schema: Path, document: Path) -> subprocess.CompletedProcess:
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed: apt-get install -y libxml2-utils")
    # --nonet: every schema this validates against is a local file; nothing is downloaded.
    return subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(schema), str(document)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_graph_files_are_valid_against_their_xml_schema(out_dir, name):
    result = xmllint(SCHEMAS[name], out_dir / name)
    assert result.returncode == 0, result.stderr[:3000]
    assert f"{name} validates" in result.stderr


@pytest.mark.parametrize(("name", "broken", "error"), [
    ("kg.graphml", ('<node id="id:al-nujaba">', '<node id="id/al-nujaba">'), "NMTOKEN"),
    ("kg.gexf", ('mode="dynamic"', 'mode="dynamic" name=""'), "'name' is not allowed"),
    ("kg.gexf", ('version="1.3"', 'version="1.2"'), "version"),
])
def test_the_schemas_reject_what_the_old_files_did(out_dir, tmp_path, name, broken, error):
    """The check can fail: a slash in a GraphML id, and GEXF 1.2's habits, are errors."""
    text = (out_dir / name).read_text(encoding="utf-8")
    assert broken[0] in text
    (tmp_path / name).write_text(text.replace(broken[0], broken[1], 1), encoding="utf-8")
    result = xmllint(SCHEMAS[name], tmp_path / name)
    assert result.returncode != 0 and error in result.stderr
