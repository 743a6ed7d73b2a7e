"""The page's vectorised overlap removal gives exactly what the plain pairwise loop gives, only faster."""

from __future__ import annotations

import random

import pytest

from graph.view.layout import _remove_overlaps_pairwise, remove_overlaps


def pairwise_reference(pos, boxes, gap=8.0, rounds=200):
    """The plain double loop over sorted pairs (the layout's own, for small graphs), which the
    vectorised path must reproduce exactly."""
    return _remove_overlaps_pairwise(pos, boxes, gap, rounds)


def _case(seed: int, nodes: int, spread: float, integer: bool):
    rng = random.Random(seed)
    coordinate = (lambda: rng.randint(-int(spread), int(spread))) if integer else (lambda: rng.uniform(-spread, spread))
    pos = {f"n{i:03d}": (coordinate(), coordinate()) for i in range(nodes)}
    pos["same-a"] = pos["same-b"] = (0, 0) if integer else (0.0, 0.0)  # two nodes on one spot
    boxes = {node: (rng.uniform(5, 60), rng.uniform(5, 20), rng.uniform(10, 40)) for node in pos}
    return pos, boxes


@pytest.mark.parametrize(("seed", "nodes", "spread", "integer"), [
    (1, 40, 100, False), (2, 120, 300, False), (3, 120, 300, True), (4, 300, 2000, False), (5, 8, 5, True),
])
def test_the_same_positions_as_the_pairwise_loop(seed, nodes, spread, integer):
    pos, boxes = _case(seed, nodes, spread, integer)
    expected = pairwise_reference(pos, boxes)
    assert expected != {node: tuple(xy) for node, xy in pos.items()}  # the case has overlaps to remove
    moved = remove_overlaps(pos, boxes, vector_from=0)
    assert moved == expected
    assert list(moved) == list(expected)


def test_a_few_rounds_stop_where_the_pairwise_loop_stops():
    pos, boxes = _case(6, 200, 150, False)
    assert remove_overlaps(pos, boxes, rounds=3, vector_from=0) == pairwise_reference(pos, boxes, rounds=3)
