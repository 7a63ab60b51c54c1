// The outbox: writes saved on the phone first, then sent to the server in order when the
// network allows. The same module runs in the pages and in the service worker.
//
// An item: {id (the client UUID, also body.id), kind ("scan" | "capture"), url, body, user,
// label (what to call it on screen), created, attempts, lastError, state ("pending" |
// "rejected"), nextTry}.
// It leaves the outbox only when the server's JSON acknowledgement names its id. No network,
// a redirect or an HTML page (a captive portal), a 401 (log in again) or a 5xx keep it queued;
// a 4xx JSON {"error": …} marks it rejected with the server's sentence until the user fixes or
// discards it (unless the screen that made it is waiting to say so itself: see flushNow).
import * as idb from "./idb.js";

const STORE = "outbox";
const CHANNEL = "eventmate-outbox";
const REJECTING = new Set([400, 404, 409, 410, 413, 422]);
const TIMEOUT_MS = 15_000;
const MAX_BACKOFF_MS = 5 * 60_000;

const channel = new BroadcastChannel(CHANNEL);

// Every page and the service worker hear about changes (a channel doesn't hear itself).
export function onChange(listener) {
  new BroadcastChannel(CHANNEL).onmessage = (event) => listener(event.data);
}

function changed(report = null) {
  channel.postMessage({ type: "outbox", report });
}

export async function add({ kind, url, body, user, label = "" }) {
  const item = {
    id: body.id,
    kind,
    url,
    body,
    user: String(user ?? ""),
    label,
    created: Date.now(),
    attempts: 0,
    lastError: "",
    state: "pending",
    nextTry: 0,
  };
  await idb.put(STORE, item);
  changed();
  return item;
}

export const get = (id) => idb.get(STORE, id);

// Items in the order they were made; only one user's when `user` is given.
export async function list({ user } = {}) {
  const items = await idb.getAll(STORE);
  return items
    .filter((item) => user === undefined || item.user === String(user))
    .sort((a, b) => a.created - b.created);
}

export async function update(id, changes) {
  await idb.update(STORE, id, (item) => ({ ...item, ...changes }));
  changed();
}

export async function remove(id) {
  await idb.remove(STORE, id);
  changed();
}

// Forget one user's items (log-out, after the user agreed to lose what is unsynced).
export async function clear(user) {
  for (const item of await list({ user })) await idb.remove(STORE, item.id);
  changed();
}

async function readJson(response) {
  if (!(response.headers.get("Content-Type") || "").includes("application/json")) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function request(url, init = {}) {
  return fetch(url, {
    credentials: "same-origin",
    redirect: "manual",
    cache: "no-store",
    signal: AbortSignal.timeout(TIMEOUT_MS),
    ...init,
  });
}

// Only a 401 means "log in again": EventMate answers /api/ without a session with a JSON 401
// and never redirects there (eventmate/errors.py), so a redirect comes from something between
// the phone and the server, like a Wi-Fi login page. Try again later.
const NOT_REACHING = {
  result: "retry",
  error: "The network isn't reaching EventMate (a Wi-Fi login page?).",
};

// A fresh CSRF token, and whose session this is: {token, user} or {result, error}.
export async function session() {
  try {
    const response = await request("/api/csrf");
    if (response.status === 401) return { result: "login" };
    const data = await readJson(response);
    if (response.ok && data?.csrf_token) return { token: data.csrf_token, user: String(data.user) };
    return NOT_REACHING;
  } catch {
    return { result: "retry", error: "No connection." };
  }
}

// Send one item: "sent" (with the server's data), "rejected", "csrf", "login" or "retry".
async function send(item, token) {
  let response;
  try {
    response = await request(item.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(item.body),
    });
  } catch {
    return { result: "retry", error: "No connection." };
  }
  if (response.type === "opaqueredirect") return NOT_REACHING;
  if (response.status === 401) return { result: "login" };
  const data = await readJson(response);
  const acknowledged = data && (data.client_id === item.id || data.scan_id === item.id);
  if (response.ok && acknowledged) return { result: "sent", data };
  if (data?.csrf) return { result: "csrf" };
  if (data?.error && REJECTING.has(response.status))
    return { result: "rejected", error: data.error };
  return {
    result: "retry",
    error: `EventMate didn't confirm it (${response.status || "no answer"}).`,
  };
}

function backoff(attempts) {
  return Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** attempts);
}

// Send pending items one at a time, in order, stopping at the first that must wait.
// Items of another account stay until that account logs in again. A rejected item whose
// caller is waiting to tell the user (`watched`: the scanner, the paste form) is removed, not
// kept for the "Couldn't sync" list: the user hears the server's sentence once, from there.
async function flushNow(force, watched) {
  const report = { status: "done", sent: {}, rejected: {}, error: "" };
  const pending = (await list()).filter((item) => item.state === "pending");
  if (!pending.length) return { ...report, status: "idle" };
  if (!force && pending[0].nextTry > Date.now()) return { ...report, status: "waiting" };
  let auth = await session();
  for (const item of pending) {
    if (auth.token && item.user !== auth.user) continue;
    let outcome = auth.token ? await send(item, auth.token) : auth;
    if (outcome.result === "csrf") {
      auth = await session(); // the token expired between fetching and sending: once more
      outcome = auth.token ? await send(item, auth.token) : auth;
      if (outcome.result === "csrf") outcome = { result: "retry", error: "The session changed." };
    }
    if (outcome.result === "sent") {
      await idb.remove(STORE, item.id);
      report.sent[item.id] = outcome.data;
    } else if (outcome.result === "rejected" && item.id === watched) {
      await idb.remove(STORE, item.id);
      report.rejected[item.id] = outcome.error;
    } else if (outcome.result === "rejected") {
      await idb.update(STORE, item.id, (it) => ({
        ...it,
        state: "rejected",
        lastError: outcome.error,
      }));
      report.rejected[item.id] = outcome.error;
    } else {
      const error = outcome.result === "login" ? "Log in again to sync." : outcome.error;
      const attempts = item.attempts + 1;
      await idb.update(STORE, item.id, (it) => ({
        ...it,
        attempts,
        lastError: error,
        nextTry: Date.now() + backoff(attempts),
      }));
      Object.assign(report, { status: outcome.result, error });
      break;
    }
  }
  return report;
}

// Flush once at a time across every tab and the service worker. `force` ignores the backoff
// (app start, back online, the user just saved); `wait` queues behind a running flush;
// `watched`: the id of an item whose rejection the caller shows itself (see flushNow).
// The report's status: "done", "retry" (kept: no network or no answer to trust), "login",
// "idle" (nothing to send), "waiting" (backing off) or "busy" (another flush is running).
export async function flush({ force = false, wait = false, watched = null } = {}) {
  const run = async (lock) => {
    if (lock === null) return { status: "busy", sent: {}, rejected: {}, error: "" };
    const report = await flushNow(force, watched);
    if (!["idle", "waiting"].includes(report.status)) changed(report);
    return report;
  };
  if (!navigator.locks) return run(true);
  return navigator.locks.request(CHANNEL, { ifAvailable: !wait }, run);
}
