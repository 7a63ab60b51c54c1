"""Forms to create, join and set goals for events."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
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
from .questions import (
    BUILTIN,
    DEFAULT_KIND,
    KIND_QUESTIONS,
    choice_to_store,
    chosen_keys,
    in_kind_order,
    kind_keys,
)

GOAL_MESSAGE = "A goal is a whole number from 1 to 500."
# InputRequired, not DataRequired: a typed 0 is a goal out of range, not a missing field.
GOAL_VALIDATORS = (InputRequired(), NumberRange(min=1, max=500, message=GOAL_MESSAGE))


class EventDetailsForm(FlaskForm):
    """What an event is, shared by everyone at it; its creator can change it later."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(kind, label) for kind, label in EVENT_KINDS.items()],
        validate_choice=False,  # validate_kind says it in words
    )
    starts_on = DateField("Starts", validators=[Optional()])
    ends_on = DateField("Ends", description="Empty for a one-day event.", validators=[Optional()])
    place = StringField("Place", validators=[Optional(), Length(max=120)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    # Rendered by question_choices(); validate_questions says in words what isn't in the list.
    questions = SelectMultipleField("Questions at capture", validate_choice=False)
    # The kind whose usual questions the form ticked (the page's script keeps it up to date).
    questions_kind = HiddenField()

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            kind = event.kind if event else self.kind.data or DEFAULT_KIND
            self.questions.data = chosen_keys(kind, event.prompt_keys if event else None)
            self.questions_kind.data = "" if event and event.prompt_keys else kind

    def validate_kind(self, field):
        if field.data not in EVENT_KINDS:
            raise ValidationError("Choose one of the kinds in the list.")

    def validate_questions(self, field):
        if not field.data and self.questions_kind.raw_data:  # sent by the page: none ticked
            raise ValidationError("Tick at least one question; your own questions join them.")
        if any(key not in BUILTIN for key in field.data):
            raise ValidationError("Choose questions from the list.")

    def question_choices(self) -> list[tuple[str, str, bool, bool]]:
        """(key, question, ticked, usual for the kind), the kind's usual questions first."""
        kind = self.kind.data or DEFAULT_KIND
        ticked, usual = set(self.questions.data or ()), kind_keys(kind)
        return [
            (key, BUILTIN[key].question, key in ticked, key in usual)
            for key in in_kind_order(BUILTIN, kind)
        ]

    @staticmethod
    def questions_script_data() -> dict:
        """For the page's script: each kind's usual questions, and the catalogue's order."""
        return {"kinds": KIND_QUESTIONS, "order": list(BUILTIN)}

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise ValidationError("Pick a time zone from the list, e.g. Europe/Paris.")

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The event can't end before it starts.")

    def details(self) -> dict:
        """The event's columns, as typed. No question sent (by a client other than the page,
        which refuses none ticked): the kind's usual ones."""
        fields = ("name", "kind", "starts_on", "ends_on", "timezone")
        ticked, preset_for = self.questions.data, self.questions_kind.data or ""
        chosen = choice_to_store(self.kind.data, ticked, preset_for) if ticked else None
        return {name: self[name].data for name in fields} | {
            "place": self.place.data or "",
            "prompt_keys": chosen,
        }


class EventForm(EventDetailsForm):
    """Creating an event also sets my own goal for it."""

    goal = IntegerField("New people I want to meet", default=1, validators=GOAL_VALIDATORS)


class JoinForm(FlaskForm):
    code = StringField("Event code", validators=[DataRequired(), Length(max=20)])


class GoalForm(FlaskForm):
    goal = IntegerField("New people I want to meet", validators=GOAL_VALIDATORS)
