// The offline People list's rules (static/js/people-data.js), without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { hasTag, matches, newestFirst, withPending } from "../../static/js/people-data.js";

const camille = {
  id: 7,
  name: "Camille Moreau",
  full_name: "Camille Moreau",
  title: "Head of Data",
  company: "Tidewater Labs",
  notes: "Met at the coffee queue.",
  tags: ["Hiring", "data"],
  answers: [{ prompt: "enjoy", question: "What do they enjoy?", answer: "Sensor maps" }],
  created_at: "2026-11-23T10:00:00+00:00",
};

test("every word of a search must appear somewhere, whatever the case", () => {
  assert.ok(matches(camille, ""));
  assert.ok(matches(camille, "  tidewater  "));
  assert.ok(matches(camille, "HIRING coffee"));
  assert.ok(matches(camille, "sensor"));
  assert.ok(!matches(camille, "tidewater lagos"));
});

test("an email's domain, a website or a past company finds them, as on the server", () => {
  const rui = { ...camille, emails: ["rui@globex.example"], urls: ["https://rui.example"],
    past_companies: ["Initech"] };
  assert.ok(matches(rui, "globex"));
  assert.ok(matches(rui, "rui.example"));
  assert.ok(matches(rui, "initech"));
  assert.ok(!matches(camille, "globex"));
});

test("a tag filter matches the whole tag, whatever the case", () => {
  assert.ok(hasTag(camille, ""));
  assert.ok(hasTag(camille, "hiring"));
  assert.ok(!hasTag(camille, "hir"));
});

test("newest first, then the higher id", () => {
  const older = { ...camille, id: 1, created_at: "2026-11-22T10:00:00+00:00" };
  const twin = { ...camille, id: 9 };
  assert.deepEqual(
    [older, camille, twin].sort(newestFirst).map((p) => p.id),
    [9, 7, 1],
  );
});

test("notes waiting in the outbox show over the copy", () => {
  const items = [
    { kind: "scan", body: { id: "s" } },
    { kind: "capture", body: { contact_id: 8, notes: "Someone else" } },
    {
      kind: "capture",
      body: {
        contact_id: 7,
        tags_add: ["robots", "DATA"],
        tags_remove: ["hiring"],
        answers: { enjoy: "", advice: "Ship small" },
        notes: "Call in May.",
        fields: { company: "Harbour" },
      },
    },
  ];
  const shown = withPending(camille, items);
  assert.equal(shown.pending, true);
  assert.deepEqual(shown.tags, ["data", "robots"]);
  assert.deepEqual(shown.answers, [{ prompt: "advice", question: "", answer: "Ship small" }]);
  assert.equal(shown.notes, "Call in May.");
  assert.equal(shown.company, "Harbour");
  assert.deepEqual(camille.tags, ["Hiring", "data"]); // the copy itself is left alone
  assert.equal(withPending(camille, items.slice(0, 2)).pending, false);
});
