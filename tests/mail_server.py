"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1 and a free port, one per session.

The app sends through it with the same smtplib client it uses in production (`SMTP_URL`
points here), so tests read what a person would find in their inbox: `MAILBOX.latest_code(to)`
for the sign-up flows (the HTTP helpers and the browser flows alike), `mailbox` for a test
that looks at the messages themselves; `mailbox.refuse(address, "550 …")` makes the server
refuse an address, for good (5xx) or for now (4xx).
"""

import asyncio
import email
import re
import socket
import threading
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

CODE = re.compile(r"Your code is (\d{6})")


class Mailbox:
    """aiosmtpd's handler: keeps every message, in order of arrival."""

    def __init__(self):
        self._messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self._refusals: dict[str, list[str]] = {}  # address → replies to RCPT TO, in turn
        self.refused: list[str] = []  # (address) each time a reply refused it
        self.delay = 0.0  # seconds before accepting each message (a slow server)

    def refuse(self, address: str, reply: str = "550 5.1.1 No such mailbox", *, times=None):
        """Answer RCPT TO for `address` with `reply` (a 5xx: permanent; a 4xx: try later),
        `times` times, else always."""
        with self._arrived:
            self._refusals[address.casefold()] = [reply] * (times or 10_000)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._arrived:
            replies = self._refusals.get(address.casefold())
            if replies:
                self.refused.append(address.casefold())
                return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self._arrived:
            self._messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    @property
    def count(self) -> int:
        with self._arrived:
            return len(self._messages)

    def clear(self) -> None:
        self.delay = 0.0
        with self._arrived:
            self._messages.clear()
            self._refusals.clear()
            self.refused.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self._arrived:
            return [m for m in self._messages if m["To"].casefold() == address.casefold()]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """The messages to `address` once there are at least `count` (a browser's request may
        still be sending when the page appears)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.to(address)) >= count, timeout=timeout)
        found = self.to(address)
        assert len(found) >= count, f"no email to {address} arrived (got {len(found)})"
        return found

    def latest_code(self, address: str) -> str:
        text = text_of(self.wait_for(address)[-1])
        match = CODE.search(text)
        assert match, f"the latest email to {address} holds no code:\n{text}"
        return match.group(1)


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


MAILBOX = Mailbox()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_url():
    """`smtp://127.0.0.1:<port>` of the session's SMTP server (plain: it is on this machine)."""
    controller = Controller(MAILBOX, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_url) -> Mailbox:
    """The SMTP server's messages, emptied for this test."""
    MAILBOX.clear()
    return MAILBOX
