// The phone's tag rules (static/js/capture-contract.js) against the table the Python contract
// passes too (tests/unit/tag_names.json): the same name and the same key for every input.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { tagRules } from "../../static/js/capture-contract.js";

const read = (path) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
const contract = read("static/js/capture-contract.json");
const { cases } = read("tests/unit/tag_names.json");
const tags = tagRules(contract);

for (const { typed, name, key } of cases) {
  test(`tag ${JSON.stringify(typed)}`, () => {
    assert.equal(tags.name(typed), name);
    assert.equal(tags.key(tags.name(typed)), key);
  });
}

test("typed tags are split on the separator and empty ones dropped", () => {
  assert.deepEqual(tags.split(" AI, #hiring ,, # ,Lisbon"), ["AI", "hiring", "Lisbon"]);
  assert.ok(tags.has(["Straße"], "STRASSE"));
  assert.ok(!tags.has(["Strasse"], "Strasbourg"));
});

// Every character whose key differs between toLowerCase and the table: Python's casefold of
// it, written in the table (tests/unit/test_capture_contract.py checks the table is complete).
test("each folded character keys as its table entry", () => {
  for (const [character, folded] of Object.entries(contract.tags.fold)) {
    assert.equal(tags.key(character), folded);
  }
});
