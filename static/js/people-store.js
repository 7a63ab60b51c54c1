// The phone's copy of the user's contacts, so People and every contact's page open offline
// (people-offline.js). The first refresh asks GET /api/contacts for all of them; later ones ask
// `?since=` the last copy's time for those changed, with every id still there (the others were
// deleted). Records are keyed "<user>:<contact id>"; log-out forgets them (sync.js).
// People's list reads one record per user instead: the rows (people-rows.js: listRow), written
// in the same transaction as the records they come from, so the two never disagree.
import * as idb from "./idb.js";
import { listRow, mergeRows, newestFirst, ROWS_VERSION } from "./people-rows.js";

const STORE = "people";
const LIST = "people-list";
const SYNC = "people-sync";
const TIMEOUT_MS = 20_000;

const key = (user, id) => `${user}:${id}`;
const mine = (user) => IDBKeyRange.bound(`${user}:`, `${user}:\uffff`);

export async function contacts(user) {
  return (await idb.getAll(STORE, mine(user))).map((record) => record.contact);
}

// People's rows, newest first: one read of one string (2,000 full records take about five
// times as long to read, the rows as objects twice: bench/people_offline.py). Built from the
// records while no refresh has written them yet.
export async function rows(user) {
  const list = await idb.get(LIST, String(user));
  if (list?.version === ROWS_VERSION) return JSON.parse(list.rows);
  return (await contacts(user)).map(listRow).sort(newestFirst);
}

const listRecord = (user, rows) => ({
  id: user,
  version: ROWS_VERSION,
  rows: JSON.stringify(rows),
});

export async function contact(user, id) {
  return (await idb.get(STORE, key(user, id)))?.contact ?? null;
}

// {synced_at (the server's time), refreshed (this phone's), count} or undefined.
export const lastRefresh = (user) => idb.get(SYNC, String(user));

async function readJson(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.includes("application/json")) return null;
  return response.json().catch(() => null);
}

// Bring the copy up to date: "fresh", "offline" (no answer) or "skipped" (not EventMate's
// JSON, such as a Wi-Fi login page, or another account's session).
export async function refresh(user) {
  user = String(user);
  const last = await lastRefresh(user);
  const url = last ? `/api/contacts?since=${encodeURIComponent(last.synced_at)}` : "/api/contacts";
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return "offline";
  }
  const data = await readJson(response);
  if (!data || String(data.user) !== user) return "skipped";
  await keep(user, data);
  return "fresh";
}

// The changed records, the deleted ones gone, the rows and the sync time: one transaction.
function keep(user, data) {
  const still = new Set(data.ids.map((id) => key(user, id)));
  const changed = data.contacts.filter((person) => still.has(key(user, person.id)));
  const sync = { id: user, synced_at: data.synced_at, refreshed: Date.now(), count: still.size };
  return idb.batch([STORE, LIST, SYNC], (records, lists, syncs) => {
    const keys = records.getAllKeys(mine(user));
    keys.onsuccess = () => {
      for (const stored of keys.result) if (!still.has(stored)) records.delete(stored);
    };
    for (const person of changed) records.put({ id: key(user, person.id), contact: person });
    const list = lists.get(user); // answered after the keys: the deletes are placed by then
    list.onsuccess = () => {
      const current = list.result?.version === ROWS_VERSION ? JSON.parse(list.result.rows) : null;
      if (current || data.complete) {
        lists.put(listRecord(user, mergeRows(current ?? [], changed, data.ids)));
        return;
      }
      const all = records.getAll(mine(user)); // rows of another version, or none yet: rebuilt
      all.onsuccess = () => {
        const rows = all.result.map((record) => listRow(record.contact)).sort(newestFirst);
        lists.put(listRecord(user, rows));
      };
    };
    syncs.put(sync);
  });
}

// Log-out, or another account on this phone: nothing of this user's stays.
export async function forget(user) {
  user = String(user);
  await idb.batch([STORE, LIST, SYNC], (records, lists, syncs) => {
    records.delete(mine(user));
    lists.delete(user);
    syncs.delete(user);
  });
}
