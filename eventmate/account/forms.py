"""Profile and account forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..timezones import is_valid_timezone


class ProfileForm(FlaskForm):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    headline = StringField(
        "Headline", validators=[Optional(), Length(max=120)], description="Role and company"
    )
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
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
