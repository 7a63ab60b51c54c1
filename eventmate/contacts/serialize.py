"""Contacts as JSON for the API and the data export, and as a vCard for the phone."""

from flask import url_for

from ..badges import CardData, card_to_vcard
from ..models import Contact
from ..photos.service import contact_photo_url


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
        "past_companies": contact.past_company_list,
        "ties": list(contact.tie_kinds),
        "source": contact.source,
        "needs_identifying": contact.needs_identifying,
        "needs_checking": contact.needs_checking,
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
        "photo_url": contact_photo_url(contact),
    }


def exported_notes(contact: Contact) -> str:
    """The notes, after what an unidentified code said: without it, an exported "Someone to
    identify" would hold nothing at all."""
    if not contact.needs_identifying:
        return contact.notes
    return "\n".join(filter(None, [f"The code said: {contact.raw_payload}", contact.notes]))


def contact_vcard(contact: Contact) -> str:
    """One contact as a vCard 4.0 with its photo, for the phone's address book or the export
    (which loads the photos with the contacts: `undefer(Contact.photo)`)."""
    card = CardData(
        full_name=contact.display_name,
        title=contact.title,
        company=contact.company,
        emails=list(contact.emails),
        phones=list(contact.phones),
        urls=list(contact.urls),
        note=exported_notes(contact),
    )
    photo = contact.photo if contact.photo_version else None
    return card_to_vcard(card, uid=f"urn:eventmate:contact:{contact.id}", photo=photo)
