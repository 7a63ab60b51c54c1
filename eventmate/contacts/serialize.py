"""Contacts as JSON for the API and the data export."""

from flask import url_for

from ..models import Contact


def contact_json(contact: Contact) -> dict:
    return {
        "id": contact.id,
        "name": contact.display_name,
        "full_name": contact.full_name,
        "title": contact.title,
        "company": contact.company,
        "emails": list(contact.emails),
        "phones": list(contact.phones),
        "urls": list(contact.urls),
        "source": contact.source,
        "needs_identifying": contact.needs_identifying,
        "is_eventmate_user": contact.linked_user_id is not None,
        "met_face_to_face": contact.met_face_to_face,
        "event": {"id": contact.event.id, "name": contact.event.name} if contact.event else None,
        "tags": [tag.name for tag in contact.tags],
        "notes": contact.notes,
        "answers": [
            {"prompt": answer.prompt_key, "question": answer.question, "answer": answer.answer}
            for answer in contact.answers
            if answer.answer
        ],
        "meetings": [
            {
                "kind": meeting.kind,
                "met_at": meeting.met_at.isoformat(),
                "event": meeting.event_name or None,
            }
            for meeting in contact.meetings
        ],
        "raw_payload": contact.raw_payload,
        "created_at": contact.created_at.isoformat(),
        "url": url_for("contacts.detail", contact_id=contact.id),
    }
