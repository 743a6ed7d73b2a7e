"""Checks across the whole corpus: self-loops, cycles of ties, shared names.

Each is a function from the checked facts or entities to a list of
:class:`~graph.errors.Problem`, run once every record has been read.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .errors import Problem
from .model import Entity, Fact, Node
from .quotes import normalize

__all__ = ["HIERARCHY", "self_loops", "hierarchy_cycles", "shared_aliases", "check_intended_names"]

HIERARCHY = ("partOf", "claimsPartOf", "memberOf", "partOfEvent")
"""Ties that nest one thing inside another: they can never go round in a circle."""


def self_loops(facts: list[Fact]) -> list[Problem]:
    """A fact whose object is its own subject (a group backed by itself).

    Examples
    --------
    >>> from graph.model import Fact, Node
    >>> loop = Fact(Node("id", "al-nujaba"), "backedBy", Node("id", "al-nujaba"), "Reported", "d", set(), set(), None,
    ...             set(), None, "d.yaml", 12)
    >>> print(self_loops([loop])[0])
    d.yaml, line 12: 'al-nujaba' is backedBy itself (check the subject and the object)
    """
    return [Problem(f.file, f.line, f"'{f.subject.id}' is {f.predicate} itself", "check the subject and the object")
            for f in facts if isinstance(f.object, Node) and f.object == f.subject]


def hierarchy_cycles(facts: list[Fact]) -> list[Problem]:
    """One problem for each group of part-of or member-of ties that leads back to where it starts."""
    graph = nx.DiGraph()
    where: dict[tuple, Fact] = {}
    for fact in sorted(facts, key=lambda f: (f.file, f.line)):
        if fact.predicate in HIERARCHY and isinstance(fact.object, Node) and fact.object != fact.subject:
            edge = (fact.subject.id, fact.object.id)
            graph.add_edge(*edge)
            where.setdefault(edge, fact)
    problems = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        ties = sorted((where[e] for e in graph.subgraph(component).edges), key=lambda f: (f.file, f.line))
        first = ties[0]
        chain = "; ".join(f"{f.subject.id} {f.predicate} {f.object.id} ({f.file}, line {f.line})" for f in ties[:6])
        problems.append(Problem(first.file, first.line,
                                f"part-of and member-of ties go round in a circle: {chain}",
                                "nothing can be part of itself; check which of these ties the source really states"))
    return problems


def shared_aliases(entities: dict[str, Entity], intended: dict[str, set[str]]) -> list[Problem]:
    """A name (label or alias) that two entities share, unless each lists it in ``shared_aliases``.

    Names are compared after folding case, typographic quotes, dashes and
    spaces, so lookalikes that differ only in those are caught too.

    Examples
    --------
    >>> from graph.model import Entity
    >>> def entity(id, aliases):
    ...     return Entity(id, "Person", aliases[0], tuple(aliases), "", False, "people.yaml", 3)
    >>> pair = {"a": entity("a", ["Abu Ali"]), "b": entity("b", ["Abu ali"])}
    >>> print(shared_aliases(pair, {}))  # doctest: +ELLIPSIS
    [Problem(file='people.yaml', line=3, message="the name 'Abu ali' of 'b' is also a name of 'a' (people.yaml, line 3)", ...)]
    >>> shared_aliases(pair, {"a": {"Abu Ali"}, "b": {"Abu ali"}})
    []
    """
    owners: dict[str, dict[str, str]] = defaultdict(dict)  # folded name -> {entity id: spelling}
    for entity in entities.values():
        for name in (entity.label, *entity.aliases):
            owners[normalize(name).casefold().strip()].setdefault(entity.id, name)
    problems = []
    for ids in owners.values():
        if len(ids) < 2:
            continue
        folded = {e: {normalize(n).casefold().strip() for n in intended.get(e, ())} for e in ids}
        if all(normalize(name).casefold().strip() in folded[e] for e, name in ids.items()):
            continue
        first, *others = sorted(ids, key=lambda e: (entities[e].file, entities[e].line, e))
        for other in others:
            entity, earlier = entities[other], entities[first]
            problems.append(Problem(
                entity.file, entity.line,
                f"the name {ids[other]!r} of '{other}' is also a name of '{first}' ({earlier.file}, line {earlier.line})",
                "if these are different entities that really share the name, add it to 'shared_aliases:' of both; "
                "if they are one entity, merge them"))
    return problems


def check_intended_names(entities: dict[str, Entity], intended: dict[str, set[str]]) -> list[Problem]:
    """A name in ``shared_aliases`` must be one of the entity's own names."""
    problems = []
    for entity_id, names in intended.items():
        entity = entities[entity_id]
        own = {entity.label, *entity.aliases}
        for name in sorted(names - own):
            problems.append(Problem(entity.file, entity.line, f"shared alias {name!r} of '{entity_id}' is not one of its aliases",
                                    "list it in 'aliases:' too"))
    return problems
