"""What the "enter the code" pages say, for sign-up and for a new account email alike.

Wrong, stale and spent codes read the same whether or not the address has an account."""

from flask import flash

from .forms import CodeForm
from .verification import Outcome, Resend

WRONG_CODE = "That code isn't right. Check the latest email from us."
WRONG_CODE_OR_PASSWORD = "That code and password don't match."  # noqa: S105 -- a sentence
TOO_MANY = "Too many wrong tries for this code. Ask for a new one below."
EXPIRED = "That code has expired. Please start again."
NOT_MAILED = "We couldn't send the email just now. Ask for a new code in a minute."


def show_outcome(form: CodeForm, outcome: Outcome) -> None:
    """Put a wrong or spent code's sentence on the form."""
    if outcome is Outcome.TOO_MANY:
        form.code.errors.append(TOO_MANY)
    elif outcome is Outcome.WRONG:
        form.code.errors.append(WRONG_CODE_OR_PASSWORD if form.needs_password else WRONG_CODE)


def flash_resend(result: Resend, email: str) -> None:
    messages = {
        Resend.SENT: (f"We've sent a new code to {email}.", "success"),
        Resend.NOT_MAILED: (NOT_MAILED, "error"),
        Resend.TOO_SOON: ("We sent one a moment ago. Ask again in half a minute.", "info"),
        Resend.NO_MORE: (EXPIRED, "error"),
    }
    flash(*messages[result])
