"""The one HTTP client that fetches feeds and checks links.

Built on the standard library so every safety rule is visible here:

- http and https only, at most ``MAX_REDIRECTS`` redirects, each hop checked again;
- the address actually connected to must be public: loopback, private, link-local,
  multicast, reserved, unspecified and CGNAT (100.64.0.0/10) addresses are refused,
  unless the host (or host:port) is in ``settings.ASRHUB_FETCH_ALLOWLIST``;
- connect and read timeouts, plus a total deadline so a slow drip cannot hold a worker;
- the body is capped (``MAX_BODY`` bytes), also after gzip or deflate decompression;
- a User-Agent that names ASR Hub and where to find it.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_BODY = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
TOTAL_TIMEOUT = 30.0
CHUNK = 64 * 1024
CGNAT = ipaddress.ip_network("100.64.0.0/10")


class FetchError(Exception):
    """Anything that stops a fetch; ``kind`` says what (for error counts and health)."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


class BlockedAddress(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "blocked")


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirects: int = 0

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def user_agent() -> str:
    return f"ASRHub/1.0 (+{settings.SITE_URL}/; feed reader and link checker)"


def allowlisted(host: str, port: int) -> bool:
    allowed = {entry.strip().lower() for entry in settings.ASRHUB_FETCH_ALLOWLIST if entry.strip()}
    return host.lower() in allowed or f"{host.lower()}:{port}" in allowed


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (ip.version == 4 and ip in CGNAT)
    )


def checked_connection(host: str, port: int, timeout: float) -> socket.socket:
    """Connect to the first acceptable address of ``host`` and check the peer again."""
    allowed = allowlisted(host, port)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host}: {error}", "dns") from error
    last_error: Exception | None = None
    for family, kind, proto, _name, address in infos:
        if not allowed and not is_public(address[0]):
            last_error = BlockedAddress(f"{host} resolves to a non-public address ({address[0]})")
            continue
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError as error:
            sock.close()
            last_error = error
            continue
        peer = sock.getpeername()[0]
        if not allowed and not is_public(peer):
            sock.close()
            raise BlockedAddress(f"connected to a non-public address ({peer})")
        return sock
    if isinstance(last_error, FetchError):
        raise last_error
    if isinstance(last_error, socket.timeout):
        raise FetchError(f"connecting to {host} timed out", "timeout") from last_error
    raise FetchError(f"cannot connect to {host}: {last_error}", "connect") from last_error


class CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = checked_connection(self.host, self.port, CONNECT_TIMEOUT)
        self.sock.settimeout(self.timeout)


class CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        raw = checked_connection(self.host, self.port, CONNECT_TIMEOUT)
        raw.settimeout(self.timeout)
        context = ssl.create_default_context()
        try:
            self.sock = context.wrap_socket(raw, server_hostname=self.host)
        except (ssl.SSLError, OSError) as error:
            raw.close()
            raise FetchError(f"TLS failed: {error}", "tls") from error


def read_capped(
    response: http.client.HTTPResponse,
    deadline: float,
    limit: int,
    sock: socket.socket | None = None,
    read_timeout: float = READ_TIMEOUT,
) -> bytes:
    """Read at most ``limit`` decompressed bytes before ``deadline``.

    With ``sock``, each read waits no longer than what is left of the deadline, so a
    slow drip is cut off at the deadline, not one read timeout after it.
    """
    encoding = (response.getheader("Content-Encoding") or "").lower().strip()
    if encoding in {"gzip", "x-gzip"}:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    else:
        inflater = None
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and inflater is None and int(declared) > limit:
        raise FetchError(f"body too large ({declared} bytes)", "too-large")
    parts: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError("the response took too long", "timeout")
        if sock is not None:
            sock.settimeout(min(read_timeout, left))
        try:
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        except TimeoutError as error:
            raise FetchError("reading the response timed out", "timeout") from error
        if not chunk:
            break
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, limit + 1 - size)
            except zlib.error as error:
                raise FetchError(f"bad {encoding} data: {error}", "encoding") from error
        size += len(chunk)
        if size > limit:
            raise FetchError(f"body larger than {limit} bytes", "too-large")
        parts.append(chunk)
    return b"".join(parts)


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    max_body: int = MAX_BODY,
    total_timeout: float = TOTAL_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    read_body: bool = True,
) -> Response:
    """Fetch ``url``, following up to ``MAX_REDIRECTS`` redirects, each hop checked.

    ``read_body=False`` returns after the status line and headers (link checks).
    """
    deadline = time.monotonic() + total_timeout
    request_headers = {
        "User-Agent": user_agent(),
        "Accept-Encoding": "gzip, deflate",
        **(headers or {}),
    }
    for hop in range(MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            raise FetchError("the response took too long", "timeout")
        try:
            parts = urlsplit(url)
        except ValueError as error:
            raise FetchError(f"bad URL: {error}", "scheme") from error
        if parts.scheme not in {"http", "https"}:
            raise FetchError(
                f"only http and https are fetched, not {parts.scheme or 'nothing'}", "scheme"
            )
        if not parts.hostname:
            raise FetchError("the URL has no host", "scheme")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError("the URL has a bad port", "scheme") from error
        connection_class = (
            CheckedHTTPSConnection if parts.scheme == "https" else CheckedHTTPConnection
        )
        connection = connection_class(parts.hostname, port, timeout=read_timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(method, path, headers=request_headers)
            sock = connection.sock  # getresponse() drops it when the server will close
            raw = connection.getresponse()
            status = raw.status
            response_headers = {name.lower(): value for name, value in raw.getheaders()}
            if status in {301, 302, 303, 307, 308} and response_headers.get("location"):
                try:
                    url = urljoin(url, response_headers["location"].strip())
                except ValueError as error:
                    raise FetchError(f"bad redirect: {error}", "scheme") from error
                if status == 303:
                    method = "GET"
                continue
            reading = read_body and method != "HEAD"
            body = read_capped(raw, deadline, max_body, sock, read_timeout) if reading else b""
            return Response(
                url=url, status=status, headers=response_headers, body=body, redirects=hop
            )
        except FetchError:
            raise
        except TimeoutError as error:
            raise FetchError("the server did not answer in time", "timeout") from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{type(error).__name__}: {error}", "connect") from error
        except ValueError as error:  # e.g. a host name IDNA cannot encode
            raise FetchError(f"bad URL: {error}", "scheme") from error
        finally:
            connection.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects", "redirects")
