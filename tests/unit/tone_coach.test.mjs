// The browser's tone coach against the shared table of examples (tests/unit/tone_examples.json).
// Run alone with `node --test tests/unit/`; pytest runs it too (tests/unit/test_tone.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
// A data: URL is always an ES module, whatever package.json says (there is none).
const { checkTone, expand, normalise } = await import(
  `data:text/javascript;charset=utf-8,${encodeURIComponent(read("static/js/tone-coach.js"))}`
);
const rules = JSON.parse(read("static/js/tone-rules.json"));
const { examples } = JSON.parse(read("tests/unit/tone_examples.json"));

for (const example of examples) {
  test(`tone: ${example.name}`, () => {
    const text = example.text.repeat(example.repeat ?? 1);
    const findings = checkTone(text, rules, { firstContact: example.first_contact ?? false });
    assert.deepEqual(findings.map((finding) => finding.id), example.expect);
    const byId = (id) => findings.find((finding) => finding.id === id);
    for (const [id, words] of Object.entries(example.matches ?? {})) {
      assert.equal(byId(id).match, words);
    }
    for (const [id, words] of Object.entries(example.rewrites ?? {})) {
      assert.equal(byId(id).rewrite, words);
    }
    for (const [id, softened] of Object.entries(example.applied ?? {})) {
      const { start, end, rewrite } = byId(id);
      const codePoints = Array.from(text);
      const after = codePoints.slice(0, start).join("") + rewrite + codePoints.slice(end).join("");
      assert.equal(after, softened);
    }
    for (const finding of findings) {
      assert.ok(finding.reason.length > 0 && finding.softer.length > 0);
    }
  });
}

test("every pattern compiles and is ASCII", () => {
  for (const rule of rules.phrases) {
    for (const pattern of rule.patterns) {
      assert.match(pattern.find, /^[\x20-\x7e]+$/);
      new RegExp(expand(pattern.find, rules.fragments), "du");
    }
  }
});

test("normalising keeps the way back to the original characters", () => {
  const { normal, origin } = normalise("É😀 x");
  assert.equal(normal, "e😀 x");
  assert.deepEqual(origin, [0, 1, 1, 2, 3]);
});
