"""Graphs for the view tests: synthetic ones of any size, and one full of markup."""

from __future__ import annotations

import random

import networkx as nx

KINDS = ["person", "organization", "place", "event", "statement", "outlet"]
RELATIONS = ["memberOf", "backedBy", "claimedBy", "target", "speaker", "place", "about"]
STATUSES = ["reported", "reported", "reported", "claimed", "assessed"]
XSS = '<img src=x onerror="window.__pwned=1;alert(1)">'
SCRIPT = "<script>window.__pwned=2;alert(2)</script>"


def _date(year: int, month: int) -> dict:
    return {"edtf": f"{year}-{month:02d}", "precision": "month", "earliest": f"{year}-{month:02d}-01",
            "latest": f"{year}-{month:02d}-28"}


def synthetic_graph(nodes: int, edges_per_node: float = 2.0, seed: int = 7) -> tuple[nx.MultiDiGraph, dict]:
    """A typed multigraph shaped like ``typed_multigraph``'s, and one document's text."""
    rng = random.Random(seed)
    text = "".join(f"Sentence number {i} of the synthetic report. " for i in range(400))
    graph = nx.MultiDiGraph(relation_labels={r: r for r in RELATIONS})
    graph.add_node("document/synthetic", label="Synthetic report", kind="document", types=["SourceDocument"],
                   aliases=[], description="", iri="")
    for i in range(nodes - 1):
        kind = KINDS[i % len(KINDS)]
        data = {"label": f"{kind.title()} {i}", "kind": kind, "types": [kind.title()], "aliases": [f"Alias {i}"],
                "description": f"Synthetic {kind} number {i}.", "iri": ""}
        if kind in ("event", "statement"):
            data["date"] = _date(rng.choice([2022, 2023, 2024]), rng.randint(1, 12))
        graph.add_node(f"id/n{i:05d}", **data)
    ids = sorted(n for n in graph if n.startswith("id/"))
    for j in range(int(nodes * edges_per_node)):
        # preferential attachment-ish: low ids are hubs
        source = ids[int(len(ids) * rng.random() ** 2)]
        target = ids[rng.randrange(len(ids))]
        start = rng.randrange(0, len(text) - 60)
        graph.add_edge(source, target, key=f"fact/synthetic/{j:06d}", relation=rng.choice(RELATIONS),
                       status=rng.choice(STATUSES), document="document/synthetic", attributed_to=[],
                       date=graph.nodes[source].get("date"), evidence=[(text[start:start + 40], start, start + 40)])
    return graph, {"synthetic": text}


def hostile_graph() -> tuple[nx.MultiDiGraph, dict, str]:
    """A small graph whose labels, aliases, descriptions, quotes and titles are markup."""
    text = f"Intro. {XSS} said {SCRIPT} and then </script><b>bold</b> & more. End."
    quote_start = text.index(XSS)
    quote = text[quote_start:text.index(" and then")]
    graph = nx.MultiDiGraph(relation_labels={"speaker": f"speaks {XSS}", "about": "about"})
    graph.add_node("document/evil", label=f"Title {XSS} {SCRIPT}", kind="document", types=["SourceDocument"],
                   aliases=[], description="", iri="")
    graph.add_node("id/evil-person", label=f"Person {XSS}", kind="person", types=["Person"],
                   aliases=[SCRIPT, "Evil O'Person"], description=f"Description {SCRIPT} {XSS}", iri="")
    graph.add_node("id/evil-statement", label=f"Statement {SCRIPT}", kind="statement", types=["Statement"],
                   aliases=[], description="", iri="", gist=[f"Gist {XSS}"],
                   date={"edtf": "2024-01-08", "precision": "day", "earliest": "2024-01-08", "latest": "2024-01-08"})
    graph.add_edge("id/evil-statement", "id/evil-person", key="fact/evil/1", relation="speaker", status="reported",
                   document="document/evil", attributed_to=[], role=f"role {XSS}",
                   date=graph.nodes["id/evil-statement"]["date"],
                   evidence=[(quote, quote_start, quote_start + len(quote))])
    graph.add_edge("id/evil-statement", "document/evil", key="fact/evil/2", relation="about", status="claimed",
                   document="document/evil", attributed_to=[], date=None, evidence=[])
    return graph, {"evil": text}, quote
