// The phone's copy of the user's contacts, so People and every contact's page open offline
// (people-offline.js). The first refresh asks GET /api/contacts for all of them; later ones ask
// `?since=` the last copy's time for those changed, with every id still there (the others were
// deleted). Records are keyed "<user>:<contact id>"; log-out forgets them (sync.js).
// People's list reads one record instead, "rows:<user>" next to the sync time: the rows
// (people-rows.js: listRow), written in the same transaction as the records they come from.
// The sync time's record says they are this copy's (`rows`: their version); a writer that
// doesn't keep them (a page kept from before they existed) writes it without, and they are
// rebuilt from the records.
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

// People's rows, newest first: one read of one string (2,000 full records take about five
// times as long to read, the rows as objects twice: bench/people_offline.py). Built from the
// records while no refresh has written them.
export async function rows(user) {
  user = String(user);
  const [sync, list] = await idb.read(SYNC, (syncs) => [
    syncs.get(user),
    syncs.get(rowsKey(user)),
  ]);
  if (sync.result?.rows === ROWS_VERSION && list.result) return JSON.parse(list.result.rows);
  return (await contacts(user)).map(listRow).sort(newestFirst);
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
  return idb.batch([STORE, SYNC], (records, syncs) => {
    const putRows = (rows) => syncs.put({ id: rowsKey(user), rows: JSON.stringify(rows) });
    const rebuild = () => {
      const all = records.getAll(mine(user)); // placed after the deletes and puts
      all.onsuccess = () =>
        putRows(all.result.map((record) => listRow(record.contact)).sort(newestFirst));
    };
    let [stored, deleted] = [0, 0];
    const keys = records.getAllKeys(mine(user));
    keys.onsuccess = () => {
      stored = keys.result.length;
      for (const gone of keys.result.filter((each) => !still.has(each))) {
        records.delete(gone);
        deleted += 1;
      }
    };
    for (const person of changed) records.put({ id: key(user, person.id), contact: person });
    const last = syncs.get(user); // answered after the keys: the deletes are placed by then
    last.onsuccess = () => {
      if (last.result?.rows !== ROWS_VERSION) {
        // No rows of this copy: with nothing kept before they are the changed ones' alone.
        return stored ? rebuild() : putRows(mergeRows([], changed, data.ids));
      }
      if (!changed.length && !deleted) return; // the records stand, so do their rows
      const list = syncs.get(rowsKey(user));
      list.onsuccess = () =>
        list.result
          ? putRows(mergeRows(JSON.parse(list.result.rows), changed, data.ids))
          : rebuild();
    };
    syncs.put({
      id: user,
      synced_at: data.synced_at,
      refreshed: Date.now(),
      count: still.size,
      rows: ROWS_VERSION,
    });
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
