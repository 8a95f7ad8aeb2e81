"""Canonical article URLs: the same story reached through different links is one article.

Feeds and aggregators decorate links with tracking parameters (``utm_source``, ``guccounter``,
``.tsrc``…), vary the scheme and ``www.``, and append fragments. :func:`canonical_url` removes
those differences so the link can serve as the article's identity; everything that could
select a different page (path, other query parameters) is kept.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only say where a click came from. Matched case-insensitively.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "_hsenc", "_hsmi", "mkt_tok", "guccounter", "guce_referrer", "guce_referrer_sig", "soc_src", "soc_trk",
    "ncid", "yptr", ".tsrc", "tsrc", "sr_share", "ocid", "cmpid", "smid", "smtyp", "ref", "ref_src", "taid",
    "mbid", "s_cid", "src_trk", "__twitter_impression", "xtor", "cshid", "fromrss", "rssfeed",
})
#: Parameter prefixes that are always tracking (``utm_source``, ``utm_medium``, ``pk_campaign``…).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "oly_", "vero_", "__hs")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def canonical_url(url: str) -> str | None:
    """The canonical form of an ``http(s)`` URL, or ``None`` if ``url`` is not one.

    Lower-cases the scheme and host, treats ``http`` as ``https``, drops ``www.``, default
    ports, the fragment, tracking parameters and a trailing slash; sorts the remaining query
    parameters.

    >>> canonical_url("HTTP://www.Example.com/a/b/?utm_source=rss&id=7&b=2#top")
    'https://example.com/a/b?b=2&id=7'
    """
    text = (url or "").strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host or "." not in host and host != "localhost":
        return None
    if host.startswith("www."):
        host = host[4:]
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    ]
    query.sort()
    return urlunsplit(("https", netloc, path if path != "/" else "", urlencode(query, doseq=True), ""))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)
