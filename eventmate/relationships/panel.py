"""Everything the relationship panel of a contact page shows, gathered in one place."""

from datetime import datetime

from ..introductions.consent import status
from ..introductions.service import involving, refusal
from ..models import Contact, User
from ..models.contact import MAX_ALLIES
from ..warm_paths.asks import asks_sent
from .allies import KEEP_IN_TOUCH_CHOICES, ally_count, next_reminder
from .evidence import assess_contact
from .role_models import last_met_in_person
from .touches import TOUCH_KINDS, local_today


def relationship_panel(user: User, contact: Contact, *, now: datetime) -> dict:
    introductions = [
        {"intro": intro, "side": side, "state": status(intro, now)}
        for intro, side in involving(contact)
    ]
    return {
        "assessment": assess_contact(contact, now=now),
        "kinds": TOUCH_KINDS,
        "today": local_today(user, now).isoformat(),
        "ally_count": ally_count(user),
        "max_allies": MAX_ALLIES,
        "next_reminder": next_reminder(user, contact),
        "choices": KEEP_IN_TOUCH_CHOICES,
        "refusal": refusal(contact),
        "last_met": last_met_in_person(contact),
        "made": [item for item in introductions if item["side"].contact_id == contact.id],
        "asks": asks_sent(user, contact),
        "brought_by": [
            item for item in introductions if item["side"].received_contact_id == contact.id
        ],
    }
