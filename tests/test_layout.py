"""The page's overlap removal leaves no two label boxes overlapping, at every size, deterministically."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from graph.view.layout import PUSH_MAX, _remove_overlaps_pairwise, layout_positions, remove_overlaps

GAP = 8.0


def _case(seed: int, nodes: int, spread: float, integer: bool):
    rng = random.Random(seed)
    coordinate = (lambda: rng.randint(-int(spread), int(spread))) if integer else (lambda: rng.uniform(-spread, spread))
    pos = {f"n{i:03d}": (coordinate(), coordinate()) for i in range(nodes)}
    pos["same-a"] = pos["same-b"] = (0, 0) if integer else (0.0, 0.0)  # two nodes on one spot
    boxes = {node: (rng.uniform(5, 60), rng.uniform(5, 20), rng.uniform(10, 40)) for node in pos}
    return pos, boxes


def overlapping_pairs(pos, boxes, gap=GAP, tolerance=1e-6):
    """Pairs whose boxes (half width, above, below) come closer than ``gap``, by plain geometry.

    Pushing a pair apart leaves it exactly ``gap`` apart, where rounding decides either way: the tolerance."""
    found = []
    for u, v in itertools.combinations(sorted(pos), 2):
        (ux, uy), (vx, vy) = pos[u], pos[v]
        uw, vw = boxes[u][0], boxes[v][0]
        apart_across = abs(ux - vx) >= uw + vw + gap - tolerance
        top, bottom = (u, v) if uy <= vy else (v, u)
        apart_down = pos[bottom][1] - boxes[bottom][1] - (pos[top][1] + boxes[top][2]) >= gap - tolerance
        if not (apart_across or apart_down):
            found.append((u, v))
    return found


CASES = [(1, 40, 100, False), (2, 120, 300, False), (3, 120, 300, True), (4, 300, 2000, False), (5, 8, 5, True),
         (6, 400, 400, False)]


@pytest.mark.parametrize(("seed", "nodes", "spread", "integer"), CASES)
@pytest.mark.parametrize("push_max", [0, PUSH_MAX])
def test_no_two_boxes_overlap_afterwards(seed, nodes, spread, integer, push_max):
    pos, boxes = _case(seed, nodes, spread, integer)
    assert overlapping_pairs(pos, boxes)  # the case has overlaps to remove
    moved = remove_overlaps(pos, boxes, push_max=push_max)
    assert sorted(moved) == sorted(pos)
    assert overlapping_pairs(moved, boxes) == []


@pytest.mark.parametrize("push_max", [0, PUSH_MAX])
def test_the_same_input_in_another_order_gives_the_same_positions(push_max):
    pos, boxes = _case(7, 150, 200, False)
    shuffled = list(pos.items())
    random.Random(1).shuffle(shuffled)
    assert remove_overlaps(dict(shuffled), boxes, push_max=push_max) == remove_overlaps(pos, boxes, push_max=push_max)


def test_a_layout_with_no_overlap_is_left_as_it_is():
    pos = {f"n{i}": (i * 200, (i % 3) * 90) for i in range(300)}
    boxes = dict.fromkeys(pos, (40.0, 10.0, 30.0))
    assert overlapping_pairs(pos, boxes) == []
    assert remove_overlaps(pos, boxes, push_max=0) == pos


def test_the_first_in_priority_keeps_its_place_and_the_others_move_as_little_as_they_can():
    pos = {"hub": (0.0, 0.0), "near": (10.0, 5.0), "far": (1000.0, 1000.0)}  # sparse: nothing is spread
    boxes = dict.fromkeys(pos, (40.0, 10.0, 30.0))
    moved = remove_overlaps(pos, boxes, push_max=0, priority=["near", "hub", "far"])
    assert moved["near"] == (10.0, 5.0) and moved["far"] == (1000.0, 1000.0)
    assert moved["hub"] != (0.0, 0.0) and overlapping_pairs(moved, boxes) == []
    distance = ((moved["hub"][0]) ** 2 + moved["hub"][1] ** 2) ** 0.5
    assert distance < 2 * (40 + 40 + GAP)  # the nearest free spot, not somewhere far away


def test_where_pushing_apart_settles_the_placement_changes_nothing():
    pos, boxes = _case(8, 30, 400, False)
    pushed = _remove_overlaps_pairwise(pos, boxes, GAP, 200)
    assert overlapping_pairs(pushed, boxes) == []  # the pairs settled within the passes
    assert remove_overlaps(pos, boxes) == pushed


def test_a_layout_is_computed_once_and_found_again_with_the_same_positions(tmp_path, monkeypatch):
    from graph.view import layout

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    graph = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("x", "y")])
    first = layout_positions(graph)
    [entry] = (tmp_path / "layouts").glob("*.json")

    def no_layout(*args, **kwargs):
        raise AssertionError("a layout in the cache was computed again")

    monkeypatch.setattr(layout.nx, "kamada_kawai_layout", no_layout)
    assert layout_positions(graph) == first
    entry.write_text("damaged", encoding="utf-8")
    with pytest.raises(AssertionError, match="computed again"):
        layout_positions(graph)  # a damaged entry is not trusted
    graph.add_edge("d", "x")
    with pytest.raises(AssertionError, match="computed again"):
        layout_positions(graph)  # another shape, another key
