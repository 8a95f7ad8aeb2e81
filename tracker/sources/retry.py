"""Bounded retries with exponential backoff and full jitter, for transient source errors.

Attempt ``k`` (1-based) that fails transiently waits ``uniform(0.5, 1) * min(cap, base * 2**(k-1))``
before the next one, at most ``retries`` times; the worst case is therefore bounded by
``sum(min(cap, base * 2**k) for k < retries)``. Permanent errors are never retried.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tracker.sources.errors import TransientSourceError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3          # retries after the first attempt
    base: float = 2.0         # seconds before the first retry (before jitter)
    cap: float = 60.0         # longest single wait

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based)."""
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        return ceiling * (rng or random).uniform(0.5, 1.0)


OnRetry = Callable[[int, float, TransientSourceError], None]


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: OnRetry | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[T, int]:
    """Run ``call``; retry transient errors per ``policy``. Return ``(result, attempts)``.

    The last transient error is re-raised when the retries are exhausted, with the number of
    attempts in ``error.attempts``.
    """
    attempt = 1
    while True:
        try:
            return call(), attempt
        except TransientSourceError as exc:
            if attempt > policy.retries:
                exc.attempts = attempt
                raise
            wait = policy.delay(attempt)
            if on_retry is not None:
                on_retry(attempt, wait, exc)
            sleep(wait)
            attempt += 1
