"""What the page shows: the view's nodes, edges and details, as plain data.

:func:`view_graph` reads the typed multigraph back from the built RDF (see
``graph.network``) and adds what the details panel needs (roles, gists,
relation names). :func:`view_model` chooses what to show (everything up to
``max_nodes``; otherwise the most central part, or an N-hop neighbourhood)
and turns it into vis-network node and edge records plus a details table.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import RDFS, Graph, URIRef

from ..analysis.centrality import pagerank as pagerank_of
from ..analysis.projections import actor_network
from ..analysis.settings import SEED as COMMUNITY_SEED
from ..dates import in_words
from ..entity_search import (ACTOR_KINDS, RECORD_KINDS, AmbiguousName, NameNotFound, kind_rank, ranked_matches,
                             resolve_name)
from ..names import name_keys
from ..network import node_key, typed_multigraph
from ..schema import KG
from ..triples import TripleIndex
from .errors import ViewError
from .layout import layout_positions
from .style import (DISPUTING_RELATIONS, EDGE_DEFAULTS, NODE_STYLES, RELATION_KIND_COLOURS, STATUS_STYLES,
                    edge_status, relation_kind)

__all__ = ["DEFAULT_MAX_NODES", "DEFAULT_HOPS", "Selection", "short_label", "view_graph", "citation",
           "read_metrics", "centrality", "measures", "MEASURES", "DEFAULT_MEASURE", "actor_scope", "communities",
           "label_size", "label_box", "kind_rank", "search", "resolve_entity", "select_view", "view_model"]

DEFAULT_MAX_NODES = 2000
DEFAULT_HOPS = 2
LABEL_CHARS = 40
EAGER_LABELS = 300  # on bigger pages the others' labels are added on the first zoom-in or selection
ORG_ROLE = URIRef("http://www.w3.org/ns/org#role")
ARMED_TYPES = frozenset({"ArmedGroup", "UmbrellaGroup", "CoordinationBody", "Coalition"})
#: Size measures the reader can pick: key -> label. The first screen uses DEFAULT_MEASURE.
MEASURES = {"facts": "facts", "documents": "documents",
            "actorDegree": "actor-network ties", "pagerank": "PageRank"}
DEFAULT_MEASURE = "facts"
_SERIES_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)\s*$")


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """A label short enough to draw: cut at a word boundary with an ellipsis.

    Examples
    --------
    >>> short_label("Al-Nujaba")
    'Al-Nujaba'
    >>> print(short_label("Akram Al-Ka'abi tweet in support of the Palestinian factions", 30))
    Akram Al-Ka'abi tweet in…
    """
    if len(label) <= limit:
        return label
    cut = label[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def view_graph(rdf: Graph | TripleIndex, typed: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """The typed multigraph plus what the details panel shows.

    Adds to each edge ``role`` (the role label a membership fact implies, or
    ``None``), to each event and statement node ``gist`` (a list), and to the
    graph ``relation_labels`` (relation name -> label from the ontology).
    """
    graph = typed if typed is not None else typed_multigraph(rdf)
    # Made once: an rdflib namespace makes a new URIRef at every attribute access (20,000 nodes at 10k documents).
    gist, date_text, publisher_entity, series = KG.gist, KG.dateText, KG.publisherEntity, KG.series
    roles = {}
    for membership, fact in rdf.subject_objects(KG.roleFact):
        label = rdf.value(membership, KG.roleLabel) or rdf.value(membership, ORG_ROLE)
        if label is not None:
            roles[node_key(str(fact))] = str(label).rsplit("#", 1)[-1]
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["role"] = roles.get(key)
    for _, data in graph.nodes(data=True):
        iri = URIRef(data["iri"])
        data["gist"] = sorted(str(g) for g in rdf.objects(iri, gist))
        if data.get("date"):
            said = min((str(text) for text in rdf.objects(iri, date_text)), default=None)
            data["date"] = {**data["date"], "words": in_words(data["date"], said)}
        if data.get("kind") == "document":
            publisher = rdf.value(iri, publisher_entity)
            publisher = rdf.value(publisher, RDFS.label) if publisher is not None else None
            data["citation"] = citation(str(publisher) if publisher else None,
                                        str(rdf.value(iri, series) or "") or None, data.get("date"))
    for u, _, data in graph.edges(data=True):  # an edge's date is its subject's: the same words
        if data.get("date"):
            own = graph.nodes[u].get("date") or {}
            data["date"] = own if own.get("edtf") == data["date"].get("edtf") else {
                **data["date"], "words": in_words(data["date"])}
    relations = {data["relation"] for _, _, data in graph.edges(data=True)}
    relations |= {fact.get("relation") for fact in graph.graph.get("value_facts", {}).values()} - {None}
    labels = {name: str(rdf.value(KG[name], RDFS.label) or name) for name in sorted(relations)}
    graph.graph["relation_labels"] = {**labels, "wasDerivedFrom": "stated in"}
    return graph


def citation(publisher: str | None, series: str | None, date: dict | None) -> str | None:
    """A source as an analyst cites it: publisher, series (its abbreviation if it has one), date in words.

    Examples
    --------
    >>> citation("MEMRI", "Jihad and Terrorism Threat Monitor (JTTM)", {"edtf": "2024-01-08"})
    'MEMRI JTTM, 8 January 2024'
    >>> citation("Reuters", None, None), citation(None, None, None)
    ('Reuters', None)
    """
    if series:
        found = _SERIES_ABBREVIATION.search(series)
        series = found.group(1) if found else series
    name = " ".join(part for part in (publisher, series) if part)
    if not name:
        return None
    return f"{name}, {in_words(date)}" if date and date.get("edtf") else name


def read_metrics(path: Path) -> dict | None:
    """The analysis stage's ``metrics.json`` if there is one, else ``None``."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ViewError(f"cannot read {path}: {error}") from error
    return metrics if isinstance(metrics, dict) else None


def centrality(graph: nx.MultiDiGraph, metrics: dict | None = None) -> tuple[str, dict[str, float]]:
    """The measure nodes are sized by, and its value for every node.

    PageRank from ``metrics.json`` if it has it, else its degree, else the
    degree (number of facts, both directions) counted here.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> centrality(g)
    ('degree', {'a': 2.0, 'b': 3.0, 'c': 1.0})
    >>> centrality(g, {"nodes": {"a": {"pagerank": 0.5}}})
    ('pagerank', {'a': 0.5, 'b': 0.0, 'c': 0.0})
    """
    table = (metrics or {}).get("nodes")
    if isinstance(table, dict):
        for measure in ("pagerank", "degree"):
            values = {node: float(row[measure]) for node, row in table.items()
                      if node in graph and isinstance(row, dict) and isinstance(row.get(measure), (int, float))}
            if values:
                return measure, {node: values.get(node, 0.0) for node in sorted(graph)}
    return "degree", {node: float(graph.degree(node)) for node in sorted(graph)}


def actor_scope(graph: nx.MultiDiGraph) -> list[str]:
    """The first screen: armed groups, umbrella groups, coordination bodies, coalitions, and who is tied to them.

    The armed actors (types in ``ARMED_TYPES``), plus every person,
    organization, umbrella group or collective a fact links directly to one
    of them (places, states, events, statements, outlets and documents are
    left for the reader to show). Empty when the graph has no armed actor.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/g", kind="organization", types=["ArmedGroup"]); g.add_node("id/p", kind="person", types=[])
    >>> g.add_node("id/iran", kind="place", types=["State"]); g.add_node("id/x", kind="person", types=[])
    >>> _ = g.add_edge("id/p", "id/g", key="fact/d/1"); _ = g.add_edge("id/g", "id/iran", key="fact/d/2")
    >>> actor_scope(g)
    ['id/g', 'id/p']
    """
    armed = {node for node, data in graph.nodes(data=True) if ARMED_TYPES & set(data.get("types", []))}
    tied = {other for node in armed for other in nx.all_neighbors(graph, node)
            if graph.nodes[other].get("kind") in ACTOR_KINDS}
    return sorted(armed | tied)


def measures(graph: nx.MultiDiGraph, metrics: dict | None = None) -> dict[str, dict[str, float]]:
    """Every size measure of every node: ``MEASURES`` key -> node -> value.

    ``facts``: curated facts the node takes part in; ``documents``: distinct
    documents those facts come from; ``actorDegree``: links in the actor
    network (``graph.analysis.projections.actor_network``, 0 outside it);
    ``pagerank``: from ``metrics.json`` if given, else computed here.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/p", label="P", kind="person", types=[])
    >>> g.add_node("id/o", label="O", kind="organization", types=[])
    >>> _ = g.add_edge("id/p", "id/o", key="fact/d/1", relation="memberOf", document="document/d")
    >>> _ = g.add_edge("id/p", "id/o", key="fact/e/1", relation="leaderOf", document="document/e")
    >>> m = measures(g)
    >>> m["facts"]["id/p"], m["documents"]["id/o"], m["actorDegree"]["id/o"]
    (2.0, 2.0, 1.0)
    """
    facts, documents = defaultdict(int), defaultdict(set)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if key.startswith("fact/"):
            for node in {u, v}:
                facts[node] += 1
                documents[node].add(data.get("document"))
    actors = actor_network(graph)
    _, pagerank = centrality(graph, metrics)
    if not isinstance((metrics or {}).get("nodes"), dict):
        simple = nx.DiGraph(graph)
        ranks = pagerank_of(simple) if simple.number_of_edges() else None
        pagerank = ranks or dict.fromkeys(graph, 0.0)  # no links, or no convergence: no ranks
    order = sorted(graph)
    return {"facts": {n: float(facts[n]) for n in order}, "documents": {n: float(len(documents[n])) for n in order},
            "actorDegree": {n: float(actors.degree(n)) if n in actors else 0.0 for n in order},
            "pagerank": {n: round(float(pagerank.get(n, 0.0)), 6) for n in order}}


def communities(graph: nx.MultiDiGraph, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Each actor's community in the actor network: seeded Louvain, numbered biggest first, as the report does.

    Only communities of two or more actors are numbered; other nodes are left out.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n in "abcd":
    ...     g.add_node(n, label=n, kind="person", types=[])
    >>> _ = g.add_edge("a", "b", key="fact/d/1", relation="memberOf", document="document/d")
    >>> communities(g)
    {'a': 0, 'b': 0}
    """
    actors = actor_network(graph)
    if actors.number_of_edges() == 0:
        return {}
    found = nx.community.louvain_communities(actors, weight="weight", seed=seed)
    groups = sorted((sorted(group) for group in found if len(group) > 1), key=lambda g: (-len(g), g[0]))
    return {node: index for index, group in enumerate(groups) for node in group}


def search(graph: nx.MultiDiGraph, text: str) -> list[tuple[int, int, str, str]]:
    """Nodes whose label or alias matches ``text``, best first (as the page's search box ranks them).

    Each hit is ``(match, kind rank, label, node)``; ``match`` is
    :func:`graph.names.match_rank` of the text's search key against the
    best of the node's name keys (0 the same name in any spelling).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/akram-al-kaabi", label="Akram Al-Kaabi", aliases=["Akram Al-Ka'abi"], kind="person")
    >>> g.add_node("id/mahdi-al-kabi", label="Mahdi Al-Ka'bi", aliases=[], kind="person")
    >>> [hit[3] for hit in search(g, "kaabi")] == [hit[3] for hit in search(g, "Ka'bi")]
    True
    >>> [hit[::3] for hit in search(g, "Akram Al-Ka'abi")]  # the whole name first, a partial match after
    [(0, 'id/akram-al-kaabi'), (4, 'id/mahdi-al-kabi')]
    """
    return ranked_matches(((node, data.get("label", node), data.get("aliases", []), data.get("kind", ""))
                           for node, data in graph.nodes(data=True)), text)


def resolve_entity(graph: nx.MultiDiGraph, text: str) -> str:
    """The node a user means: its key, its id, or the one best match for a name.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/akram-al-kaabi", label="Akram Al-Kaabi", aliases=["Akram Al-Ka'abi"], kind="person")
    >>> g.add_node("id/mahdi-al-kabi", label="Mahdi Al-Ka'bi", aliases=[], kind="person")
    >>> resolve_entity(g, "akram-al-kaabi"), resolve_entity(g, "AKRAM AL-KA'ABI"), resolve_entity(g, "mahdi")
    ('id/akram-al-kaabi', 'id/akram-al-kaabi', 'id/mahdi-al-kabi')
    >>> resolve_entity(g, "al-ka")
    Traceback (most recent call last):
    ...
    graph.view.errors.ViewError: 'al-ka' matches 2 entities equally well: id/akram-al-kaabi (Akram Al-Kaabi), \
id/mahdi-al-kabi (Mahdi Al-Ka'bi); give the id
    """
    for key in (text, f"id/{text}"):
        if key in graph:
            return key
    entities = {node: (data.get("label", node), data.get("aliases", []), data.get("kind", ""))
                for node, data in graph.nodes(data=True)}
    try:
        return resolve_name(entities, text)
    except NameNotFound:
        raise ViewError(f"no entity named {text!r} (kg query find-entity --param name=... lists matches)") from None
    except AmbiguousName as error:
        raise ViewError(str(error)) from None


@dataclass(frozen=True)
class Selection:
    """The nodes a page shows, and a note on what it leaves out (empty if nothing)."""

    nodes: list[str]
    note: str
    focus: str | None = None
    hops: int | None = None


def select_view(graph: nx.MultiDiGraph, values: dict[str, float], focus: str | None = None,
                hops: int = DEFAULT_HOPS, max_nodes: int = DEFAULT_MAX_NODES, measure: str = "degree") -> Selection:
    """Everything, the ``max_nodes`` most central nodes, or a focus's N-hop neighbourhood.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> select_view(g, {"a": 1, "b": 3, "c": 2, "d": 1}).nodes
    ['a', 'b', 'c', 'd']
    >>> cut = select_view(g, {"a": 1, "b": 3, "c": 2, "d": 1}, max_nodes=2)
    >>> cut.nodes, cut.note.split(";")[0]
    (['b', 'c'], 'Showing the 2 most central of 4 nodes (by degree)')
    >>> select_view(g, {}, focus="a", hops=1).nodes
    ['a', 'b']
    """
    if max_nodes < 1:
        raise ViewError(f"max_nodes must be at least 1, not {max_nodes}")
    if hops < 0:
        raise ViewError(f"hops must be 0 or more, not {hops}")
    pool = sorted(graph)
    if focus is not None:
        reach = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=hops)
        pool = sorted(reach)
    if len(pool) <= max_nodes:
        chosen, note = pool, ""
    else:
        ranked = sorted(pool, key=lambda n: (n != focus, -values.get(n, 0.0), n))
        chosen = sorted(ranked[:max_nodes])
        what = f"{len(pool):,} nodes" + (f" within {hops} hops" if focus else "")
        note = (f"Showing the {max_nodes:,} most central of {what} (by {measure}); {len(pool) - max_nodes:,} nodes "
                f"and their links are hidden. To see them: kg view --focus ENTITY --hops N for the "
                f"neighbourhood of any entity, or kg view --max-nodes N for a bigger page.")
    return Selection(nodes=chosen, note=note, focus=focus, hops=hops if focus else None)


def _date_range(dates) -> list[str | None]:
    earliest = [d["earliest"] for d in dates if d and d.get("earliest")]
    latest = [d["latest"] for d in dates if d and d.get("latest")]
    return [min(earliest, default=None), max(latest, default=None)]


def label_size(kind: str, share: float) -> int:
    """Label font size (canvas units): actors largest, events and statements smallest, plus centrality.

    The page hides labels smaller than 9 screen pixels, so at the zoom that
    fits the project's graph the actors, places and the most central events
    are labelled and the rest appear on zooming in.

    Examples
    --------
    >>> label_size("person", 0.0), label_size("event", 0.0), label_size("event", 1.0)
    (28, 16, 30)
    """
    base = 28 if kind in ACTOR_KINDS else 16 if kind in RECORD_KINDS else 25
    return base + int(round(14 * min(max(share, 0.0), 1.0)))


def label_box(label: str, size: int, radius: float = 22.0) -> tuple[float, float, float]:
    """A node's box with its label drawn underneath: ``(half width, above, below)`` in canvas units.

    An estimate (0.6 of the font size per character) that errs on the wide
    side; the page measures the real labels and hides any that still collide.

    Examples
    --------
    >>> label_box("Al-Nujaba", 20)
    (54.0, 22.0, 48.0)
    """
    return (max(0.3 * size * len(label), radius), radius, radius + size * 1.3)


def _vis_node(node: str, data: dict, position: tuple[int, int], value: float, top: float) -> dict:
    """A vis-network node; its kind's group gives shape, colour and base label size (per-node options are slow)."""
    kind = data.get("kind", "other")
    record = {"id": node, "label": short_label(data.get("label", node)), "x": position[0], "y": position[1],
              "value": round(value, 6), "group": kind if kind in NODE_STYLES else "other"}
    size = label_size(kind, value / top if top > 0 else 0.0)
    if size != label_size(kind, 0.0):
        record["font"] = {"size": size}
    return record


def _vis_edges(graph: nx.MultiDiGraph, keep: set[str], disputed: set[str]) -> tuple[list[dict], dict]:
    """vis-network edge records (only what differs from ``EDGE_DEFAULTS``) and the details of each."""
    edges = sorted(((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if u in keep and v in keep),
                   key=lambda e: e[2])
    parallel: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u, v, key, _ in edges:
        parallel[tuple(sorted((u, v)))].append(key)
    vis, info = [], {}
    for u, v, key, data in edges:
        kind = relation_kind(data["relation"])
        shown = edge_status(data["relation"], data["status"], u, v, disputed)
        record = {"id": key, "from": u, "to": v, "color": RELATION_KIND_COLOURS[kind],
                  **{name: value for name, value in STATUS_STYLES[shown].items() if EDGE_DEFAULTS.get(name) != value}}
        siblings = parallel[tuple(sorted((u, v)))]
        if u == v or len(siblings) > 1:
            index = siblings.index(key)
            record["smooth"] = {"enabled": True, "type": "curvedCW" if index % 2 == 0 else "curvedCCW",
                                "roundness": round(0.15 + 0.15 * (index // 2), 2)}
        vis.append(record)
        info[key] = {
            "from": u, "to": v, "relation": data["relation"], "kind": kind, "status": data["status"],
            "shown": shown, "document": data["document"].removeprefix("document/"), "date": data.get("date"),
            "evidence": [list(e) for e in data.get("evidence", [])], "attributedTo": data.get("attributed_to", []),
            "role": data.get("role"),
        }
    return vis, info


def view_model(graph: nx.MultiDiGraph, metrics: dict | None = None, focus: str | None = None,
               hops: int = DEFAULT_HOPS, max_nodes: int = DEFAULT_MAX_NODES) -> dict:
    """Everything the page needs, as JSON-ready data.

    Returns ``{"nodes": [...], "edges": [...], "info": {"nodes": {...},
    "edges": {...}}, "meta": {...}}``: ``nodes`` and ``edges`` are
    vis-network records (id, label, position, shape, colour, size; no
    ``title``), ``info`` holds every text for the details panel and the
    search keys, ``meta`` the counts, the note on hidden items, the focus and
    the size measure.
    """
    if focus is not None:
        focus = resolve_entity(graph, focus)
    measure, values = centrality(graph, metrics)
    selection = select_view(graph, values, focus, hops, max_nodes, measure)
    keep = set(selection.nodes)
    sizes = measures(graph, metrics)
    shown = sizes[DEFAULT_MEASURE]
    scope = [node for node in actor_scope(graph) if node in keep]
    top = max((shown.get(n, 0.0) for n in selection.nodes), default=0.0)
    labels = {n: short_label(graph.nodes[n].get("label", n)) for n in selection.nodes}
    boxes = {n: label_box(labels[n], label_size(graph.nodes[n].get("kind", ""), shown[n] / top if top else 0.0))
             for n in scope}
    positions = layout_positions(graph, selection.nodes, core=scope, boxes=boxes)
    disputed = {v for _, v, d in graph.edges(data=True) if d["relation"] in DISPUTING_RELATIONS}
    nodes = [_vis_node(n, graph.nodes[n], positions[n], shown.get(n, 0.0), top) for n in selection.nodes]
    edges, edge_info = _vis_edges(graph, keep, disputed)
    values_of = defaultdict(list)  # facts whose object is a value (a date, a number), if the graph keeps them
    for key, fact in sorted(graph.graph.get("value_facts", {}).items()):
        if fact.get("subject") in keep:
            values_of[fact["subject"]].append({
                "fact": key, "relation": fact.get("relation"), "value": str(fact.get("value")),
                "status": fact.get("status"), "document": str(fact.get("document", "")).removeprefix("document/"),
                "evidence": [list(e) for e in fact.get("evidence", [])]})
    from .profiles import profile_href

    community = communities(graph)
    in_scope = set(scope)
    node_info = {}
    for node in selection.nodes:
        data = graph.nodes[node]
        node_info[node] = {
            "label": data.get("label", node), "kind": data.get("kind", "other"), "types": data.get("types", []),
            "aliases": data.get("aliases", []), "description": data.get("description", ""),
            "gist": data.get("gist", []), "date": data.get("date"),
            "keys": name_keys([data.get("label", node), *data.get("aliases", [])]),
            "rank": kind_rank(data.get("kind", "")), "values": values_of.get(node, []),
            # the node's profile page (graph.view.profiles), and its date in words (graph.dates.in_words)
            "profile": (profile_href(node) if node.startswith("id/") and data.get("kind") not in RECORD_KINDS
                        else None),
            "when": in_words(data.get("date")) if data.get("date") else None,
            "sizes": {name: table.get(node, 0.0) for name, table in sizes.items()},
            "community": community.get(node), "actor": node in in_scope,
        }
    documents = {node.removeprefix("document/"): data.get("citation") or short_label(data.get("label", node), 60)
                 for node, data in sorted(graph.nodes(data=True)) if data.get("kind") == "document"}
    titles = {node.removeprefix("document/"): data.get("label", node)
              for node, data in sorted(graph.nodes(data=True)) if data.get("kind") == "document"}
    for record in edge_info.values():
        documents.setdefault(record["document"], record["document"])
    groups = defaultdict(list)
    for node, index in community.items():
        if node in keep:
            groups[index].append(node)
    meta = {
        "total": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        "shown": {"nodes": len(nodes), "edges": len(edges)},
        "note": selection.note, "measure": DEFAULT_MEASURE, "measures": MEASURES,
        "focus": selection.focus, "hops": selection.hops, "maxNodes": max_nodes, "eagerLabels": EAGER_LABELS,
        "scope": "actors" if scope else "all", "actorCount": len(scope),
        "communities": [{"index": index, "size": len(members), "members": [
            graph.nodes[n].get("label", n) for n in sorted(members, key=lambda n: (-sizes["actorDegree"][n], n))[:3]]}
            for index, members in sorted(groups.items())],
        "dateRange": _date_range([d.get("date") for d in node_info.values()]),
        "relationLabels": dict(graph.graph.get("relation_labels", {})),
        "documents": documents, "titles": titles,
    }
    return {"nodes": nodes, "edges": edges, "info": {"nodes": node_info, "edges": edge_info}, "meta": meta}
