"""Outgoing HTTP to addresses editors type in, without reaching inside our own network.

A webhook URL is chosen by an editor. Unchecked, ``http://127.0.0.1:6379/`` or
``http://169.254.169.254/`` turns the worker into a port scanner with read-back (SSRF).
So a target is resolved once, every address it resolves to must be public, and the
connection goes to that checked address: a DNS answer that changes between the check
and the connect (rebinding) cannot slip in a private one. The original host name is
still sent as ``Host`` and used for TLS (SNI and certificate verification).

``CMS_WEBHOOK_ALLOWED_NETWORKS`` lists networks allowed despite the rule (empty in
production; tests that run a local receiver allow loopback).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeTarget(ValueError):
    """The URL may not be requested; the message is for editors and names no address."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, as sent in Host and SNI
    port: int
    path: str  # path and query, at least "/"
    addresses: tuple[str, ...]  # every one checked


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def _allowed_networks():
    networks = settings.CMS_WEBHOOK_ALLOWED_NETWORKS
    return [ipaddress.ip_network(network, strict=False) for network in networks]


def _is_public(address) -> bool:
    # is_global alone lets multicast (224.0.0.0/4) through; the rest is belt and braces.
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or getattr(address, "is_site_local", False)
    )


def is_allowed_address(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    if any(address in network for network in _allowed_networks()):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and not _is_public(embedded):
            return False
    return _is_public(address)


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(_("The host name could not be resolved.")) from error
    return tuple(dict.fromkeys(info[4][0] for info in infos))


def check_url(url: str) -> Target:
    """Parse, resolve and check ``url``; raise UnsafeTarget when it may not be requested."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(_("Enter a valid http:// or https:// address.")) from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise UnsafeTarget(_("Enter an http:// or https:// address."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget(_("The address may not contain a user name or password."))
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise UnsafeTarget(_("Enter a valid http:// or https:// address.")) from error
    port = port or _DEFAULT_PORTS[scheme]
    addresses = _resolve(host, port)
    if not addresses or not all(is_allowed_address(address) for address in addresses):
        raise UnsafeTarget(
            _("Webhooks may only go to public internet addresses, not to internal networks.")
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port, path, addresses)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked addresses only; ``self.host`` stays the name (Host header)."""

    addresses: tuple[str, ...] = ()

    def connect(self):
        last_error = None
        for address in self.addresses:
            try:
                self.sock = socket.create_connection((address, self.port), self.timeout)
                break
            except OSError as error:
                last_error = error
        else:
            raise last_error or OSError("no address to connect to")
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection, _PinnedHTTPConnection):
    # HTTPSConnection.connect calls super().connect() (the pinned one), then wraps the
    # socket with server_hostname=self.host: SNI and the certificate check use the name.
    pass


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(
            target.host, target.port, timeout=timeout, context=tls_context()
        )
    else:
        connection = _PinnedHTTPConnection(target.host, target.port, timeout=timeout)
    connection.addresses = target.addresses
    return connection


def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass
class Answer:
    status: int
    body: bytes


def post(target: Target, body: bytes, headers: dict, timeout: float, max_bytes: int) -> Answer:
    """POST ``body`` to the checked target; no redirect is followed, no proxy is used.

    ``timeout`` bounds each network operation, and the whole exchange is cut off after
    three times that, so a receiver trickling bytes cannot hold the worker.
    """
    connection = _connection(target, timeout)
    expired = threading.Event()

    def cut_off():
        expired.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(3 * timeout, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(max_bytes))
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            raise TimeoutError("timed out") from error
        raise
    finally:
        watchdog.cancel()
        connection.close()
