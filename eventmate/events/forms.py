"""Forms to create, join and set goals for events."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..models.event import EVENT_KINDS
from ..timezones import is_valid_timezone


class EventForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        "Kind", choices=[SelectChoice(kind, kind.capitalize()) for kind in EVENT_KINDS]
    )
    starts_on = DateField("Starts", validators=[Optional()])
    ends_on = DateField("Ends", validators=[Optional()])
    place = StringField("Place", validators=[Optional(), Length(max=120)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    goal = IntegerField(
        "New people I want to meet",
        default=1,
        validators=[DataRequired(), NumberRange(min=1, max=500)],
    )

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise ValidationError("Pick a time zone from the list, e.g. Europe/Paris.")

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The event can't end before it starts.")


class JoinForm(FlaskForm):
    code = StringField("Event code", validators=[DataRequired(), Length(max=20)])


class GoalForm(FlaskForm):
    goal = IntegerField(
        "New people I want to meet", validators=[DataRequired(), NumberRange(min=1, max=500)]
    )
