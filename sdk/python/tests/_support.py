"""Test helpers: puts ``src/`` on the path and provides a tiny local HTTP server to script.

A test hands :class:`FakeServer` a function from :class:`Req` to :class:`Reply`; the server
records every request, so tests can assert what the SDK sent (headers, query, body) and how often.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

SDK_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(SDK_ROOT, "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

import callingbox  # noqa: E402


class Req:
    def __init__(self, method: str, raw_path: str, headers: Dict[str, str], body: bytes) -> None:
        parsed = urllib.parse.urlsplit(raw_path)
        self.method = method
        self.path = parsed.path
        self.query: Dict[str, str] = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def __repr__(self) -> str:
        return f"<Req {self.method} {self.path} {self.query}>"


class Reply:
    """What the fake answers. ``body`` is JSON-encoded unless it is bytes; ``drop=True`` closes
    the connection without answering; ``stream`` is a list of byte chunks sent one by one."""

    def __init__(
        self,
        status: int = 200,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        *,
        drop: bool = False,
        stream: Optional[Iterable[bytes]] = None,
        chunked: bool = False,
        delay_s: float = 0.0,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.drop = drop
        self.stream = stream
        self.chunked = chunked
        self.delay_s = delay_s


Handler = Callable[[Req], Union[Reply, Any]]


class FakeServer:
    """``with FakeServer(handler) as server: Callingbox(api_key="sk_test", base_url=server.url)``"""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: List[Req] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        outer = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Req(self.command, self.path, dict(self.headers.items()), body)
                with outer._lock:
                    outer.requests.append(req)
                reply = outer.handler(req)
                if not isinstance(reply, Reply):
                    reply = Reply(200, reply)
                if reply.delay_s:
                    outer._stop.wait(reply.delay_s)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if reply.stream is not None:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "text/event-stream")
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    if reply.chunked:  # as Node sends a stream: HTTP/1.1 chunked transfer coding
                        self.send_header("Transfer-Encoding", "chunked")
                    else:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in reply.stream:
                        if outer._stop.is_set():
                            break
                        if reply.chunked:
                            chunk = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    if reply.chunked:
                        self.wfile.write(b"0\r\n\r\n")
                    self.close_connection = True
                    return
                if isinstance(reply.body, (bytes, bytearray)):
                    data = bytes(reply.body)
                    ctype = reply.headers.get("Content-Type", "application/octet-stream")
                elif reply.body is None:
                    data = b""
                    ctype = "application/json"
                else:
                    data = json.dumps(reply.body).encode()
                    ctype = "application/json"
                self.send_response(reply.status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in reply.headers.items():
                    if k.lower() != "content-type":
                        self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        class _Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                # A client that gave up (timeout tests) leaves a broken pipe: not a failure.
                exc = sys.exc_info()[1]
                if not isinstance(exc, (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self._server = _Server(("127.0.0.1", 0), _H)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> "FakeServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def client(self, **kw: Any) -> "callingbox.Callingbox":
        """A client for this server whose retry sleeps are recorded, not slept."""
        client = callingbox.Callingbox(api_key="sk_live_test", base_url=self.url, **kw)
        self.sleeps: List[float] = []
        client._http._sleep = self.sleeps.append
        return client


def error_body(code: str, message: str, param: Optional[str] = None) -> Dict[str, Any]:
    body = {"error": message, "code": code}
    if param:
        body["param"] = param
    return body
