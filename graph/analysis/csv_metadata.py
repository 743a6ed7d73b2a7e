"""``metrics.csv-metadata.json``: the W3C CSV on the Web description of ``metrics.csv``.

A CSVW processor (or a spreadsheet import that reads it) learns each
column's name, meaning and datatype, so that it reads counts as integers,
scores as doubles and the 1/0 cut-point flags as booleans; an empty cell is
an undefined metric (CSVW's default ``null``). Each row is about the graph's
own node: ``aboutUrl`` turns the ``id`` column into the node's IRI.
"""

from __future__ import annotations

import json

from ..rdf import BASE
from .metrics import METRICS, TABLE_COLUMNS

__all__ = ["METADATA_FILE", "metrics_csv_metadata"]

#: The name CSVW processors look for beside ``metrics.csv`` (the "-metadata.json" suffix convention).
METADATA_FILE = "metrics.csv-metadata.json"

_TEXT_COLUMNS = {
    "id": ("The node's key: its IRI relative to " + BASE + " (id/… for entities and records, document/… for "
           "documents).", {"datatype": "string", "required": True}),
    "label": ("The node's name (an entity's preferred label, a record's or document's title).", {"datatype": "string"}),
    "kind": ("What the node is: organization, person, event, statement, document, place, outlet, …",
             {"datatype": "string"}),
    "type": ("The node's classes in the ontology, \"; \"-separated.", {"datatype": "string", "separator": "; "}),
}
_DATATYPES = {"integer": "integer", "double": "double", "boolean": {"base": "boolean", "format": "1|0"}}


def metrics_csv_metadata(url: str = "metrics.csv") -> str:
    """The CSVW metadata document (JSON text) for the metric table at ``url``, one column per ``TABLE_COLUMNS``.

    Examples
    --------
    >>> metadata = json.loads(metrics_csv_metadata())
    >>> columns = metadata["tableSchema"]["columns"]
    >>> [c["name"] for c in columns] == list(TABLE_COLUMNS), columns[4]["name"], columns[4]["datatype"]
    (True, 'degree', 'integer')
    """
    metrics = {metric.name: metric for metric in METRICS}
    columns = []
    for name in TABLE_COLUMNS:
        if name in _TEXT_COLUMNS:
            description, schema = _TEXT_COLUMNS[name]
        else:
            metric = metrics[name]
            description = f"{metric.label} ({metric.view} view): {metric.explanation} Empty when undefined."
            schema = {"datatype": _DATATYPES[metric.datatype]}
        columns.append({"name": name, "titles": name, "dc:description": description, **schema})
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": url,
        "dc:title": "faction-kg: graph metrics, one row per node",
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {"columns": columns, "primaryKey": "id", "aboutUrl": BASE + "{+id}"},
    }
    return json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"
