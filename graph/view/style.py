"""How the interactive page draws things: colours, shapes and line styles.

Everything visual that depends on the data lives here, as plain tables, so
the legend, the page and the tests read the same values.

* Nodes: colour and shape by coarse kind (``graph.network.NODE_KINDS``).
* Edges: colour by *relation kind* (a group of relations), line style by
  status. A claim that some statement disavows or denies is *disputed*.
  Provenance links (``graph.counts``) are a kind of their own, so the
  legend's relation counts add up to the fact links and provenance links.
* The legend counts what the page shows: nodes per kind (a kind can group
  several classes, such as Person and UnnamedSource; its label names them)
  and links shown per relation kind and per status as drawn.
"""

from __future__ import annotations

from ..counts import PROVENANCE_LINKS

__all__ = [
    "NODE_STYLES", "OTHER_NODE", "EDGE_DEFAULTS", "RELATION_KINDS", "RELATION_KIND_LABELS", "RELATION_KIND_COLOURS",
    "STATUS_STYLES", "STATUS_LABELS", "DISPUTING_RELATIONS", "CLAIMING_RELATIONS", "border_colour", "node_style",
    "relation_kind", "edge_status",
]

# kind -> (legend label, fill colour, vis-network shape). Colours: Tableau 10 plus darker shades.
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "person": ("Person / unnamed source", "#d62728", "dot"),
    "organization": ("Organization", "#1f77b4", "hexagon"),
    "umbrella": ("Umbrella group / coalition", "#08306b", "star"),
    "collective": ("Collective", "#9467bd", "dot"),
    "place": ("Place / country", "#2ca02c", "triangleDown"),
    "outlet": ("Outlet / channel / platform", "#17becf", "square"),
    "weapon": ("Weapon", "#7f7f7f", "triangle"),
    "event": ("Event", "#ff7f0e", "diamond"),
    "statement": ("Statement", "#e377c2", "square"),
    "document": ("Source document", "#8c564b", "triangle"),
}
OTHER_NODE = ("Other", "#bbbbbb", "dot")

RELATION_KINDS: dict[str, str] = {
    **dict.fromkeys(["spokespersonOf", "secretaryGeneralOf", "leaderOf", "commanderOf", "memberOf",
                     "headOfStateOf", "ministerOf", "partOf", "claimsPartOf"], "role"),
    **dict.fromkeys(["backedBy", "frontFor", "controls", "hosts", "operates", "stateRunBy"], "backing"),
    **dict.fromkeys(["claimedBy", "perpetrator", "target", "weapon", "claimsResponsibilityFor", "threatens",
                     "partOfEvent", "inResponseTo"], "violence"),
    **dict.fromkeys(["speaker", "onBehalfOf", "via", "about", "supports", "criticizes", "declares",
                     "declaresEndOf", "declaredBy", "disavows", "denies", "affirmsCommitmentTo", "onPlatform"],
                    "speech"),
    **dict.fromkeys(["place", "locatedIn", "basedIn"], "place"),
    **dict.fromkeys(["cites", "publisherEntity"], "source"),
    "wasDerivedFrom": "provenance",  # not a curated fact: an event or statement to a document that records it
}
RELATION_KIND_LABELS = {
    "role": "Leadership and membership", "backing": "Backing and control", "violence": "Attacks, claims, threats",
    "speech": "Statements and media", "place": "Places", "source": "Source documents: citations, publishers",
    "provenance": f"{PROVENANCE_LINKS.capitalize()} (a record to a document that records it)", "other": "Other",
}
RELATION_KIND_COLOURS = {
    "role": "#1f77b4", "backing": "#9467bd", "violence": "#d62728", "speech": "#d4a017", "place": "#2ca02c",
    "source": "#a8a8a8", "provenance": "#d0d0d0", "other": "#555555",
}
# Status -> vis-network edge options. Reported: solid; claimed: dashed; assessed: dotted;
# disputed: dashed, thicker, with a bar across the middle. Edge records carry only what differs from
# EDGE_DEFAULTS (the page's global edge options): per-item options are what makes vis-network slow to start.
EDGE_DEFAULTS = {"dashes": False, "width": 1.5, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                 "smooth": False}
STATUS_STYLES: dict[str, dict] = {
    "reported": {"dashes": False, "width": 1.5},
    "claimed": {"dashes": [8, 5], "width": 1.5},
    "assessed": {"dashes": [2, 4], "width": 2},
    "inferred": {"dashes": [1, 6], "width": 1},
    "disputed": {"dashes": [8, 5], "width": 3, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5},
                                                          "middle": {"enabled": True, "type": "bar"}}},
}
STATUS_LABELS = {
    "reported": "Reported links (the document says it happened)",
    "claimed": "Claimed links (a party's claim)",
    "assessed": "Assessed links (the author's judgement)",
    "inferred": "Inferred links (the curator's inference)",
    "disputed": "Disputed links (a claim some statement disavows or denies)",
}
DISPUTING_RELATIONS = frozenset({"disavows", "denies"})
CLAIMING_RELATIONS = frozenset({"claimedBy", "claimsResponsibilityFor", "claimsPartOf"})


def border_colour(colour: str, factor: float = 0.7) -> str:
    """A darker shade of ``#rrggbb`` for node borders.

    Examples
    --------
    >>> border_colour("#ffffff")
    '#b2b2b2'
    """
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (red, green, blue)))


def node_style(kind: str) -> tuple[str, str, str]:
    """The legend label, colour and shape of a node kind.

    Examples
    --------
    >>> node_style("person")
    ('Person / unnamed source', '#d62728', 'dot')
    >>> node_style("no-such-kind")[0]
    'Other'
    """
    return NODE_STYLES.get(kind, OTHER_NODE)


def relation_kind(relation: str) -> str:
    """The group a relation is coloured and filtered by.

    Examples
    --------
    >>> relation_kind("spokespersonOf"), relation_kind("claimedBy"), relation_kind("somethingNew")
    ('role', 'violence', 'other')
    """
    return RELATION_KINDS.get(relation, "other")


def edge_status(relation: str, status: str, subject: str, obj: str, disputed_items: set[str]) -> str:
    """The status an edge is drawn with: ``disputed`` or its own status.

    A fact is disputed when it is a claim (status ``claimed``, or a claiming
    relation such as ``claimsResponsibilityFor``) about an item that some
    statement disavows or denies.

    Examples
    --------
    >>> edge_status("claimedBy", "claimed", "id/attack", "id/group", {"id/attack"})
    'disputed'
    >>> edge_status("place", "reported", "id/attack", "id/town", {"id/attack"})
    'reported'
    >>> edge_status("frontFor", "assessed", "id/a", "id/b", set())
    'assessed'
    """
    is_claim = status == "claimed" or relation in CLAIMING_RELATIONS
    if is_claim and (subject in disputed_items or obj in disputed_items):
        return "disputed"
    return status
