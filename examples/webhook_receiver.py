"""A webhook receiver with the standard library only: verifies ``CallingBox-Signature`` and
prints each event. Point an agent's ``webhook_url`` (or a webhook endpoint) at it.

    CALLINGBOX_WEBHOOK_SECRET=whsec_... python3 examples/webhook_receiver.py 8000

The secret is ``client.webhook_secret.retrieve().secret`` for agent and call webhook URLs, or the
``signing_secret`` returned when a webhook endpoint was created.
"""

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from callingbox import Callingbox, WebhookVerificationError

SECRET = os.environ["CALLINGBOX_WEBHOOK_SECRET"]


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))  # the raw bytes, unparsed
        try:
            event = Callingbox.webhooks.construct_event(
                payload=raw, sig_header=self.headers.get("CallingBox-Signature"), secret=SECRET
            )
        except WebhookVerificationError as e:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(e).encode())
            return
        call = event.data.call
        print(event.id, event.type, call.id, call.status, call.result if event.type == "call.completed" else "", flush=True)
        self.send_response(204)  # answer 2xx fast: the platform waits at most 10 s
        self.end_headers()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    server = HTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    server.serve_forever()
