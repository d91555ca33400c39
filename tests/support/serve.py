"""Serve the app over real HTTP on a free port (printed first), for tests that need a
separate process: ``python tests/support/serve.py`` with DJANGO_SETTINGS_MODULE set."""

import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from django.core.wsgi import get_wsgi_application


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 resets bursts of concurrent clients


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    django.setup()
    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print(server.server_port, flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
