"""What each count counts, in the same words wherever a count is shown.

The build's summary, the graph page and the report count different things;
each names its count with one of these words, so that two numbers that
differ say why.

* A **curated fact** (``kg:Fact``) is one thing one document states, with
  its status and quotes.
* A **fact link** is a curated fact between two nodes of the graph
  (entities, events, statements, documents): an edge of the typed graph.
* A **value fact** is a curated fact that gives a node a value rather than a
  link: a date, a number, a text, or an event's own status (claimed or
  reported).
* A **provenance link** joins an event or statement to a document that
  records it. It is no curated fact; the graph page draws it.
* The graph page's *links shown* (its own words) are its fact links and
  provenance links.
"""

from __future__ import annotations

from .model import Fact, Node

__all__ = ["CURATED_FACTS", "FACT_LINKS", "VALUE_FACTS", "PROVENANCE_LINKS", "is_fact_link", "facts_in_words"]

CURATED_FACTS = "curated facts"
FACT_LINKS = "fact links"
VALUE_FACTS = "value facts"
PROVENANCE_LINKS = "provenance links"


def is_fact_link(fact: Fact) -> bool:
    """Whether a curated fact links two nodes (an entity, record or document), not a node and a value.

    An event's status is written as a fact whose object is the status
    itself (``Node("status", ...)``): a value, not a node of the graph.

    Examples
    --------
    >>> from graph.model import Literal
    >>> def fact(obj):
    ...     return Fact(Node("id", "a"), "target", obj, "Reported", "d", set(), set(), None, set(), None, "f", 1)
    >>> is_fact_link(fact(Node("id", "b"))), is_fact_link(fact(Node("status", "Reported"))), is_fact_link(fact(Literal("3")))
    (True, False, False)
    """
    return isinstance(fact.object, Node) and fact.object.kind in ("id", "doc")


def facts_in_words(facts: int, links: int) -> str:
    """How many curated facts, and how many of them are fact links and value facts.

    Examples
    --------
    >>> facts_in_words(410, 298)
    '410 curated facts: 298 fact links, 112 value facts'
    """
    return f"{facts} {CURATED_FACTS}: {links} {FACT_LINKS}, {facts - links} {VALUE_FACTS}"
