"""The outbox sender's throughput for texts: messages a second to a fake provider on loopback.

Run: ``.venv/bin/python benchmarks/bench_outbox.py [--messages 10000] [--provider twilio|notify]
[--database-url URL]``. It queues the messages (one ``enqueue_text`` each, one
commit), starts the tests' fake provider (``tests/integration/sms/fake_providers``:
a threaded ``http.server`` speaking the provider's API), points the app at it
and calls ``mail.sender.send_due`` until nothing is due, as the minute job
would (100 a call). It prints the time and messages a second of the
queueing and of the sending, and checks every message was sent once (the
fake's count equals the outbox's ``sent``). SQLite (a temporary file)
unless ``--database-url`` names another database (its tables are created
and dropped: give it an empty one). Prints only; exit 1 if a message was
lost or sent twice.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from config import TestingConfig  # noqa: E402
from tests.integration.sms import fake_providers as fake  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.mail import sender  # noqa: E402
from volunteers.mail.models import OutboxMessage  # noqa: E402
from volunteers.mail.outbox import enqueue_text  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def run(messages: int, provider: str, database_url: str) -> int:
    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(BenchConfig)
    server = fake.twilio_server() if provider == "twilio" else fake.notify_server()
    with app.app_context(), app.test_request_context(), server as fake_provider:
        app.config.update(MAIL_BACKEND="console", SMS_BACKEND=provider, TWILIO_ACCOUNT_SID=fake.TWILIO_SID,
                          TWILIO_AUTH_TOKEN=fake.TWILIO_TOKEN, TWILIO_FROM="+447700900001",
                          TWILIO_BASE_URL=fake_provider.base_url, NOTIFY_API_KEY=fake.NOTIFY_API_KEY,
                          NOTIFY_SMS_TEMPLATE_ID="f33517ff-2a88-4f6e-b855-c550268ce08a",
                          NOTIFY_BASE_URL=fake_provider.base_url)
        db.create_all()
        try:
            started = time.perf_counter()
            for n in range(messages):
                enqueue_text(dedupe_key=f"bench:{n}", now=NOW, to=f"+44791{n % 1_000_000:06d}",
                             text=f"Reminder {n}: Shop counter, Tue 1 Dec 09:00-13:00, Village hall shop.")
            db.session.commit()
            queued = time.perf_counter() - started
            started = time.perf_counter()
            sent = 0
            while (batch := sender.send_due(NOW)) > 0:
                sent += batch
            sending = time.perf_counter() - started
            in_outbox = db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
            print(f"{provider}, {messages:,} texts on {database_url.split(':')[0]}: "
                  f"queued in {queued:.2f} s ({messages / queued:,.0f}/s); "
                  f"sent in {sending:.2f} s ({sent / sending:,.0f} messages/s)")
            ok = sent == messages == in_outbox == len(fake_provider.received)
            print(f"  sent {sent:,}, outbox says {in_outbox:,}, provider received {len(fake_provider.received):,}"
                  + ("" if ok else "  ← MISMATCH: lost or duplicated"))
            return 0 if ok else 1
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--provider", choices=("twilio", "notify"), default="twilio")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/outbox.sqlite"
        sys.exit(run(args.messages, args.provider, url))


if __name__ == "__main__":
    main()
