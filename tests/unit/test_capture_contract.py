"""The capture contract: one definition of a capture's fields, limits and tags, the same in the
contact form, the JSON API and the phone (tests/js/capture-contract.test.mjs)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from eventmate.contacts.capture import parse_capture
from eventmate.contacts.contract import (
    CONTRACT,
    CONTRACT_PATH,
    fold_table,
    form_values,
    tag_key,
    tag_name,
)
from eventmate.events.questions import BUILTIN_PROMPTS

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads(Path(__file__).with_name("tag_names.json").read_text(encoding="utf-8"))["cases"]
NODE = shutil.which("node")


@pytest.mark.parametrize("case", CASES, ids=[case["typed"] for case in CASES])
def test_tag_names_and_keys(case):
    assert tag_name(case["typed"]) == case["name"]
    assert tag_key(tag_name(case["typed"])) == case["key"]


def test_the_phones_fold_table_is_pythons_casefold():
    """toLowerCase plus this table is casefold, character by character (a Python upgrade with
    new Unicode data fails here: regenerate the table with `fold_table()`)."""
    assert CONTRACT["tags"]["fold"] == fold_table()


def test_the_whitespace_is_pythons_and_the_browsers():
    spaces = CONTRACT["tags"]["whitespace"]
    assert {c for c in map(chr, range(0x110000)) if c.isspace()} <= set(spaces)
    assert "\ufeff" in spaces  # JavaScript's \s has it


def test_the_contract_is_served_with_the_app_shell():
    assert CONTRACT_PATH.parent == ROOT / "static" / "js"
    assert (ROOT / "static" / "js" / "capture-contract.js").is_file()


def test_a_tag_whose_key_outgrows_the_column_is_refused():
    """ "ß" folds to "ss": 30 of them make a key of 60 characters."""
    _, errors = parse_capture({"tags": ["ß" * 30]}, prompts=[], event_ids=set())
    assert "tags" in errors
    capture, errors = parse_capture({"tags": ["ß" * 20]}, prompts=[], event_ids=set())
    assert not errors and capture.tags == ["ß" * 20]


def test_form_values_reads_every_field_of_the_contract():
    form = MultiDict(
        {
            "full_name": "Ana",
            "title": "CTO",
            "company": "Acme",
            "emails": "a@acme.example\nb@acme.example",
            "phones": "",
            "urls": "https://acme.example",
            "new_tags": "AI, #hiring",
            "notes": "Ask about the pilot",
            "face_to_face": "on",
            "event_id": "",
            "answer-enjoy": "Hard problems",
        }
    )
    form.add("tags", "Lisbon")
    values = form_values(form)
    assert set(values) == {
        *CONTRACT["text_fields"],
        *CONTRACT["list_fields"],
        "tags",
        "notes",
        "face_to_face",
        "event_id",
        "answers",
    }
    capture, errors = parse_capture(values, prompts=list(BUILTIN_PROMPTS), event_ids=set())
    assert not errors
    assert capture.tags == ["Lisbon", "AI", "hiring"]
    assert capture.emails == ["a@acme.example", "b@acme.example"]
    assert capture.answers == {"enjoy": "Hard problems"}


@pytest.mark.skipif(NODE is None, reason="Node.js not installed")
def test_the_phone_passes_the_same_table():
    result = subprocess.run(
        [NODE, "--test", str(ROOT / "tests" / "js" / "capture-contract.test.mjs")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
