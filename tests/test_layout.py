"""The page's overlap removal gives exactly what the plain pairwise loop gives, only faster."""

from __future__ import annotations

import random

import pytest

from graph.view.layout import remove_overlaps


def pairwise_reference(pos, boxes, gap=8.0, rounds=200):
    """The plain double loop over sorted pairs that ``remove_overlaps`` must reproduce exactly."""
    pos = {node: tuple(xy) for node, xy in sorted(pos.items())}
    order = list(pos)
    for _ in range(rounds):
        moved = False
        for i, u in enumerate(order):
            (ux, uy), (uw, ua, ub) = pos[u], boxes[u]
            for v in order[i + 1:]:
                (vx, vy), (vw, va, vb) = pos[v], boxes[v]
                dx = uw + vw + gap - abs(ux - vx)
                if dx <= 0:
                    continue
                dy = (ub + va + gap - (vy - uy)) if vy >= uy else (vb + ua + gap - (uy - vy))
                if dy <= 0:
                    continue
                moved = True
                if dx < dy:
                    step = dx / 2 * (1 if ux >= vx else -1) if ux != vx else dx / 2 * (1 if u < v else -1)
                    ux, vx = ux + step, vx - step
                else:
                    step = dy / 2 * (1 if uy >= vy else -1) if uy != vy else dy / 2 * (1 if u < v else -1)
                    uy, vy = uy + step, vy - step
                pos[u], pos[v] = (ux, uy), (vx, vy)
        if not moved:
            break
    return pos


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
@pytest.mark.parametrize("vector_from", [0, 10**9], ids=["vectorised", "plain-loop"])
def test_the_same_positions_as_the_pairwise_loop(seed, nodes, spread, integer, vector_from):
    pos, boxes = _case(seed, nodes, spread, integer)
    expected = pairwise_reference(pos, boxes)
    assert expected != {node: tuple(xy) for node, xy in pos.items()}  # the case has overlaps to remove
    moved = remove_overlaps(pos, boxes, vector_from=vector_from)
    assert moved == expected
    assert list(moved) == list(expected)


def test_a_few_rounds_stop_where_the_pairwise_loop_stops():
    pos, boxes = _case(6, 200, 150, False)
    assert remove_overlaps(pos, boxes, rounds=3, vector_from=0) == pairwise_reference(pos, boxes, rounds=3)
