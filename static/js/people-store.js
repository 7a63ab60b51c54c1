// The phone's copy of the user's contacts, so People and every contact's page open offline
// (people-offline.js). The first refresh asks GET /api/contacts for all of them; later ones ask
// `?since=` the last copy's time for those changed, with every id still there (the others were
// deleted). Records are keyed "<user>:<contact id>"; log-out forgets them (sync.js).
import * as idb from "./idb.js";

const STORE = "people";
const SYNC = "people-sync";
const TIMEOUT_MS = 20_000;

const key = (user, id) => `${user}:${id}`;
const mine = (user) => IDBKeyRange.bound(`${user}:`, `${user}:\uffff`);

export async function contacts(user) {
  return (await idb.getAll(STORE, mine(user))).map((record) => record.contact);
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

async function keep(user, data) {
  const still = new Set(data.ids.map((id) => key(user, id)));
  await idb.batch(STORE, (store) => {
    const keys = store.getAllKeys(mine(user));
    keys.onsuccess = () => {
      for (const stored of keys.result) if (!still.has(stored)) store.delete(stored);
    };
    for (const person of data.contacts) store.put({ id: key(user, person.id), contact: person });
  });
  const refreshed = Date.now();
  await idb.put(SYNC, { id: user, synced_at: data.synced_at, refreshed, count: still.size });
}

// Log-out, or another account on this phone: nothing of this user's stays.
export async function forget(user) {
  user = String(user);
  await idb.batch(STORE, (store) => store.delete(mine(user)));
  await idb.remove(SYNC, user);
}
