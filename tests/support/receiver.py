"""A real HTTP server standing in for a front end that receives webhooks.

It checks each request's signature the way a receiver would (HMAC-SHA256 of
timestamp + "." + raw body, fresh timestamp) and answers 401 when it does not hold.
"""

import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.fakes import StandInServer, send_json


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class Receiver(StandInServer):
    """``redirect_to`` answers 302 to that URL; ``answer`` replaces the JSON answer's body;
    ``host`` "::1" listens on IPv6 loopback; ``tls`` (certificate file, key file) serves
    HTTPS and records the server names clients ask for (SNI) in ``server_names``."""

    def __init__(
        self,
        secret: str,
        fail_first: int = 0,
        hang: bool = False,
        redirect_to: str | None = None,
        answer: bytes | None = None,
        host: str = "127.0.0.1",
        tls: tuple[str, str] | None = None,
    ):
        self.secret = secret
        self.fail_first = fail_first
        self.hang = hang
        self.redirect_to = redirect_to
        self.answer = answer
        self.release = threading.Event()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                record = {
                    "headers": dict(self.headers),
                    "body": body,
                    "valid": receiver.verify(self.headers, body),
                }
                with receiver.lock:
                    receiver.requests.append(record)
                    number = len(receiver.requests)
                if receiver.hang:
                    receiver.release.wait(30)
                    return
                if not record["valid"]:
                    status = 401
                elif number <= receiver.fail_first:
                    status = 503
                else:
                    status = 200
                answer = receiver.answer or json.dumps({"received": number}).encode()
                if receiver.redirect_to:
                    status = 302
                location = {"Location": receiver.redirect_to} if receiver.redirect_to else {}
                send_json(self, status, answer, **location)

            def log_message(self, *args):
                pass

        server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
        self._serving(server_class((host, 0), Handler))
        self.port = self.server.server_port
        self.server_names: list[str | None] = []
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        authority = f"[{host}]" if ":" in host else host
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://{authority}:{self.port}/hooks/cms"

    def verify(self, headers, body: bytes) -> bool:
        timestamp = headers.get("X-Webhook-Timestamp", "")
        signature = headers.get("X-Webhook-Signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return False
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(signature, "sha256=" + expected)

    def events(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def __exit__(self, *exc):
        self.release.set()  # requests held back for a test must not hold up the shutdown
        super().__exit__(*exc)
