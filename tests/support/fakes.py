"""Local stand-ins for servers outside this machine (mail; a video site's oEmbed endpoint;
a server that never answers, a relay to the real Redis that can be cut), speaking the real
protocol; and ``free_port``."""

import contextlib
import json
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class _SMTPHandler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self._reply("220 fake-smtp ready")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline().decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 fake-smtp")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data_line = self.rfile.readline().decode("utf-8", "replace")
                    if data_line.rstrip("\r\n") == ".":
                        break
                    lines.append(data_line)
                self.server.messages.append(
                    {"from": sender, "to": recipients, "data": "".join(lines)}
                )
                self._reply("250 OK queued")
            elif verb == "RSET":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    """A real SMTP listener on 127.0.0.1 that keeps what it receives in ``messages``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _SMTPHandler)
        self.messages: list[dict] = []
        self.port = self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


def mail_to(settings, port: int) -> None:
    """Django's mail goes out by SMTP to 127.0.0.1:``port`` (``settings``: pytest-django's
    fixture, which puts them back after the test)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port


@contextlib.contextmanager
def mail_server(settings):
    """A FakeSMTPServer that Django's mail goes to."""
    with FakeSMTPServer() as server:
        mail_to(settings, server.port)
        yield server


def send_json(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers) -> None:
    """Answers a stand-in server's request with a JSON ``body`` (and any other headers)."""
    handler.send_response(status)
    for name, value in {**headers, "Content-Type": "application/json"}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class StandInServer:
    """An HTTP server standing in for a service outside this machine, on loopback, serving
    from a thread while the ``with`` block runs; subclasses make it with ``_serving``."""

    server: ThreadingHTTPServer

    def _serving(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        server.daemon_threads = True
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class OEmbedProvider(StandInServer):
    """A video site's oEmbed endpoint on 127.0.0.1: answers any ``url`` it is asked about
    with a video whose player is framed from ``player`` (an https host editors may embed),
    and keeps the URLs asked in ``asked``. ``finders`` is the WAGTAILEMBEDS_FINDERS entry
    sending URLs matching ``urls`` (regular expressions) to it."""

    def __init__(self, player: str, urls: list[str]):
        self.asked: list[str] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = parse_qs(urlsplit(self.path).query).get("url", [""])[0]
                provider.asked.append(url)
                answer = json.dumps(
                    {
                        "version": "1.0",
                        "type": "video",
                        "title": "托育机构开放日",
                        "provider_name": "视频站",
                        "width": 640,
                        "height": 360,
                        "html": f'<iframe src="{player}?v={url.rsplit("/", 1)[-1]}" '
                        'width="640" height="360" allowfullscreen></iframe>',
                    }
                ).encode()
                send_json(self, 200, answer)

            def log_message(self, *args):
                pass

        self._serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        endpoint = f"http://127.0.0.1:{self.server.server_port}/oembed"
        self.finders = [
            {
                "class": "wagtail.embeds.finders.oembed",
                "providers": [{"endpoint": endpoint, "urls": urls}],
            }
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Listener:
    """A TCP listener on a free loopback port, handing each connection to ``accepted``."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted(conn)

    def accepted(self, conn):
        raise NotImplementedError


class Silent(_Listener):
    """A TCP listener that accepts every connection and never says a word (a hung Redis,
    database or SMTP server); ``connected`` is set once it has accepted one."""

    def __init__(self):
        self.held = []
        self.connected = threading.Event()
        super().__init__()

    def accepted(self, conn):
        self.held.append(conn)
        self.connected.set()

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Relay(_Listener):
    """A TCP relay to the real Redis; ``up = False`` refuses new connections and cuts
    the open ones, as a Redis restart or a network cut would; ``stalled`` keeps every
    connection open and passes nothing on, as a hung Redis would."""

    def __init__(self, target_port=6379):
        self.target = ("127.0.0.1", target_port)
        self.up = True
        self.stalled = False
        self.pairs = []
        super().__init__()

    def accepted(self, conn):
        if not self.up:
            conn.close()
            return
        upstream = socket.create_connection(self.target)
        self.pairs.append((conn, upstream))
        for a, b in ((conn, upstream), (upstream, conn)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                if not self.stalled:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.up = False
        for a, b in self.pairs:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
        self.pairs = []

    def close(self):
        self.cut()
        self.sock.close()
