// The outbox's queue rules (static/js/outbox-queue.js), without a browser: `node --test tests/js/`.
// A few examples first, then random sequences of scans, notes, passes with random server
// answers, Retry and Discard, each checked against a small reference model.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  MAX_BACKOFF_MS,
  ORPHAN,
  ORPHAN_PHOTO,
  TRIES,
  backoff,
  next,
  settle,
  stops,
} from "../../static/js/outbox-queue.js";

let clock = 0;

function scan(id, { user = "1" } = {}) {
  return item(id, { id }, user);
}

function note(id, { scan: scanId = null, contact = null, user = "1" } = {}) {
  return item(id, { id, scan_id: scanId, contact_id: contact }, user);
}

// A photo (contact-photo.js): its own kind of item, about a scan or a contact like a note.
function photo(id, { scan: scanId = null, contact = null, user = "1" } = {}) {
  const body = { id, scan_id: scanId, contact_id: contact, photo: "<Blob>" };
  return { ...item(id, body, user), kind: "photo" };
}

// A paper card's photo (card-photo.js): about nothing queued before it.
function cardPhoto(id, { user = "1" } = {}) {
  const body = { id, photo: "<Blob>", scanned_at: "2026-12-06T11:00:00Z" };
  return { ...item(id, body, user), kind: "card_photo" };
}

function item(id, body, user) {
  clock += 1;
  const fresh = { attempts: 0, lastError: "", state: "pending", nextTry: 0 };
  return { id, body, user, created: clock, ...fresh };
}

// One pass as outbox.js runs it: `answer(item)` is the server's outcome for each item sent.
// Returns the ids in the order they were sent and whether the pass stopped.
function pass(items, answer, { now = 0, force = false, user = "1" } = {}) {
  const done = new Set();
  const sent = [];
  let step;
  while ((step = next(items, { done, now, force, user }))) {
    const { item } = step;
    done.add(item.id);
    const outcome = step.error ? { result: "rejected", error: step.error } : answer(item);
    if (!step.error) sent.push(item.id);
    const after = settle(item, outcome, now);
    items.splice(items.indexOf(item), 1, ...(after ? [after] : []));
    if (stops(outcome)) return { sent, stopped: true };
  }
  return { sent, stopped: false };
}

const ok = { result: "sent" };
const serverError = { result: "failed", error: "EventMate didn't confirm it (500)." };
const answers = (table) => (item) => table[item.id] ?? ok;

describe("one pass", () => {
  test("a 500 on one item doesn't stop the items behind it", () => {
    const items = [scan("bad"), scan("a"), scan("b")];
    const { sent } = pass(items, answers({ bad: serverError }));
    assert.deepEqual(sent, ["bad", "a", "b"]);
    assert.deepEqual(
      items.map((i) => [i.id, i.attempts, i.lastError]),
      [["bad", 1, serverError.error]],
    );
  });

  test("no network, a Wi-Fi login page or log in again stops the pass", () => {
    for (const outcome of [
      { result: "offline", error: "No connection." },
      { result: "login" },
    ]) {
      const items = [scan("a"), scan("b")];
      const { sent, stopped } = pass(items, answers({ a: outcome }));
      assert.deepEqual(sent, ["a"]);
      assert.ok(stopped);
      assert.equal(items.length, 2);
    }
  });

  test("notes wait until their scan is acknowledged, then go in the same pass", () => {
    const items = [scan("s"), note("n1", { scan: "s" }), scan("other"), note("n2", { scan: "s" })];
    assert.deepEqual(pass(items, answers({ s: serverError })).sent, ["s", "other"]);
    assert.deepEqual(
      items.map((i) => i.id),
      ["s", "n1", "n2"],
    );
    assert.deepEqual(pass(items, answers({}), { force: true }).sent, ["s", "n1", "n2"]);
    assert.deepEqual(items, []);
  });

  test("a photo taken after a scan waits for it like notes do, and goes in order", () => {
    const items = [scan("s"), photo("p", { scan: "s" }), note("n", { scan: "s" })];
    items.push(photo("q", { contact: 7 }));
    assert.deepEqual(pass(items, answers({ s: serverError })).sent, ["s", "q"]);
    assert.deepEqual(
      items.map((i) => i.id),
      ["s", "p", "n"],
    );
    assert.deepEqual(pass(items, answers({}), { force: true }).sent, ["s", "p", "n"]);
  });

  test("a card photo the server fails or refuses holds back nothing behind it", () => {
    const unreadable = { result: "rejected", error: "No text could be read on that photo." };
    const items = [cardPhoto("c1"), cardPhoto("c2"), scan("s"), note("n", { scan: "s" })];
    const { sent } = pass(items, answers({ c1: serverError, c2: unreadable }));
    assert.deepEqual(sent, ["c1", "c2", "s", "n"]);
    assert.deepEqual(
      items.map((i) => [i.id, i.state]),
      [
        ["c1", "pending"],
        ["c2", "rejected"],
      ],
    );
    assert.deepEqual(pass(items, answers({}), { force: true }).sent, ["c1"]);
    assert.deepEqual(
      items.map((i) => i.id),
      ["c2"],
    );
  });

  test("a photo whose scan was refused is refused here, with its own sentence", () => {
    const items = [scan("s"), photo("p", { scan: "s" }), note("n", { scan: "s" })];
    const refused = { result: "rejected", error: "That's your own card." };
    assert.deepEqual(pass(items, answers({ s: refused })).sent, ["s"]);
    assert.deepEqual(
      items.map((i) => [i.id, i.state, i.lastError]),
      [
        ["s", "rejected", refused.error],
        ["p", "rejected", ORPHAN_PHOTO],
        ["n", "rejected", ORPHAN],
      ],
    );
  });

  test("notes about one contact go in the order they were taken", () => {
    const items = [note("first", { contact: 7 }), note("second", { contact: 7 })];
    items.push(note("x", { contact: 8 }));
    assert.deepEqual(pass(items, answers({ first: serverError })).sent, ["first", "x"]);
  });

  test("a follow-up's Undo waits for its Done; another follow-up's doesn't", () => {
    const mark = (id, followUp) => item(id, { id, follow_up_id: followUp }, "1");
    const items = [mark("done", 4), mark("undo", 4), mark("other", 5)];
    assert.deepEqual(pass(items, answers({ done: serverError })).sent, ["done", "other"]);
    assert.deepEqual(pass(items, answers({}), { force: true }).sent, ["done", "undo"]);
  });

  test("a note whose scan was refused is refused here, without being sent", () => {
    const items = [scan("s"), note("n", { scan: "s" })];
    const refused = { result: "rejected", error: "That's your own card." };
    assert.deepEqual(pass(items, answers({ s: refused })).sent, ["s"]);
    assert.deepEqual(
      items.map((i) => [i.id, i.state, i.lastError]),
      [
        ["s", "rejected", refused.error],
        ["n", "rejected", ORPHAN],
      ],
    );
  });

  test("a refused note doesn't hold back later notes about the same contact", () => {
    const items = [note("bad", { contact: 7 }), note("good", { contact: 7 })];
    const refused = { result: "rejected", error: "Pick a date within a year." };
    assert.deepEqual(pass(items, answers({ bad: refused })).sent, ["bad", "good"]);
    assert.deepEqual(pass(items, answers({}), { force: true }).sent, []);
  });

  test("an item whose request always drops the connection holds back the others once", () => {
    const items = [scan("breaks"), scan("a"), scan("b")];
    const drops = answers({ breaks: { result: "offline", error: "No connection." } });
    assert.deepEqual(pass(items, drops, { now: 0, force: true }).sent, ["breaks"]);
    assert.deepEqual(pass(items, drops, { now: 1, force: true }).sent, ["a", "b", "breaks"]);
    assert.deepEqual(
      items.map((i) => [i.id, i.attempts]),
      [["breaks", 2]],
    );
  });

  test("another account's items wait for it", () => {
    const items = [scan("theirs", { user: "2" }), scan("mine")];
    assert.deepEqual(pass(items, answers({})).sent, ["mine"]);
    assert.deepEqual(pass(items, answers({}), { user: "2" }).sent, ["theirs"]);
  });
});

describe("backoff", () => {
  test("doubles from one second to five minutes at most", () => {
    assert.deepEqual([0, 1, 2, 3].map(backoff), [1_000, 2_000, 4_000, 8_000]);
    assert.equal(backoff(30), MAX_BACKOFF_MS);
  });

  test("each item waits out its own; the one that just failed goes after the others", () => {
    const items = [scan("a"), scan("b")];
    pass(items, answers({ a: serverError, b: serverError }), { now: 0 });
    assert.deepEqual(
      items.map((i) => i.nextTry),
      [2_000, 2_000],
    );
    assert.deepEqual(pass(items, answers({ b: serverError }), { now: 1_999 }).sent, []);
    assert.deepEqual(pass(items, answers({ b: serverError }), { now: 2_000 }).sent, ["a", "b"]);
    // b failed last: a forced pass that stops at the first item tries b only after a.
    items.push(scan("c"));
    const stopAtFirst = () => ({ result: "offline", error: "No connection." });
    assert.deepEqual(pass(items, stopAtFirst, { now: 2_001, force: true }).sent, ["c"]);
  });

  test(`after ${TRIES} failures an item is failing: still retried, but never hurried`, () => {
    const items = [scan("a")];
    let now = 0;
    for (let tries = 1; tries <= TRIES; tries += 1) {
      assert.equal(items[0].state, "pending");
      assert.deepEqual(pass(items, () => serverError, { now, force: true }).sent, ["a"]);
      now += 1;
    }
    assert.equal(items[0].state, "failing");
    assert.equal(items[0].lastError, serverError.error);
    assert.deepEqual(pass(items, () => serverError, { now, force: true }).sent, []);
    now = items[0].nextTry;
    assert.deepEqual(pass(items, () => serverError, { now }).sent, ["a"]);
    assert.equal(items[0].state, "failing");
    // Retry (sync.js): its backoff starts again, it is sent now and stays listed until it syncs.
    Object.assign(items[0], { attempts: 0, nextTry: 0 });
    assert.deepEqual(pass(items, () => serverError, { now, force: true }).sent, ["a"]);
    assert.deepEqual([items[0].state, items[0].nextTry - now], ["failing", backoff(1)]);
    assert.deepEqual(pass(items, () => ok, { now: items[0].nextTry }).sent, ["a"]);
    assert.deepEqual(items, []);
  });
});

// ---- Random sequences against a reference model ----

// A small seeded generator (mulberry32), so that a failure can be replayed from its seed.
function random(seed) {
  let state = seed >>> 0;
  const float = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(float() * n);
  const pick = (list) => list[int(list.length)];
  const weighted = (table) => {
    let roll = float() * table.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of table) if ((roll -= weight) < 0) return value;
    return table.at(-1)[0];
  };
  return { float, int, pick, weighted };
}

const OUTCOMES = [
  [{ result: "sent" }, 45],
  [{ result: "failed", error: "EventMate didn't confirm it (500)." }, 20],
  [{ result: "failed", error: "EventMate didn't answer in time." }, 8],
  [{ result: "rejected", error: "That's your own card." }, 10],
  [{ result: "offline", error: "No connection." }, 5],
  [{ result: "login" }, 2],
];

// The reference: what each item is about, and what has become of it. An item is blocked while
// an earlier item about the same thing is still queued (pending or failing); notes about a
// refused scan are refused without being sent.
class Model {
  constructor() {
    this.items = new Map(); // id → {id, subject, scan, user, state, attempts, nextTry}
    this.acknowledged = new Set();
  }

  add(queued) {
    const { id, body, user } = queued;
    const subject = body.scan_id ?? (body.contact_id ? `contact ${body.contact_id}` : id);
    const entry = { id, subject, scan: body.scan_id, user, state: "pending", attempts: 0 };
    this.items.set(id, { ...entry, nextTry: 0 });
  }

  copy() {
    const copy = new Model();
    for (const [id, entry] of this.items) copy.items.set(id, { ...entry });
    copy.acknowledged = new Set(this.acknowledged);
    return copy;
  }

  queued = (entry) => entry.state === "pending" || entry.state === "failing";

  refuse(entry) {
    Object.assign(entry, { state: "rejected", error: ORPHAN });
  }

  earlier(entry) {
    const list = [...this.items.values()];
    return list.slice(0, list.indexOf(entry));
  }

  blocked(entry) {
    const same = (other) => other.subject === entry.subject && this.queued(other);
    return this.earlier(entry).some(same);
  }

  orphan(entry) {
    return this.items.get(entry.scan)?.state === "rejected";
  }

  due(entry, { now, force }) {
    return (force && entry.state === "pending") || entry.nextTry <= now;
  }

  apply(entry, { result, error }, now) {
    if (result === "sent") {
      entry.state = "acknowledged";
      this.acknowledged.add(entry.id);
    } else if (result === "rejected") {
      Object.assign(entry, { state: "rejected", error });
    } else if (result !== "login") {
      entry.attempts += 1;
      entry.nextTry = now + Math.min(5 * 60_000, 1_000 * 2 ** entry.attempts);
      if (entry.attempts >= TRIES) entry.state = "failing";
      entry.error = error;
    }
  }

  // Everything a pass that doesn't stop must try (and the notes it must refuse): the items due
  // and of this user, each as soon as nothing before it about the same thing is queued.
  pass(outcomes, options) {
    const tried = new Set();
    const refused = new Set();
    for (let changed = true; changed; ) {
      changed = false;
      for (const entry of this.items.values()) {
        if (!this.queued(entry) || tried.has(entry.id)) continue;
        if (this.orphan(entry)) {
          this.refuse(entry);
          refused.add(entry.id);
          changed = true;
        } else if (
          entry.user === options.user &&
          this.due(entry, options) &&
          !this.blocked(entry)
        ) {
          tried.add(entry.id);
          this.apply(entry, outcomes.get(entry.id), options.now);
          changed = true;
        }
      }
    }
    return { tried, refused };
  }
}

function check(items, model, label) {
  const left = [...model.items.values()].filter((entry) => entry.state !== "acknowledged");
  assert.deepEqual(
    items.map((i) => [i.id, i.state, i.attempts, i.nextTry, i.lastError]),
    left.map((e) => [e.id, e.state, e.attempts, e.nextTry, e.error ?? ""]),
    `${label}: the outbox and the model differ (nothing lost, nothing added)`,
  );
}

// What the random sequences went through, so that they can't pass by never getting there.
const seen = { stopped: 0, full: 0, failing: 0, refused: 0, retried: 0, discarded: 0 };

function run(seed) {
  const rng = random(seed);
  const items = [];
  const model = new Model();
  const log = [];
  const bad = new Set(); // items the server always answers 500 to (a crafted QR code)
  let now = 0;
  let count = 0;
  for (let step = 0; step < 40; step += 1) {
    const label = `seed ${seed}, step ${step}`;
    const action = rng.weighted([
      ["scan", 4],
      ["note on a scan", 3],
      ["note on a contact", 3],
      ["pass", 6],
      ["retry", 2],
      ["discard", 1],
    ]);
    const user = rng.float() < 0.1 ? "2" : "1";
    if (action === "scan" || action.startsWith("note")) {
      count += 1;
      const id = `i${count}`;
      const scans = [...model.items.values()].filter((e) => e.id === e.subject);
      let added;
      if (action === "scan" || !scans.length) added = scan(id, { user });
      else if (action === "note on a scan") added = note(id, { scan: rng.pick(scans).id, user });
      else added = note(id, { contact: 1 + rng.int(3), user });
      items.push(added);
      model.add(added);
      if (rng.float() < 0.15) bad.add(id);
      log.push(`${action} ${id} (user ${user})`);
    } else if (action === "pass") {
      now += rng.pick([0, 500, 2_000, 30_000, 400_000]);
      const options = { now, force: rng.float() < 0.5, user };
      const outcome = (i) => (bad.has(i.id) ? OUTCOMES[1][0] : rng.weighted(OUTCOMES));
      const outcomes = new Map(items.map((i) => [i.id, outcome(i)]));
      const reference = model.copy();
      const sent = [];
      const done = new Set();
      let stopped = false;
      let stepped;
      while ((stepped = next(items, { done, ...options }))) {
        const { item } = stepped;
        const entry = model.items.get(item.id);
        done.add(item.id);
        if (stepped.error) {
          assert.ok(model.orphan(entry), `${label}: ${item.id} refused though its scan wasn't`);
        } else {
          // Never sent once acknowledged, never before what it depends on, never early.
          assert.ok(!model.acknowledged.has(item.id), `${label}: ${item.id} sent twice`);
          assert.ok(!model.blocked(entry), `${label}: ${item.id} sent before an earlier item`);
          assert.ok(!model.orphan(entry), `${label}: ${item.id} sent after its scan was refused`);
          assert.ok(model.due(entry, options), `${label}: ${item.id} sent before its backoff`);
          assert.equal(item.user, user, `${label}: another account's item was sent`);
          sent.push(item.id);
        }
        const outcome = stepped.error
          ? { result: "rejected", error: ORPHAN }
          : outcomes.get(item.id);
        if (stepped.error) model.refuse(entry);
        else model.apply(entry, outcome, now);
        const after = settle(item, outcome, now);
        items.splice(items.indexOf(item), 1, ...(after ? [after] : []));
        if (stops(outcome)) {
          stopped = true;
          break;
        }
      }
      log.push(`pass ${JSON.stringify(options)}: ${sent.join(" ")}${stopped ? " (stopped)" : ""}`);
      seen[stopped ? "stopped" : "full"] += 1;
      seen.failing += items.filter((i) => i.state === "failing").length;
      seen.refused += items.filter((i) => i.lastError === ORPHAN).length;
      if (!stopped) {
        // No item kept another from the server: exactly the items the reference would send.
        const expected = reference.pass(outcomes, options);
        assert.deepEqual(
          new Set(sent),
          expected.tried,
          `${label}: the pass sent other items than the model\n${log.join("\n")}`,
        );
        assert.deepEqual(reference.items, model.items, `${label}: the pass ended elsewhere`);
      }
    } else {
      const listed = action === "retry" ? ["failing"] : ["failing", "rejected"];
      const shown = items.filter((i) => i.user === "1" && listed.includes(i.state));
      if (!shown.length) continue;
      const chosen = rng.pick(shown);
      if (action === "retry") {
        // sync.js: Retry resets the backoff (and the count that led to it).
        Object.assign(chosen, { attempts: 0, nextTry: 0 });
        Object.assign(model.items.get(chosen.id), { attempts: 0, nextTry: 0 });
        log.push(`retry ${chosen.id}`);
        seen.retried += 1;
      } else {
        // sync.js: discarding a scan discards its notes too; the user confirmed.
        for (const other of [...items]) {
          if (other.id === chosen.id || other.body.scan_id === chosen.id) {
            items.splice(items.indexOf(other), 1);
            model.items.delete(other.id);
          }
        }
        log.push(`discard ${chosen.id}`);
        seen.discarded += 1;
      }
    }
    check(items, model, `${label}\n${log.join("\n")}`);
  }
}

test("random sequences: nothing lost, nothing sent twice, nobody blocks an unrelated item", () => {
  for (let seed = 1; seed <= 1_500; seed += 1) run(seed);
  for (const [what, times] of Object.entries(seen)) assert.ok(times > 100, JSON.stringify(seen));
});
