"""An SMTP server that keeps only each message's Message-ID, one per line (the scale test's mail sink).

Why: the outbox job runs every minute in both scheduler processes; a message
sent twice would show here as a Message-ID twice (``<outbox-ID@volunteers>``).

    .venv/bin/python tools/scale_test/smtp_sink.py PORT FILE
"""
from __future__ import annotations

import sys
import time
from email import message_from_bytes
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class KeepMessageIds:
    def __init__(self, file: Path) -> None:
        self.file = file

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message_id = message_from_bytes(envelope.content).get("Message-ID", "(none)")
        with self.file.open("a", encoding="utf-8") as out:
            out.write(f"{message_id}\n")
        return "250 OK"


def main() -> None:
    controller = Controller(KeepMessageIds(Path(sys.argv[2])), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
