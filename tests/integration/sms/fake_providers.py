"""Fake SMS providers on loopback that speak each provider's documented API, errors included.

Each is a small threaded ``http.server`` on 127.0.0.1 (a free port). It
checks what the real one checks (Notify: a JWT signed with the key's secret,
issued by its service id; Twilio: basic auth with the account SID and auth
token, the account in the path), records what it was sent, and answers with
the next scripted ``(status, json)`` — by default the provider's 201.
"""
from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import jwt

NOTIFY_SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
NOTIFY_SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
NOTIFY_API_KEY = f"volunteers_test-{NOTIFY_SERVICE_ID}-{NOTIFY_SECRET}"
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "twilio-auth-token-for-tests"

#: the providers' documented error answers
NOTIFY_INVALID_NUMBER = (400, {"status_code": 400, "errors": [
    {"error": "ValidationError", "message": "phone_number Not a UK mobile number"}]})
NOTIFY_RATE_LIMIT = (429, {"status_code": 429, "errors": [
    {"error": "RateLimitError", "message": "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"}]})
NOTIFY_SERVER_ERROR = (500, {"status_code": 500, "errors": [
    {"error": "Exception", "message": "Internal server error"}]})
TWILIO_INVALID_NUMBER = (400, {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                               "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})
TWILIO_RATE_LIMIT = (429, {"code": 20429, "message": "Too Many Requests",
                           "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429})
TWILIO_SERVER_ERROR = (503, {"code": 20503, "message": "Service unavailable",
                             "more_info": "https://www.twilio.com/docs/errors/20503", "status": 503})


@dataclass
class Provider:
    """What a fake was sent, and what it will answer next."""

    base_url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    refused: int = 0

    def answer(self, success: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self.script.pop(0) if self.script else (201, success)


class _JsonHandler(BaseHTTPRequestHandler):
    """Both providers answer JSON and the tests want no request lines on stderr."""

    def log_message(self, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _notify_handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(_JsonHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = jwt.decode(token, NOTIFY_SECRET, algorithms=["HS256"])
            except jwt.PyJWTError:
                claims = {}
            if claims.get("iss") != NOTIFY_SERVICE_ID:
                provider.refused += 1
                self._reply(403, {"status_code": 403, "errors": [
                    {"error": "AuthError", "message": "Invalid token: signature, api token not found"}]})
                return
            if self.path != "/v2/notifications/sms":
                self._reply(404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "Not found"}]})
                return
            provider.received.append(body)
            notification_id = str(uuid.uuid4())
            self._reply(*provider.answer({
                "id": notification_id, "reference": body.get("reference"),
                "content": {"body": body["personalisation"]["body"], "from_number": "Volunteers"},
                "uri": f"{provider.base_url}/v2/notifications/{notification_id}",
                "template": {"id": body["template_id"], "version": 1, "uri": "…"},
            }))
    return Handler


def _twilio_handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(_JsonHandler):
        def do_POST(self) -> None:
            form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                provider.refused += 1
                self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return
            if self.path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
                self._reply(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})
                return
            provider.received.append(form)
            self._reply(*provider.answer({
                "sid": "SM" + uuid.uuid4().hex, "status": "queued", "to": form.get("To"),
                "from": form.get("From"), "body": form.get("Body"), "account_sid": TWILIO_SID,
            }))
    return Handler


@contextmanager
def _serve(make: Any) -> Iterator[Provider]:
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make(provider))
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def notify_server() -> Any:
    """A fake GOV.UK Notify (``POST /v2/notifications/sms``)."""
    return _serve(_notify_handler)


def twilio_server() -> Any:
    """A fake Twilio (``POST /2010-04-01/Accounts/{sid}/Messages.json``)."""
    return _serve(_twilio_handler)
