// The phone's copy of the user's contacts, so People and every contact's page open offline
// (people-offline.js). The first refresh asks GET /api/contacts for all of them; later ones ask
// `?since=` the last copy's time for those changed, with every id still there (the others were
// deleted). Records are keyed "<user>:<contact id>"; log-out forgets them (sync.js).
// People's list reads one record instead: the rows (people-rows.js: listRow), written in the
// same transaction as the records they come from and stamped with that refresh's time (kept
// next to it, as "rows:<user>"): rows whose stamp isn't the copy's were left behind by a
// writer that didn't keep them (a page from before they existed) and are rebuilt.
import * as idb from "./idb.js";
import { listRow, mergeRows, newestFirst, ROWS_VERSION } from "./people-rows.js";

const STORE = "people";
const SYNC = "people-sync";
const TIMEOUT_MS = 20_000;

const key = (user, id) => `${user}:${id}`;
const mine = (user) => IDBKeyRange.bound(`${user}:`, `${user}:\uffff`);
const rowsKey = (user) => `rows:${user}`;

export async function contacts(user) {
  return (await idb.getAll(STORE, mine(user))).map((record) => record.contact);
}

// The rows, when they are those of the copy as it stands (`sync`: its last refresh).
const current = (list, sync) =>
  list?.version === ROWS_VERSION && sync && list.synced_at === sync.synced_at
    ? JSON.parse(list.rows)
    : null;

// People's rows, newest first: one read of one string (2,000 full records take about five
// times as long to read, the rows as objects twice: bench/people_offline.py). Built from the
// records while no refresh has written them.
export async function rows(user) {
  user = String(user);
  const [sync, list] = await idb.read(SYNC, (syncs) => [
    syncs.get(user),
    syncs.get(rowsKey(user)),
  ]);
  const kept = current(list.result, sync.result);
  return kept ?? (await contacts(user)).map(listRow).sort(newestFirst);
}

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
  const putRows = (syncs, rows) =>
    syncs.put({
      id: rowsKey(user),
      version: ROWS_VERSION,
      synced_at: data.synced_at,
      rows: JSON.stringify(rows),
    });
  return idb.batch([STORE, SYNC], (records, syncs) => {
    const keys = records.getAllKeys(mine(user));
    keys.onsuccess = () => {
      for (const stored of keys.result) if (!still.has(stored)) records.delete(stored);
    };
    for (const person of changed) records.put({ id: key(user, person.id), contact: person });
    const [last, list] = [syncs.get(user), syncs.get(rowsKey(user))];
    list.onsuccess = () => {
      // Answered after the keys: the deletes are placed by then.
      const before = current(list.result, last.result);
      if (before || data.complete) {
        putRows(syncs, mergeRows(before ?? [], changed, data.ids));
        return;
      }
      const all = records.getAll(mine(user)); // no rows of this copy yet: built anew
      all.onsuccess = () =>
        putRows(syncs, all.result.map((record) => listRow(record.contact)).sort(newestFirst));
    };
    syncs.put(sync); // placed after the reads above
  });
}

// Log-out, or another account on this phone: nothing of this user's stays.
export async function forget(user) {
  user = String(user);
  await idb.batch([STORE, SYNC], (records, syncs) => {
    records.delete(mine(user));
    syncs.delete(user);
    syncs.delete(rowsKey(user));
  });
}
