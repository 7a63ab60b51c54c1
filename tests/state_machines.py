"""Exhaustive checks of a state machine against a reference model, in database savepoints."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from eventmate.extensions import db

State = TypeVar("State")


def explore_in_savepoints(
    steps: Sequence[str],
    state: State,
    take_step: Callable[[str, State, tuple[str, ...]], State],
    path: tuple[str, ...] = (),
    depth: int = 3,
) -> int:
    """Depth-first over every sequence of `steps` up to `depth` long; returns how many were run.

    Each step runs inside a savepoint rolled back afterwards, so one starting row serves every
    sequence. `take_step(step, state, path)` applies the step to the database and to the
    reference model, asserts that both agree (naming `path` in the message) and returns the
    state the next steps start from.
    """
    if depth == 0:
        return 0
    explored = 0
    for step in steps:
        branch = db.session.begin_nested()
        after = take_step(step, state, (*path, step))
        db.session.expire_all()
        explored += 1 + explore_in_savepoints(steps, after, take_step, (*path, step), depth - 1)
        branch.rollback()
        db.session.expire_all()
    return explored
