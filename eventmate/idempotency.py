"""Applying a write from the phone exactly once, however often the offline outbox resends it.

Each write carries a client id made on the phone. The first time it arrives it is applied and
its id recorded (`ClientRequest`, scoped to the user) in the same transaction; a resend with
the same content gets the answer the first one got, stored with the id, so that a resend
costs one indexed lookup; the same id with other content is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from .database import begin_write
from .extensions import db
from .models import ClientRequest, Contact


class ReusedClientId(Exception):
    """The client id was already used for a write with different content."""


@dataclass(frozen=True)
class ClientWrite:
    user_id: int
    client_id: str
    kind: str  # "scan", "capture"
    fingerprint: str  # sha256 of the content


@dataclass(frozen=True)
class Applied:
    contact_id: int  # the contact the write made or changed
    created: bool  # False: this client id was applied before
    answer: object = None  # what the caller's `answer(contact)` returned, then or now

    @property
    def contact(self) -> Contact:
        """Loaded only when asked for (from the session's identity map after a new write)."""
        return db.session.get(Contact, self.contact_id)


Answer = Callable[[Contact], object] | None


def earlier_result(write: ClientWrite, answer: Answer = None) -> Applied | None:
    """What this write made when it was applied before, or None if it never was."""
    seen = db.session.get(ClientRequest, (write.user_id, write.client_id))
    if seen is None:
        return None
    if seen.kind != write.kind or seen.fingerprint != write.fingerprint:
        raise ReusedClientId
    if answer is None or seen.answer is not None:
        return Applied(seen.contact_id, created=False, answer=seen.answer)
    # Recorded before answers were stored with the id: build it again.
    contact = db.session.get(Contact, seen.contact_id)
    return Applied(seen.contact_id, created=False, answer=answer(contact))


def apply_once(
    write: ClientWrite,
    apply: Callable[[], Contact],
    answer: Answer = None,
    *,
    prepare: Callable[[], None] = lambda: None,
) -> Applied:
    """Run `apply` (which changes the session and returns its contact) and commit, once.

    `prepare()` runs for a new write only, before any lock: work a resend can skip, such
    as parsing, whose exceptions propagate with nothing changed.

    On SQLite the write lock is taken here, after the check for a resend (see
    `database.writes_late`); a resend racing this one fails on the `ClientRequest` key and
    gets what the other one made. Any exception from
    `apply` rolls everything back and propagates: nothing is recorded, so
    the phone may send the write again once the problem is fixed. `answer(contact)`, e.g. the
    JSON a route sends back, is built before the commit, while everything just written is
    still loaded (a commit expires it all: reading it again would cost several queries), and
    stored with the client id for the resends.
    """
    earlier = earlier_result(write, answer)
    if earlier:
        return earlier
    prepare()
    try:
        begin_write()
        contact = apply()
        db.session.flush()  # the contact's id, for the answer
        result = Applied(contact.id, created=True, answer=answer(contact) if answer else None)
        db.session.add(
            ClientRequest(
                user_id=write.user_id,
                client_id=write.client_id,
                kind=write.kind,
                fingerprint=write.fingerprint,
                contact_id=contact.id,
                answer=result.answer,
            )
        )
        db.session.commit()
    except IntegrityError:
        # The same write arrived twice at once, and the other request recorded it first.
        db.session.rollback()
        earlier = earlier_result(write, answer)
        if earlier is None:
            raise
        return earlier
    except BaseException:
        db.session.rollback()
        raise
    return result
