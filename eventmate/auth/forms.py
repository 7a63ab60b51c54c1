"""Sign-up and login forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from ..timezones import is_valid_timezone
from .passwords import MAX_LENGTH, password_problem


class RegisterForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    timezone = HiddenField(default="UTC")

    def validate_password(self, field):
        problem = password_problem(
            field.data, user_inputs=(self.email.data or "", self.display_name.data or "")
        )
        if problem:
            raise ValidationError(problem)

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data or "UTC"):
            field.data = "UTC"  # the browser's guess is a convenience; never block sign-up on it


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in on this phone (30 days)")
