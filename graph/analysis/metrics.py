"""The per-node metric table: every metric of every view, one row per node.

Each metric has a name (a column of ``metrics.csv``, a key of each node in
``metrics.json``), the view it is computed on, and a one-sentence
explanation for the report. A node outside a view has ``None`` for that
view's metrics, as does a node for which the metric is undefined.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..counts import FACT_LINKS, PROVENANCE_LINKS, VALUE_FACTS

__all__ = ["Metric", "METRICS", "VIEWS", "VIEW_TITLES", "metric_table", "TABLE_COLUMNS"]


@dataclass(frozen=True)
class Metric:
    """One metric: its column name, its view, a short label, what it means here, and its XML Schema datatype."""

    name: str
    view: str
    label: str
    explanation: str
    ranked: bool = True  # shown as a top-k table
    datatype: str = "double"  # "integer" for counts and numbers of a piece, "boolean" for a 1/0 flag


#: The views, with what their nodes and links are.
VIEWS = {
    "relation": f"the full typed graph: every entity, event, statement and document; its links are the {FACT_LINKS} "
                f"(one per curated fact between two nodes; {VALUE_FACTS} such as dates are not links, and the "
                f"{PROVENANCE_LINKS} the graph page draws are left out)",
    "actor": "the actor network: organizations and people, linked by roles, memberships, claims to belong, "
             "backing, statements made for an organization and claims of the same event",
    "coactivity": "the organization co-activity network: groups linked by shared events, shared umbrella groups "
                  "or coordination bodies, and co-mentions in the same document (weighted)",
    "person_org": "the person-organization graph: people and the organizations or states they hold posts in or "
                  "spoke for",
}

#: A short title for each view.
VIEW_TITLES = {"relation": "Full typed graph", "actor": "Actor network", "coactivity": "Group co-activity network",
               "person_org": "Person-organization graph"}


def _view_metrics(view: str, noun: str) -> list[Metric]:
    return [
        Metric(f"{view}_degree", view, "neighbours",
               f"How many different {noun} it is directly linked to.", datatype="integer"),
        Metric(f"{view}_strength", view, "link weight",
               "The total weight of its links: " + ("the number of facts behind its ties." if view == "actor" else
                                                   "shared events, shared bodies and shared documents, added up.")),
        Metric(f"{view}_betweenness", view, "betweenness",
               f"How often it lies on the shortest path between two other {noun} (0 to 1): a high value marks a "
               "broker between otherwise separate parts."),
        Metric(f"{view}_closeness", view, "closeness",
               f"How few steps it needs to reach the other {noun} (0 to 1, scaled by how many it can reach); "
               "undefined for one with no links."),
        Metric(f"{view}_pagerank", view, "PageRank",
               "A share of attention (summing to 1) that grows with links, and more so with links from "
               "well-linked nodes."),
        Metric(f"{view}_core", view, "k-core",
               f"The largest k such that it sits in a part of the network where every one of the {noun} has at "
               "least k links inside that part: high values mark the dense core.", datatype="integer"),
        Metric(f"{view}_articulation_point", view, "cut point",
               "1 if removing it would split its piece of the network in two: a broker no one else replaces.",
               ranked=False, datatype="boolean"),
        Metric(f"{view}_component", view, "component",
               "Which connected piece of the network it is in (0 is the largest).", ranked=False,
               datatype="integer"),
        Metric(f"{view}_community", view, "community",
               "Which cluster it belongs to (Louvain communities, seeded; 0 is the largest).", ranked=False,
               datatype="integer"),
    ]


METRICS: tuple[Metric, ...] = (
    Metric("degree", "relation", FACT_LINKS,
           f"How many {FACT_LINKS} it takes part in (curated facts between it and another node; its dates and other "
           f"{VALUE_FACTS} are not counted): how much the sources say about it.", datatype="integer"),
    Metric("in_degree", "relation", f"{FACT_LINKS} to it",
           "Fact links in which it is the object: the organization someone holds a post in, the claimant of an "
           "attack, the speaker of a statement, a target.", datatype="integer"),
    Metric("out_degree", "relation", f"{FACT_LINKS} from it",
           "Fact links in which it is the subject: its posts and memberships, who backs it, what its statements do.",
           datatype="integer"),
    Metric("documents", "relation", "documents", "In how many of the source documents it appears in a fact.",
           datatype="integer"),
    Metric("pagerank", "relation", "PageRank (full graph)",
           "A share of attention over the whole graph (summing to 1), following the direction of each fact: "
           "it grows when many things point to it, such as claims naming it or statements it made."),
    *_view_metrics("actor", "actors"),
    *_view_metrics("coactivity", "groups"),
    Metric("person_org_degree", "person_org", "people or organizations",
           "For a person, how many organizations or states they hold a post in or spoke for; for an "
           "organization, how many such people it has.", datatype="integer"),
)

TABLE_COLUMNS = ("id", "label", "kind", "type", *(m.name for m in METRICS))


def metric_table(nodes: dict[str, dict], values: dict[str, dict[str, object]]) -> dict[str, dict]:
    """One row per node: label, kind, type and every metric (``None`` where undefined).

    ``nodes`` maps node keys to their attributes (label, kind, types);
    ``values`` maps metric names to ``{node: value}``.

    Examples
    --------
    >>> rows = metric_table({"id/a": {"label": "A", "kind": "person", "types": ["Person"]}}, {"degree": {"id/a": 3}})
    >>> rows["id/a"]["label"], rows["id/a"]["degree"], rows["id/a"]["actor_betweenness"]
    ('A', 3, None)
    """
    table = {}
    for node in sorted(nodes):
        data = nodes[node]
        row = {"label": data["label"], "kind": data["kind"], "type": "; ".join(sorted(data.get("types", [])))}
        for metric in METRICS:
            row[metric.name] = values.get(metric.name, {}).get(node)
        table[node] = row
    return table
