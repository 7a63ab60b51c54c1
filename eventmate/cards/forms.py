"""The form a visitor without the app fills to share their details back."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..urls import web_link

MAX_LINK = 300
LINK_TOO_LONG = f"Keep the link under {MAX_LINK} characters."


class ShareBackForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("Your email", validators=[DataRequired(), Email(), Length(max=254)])
    phone = TelField("Your phone (optional)", validators=[Optional(), Length(max=40)])
    company = StringField("Your company (optional)", validators=[Optional(), Length(max=120)])
    link = StringField(
        "Your profile link (optional)",
        validators=[Optional(), Length(max=MAX_LINK, message=LINK_TOO_LONG)],
        description="LinkedIn or your website.",
    )
    note = TextAreaField(
        "A note (optional)",
        validators=[Optional(), Length(max=500)],
        description="Where we met, what we talked about…",
    )

    def validate_link(self, field):
        if field.errors:  # too long already
            return
        link = web_link(field.data)
        if link is None:
            raise ValidationError("Give a web address, like https://www.linkedin.com/in/you.")
        if len(link) > MAX_LINK:  # "https://" added
            raise ValidationError(LINK_TOO_LONG)
        field.data = link
