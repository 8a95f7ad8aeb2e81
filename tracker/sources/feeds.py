"""RSS/Atom feeds: one conditional HTTP GET per feed, with a timeout; no article parsing here.

:class:`HttpFeedFetcher` sends ``If-None-Match``/``If-Modified-Since`` from the previous
fetch (RFC 9110 validators), so an unchanged feed costs a ``304`` and stores nothing. A ``200``
body is checked to *be* a feed with feedparser (an HTML error page served with 200 is refused),
then handed back unchanged; turning entries into articles is the news/tagging side's job.

Errors: timeouts, 429 and 5xx are transient; DNS failures and refused connections make the
feed unreachable (transient); other 4xx and a body that is not a feed are permanent.
"""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request

from tracker.sources.base import FeedResponse
from tracker.sources.errors import PermanentSourceError, RateLimited, SourceUnreachable, TransientSourceError

USER_AGENT = "market-reaction-tracker/0.1 (feed reader)"
MAX_BYTES = 20 * 1024 * 1024
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


class HttpFeedFetcher:
    """Conditional GET with :mod:`urllib` (no extra dependency), bounded by ``timeout`` seconds."""

    def __init__(self, timeout: float = 20.0, user_agent: str = USER_AGENT) -> None:
        self.timeout = timeout
        self.user_agent = user_agent

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FeedResponse:
        if not re.match(r"^https?://[^/\s]+", url):
            raise PermanentSourceError(f"feed URL {url!r} is not usable: only http(s) URLs with a host", subject=url)
        headers = {"User-Agent": self.user_agent, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise PermanentSourceError(f"feed {url} is larger than {MAX_BYTES // 2**20} MB", subject=url)
                return FeedResponse(
                    url, response.status, body, response.headers.get("ETag"),
                    response.headers.get("Last-Modified"), response.headers.get("Content-Type"),
                )
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return FeedResponse(url, 304, None, exc.headers.get("ETag") or etag,
                                    exc.headers.get("Last-Modified") or last_modified, None)
            if exc.code == 429:
                raise RateLimited(f"feed {url} answered HTTP 429 (too many requests)", subject=url) from None
            if exc.code >= 500:
                raise TransientSourceError(f"feed {url} answered HTTP {exc.code}", subject=url) from None
            raise PermanentSourceError(
                f"feed {url} answered HTTP {exc.code} {exc.reason}", hint="check the URL in [feeds] urls of tracker.toml",
                subject=url,
            ) from None
        except (TimeoutError, socket.timeout):
            raise TransientSourceError(f"feed {url} timed out after {self.timeout:g} s", subject=url) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise TransientSourceError(f"feed {url} timed out after {self.timeout:g} s", subject=url) from None
            raise SourceUnreachable(
                f"cannot reach feed {url}: {reason}", hint="check the network connection and the URL", subject=url,
            ) from None
        except (ConnectionError, OSError) as exc:
            raise SourceUnreachable(f"cannot reach feed {url}: {exc}", subject=url) from None
        except ValueError as exc:  # unknown URL type and the like
            raise PermanentSourceError(f"feed URL {url!r} is not usable: {exc}", subject=url) from None


def feed_text(response: FeedResponse) -> str:
    """The body as text (charset from the HTTP header, else the XML declaration, else UTF-8),
    after checking that it parses as an RSS or Atom feed."""
    import feedparser

    body = response.body or b""
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f": {str(problem).splitlines()[0]}" if problem else ""
        raise PermanentSourceError(
            f"{response.url} did not return an RSS or Atom feed{why}",
            hint="check the URL in [feeds] urls of tracker.toml (it may point to a web page)", subject=response.url,
        )
    encoding = None
    if response.content_type:
        match = _CHARSET.search(response.content_type)
        encoding = match.group(1) if match else None
    for candidate in (encoding, parsed.get("encoding"), "utf-8"):
        if not candidate:
            continue
        try:
            return body.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")
