"""Reading statements from an LRS with tincan's RemoteLRS, hardened for real servers.

RemoteLRS builds the requests (endpoint, basic auth, X-Experience-API-Version, `more`
resolved against the server root). Three of its habits are replaced:
- it opens a new connection without a timeout for every request: this keeps one
  connection alive, with a timeout;
- it turns a datetime `since` into a string with a space and `ascending` into `True`:
  callers here pass ISO strings and "true";
- it parses each page into tincan objects, which costs ~0.1 ms a statement and fails a
  whole page on fields xAPI 2.0 added: pages are parsed with `json` only, and checking
  statements is the warehouse's job.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from urllib.parse import urlencode, urlparse

from tincan import RemoteLRS
from tincan.http_request import HTTPRequest


class PullError(Exception):
    """A source could not be pulled; the message is one line for the operator."""


class Unauthorized(PullError):
    pass


class NotAnLRS(PullError):
    pass


class Transient(PullError):
    """A timeout, a dropped connection or a 5xx: worth trying again."""


@dataclass
class Page:
    statements: list[dict]
    more: str | None
    consistent_through: str | None


class LRSClient(RemoteLRS):
    # tincan objects accept only declared properties
    _props = [*RemoteLRS._props, "timeout", "connection"]

    def __init__(self, endpoint: str, username: str, password: str, timeout: float):
        if not endpoint.endswith("/"):
            endpoint += "/"
        super().__init__(endpoint=endpoint, username=username, password=password, version="1.0.3")
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def first_page(self, params: dict[str, str]) -> Page:
        request = HTTPRequest(method="GET", resource="statements")
        request.query_params = params
        return self.page(request)

    def next_page(self, more: str) -> Page:
        target = more if more.startswith(("http://", "https://")) else self.get_endpoint_server_root() + more
        return self.page(HTTPRequest(method="GET", resource=target))

    def page(self, request: HTTPRequest) -> Page:
        status, headers, body = self._exchange(request)
        url = self.describe(request)
        if status in (401, 403):
            raise Unauthorized(f"{url}: the LRS refused the credentials (HTTP {status})")
        if status >= 500 or status == 429:
            raise Transient(f"{url}: HTTP {status}")
        if status != 200:
            raise NotAnLRS(f"{url}: HTTP {status}, not an xAPI statements resource")
        try:
            document = json.loads(body)
        except ValueError:
            kind = headers.get("content-type", "unknown content")
            raise NotAnLRS(f"{url}: the answer is not xAPI JSON ({kind})") from None
        if not isinstance(document, dict) or not isinstance(document.get("statements"), list):
            raise NotAnLRS(f"{url}: the answer has no statements list, so this is not an xAPI LRS")
        consistent_through = headers.get("x-experience-api-consistent-through")
        return Page(document["statements"], document.get("more") or None, consistent_through)

    def describe(self, request: HTTPRequest) -> str:
        resource = request.resource if request.resource.startswith("http") else self.endpoint + request.resource
        return resource.split("?")[0]

    def _exchange(self, request: HTTPRequest) -> tuple[int, dict[str, str], bytes]:
        url = request.resource if request.resource.startswith("http") else self.endpoint + request.resource
        parsed = urlparse(url)
        path = parsed.path + ("?" + parsed.query if parsed.query else "")
        if request.query_params:
            path += ("&" if parsed.query else "?") + urlencode(request.query_params)
        headers = {"X-Experience-API-Version": self.version, "Authorization": self.auth, "Connection": "keep-alive"}
        try:
            connection = self._connect(parsed)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (TimeoutError, OSError, http.client.HTTPException) as err:
            self.close()
            raise Transient(f"{url.split('?')[0]}: {type(err).__name__}: {err}".strip(": ")) from None
        if response.getheader("connection", "").lower() == "close":
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def _connect(self, parsed) -> http.client.HTTPConnection:
        if self._connection is None:
            kind = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
            self._connection = kind(parsed.hostname, parsed.port, timeout=self._timeout)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
