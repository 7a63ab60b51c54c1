"""Forgot password in the browser, through the emailed link; and the reminder channel control.
Both at 390×844 and at 320×568."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.mail_server import MAILBOX, text_of

from .flows import expect_flash, screenshot, sign_up

LINK = re.compile(r"https?://\S+/password/reset/[A-Za-z0-9_-]{43}")
NEW_PASSWORD = "amber walrus quietly juggles"
SIZES = {"": {"width": 390, "height": 844}, "-320": {"width": 320, "height": 568}}


@pytest.mark.parametrize("size", SIZES)
def test_a_forgotten_password_is_reset_from_the_emailed_link(new_phone, size):
    email = f"ana-{uuid.uuid4().hex[:8]}@example.org"
    first = new_phone(viewport=SIZES[size]).new_page()
    sign_up(first, "Ana Ribeiro", email)

    lost = new_phone(viewport=SIZES[size]).new_page()
    lost.goto("/login")
    lost.get_by_role("link", name="Forgot password?").click()
    expect(lost.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    lost.get_by_label("Email").fill(email)
    screenshot(lost, f"forgot-password{size}")
    lost.get_by_role("button", name="Email me a link").click()
    expect(lost.get_by_role("heading", level=1)).to_have_text("Check your email")
    screenshot(lost, f"forgot-password-sent{size}")

    link = LINK.search(text_of(MAILBOX.wait_for(email, count=2)[-1])).group(0)
    lost.goto(link)
    expect(lost.get_by_role("heading", level=1)).to_have_text("Set a new password")
    lost.get_by_label("New password").fill("short")
    lost.get_by_role("button", name="Save and log in").click()
    expect(lost.locator(".field.has-error .error")).to_contain_text("at least 12 characters")
    screenshot(lost, f"reset-password{size}")
    lost.get_by_label("New password").fill(NEW_PASSWORD)
    lost.get_by_role("button", name="Save and log in").click()
    expect_flash(lost, "Your new password is set")

    first.reload()  # the phone that was logged in is logged out
    expect(first.get_by_role("heading", level=1)).to_have_text("Log in")
    lost.goto(link)  # the link worked once
    expect_flash(lost, "That link has expired or was used already")


@pytest.mark.parametrize("size", SIZES)
def test_the_reminder_channel_is_one_select_on_the_profile(new_phone, size):
    page = new_phone(viewport=SIZES[size]).new_page()
    sign_up(page, "Ana Ribeiro", f"ana-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_role("link", name=re.compile("profile and settings")).click()
    page.get_by_role("link", name=re.compile("^Reminders")).click()
    choice = page.get_by_label("Morning reminders by")
    expect(choice).to_have_value("auto")
    choice.select_option(label="Email")
    page.get_by_role("button", name="Save reminders").click()
    expect_flash(page, "Reminders saved.")
    expect(page.get_by_label("Morning reminders by")).to_have_value("email")
    screenshot(page, f"reminder-channel{size}", part=page.locator("#reminder-channel"))
