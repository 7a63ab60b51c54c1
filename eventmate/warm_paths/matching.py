"""Does this contact lead to that company? Pure functions over a contact's plain fields.

A contact is linked to a company by what they work at now, their email's domain, their
website's domain, or a company they worked at before. Domains match the company's name
without spaces or punctuation ("Globex" → globex.example, "Lisbon Maps" → lisbonmaps.pt),
with a trailing "Inc", "Ltd", "Corp"… dropped first. Webmail and social sites link nobody.
"""

import re
from dataclasses import dataclass

from ..urls import split_url

# Where an address or a link says nothing about an employer.
SHARED_HOSTS = frozenset(
    {
        "gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "icloud", "me",
        "mac", "aol", "proton", "protonmail", "pm", "gmx", "mail", "yandex", "zoho",
        "fastmail", "hey", "linkedin", "lnkd", "github", "gitlab", "twitter", "x", "facebook",
        "instagram", "medium", "substack", "about", "bit", "wa", "t", "youtube", "tiktok",
    }
)  # fmt: skip
LEGAL_SUFFIXES = frozenset(
    {"inc", "ltd", "llc", "corp", "corporation", "co", "gmbh", "sa", "ag", "plc", "bv", "lda"}
)
MAX_TERM = 120


class Via:
    """How a contact is linked to the company (templates word each kind)."""

    COMPANY = "company"
    EMAIL = "email"
    WEBSITE = "website"
    PAST = "past"


@dataclass(frozen=True)
class Link:
    via: str  # a Via value
    detail: str  # the company, domain or past company that matched, as written


def clean_term(text: str) -> str:
    return " ".join(str(text or "").split())[:MAX_TERM]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def needles(term: str) -> set[str]:
    """Texts that any link or mention of the company must contain (casefolded): its first
    word, and its name spelled as a domain. A cheap filter before the exact rules."""
    words = _words(term)
    return ({words[0]} | _slugs(term)) if words else set()


def _slugs(term: str) -> set[str]:
    """The company's name as a domain label could spell it."""
    words = _words(term)
    found = {"".join(words)}
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
        found.add("".join(words))
    return {slug for slug in found if len(slug) >= 2}


def names_company(text: str, term: str) -> bool:
    """Whether a company name says the term, as whole words: "Globex" in "Globex Corp", not
    "ai" in "Mail"."""
    wanted = _words(term)
    have = _words(text)
    if not wanted:
        return False
    size = len(wanted)
    return any(have[i : i + size] == wanted for i in range(len(have) - size + 1))


SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})  # globex.co.uk


def registered_name(host: str) -> str:
    """The name a company registered: "globex" for mail.globex.co.uk; "" for a bare name."""
    labels = [label for label in host.casefold().strip(".").split(".") if label][:-1]
    while len(labels) > 1 and labels[-1] in SECOND_LEVEL:
        labels.pop()
    return labels[-1] if labels else ""


def domain_matches(host: str, term: str) -> bool:
    name = registered_name(host)
    if not name or name in SHARED_HOSTS:
        return False
    return re.sub(r"[\W_]", "", name) in _slugs(term)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip() if "@" in email else ""


def url_host(url: str) -> str:
    text = url.strip()
    parts = split_url(text if "://" in text else f"https://{text}")
    return (parts.hostname or "") if parts is not None else ""


def company_links(
    *, company: str, emails: list[str], urls: list[str], past: list[str], term: str
) -> list[Link]:
    """Every way this contact leads to the company named `term` (empty: none)."""
    term = clean_term(term)
    if not _words(term):
        return []
    links = []
    if company and names_company(company, term):
        links.append(Link(Via.COMPANY, company))
    for domain in dict.fromkeys(filter(None, map(email_domain, emails))):
        if domain_matches(domain, term):
            links.append(Link(Via.EMAIL, domain))
            break
    for host in dict.fromkeys(filter(None, map(url_host, urls))):
        if domain_matches(host, term):
            links.append(Link(Via.WEBSITE, host.removeprefix("www.")))
            break
    links.extend(Link(Via.PAST, name) for name in past if names_company(name, term))
    return links


def mention(text: str, term: str, *, width: int = 90) -> str | None:
    """The sentence of a note that names the company ("Knows people at Globex."), or None."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text or ""):
        if names_company(sentence, term):
            sentence = sentence.strip()
            return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"
    return None
