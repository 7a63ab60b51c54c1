"""Profile and account forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
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
    NumberRange,
    Optional,
    ValidationError,
)

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


class ProfileForm(FlaskForm):
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
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    reminder_hour = IntegerField(
        "Morning reminder hour", validators=[InputRequired(), NumberRange(min=0, max=23)]
    )
    quiet_days = QuietDaysField("Quiet days", choices=WEEKDAYS)
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
    public_headline = BooleanField("Show on my card")
    public_email = BooleanField("Show on my card")
    public_phone = BooleanField("Show on my card")
    public_website = BooleanField("Show on my card")
    public_bio = BooleanField("Show on my card")

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Start with https://")

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise ValidationError("Pick a time zone from the list, e.g. Europe/Paris.")


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=128)])
    confirm = StringField("Type DELETE to confirm", validators=[DataRequired()])

    def validate_confirm(self, field):
        if field.data.strip() != "DELETE":
            raise ValidationError("Type DELETE in capitals to confirm.")
