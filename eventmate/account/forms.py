"""Profile and account forms."""

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..locales import CHOICES as LOCALE_CHOICES
from ..locales import choice_label, is_valid_choice
from ..models import ReminderChannel
from ..timezones import is_valid_timezone

WEEKDAYS = [
    SelectChoice(str(number), name)
    for number, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), start=1)
]


class QuietDaysField(SelectMultipleField):
    """Weekday checkboxes kept as a string of ISO weekday digits: "67" is the weekend."""

    def process_formdata(self, valuelist):
        known = {choice.value for choice in WEEKDAYS}
        if any(value not in known for value in valuelist):
            raise ValueError("Choose days from the list.")
        self.data = "".join(sorted(set(valuelist)))

    def pre_validate(self, form):
        if any(day not in "1234567" for day in self.data or ""):
            raise ValidationError("Choose days from the list.")


class HourField(StringField):
    """A whole hour from `<input type="time" step="3600">` ("09:00"), kept as 0–23. Reminders go
    out once an hour, so a time with minutes is refused rather than silently rounded."""

    TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        match = self.TIME.fullmatch(valuelist[0].strip())
        if match is None:
            self.data = None
            raise ValueError("Pick a time, e.g. 09:00.")
        if int(match[2]) or int(match[3] or 0):
            self.data = None
            raise ValueError("Pick a whole hour, e.g. 09:00: reminders go out on the hour.")
        self.data = int(match[1])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:02d}:00" if isinstance(self.data, int) else ""


class CardDetailsForm(FlaskForm):
    """What my card shows, and to whom."""

    display_name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    headline = StringField(
        "Headline", validators=[Optional(), Length(max=120)], description="Role and company"
    )
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    website = StringField(
        "Website or LinkedIn",
        validators=[Optional(), Length(max=300), URL(message="Start with https://")],
    )
    bio = TextAreaField("Short bio", validators=[Optional(), Length(max=500)])
    public_headline = BooleanField("Show on my card")
    public_email = BooleanField("Show on my card")
    public_phone = BooleanField("Show on my card")
    public_website = BooleanField("Show on my card")
    public_bio = BooleanField("Show on my card")

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Start with https://")


class RemindersForm(FlaskForm):
    """When the morning reminder comes, in the user's own time zone; `push_enabled` is the one
    switch (each device still subscribes from the reminder ask card)."""

    reminder_channel = SelectField(
        "Morning reminders by",
        choices=[
            SelectChoice(ReminderChannel.AUTO.value, "Push, else email"),
            SelectChoice(ReminderChannel.PUSH.value, "Push notification"),
            SelectChoice(ReminderChannel.EMAIL.value, "Email"),
            SelectChoice(ReminderChannel.BOTH.value, "Push and email"),
            SelectChoice(ReminderChannel.NONE.value, "Don't remind me"),
        ],
    )
    reminder_hour = HourField("Time", validators=[InputRequired("Pick a time, e.g. 09:00.")])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    quiet_days = QuietDaysField("Quiet days", choices=WEEKDAYS)
    # Not sent (an older page, a script): the saved choice stays.
    locale = SelectField(
        "Dates written as",
        choices=[SelectChoice("", "Like my browser")]
        + [SelectChoice(tag, choice_label(tag)) for tag in LOCALE_CHOICES],
        validate_choice=False,
    )

    def validate_locale(self, field):
        if field.data is None:
            field.data = ""
        if not is_valid_choice(field.data):
            raise ValidationError("Pick one of the listed ways to write dates.")

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise ValidationError("Pick a time zone from the list, e.g. Europe/Paris.")


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=128)])
    confirm = StringField("Type DELETE to confirm", validators=[DataRequired()])

    def validate_confirm(self, field):
        if field.data.strip() != "DELETE":
            raise ValidationError("Type DELETE in capitals to confirm.")
