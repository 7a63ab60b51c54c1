"""Forms to create, join and set goals for events."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..models.event import EVENT_KINDS
from ..timezones import is_valid_timezone

GOAL_MESSAGE = "A goal is a whole number from 1 to 500."
# InputRequired, not DataRequired: a typed 0 is a goal out of range, not a missing field.
GOAL_VALIDATORS = (InputRequired(), NumberRange(min=1, max=500, message=GOAL_MESSAGE))


class EventDetailsForm(FlaskForm):
    """What an event is, shared by everyone at it; its creator can change it later."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        "Kind", choices=[SelectChoice(kind, kind.capitalize()) for kind in EVENT_KINDS]
    )
    starts_on = DateField("Starts", validators=[Optional()])
    ends_on = DateField("Ends", description="Empty for a one-day event.", validators=[Optional()])
    place = StringField("Place", validators=[Optional(), Length(max=120)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise ValidationError("Pick a time zone from the list, e.g. Europe/Paris.")

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The event can't end before it starts.")

    def details(self) -> dict:
        """The event's columns, as typed."""
        fields = ("name", "kind", "starts_on", "ends_on", "timezone")
        return {name: self[name].data for name in fields} | {"place": self.place.data or ""}


class EventForm(EventDetailsForm):
    """Creating an event also sets my own goal for it."""

    goal = IntegerField("New people I want to meet", default=1, validators=GOAL_VALIDATORS)


class JoinForm(FlaskForm):
    code = StringField("Event code", validators=[DataRequired(), Length(max=20)])


class GoalForm(FlaskForm):
    goal = IntegerField("New people I want to meet", validators=GOAL_VALIDATORS)
