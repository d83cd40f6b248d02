"""Order totals."""

import os


def total(prices: list[int]) -> int:
    """The sum of ``prices``, with a 10% discount from 100 on."""
    amount = sum(prices)
    if amount >= 100:
        return amount * 9 // 10
    return amount
