"""How a sharded run (``maturity run --shard K/N``) splits work into N parts.

Imported by our pytest plugin inside the TARGET's interpreter (so it imports nothing
from maturity) and by maturity itself (to split the component directories among the
shards), so both split the same way.
"""

from __future__ import annotations

SHARD_ENV = "MATURITY_SHARD"  # "K/N": this process runs shard K of N
DURATIONS_ENV = "MATURITY_SHARD_DURATIONS"  # JSON file: node id -> seconds (previous run)


def assign(items: list[str], weights: dict[str, float], count: int) -> list[list[str]]:
    """``items`` split into ``count`` bins of about equal total weight, deterministically.

    Greedy longest-first: items by weight, heaviest first (ties by name), each into the
    bin with the least total so far (ties: the lowest bin). An item without a weight
    weighs the mean of the known ones (1 when none is known: then the split is by
    count). Each bin keeps its items in the order of ``items``."""
    known = [w for i, w in weights.items() if w >= 0]
    default = sum(known) / len(known) if known else 1.0
    weight = {i: max(float(weights.get(i, default)), 0.0) for i in items}
    totals = [0.0] * count
    chosen: dict[str, int] = {}
    for item in sorted(set(items), key=lambda i: (-weight[i], i)):
        index = min(range(count), key=lambda b: (totals[b], b))
        chosen[item] = index
        totals[index] += weight[item]
    bins: list[list[str]] = [[] for _ in range(count)]
    for item in items:
        bins[chosen[item]].append(item)
    return bins


def parse(text: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)`` with 1 <= K <= N; ValueError otherwise."""
    k, sep, n = text.partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit():
        raise ValueError(f"{text!r} is not K/N (e.g. 1/3)")
    index, count = int(k), int(n)
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: K must be between 1 and N")
    return index, count
