// The offline People list's rules (static/js/people-rows.js, people-data.js), without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { questionsKept, withPending } from "../../static/js/people-data.js";
import { hasTag, listRow, matches, mergeRows, newestFirst } from "../../static/js/people-rows.js";

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
  const row = listRow(camille);
  assert.ok(matches(row, ""));
  assert.ok(matches(row, "  tidewater  "));
  assert.ok(matches(row, "HIRING coffee"));
  assert.ok(matches(row, "sensor"));
  assert.ok(matches(row, "head of data"));
  assert.ok(!matches(row, "tidewater lagos"));
  assert.ok(!matches(row, "labsmet"), "a word never spans two fields");
});

test("a row holds what People shows, and is marked while notes wait", () => {
  const row = listRow({ ...camille, about: "Head of Data · Tidewater Labs", cue: "Hiring · data" });
  assert.deepEqual(
    { ...row, text: undefined },
    {
      id: 7,
      name: "Camille Moreau",
      about: "Head of Data · Tidewater Labs",
      cue: "Hiring · data",
      tags: ["Hiring", "data"],
      created_at: "2026-11-23T10:00:00+00:00",
      text: undefined,
    },
  );
  assert.equal(listRow(withPending(camille, [])).pending, undefined);
  const waiting = [{ kind: "capture", body: { contact_id: 7, notes: "Call in May." } }];
  const pending = listRow(withPending(camille, waiting));
  assert.equal(pending.pending, true);
  assert.ok(matches(pending, "may"));
});

// A refresh as the server answers it (people_snapshot): the contacts changed since, and every
// id still there; the phone keeps those records (people-store.js: keep).
function refreshed(records, answer) {
  const still = new Set(answer.ids);
  const kept = new Map([...records].filter(([id]) => still.has(id)));
  for (const person of answer.contacts) if (still.has(person.id)) kept.set(person.id, person);
  return kept;
}

test("rows kept up to date by refreshes are the rows of the records, whatever changed", () => {
  let seed = 11;
  const random = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 16) % n);
  const version = new Map(); // each id's latest edit, as the server holds it
  for (let round = 0; round < 300; round += 1) {
    let records = new Map();
    let rows = [];
    const server = new Map();
    for (let step = 0; step < 12; step += 1) {
      const changed = new Map(); // one each, as the server answers
      for (let n = random(4); n > 0; n -= 1) {
        const id = 1 + random(8);
        if (random(4) === 0) server.delete(id);
        else {
          version.set(id, (version.get(id) ?? 0) + 1);
          const day = String(1 + random(28)).padStart(2, "0");
          const person = {
            ...camille,
            id,
            name: `Person ${id} v${version.get(id)}`,
            tags: random(2) ? ["data"] : [],
            created_at: `2026-11-${day}T10:00:00+00:00`,
          };
          server.set(id, person);
          changed.set(id, person);
        }
      }
      // Sometimes a contact deleted after the changes were read is still among them.
      const answer = {
        contacts: [...changed.values()],
        ids: [...server.keys()].filter(() => random(10) !== 0),
      };
      records = refreshed(records, answer);
      rows = mergeRows(rows, answer.contacts, answer.ids);
      const rebuilt = [...records.values()].map(listRow).sort(newestFirst);
      assert.deepEqual(rows, rebuilt, `round ${round}, step ${step}`);
    }
  }
});

test("an email's domain, a website or a past company finds them, as on the server", () => {
  const rui = { ...camille, emails: ["rui@globex.example"], urls: ["https://rui.example"],
    past_companies: ["Initech"] };
  assert.ok(matches(listRow(rui), "globex"));
  assert.ok(matches(listRow(rui), "rui.example"));
  assert.ok(matches(listRow(rui), "initech"));
  assert.ok(!matches(listRow(camille), "globex"));
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

test("Edit offline keeps the questions the server takes for this contact", () => {
  const form = [{ key: "enjoy" }, { key: "talk" }, { key: "custom-4", own: true }];
  const met = (event, answers = camille.answers) => ({ ...camille, event, answers });
  // Met at the event running now (or neither has one): the form's questions, then the answered.
  assert.deepEqual(questionsKept(form, met({ id: 3, name: "Summit" }), 3), [
    "enjoy",
    "talk",
    "custom-4",
  ]);
  assert.deepEqual(questionsKept(form, met(null, []), null), ["enjoy", "talk", "custom-4"]);
  // Met elsewhere: the user's own and those answered, the missing ones added.
  const answers = [
    { prompt: "talk", question: "Which talk?", answer: "Offline-first" },
    { prompt: "pitch", question: "Their pitch?", answer: "Maps" },
  ];
  assert.deepEqual(questionsKept(form, met({ id: 9, name: "Meetup" }, answers), 3), [
    "talk",
    "custom-4",
    "pitch",
  ]);
  assert.deepEqual(questionsKept(form, met(null, []), 3), ["custom-4"]);
});
