"""Serves the reference front end and forwards /graphql/ and /media/ to the CMS.

The browser talks to one origin (like a Next.js or Nuxt server would), so the demo needs
no CORS set-up. Standard library only:

    python frontend/serve.py --port 3000 --cms http://127.0.0.1:8000
"""

import argparse
import mimetypes
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PROXIED = ("/graphql/", "/media/", "/oembed")
STATIC = {
    "/app.js": ROOT / "app.js",
    "/style.css": ROOT / "style.css",
    # The CMS's own client-side HTML allowlist, the same file the partner widget carries.
    "/sanitize.js": ROOT.parent / "cms" / "embed" / "sanitize.js",
}


def make_handler(cms_url: str):
    class Handler(BaseHTTPRequestHandler):
        def _proxy(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            request = urllib.request.Request(cms_url + self.path, data=body, method=self.command)
            for name in ("Content-Type", "Accept", "If-None-Match", "Authorization"):
                if self.headers.get(name):
                    request.add_header(name, self.headers[name])
            try:
                with urllib.request.urlopen(request, timeout=30) as upstream:
                    status, headers, content = upstream.status, upstream.headers, upstream.read()
            except urllib.error.HTTPError as error:
                status, headers, content = error.code, error.headers, error.read()
            except (urllib.error.URLError, TimeoutError):
                status, content = 502, b'{"errors": [{"message": "CMS unreachable"}]}'
                headers = {"Content-Type": "application/json"}
            self.send_response(status)
            for name in ("Content-Type", "Cache-Control", "ETag", "Retry-After"):
                if headers.get(name):
                    self.send_header(name, headers[name])
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def _static(self):
            path = self.path.split("?", 1)[0]
            file = STATIC.get(path, ROOT / "index.html")
            content = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(file.name)[0] or "text/html")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def do_GET(self):
            (self._proxy if self.path.startswith(PROXIED) else self._static)()

        def do_POST(self):
            if self.path.startswith("/graphql/"):
                self._proxy()
            else:
                self.send_error(405)

        def log_message(self, format, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--cms", default="http://127.0.0.1:8000", help="The CMS's address.")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.cms.rstrip("/")))
    print(f"Reference front end on http://{args.host}:{args.port}/ (CMS: {args.cms})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
