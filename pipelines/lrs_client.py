"""Reading statements from an LRS with tincan's RemoteLRS, hardened for real and hostile servers.

RemoteLRS holds the endpoint, the Basic-auth header and the xAPI version. Its habit of
opening a connection to whatever host a URL names is what this module replaces:
- the client only ever connects to the endpoint's origin (scheme, host, port). A `more`
  link is resolved against the server root and refused unless it stays on that origin,
  so the credentials cannot be sent elsewhere, whatever happened to the connection
  before (closed, HTTP/1.0, dropped and retried) and an https endpoint is never led to
  http;
- one connection is kept alive, and each request has a total deadline (connect, headers
  and body), not just a socket timeout, so a server dripping a byte a second cannot hold
  a pull; the body has a size limit;
- 429 and 503 carry their Retry-After (seconds or an HTTP date) to the retry;
- pages are parsed with `json` only (tincan objects cost ~0.1 ms a statement and fail a
  whole page on fields xAPI 2.0 added); checking statements is the warehouse's job.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urljoin, urlsplit

from tincan import RemoteLRS

DEFAULT_PORTS = {"http": 80, "https": 443}
RETRY_AFTER_CAP = 60.0  # seconds: a server may ask for a pause, not for the night
CHUNK = 65536


class PullError(Exception):
    """A source could not be pulled; the message is one line for the operator."""


class Unauthorized(PullError):
    pass


class NotAnLRS(PullError):
    pass


class Refused(PullError):
    """The LRS asked for something celedger will not do (another origin, a huge page)."""


class Transient(PullError):
    """A timeout, a dropped connection, a 5xx or a 429: worth trying again."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Page:
    statements: list
    more: str | None  # as the LRS sent it: `resolve` it before following it
    consistent_through: str | None


def redact(text: str) -> str:
    """Text with the userinfo (`user:password@`) of every URL in it replaced by `***@`."""
    return re.sub(r"(?i)([a-z][a-z0-9+.-]*:)?//[^/\s@?#]*@", lambda m: f"{m.group(1) or ''}//***@", text)


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL, with the default port filled in; ValueError if none."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return scheme, host, parts.port or DEFAULT_PORTS[scheme]


class LRSClient(RemoteLRS):
    # tincan objects accept only declared properties
    _props = [*RemoteLRS._props, "timeout", "connection", "origin", "max_bytes"]

    def __init__(self, endpoint: str, username: str, password: str, timeout: float, max_bytes: int = 64 << 20):
        if not endpoint.endswith("/"):
            endpoint += "/"
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        try:
            origin = origin_of(endpoint)
            userinfo = urlsplit(endpoint).username is not None
        except ValueError:
            raise Refused(f"{redact(endpoint)}: not an http(s) endpoint") from None
        if userinfo:  # credentials come from the environment or a connection, never from the URL
            raise Refused(f"{redact(endpoint)}: the endpoint must not carry a user name or password")
        super().__init__(endpoint=endpoint, auth=f"Basic {token}", version="1.0.3")
        self._origin = origin
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._connection: http.client.HTTPConnection | None = None

    def first_page(self, params: dict[str, str]) -> Page:
        return self.page(self.endpoint + "statements?" + urlencode(params))

    def next_page(self, more: str) -> Page:
        return self.page(self.resolve(more))

    def resolve(self, more: str) -> str:
        """The absolute URL of a `more` link, which must stay on the endpoint's origin."""
        if not is_url_text(more):
            raise NotAnLRS(f"{self.describe(self.endpoint)}: `more` is not a URL ({one_line(json.dumps(more))[:80]})")
        try:
            url = urljoin(self.get_endpoint_server_root() + "/", more)
            same = origin_of(url) == self._origin
        except ValueError:
            url, same = more, False
        if not same:
            raise Refused(f"refused to follow a `more` link to {redact(url)}: it leaves {self.describe(self.endpoint)}")
        return url

    def page(self, url: str) -> Page:
        status, headers, body = self._exchange(url)
        where = self.describe(url)
        if status in (401, 403):
            raise Unauthorized(f"{where}: the LRS refused the credentials (HTTP {status})")
        if status >= 500 or status == 429:
            wait = retry_after(headers.get("retry-after")) if status in (429, 503) else None
            raise Transient(f"{where}: HTTP {status}", wait)
        if status != 200:
            raise NotAnLRS(f"{where}: HTTP {status}, not an xAPI statements resource")
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's stack
            kind = one_line(headers.get("content-type", "unknown content"))
            raise NotAnLRS(f"{where}: the answer is not xAPI JSON ({kind})") from None
        if not isinstance(document, dict) or not isinstance(document.get("statements"), list):
            raise NotAnLRS(f"{where}: the answer has no statements list, so this is not an xAPI LRS")
        more = document.get("more") or None
        if more is not None and not isinstance(more, str):
            raise NotAnLRS(f"{where}: `more` is not a URL ({one_line(json.dumps(more))[:80]})")
        return Page(document["statements"], more, headers.get("x-experience-api-consistent-through"))

    def describe(self, url: str) -> str:
        """A URL as printed in errors: no query, no userinfo."""
        return redact(url.split("?")[0])

    def _exchange(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """One GET on the kept-alive connection to the origin, within `timeout` seconds in all."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"X-Experience-API-Version": self.version, "Authorization": self.auth, "Connection": "keep-alive"}
        deadline = Deadline(self._timeout)
        try:
            connection = self._connect()
            with deadline.watch(connection):
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                body = self._read(response, deadline)
        except (OSError, http.client.HTTPException) as err:
            self.close()
            if deadline.expired:
                raise Transient(f"{self.describe(url)}: no complete answer within {self._timeout:g} s") from None
            raise Transient(f"{self.describe(url)}: {type(err).__name__}: {err}".strip(": ")) from None
        if response.will_close:
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def _read(self, response: http.client.HTTPResponse, deadline: Deadline) -> bytes:
        declared = response.getheader("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            self.close()
            raise Refused(f"the answer is larger than {self._max_bytes} bytes (max_page_bytes)")
        chunks, size = [], 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > self._max_bytes:
                self.close()
                raise Refused(f"the answer is larger than {self._max_bytes} bytes (max_page_bytes)")
            chunks.append(chunk)
            deadline.check()
        chunks.append(response.read())  # b"", and marks the response done so the connection is reused
        deadline.check()  # the watch may have ended the body early by shutting the socket
        return b"".join(chunks)

    def _connect(self) -> http.client.HTTPConnection:
        """The connection to the endpoint's origin: the only host this client ever talks to."""
        if self._connection is None:
            scheme, host, port = self._origin
            kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            self._connection = kind(host, port, timeout=self._timeout)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class Deadline:
    """A total time limit for one request: when it passes, the socket is shut down, which
    ends any read in progress (a socket timeout alone restarts with every byte)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False

    def watch(self, connection: http.client.HTTPConnection) -> _Watch:
        return _Watch(self, connection)

    def check(self) -> None:
        if time.monotonic() > self.ends:
            self.expired = True
            raise TimeoutError("deadline passed")


class _Watch:
    def __init__(self, deadline: Deadline, connection: http.client.HTTPConnection):
        self.deadline, self.connection = deadline, connection
        self.timer = threading.Timer(max(0.0, deadline.ends - time.monotonic()), self._expire)
        self.timer.daemon = True

    def _expire(self) -> None:
        self.deadline.expired = True
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watch:
        self.timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.timer.cancel()


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, min(seconds, RETRY_AFTER_CAP))


def is_url_text(text: str) -> bool:
    """A URL reference that can go on a request line: printable ASCII, no spaces, parseable."""
    if not text.isascii() or any(c <= " " or c == "\x7f" for c in text):
        return False
    try:
        urlsplit(text).port  # noqa: B018 (raises ValueError on a bad port or IPv6 literal)
    except ValueError:
        return False
    return True


def one_line(text: str) -> str:
    return " ".join(str(text).split())
