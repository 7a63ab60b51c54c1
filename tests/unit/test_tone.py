"""The tone coach: one table of good and bad examples, checked in Python and in JavaScript."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from eventmate.followups.tone import RULES_PATH, check_tone, expand, load_rules, normalise

ROOT = Path(__file__).resolve().parents[2]
TABLE = json.loads((Path(__file__).with_name("tone_examples.json")).read_text(encoding="utf-8"))
EXAMPLES = TABLE["examples"]
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js not installed: JS tone tests skipped")

# Runs texts through the browser's engine: stdin [[text, first_contact], …] → findings as JSON.
JS_HARNESS = """
import { readFileSync } from "node:fs";
const source = readFileSync(process.argv[1], "utf8");
const { checkTone } = await import("data:text/javascript," + encodeURIComponent(source));
const rules = JSON.parse(readFileSync(process.argv[2], "utf8"));
const cases = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(
  cases.map(([text, firstContact]) => checkTone(text, rules, { firstContact }))));
"""


def text_of(example: dict) -> str:
    return example["text"] * example.get("repeat", 1)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["name"] for example in EXAMPLES])
def test_examples(example):
    findings = check_tone(text_of(example), first_contact=example.get("first_contact", False))
    assert [finding.id for finding in findings] == example["expect"]
    by_id = {finding.id: finding for finding in findings}
    for rule_id, words in example.get("matches", {}).items():
        assert by_id[rule_id].match == words
    for rule_id, words in example.get("rewrites", {}).items():
        assert by_id[rule_id].rewrite == words
    for rule_id, softened in example.get("applied", {}).items():
        assert soften(text_of(example), by_id[rule_id]) == softened
    for finding in findings:
        assert finding.reason and finding.softer


def soften(text: str, finding) -> str:
    """The draft after tapping the finding's softer wording (offsets count code points)."""
    return text[: finding.start] + finding.rewrite + text[finding.end :]


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["name"] for example in EXAMPLES])
def test_taking_every_softer_wording_leaves_nothing_to_soften(example):
    text, first_contact = text_of(example), example.get("first_contact", False)
    for _ in range(10):
        rewritable = [f for f in check_tone(text, first_contact=first_contact) if f.rewrite]
        if not rewritable:
            break
        text = soften(text, rewritable[0])
    assert not rewritable, text


def test_the_table_covers_every_rule_with_a_bad_example():
    rules = load_rules()
    expected = {rule_id for example in EXAMPLES for rule_id in example["expect"]}
    every = {rule["id"] for rule in rules["phrases"]}
    every |= {rules["self_focus"]["id"], rules["length"]["id"]}
    assert expected == every
    assert sum(not example["expect"] for example in EXAMPLES) >= 30  # and plenty of good ones
    assert len(EXAMPLES) >= 60


def test_rules_are_plain_ascii_data_with_reasons_and_softer_ways():
    rules = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    assert rules["limits"]["max_words"] == 120
    for fragment in rules["fragments"].values():
        assert re.compile(expand(fragment, rules["fragments"])).groups == 0
    for rule in rules["phrases"]:
        assert rule["when"] in ("always", "first_contact")
        assert rule["reason"] and rule["softer"]
        for pattern in rule["patterns"]:
            assert pattern["find"].isascii() and pattern["find"] == pattern["find"].lower()
            groups = re.compile(expand(pattern["find"], rules["fragments"])).groups
            used = {int(number) for number in re.findall(r"\{(\d)\}", pattern.get("rewrite", ""))}
            assert used == set(range(1, groups + 1)), pattern  # no group left unused


def test_every_demanding_phrasing_comes_with_softer_words():
    rules = load_rules()
    for rule in rules["phrases"]:
        if rule["id"] in ("request", "must", "deadline", "presumptive"):
            assert all(pattern.get("rewrite") for pattern in rule["patterns"]), rule["id"]


def test_the_rules_file_is_served_to_the_browser():
    assert RULES_PATH.parent == ROOT / "static" / "js"
    assert (ROOT / "static" / "js" / "tone-coach.js").is_file()


def test_normalising_maps_back_to_the_original_characters():
    normal, origin = normalise("Résumé\u00a0ASAP’s")
    assert normal == "resume asap's"
    assert origin == list(range(13))
    normal, origin = normalise("re\u0301")
    assert normal == "re" and origin == [0, 1]


@needs_node
def test_the_browser_engine_passes_the_same_table():
    result = subprocess.run(
        [NODE, "--test", str(Path(__file__).with_name("tone_coach.test.mjs"))],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@needs_node
def test_both_engines_give_identical_findings():
    """Beyond the table: every example shouted, run together, and in both contact modes."""
    texts = [text_of(example) for example in EXAMPLES]
    texts += [text.upper() for text in texts] + [" ".join(texts)]
    cases = [[text, first] for text in texts for first in (False, True)]
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", JS_HARNESS, "--",
         str(ROOT / "static/js/tone-coach.js"), str(RULES_PATH)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )  # fmt: skip
    from_js = json.loads(result.stdout)
    from_python = [
        [finding.as_dict() for finding in check_tone(text, first_contact=first)]
        for text, first in cases
    ]
    assert from_js == from_python
