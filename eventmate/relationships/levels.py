"""How well I know someone: a plain-language level derived from what happened, never typed.

The rule, in one table. Each kind of evidence earns points, counted up to a cap so that one
kind alone (ten scans at one conference) cannot make a stranger a close contact:

    evidence                                   points each   counted up to
    met in person (exchange, scan, meeting)         3              4
    call                                            2              3
    message (or details shared online)              1              3
    follow-up done                                  1              3
    conversation noted (notes, prompt answers)      1              2
    introduction between us                         2              2
    known for ≥ 30 days / ≥ 90 days / ≥ 365 days    1 / 2 / 3 (once)
    how you know them beyond events (ties)     former colleague 12, friend 12,
                                               worked together 10, studied together 6,
                                               client 4 — the two strongest count

    just met          fewer than 6 points
    getting to know   6 points or more
    know well         14 points or more, met face to face at least once, known ≥ 60 days
    trusted ally      the user chose them as one of their (at most 12) trusted allies

One meeting with notes (3 + 2) stays "just met"; meeting twice, or meeting and following up
with a call, is "getting to know". Knowing someone well takes time and at least one meeting
in person: a year of calls and messages alone stops at "getting to know".

A tie is history from before EventMate: a former colleague, someone you worked or studied
with, or a friend was met in person and known for long enough, so those ties stand in for the
meeting and the time the "know well" rule asks for (a client may be known by email only).
A former colleague met again once (12 + 3) is known well: they can vouch for your work.
"""

from dataclasses import dataclass, field

from ..i18n import _
from .ties import Tie

JUST_MET = "just_met"
GETTING_TO_KNOW = "getting_to_know"
KNOW_WELL = "know_well"
TRUSTED_ALLY = "trusted_ally"
LEVELS = (JUST_MET, GETTING_TO_KNOW, KNOW_WELL, TRUSTED_ALLY)
LABELS = {
    JUST_MET: "Just met",
    GETTING_TO_KNOW: "Getting to know",
    KNOW_WELL: "Know well",
    TRUSTED_ALLY: "Trusted ally",
}

# (evidence field, points each, counted up to)
POINTS = (
    ("met_in_person", 3, 4),
    ("calls", 2, 3),
    ("messages", 1, 3),
    ("follow_ups_done", 1, 3),
    ("conversations", 1, 2),
    ("introductions", 2, 2),
)
# (known for at least this many days, points); the first that applies counts.
TIME_POINTS = ((365, 3), (90, 2), (30, 1))
GETTING_TO_KNOW_POINTS = 6
KNOW_WELL_POINTS = 14
KNOW_WELL_MIN_DAYS = 60
TIE_POINTS = {
    Tie.FORMER_COLLEAGUE: 12,
    Tie.FRIEND: 12,
    Tie.WORKED_TOGETHER: 10,
    Tie.STUDIED_TOGETHER: 6,
    Tie.CLIENT: 4,
}
TIES_COUNTED = 2
# Ties that mean you met in person and have known them a while.
HISTORY_TIES = frozenset(
    {Tie.FORMER_COLLEAGUE, Tie.FRIEND, Tie.WORKED_TOGETHER, Tie.STUDIED_TOGETHER}
)
TIE_REASONS = {
    Tie.FORMER_COLLEAGUE: _("Former colleague"),
    Tie.WORKED_TOGETHER: _("You worked together"),
    Tie.STUDIED_TOGETHER: _("You studied together"),
    Tie.CLIENT: _("Client"),
    Tie.FRIEND: _("Friend"),
}


@dataclass(frozen=True)
class Evidence:
    """What happened between the user and one contact, as counts."""

    met_in_person: int = 0
    calls: int = 0
    messages: int = 0
    follow_ups_done: int = 0
    conversations: int = 0
    introductions: int = 0
    known_days: int = 0
    is_ally: bool = False
    ties: tuple[str, ...] = ()  # Tie values

    @property
    def history(self) -> bool:
        """Known from before: a tie that means met in person and known a while."""
        return any(tie in HISTORY_TIES for tie in self.ties)

    @property
    def face_to_face(self) -> bool:
        return self.met_in_person > 0 or self.history

    @property
    def only_online(self) -> bool:
        return not self.face_to_face and (self.calls + self.messages) > 0


@dataclass(frozen=True)
class Assessment:
    level: str
    score: int
    reasons: list[str] = field(default_factory=list)  # why this level, in plain words
    next_steps: list[str] = field(default_factory=list)  # what would deepen it

    @property
    def label(self) -> str:
        return LABELS[self.level]

    def at_least(self, level: str) -> bool:
        return LEVELS.index(self.level) >= LEVELS.index(level)


def tie_points(ties) -> int:
    """The two strongest ties' points: a former colleague who is a friend counts both."""
    points = sorted((TIE_POINTS.get(tie, 0) for tie in set(ties)), reverse=True)
    return sum(points[:TIES_COUNTED])


def score(evidence: Evidence) -> int:
    total = sum(min(getattr(evidence, name), cap) * each for name, each, cap in POINTS)
    total += tie_points(evidence.ties)
    for days, points in TIME_POINTS:
        if evidence.known_days >= days:
            return total + points
    return total


def _times(count: int, one: str, many: str) -> str:
    return one if count == 1 else many.format(count)


def known_for(days: int) -> str:
    """ "today", "3 days", "5 weeks", "4 months", "2 years"."""
    if days < 1:
        return "since today"
    if days < 14:
        return "for " + _times(days, "a day", "{} days")
    if days < 61:
        return f"for {days // 7} weeks"
    if days < 730:
        return "for " + _times(days // 30, "a month", "{} months")
    return f"for {days // 365} years"


def reasons(evidence: Evidence) -> list[str]:
    found = []
    if evidence.is_ally:
        found.append("You chose them as one of your trusted allies")
    found.extend(TIE_REASONS[tie] for tie in Tie if tie in evidence.ties)
    if evidence.met_in_person:
        found.append(_times(evidence.met_in_person, "Met in person once", "Met in person {} times"))
    elif evidence.only_online:
        found.append("Only met online so far")
    if evidence.calls:
        found.append(_times(evidence.calls, "1 call", "{} calls"))
    if evidence.messages:
        found.append(_times(evidence.messages, "1 message", "{} messages"))
    if evidence.follow_ups_done:
        found.append(_times(evidence.follow_ups_done, "Followed up once", "Followed up {} times"))
    if evidence.conversations:
        found.append(
            _times(evidence.conversations, "1 conversation noted", "{} conversations noted")
        )
    if evidence.introductions:
        found.append(
            _times(
                evidence.introductions,
                "1 introduction between you",
                "{} introductions between you",
            )
        )
    found.append(f"Known {known_for(evidence.known_days)}")
    return found


def _derived_level(evidence: Evidence, points: int) -> str:
    if (
        points >= KNOW_WELL_POINTS
        and evidence.face_to_face
        and (evidence.known_days >= KNOW_WELL_MIN_DAYS or evidence.history)
    ):
        return KNOW_WELL
    if points >= GETTING_TO_KNOW_POINTS:
        return GETTING_TO_KNOW
    return JUST_MET


def next_steps(evidence: Evidence, level: str, points: int) -> list[str]:
    if level == JUST_MET:
        return ["Meet again, call or follow up to get to know them."]
    if level != GETTING_TO_KNOW:
        return []
    steps = []
    if not evidence.face_to_face:
        steps.append("Meet in person at least once: some things only show face to face.")
    if evidence.known_days < KNOW_WELL_MIN_DAYS and not evidence.history:
        steps.append("Give it time: knowing someone well takes at least two months.")
    if points < KNOW_WELL_POINTS:
        steps.append("Keep in touch: meetings, calls, follow-ups and noted conversations add up.")
    return steps


def assess(evidence: Evidence) -> Assessment:
    points = score(evidence)
    derived = _derived_level(evidence, points)
    level = TRUSTED_ALLY if evidence.is_ally else derived
    return Assessment(level, points, reasons(evidence), next_steps(evidence, level, points))
