"""What attendees scan at an event: printed badges (vCard, MECARD), profile URLs, EventMate cards.

People come from a fixed pool, so a user sometimes scans someone again (the same contact gets
another meeting) as at a real event; card links of other bench users make both sides' contacts.
"""

import random

FIRST_NAMES = ("Ana", "Ben", "Chiara", "Dmitri", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jon")
LAST_NAMES = ("Ribeiro", "Okafor", "Rossi", "Volkov", "Eze", "Haddad", "Petrov", "Sato", "Lopes")
COMPANIES = ("Acme Labs", "Globex", "Initech", "Umbrella Health", "Stark Mobility", "Hooli")
TITLES = ("CTO", "Product Manager", "Data Engineer", "Founder", "Head of Sales", "Researcher")
PEOPLE = 2000  # size of the pool badges and URLs are drawn from

# Relative frequency of each kind of scan.
MIX = {"vcard": 40, "mecard": 20, "url": 15, "card": 25}


def person(number: int) -> dict[str, str]:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[number // len(FIRST_NAMES) % len(LAST_NAMES)]
    handle = f"{first}.{last}{number}".lower()
    company = COMPANIES[number % len(COMPANIES)]
    return {
        "first": first,
        "last": last,
        "company": company,
        "title": TITLES[number % len(TITLES)],
        "email": f"{handle}@{company.split()[0].lower()}.example",
        "phone": f"+351 91{number:07d}",
        "handle": handle.replace(".", "-"),
    }


def vcard(p: dict[str, str]) -> str:
    lines = (
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{p['last']};{p['first']};;;",
        f"FN:{p['first']} {p['last']}",
        f"ORG:{p['company']}",
        f"TITLE:{p['title']}",
        f"EMAIL;TYPE=INTERNET:{p['email']}",
        f"TEL;TYPE=CELL:{p['phone']}",
        f"URL:https://www.linkedin.com/in/{p['handle']}",
        "END:VCARD",
    )
    return "\r\n".join(lines) + "\r\n"


def mecard(p: dict[str, str]) -> str:
    return (
        f"MECARD:N:{p['last']},{p['first']};ORG:{p['company']};TEL:{p['phone']};"
        f"EMAIL:{p['email']};;"
    )


def profile_url(p: dict[str, str]) -> str:
    return f"https://www.linkedin.com/in/{p['handle']}"


class PayloadMix:
    """Payloads for one user; `card_links` are the other bench users' card URLs."""

    def __init__(self, seed: int, card_links: list[str]):
        self.rng = random.Random(seed)
        self.card_links = card_links
        self.kinds = list(MIX)
        self.weights = list(MIX.values())

    def next(self) -> str:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        if kind == "card":
            return self.rng.choice(self.card_links)
        p = person(self.rng.randrange(PEOPLE))
        return {"vcard": vcard, "mecard": mecard, "url": profile_url}[kind](p)
