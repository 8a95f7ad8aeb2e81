"""Errors of the data sources, split the way retrying needs them (dlt's transient/terminal).

* :class:`TransientSourceError`: the same request may succeed later (rate limit, timeout,
  network down, Yahoo's "will be right back" page, a 5xx). Ingestion retries these with
  bounded exponential backoff and jitter.
* :class:`PermanentSourceError`: retrying will not help within a run (unknown or delisted
  ticker, a range with no data, a malformed payload). The ticker or feed is marked failed for
  the run with the reason; the others go on.

:class:`SourceUnreachable` and :class:`RateLimited` are transient errors that concern the whole
source, not one symbol: once their retries are exhausted the run stops asking that source.
"""

from __future__ import annotations

from events.errors import TrackerError


class SourceError(TrackerError):
    """A source failed to deliver; ``subject`` is the ticker or feed URL concerned."""

    transient = False

    def __init__(self, message: str, *, hint: str | None = None, subject: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.subject = subject


class TransientSourceError(SourceError):
    """Retrying later may succeed."""

    transient = True


class SourceUnreachable(TransientSourceError):
    """The source's host cannot be reached at all (no network, DNS failure, connection refused)."""


class RateLimited(TransientSourceError):
    """The source refuses requests for now (Yahoo's ``YFRateLimitError``, HTTP 429)."""


class PermanentSourceError(SourceError):
    """Retrying within this run will not help."""
