"""How the user knows someone beyond the events EventMate saw. Pure data: the models keep
these values (checked by the database), the level rule weighs them, templates word them."""

from enum import StrEnum

from ..i18n import _


class Tie(StrEnum):
    FORMER_COLLEAGUE = "former_colleague"
    WORKED_TOGETHER = "worked_together"
    STUDIED_TOGETHER = "studied_together"
    CLIENT = "client"
    FRIEND = "friend"


MAX_PAST_COMPANIES = 5
MAX_COMPANY = 120


def parse_history(kinds: list[str], past: str) -> tuple[list[Tie], list[str], dict[str, str]]:
    """The ticked ties (unknown values are an error, not ignored) and the past companies, one
    a line; errors map a field to a sentence."""
    errors = {}
    ties = []
    for kind in kinds:
        if kind not in Tie.__members__.values():
            errors["ties"] = _("Choose from the list.")
        elif Tie(kind) not in ties:
            ties.append(Tie(kind))
    names = list(dict.fromkeys(" ".join(line.split()) for line in past.splitlines()))
    names = [name for name in names if name]
    if len(names) > MAX_PAST_COMPANIES or any(len(name) > MAX_COMPANY for name in names):
        errors["past_companies"] = _(
            "Note up to %(n)s companies, one a line, each under %(size)s characters.",
            n=MAX_PAST_COMPANIES,
            size=MAX_COMPANY,
        )
    return ties, names, errors
