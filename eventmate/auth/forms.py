"""Sign-up and login forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..timezones import is_valid_timezone
from .passwords import MAX_LENGTH, password_problem

CODE_HINT = "Enter the 6 digits from the email."


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


class CodeForm(FlaskForm):
    """The 6-digit code from the email; the sign-up's password too when the page was opened
    from the email's link in another browser (so nobody confirms a sign-up they didn't make)."""

    code = StringField("Code from the email", validators=[DataRequired(message=CODE_HINT)])
    password = PasswordField("The password you chose", validators=[Optional(), Length(max=128)])

    def __init__(self, *args, needs_password: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_password = needs_password
        if not needs_password:
            del self.password

    def validate_code(self, field):
        field.data = "".join((field.data or "").split())
        if not (len(field.data) == 6 and field.data.isascii() and field.data.isdigit()):
            raise ValidationError(CODE_HINT)

    def validate_password(self, field):
        if not field.data:
            raise ValidationError("Type the password you chose when you signed up.")


class EmailChangeForm(FlaskForm):
    email = EmailField("New email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Your current password", validators=[DataRequired(), Length(max=128)])


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Email(), Length(max=254)], filters=[_strip]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired()])

    def __init__(self, *args, user_inputs: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_inputs = user_inputs

    def validate_password(self, field):
        problem = password_problem(field.data, user_inputs=self.user_inputs)
        if problem:
            raise ValidationError(problem)
