"""The form a visitor without the app fills to share their details back."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


class ShareBackForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("Your email", validators=[DataRequired(), Email(), Length(max=254)])
    phone = TelField("Your phone (optional)", validators=[Optional(), Length(max=40)])
    note = TextAreaField(
        "A note (optional)",
        validators=[Optional(), Length(max=500)],
        description="Where we met, what we talked about…",
    )
