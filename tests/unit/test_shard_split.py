"""How a sharded run splits tests and component directories: greedy longest-first into N
bins, ties by name, deterministic; by count without durations."""

from __future__ import annotations

import pytest

from maturity.errors import ShardError
from maturity.shard import assign, collectors_of, parse_shard


def test_heaviest_first_into_the_lightest_bin() -> None:
    weights = {"a": 5.0, "b": 4.0, "c": 3.0, "d": 3.0, "e": 1.0}
    # a->0 (5), b->1 (4), c->1 (7), d->0 (8), e->1 (8)
    assert assign(["a", "b", "c", "d", "e"], weights, 2) == [["a", "d"], ["b", "c", "e"]]


def test_each_bin_keeps_the_given_order_and_every_item_lands_once() -> None:
    items = [f"t{i:02}" for i in range(23)]
    weights = {item: float((i * 7) % 5) for i, item in enumerate(items)}
    bins = assign(items, weights, 4)
    assert sorted(x for b in bins for x in b) == items
    for b in bins:
        assert b == sorted(b)


def test_the_split_does_not_depend_on_the_order_it_is_given() -> None:
    items = ["x", "y", "z", "w"]
    weights = {"x": 1.0, "y": 1.0, "z": 2.0, "w": 2.0}
    forward = assign(items, weights, 2)
    backward = assign(list(reversed(items)), weights, 2)
    assert [sorted(b) for b in forward] == [sorted(b) for b in backward]


def test_without_durations_by_count_and_unknown_items_weigh_the_mean() -> None:
    assert [len(b) for b in assign([str(i) for i in range(7)], {}, 3)] == [3, 2, 2]
    # "new" has no duration: it weighs the mean (2), not 0, so it does not pile onto bin 0
    assert assign(["old1", "old2", "new"], {"old1": 3.0, "old2": 1.0}, 2) == [
        ["old1"],
        ["old2", "new"],
    ]


def test_more_bins_than_items_leaves_bins_empty() -> None:
    assert assign(["a"], {}, 3) == [["a"], [], []]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "a/b", "1", "1/2/3", ""])
def test_a_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(ShardError, match="--shard"):
        parse_shard(text)


def test_the_other_collectors_run_in_shard_one_and_the_tests_everywhere() -> None:
    names = ["bandit", "docs", "pyright", "ruff", "tests"]
    assert collectors_of(names, 1, ["src/a"]) == names
    assert collectors_of(names, 2, ["src/b"]) == ["bandit", "pyright", "ruff", "tests"]
    assert collectors_of(names, 3, []) == ["tests"]


def test_shards_that_split_the_tests_differently_are_no_run() -> None:
    from maturity.merge import _split_problem

    order = ["t::a", "t::b", "t::c"]
    assert _split_problem(["t::b", "t::a", "t::c"], order) is None
    twice = _split_problem(["t::a", "t::b", "t::a", "t::c"], order)
    assert twice is not None and "t::a ran in two shards" in twice
    lost = _split_problem(["t::a", "t::c"], order)
    assert lost is not None and "1 collected tests ran in no shard (t::b" in lost
    assert _split_problem(["t::a"], []) is None  # no order recorded: duplicates only
