// The outbox: writes saved on the phone first, then sent when the network allows (the rules:
// outbox-queue.js), by the pages and the service worker alike. An item: {id (the client UUID,
// also body.id), kind ("scan" | "capture" | "photo" | "card_photo" | "follow_up"), url, body
// (a photo's holds its Blob), user, label (its name on screen), created, attempts, lastError,
// state, nextTry}. It leaves only when the server's JSON
// acknowledgement names its id; a 4xx JSON {"error": …} rejects it with the server's sentence.
// Kinds with a Blob in their body ("photo", "card_photo") go as multipart forms.
import * as idb from "./idb.js";
import { next, settle, stops } from "./outbox-queue.js";

const STORE = "outbox";
const CHANNEL = "eventmate-outbox";
const REJECTING = new Set([400, 404, 409, 410, 413, 422]);
const TIMEOUT_MS = 15_000;
// Reading a card's photo takes the server a CPU-second or two, more on a busy one (and its
// first card loads the OCR's models): worth waiting for rather than sending it again.
const TIMEOUTS_MS = { card_photo: 60_000 };

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

function request(url, init = {}, timeout = TIMEOUT_MS) {
  return fetch(url, {
    credentials: "same-origin",
    redirect: "manual",
    cache: "no-store",
    signal: AbortSignal.timeout(timeout),
    ...init,
  });
}

// EventMate answers /api/ without a session with a JSON 401, never a redirect (errors.py): a
// redirect comes from something between the phone and the server, like a Wi-Fi login page.
const NOT_REACHING = {
  result: "offline",
  error: "The network isn't reaching EventMate (a Wi-Fi login page?).",
};
const NO_CONNECTION = { result: "offline", error: "No connection." };

// A fresh CSRF token, and whose session this is: {token, user} or {result, error}.
export async function session() {
  try {
    const response = await request("/api/csrf");
    if (response.status === 401) return { result: "login" };
    const data = await readJson(response);
    if (response.ok && data?.csrf_token) return { token: data.csrf_token, user: String(data.user) };
    return NOT_REACHING;
  } catch {
    return NO_CONNECTION;
  }
}

// A body holding a file (a photo) goes as a form (the browser sets the multipart Content-Type),
// the rest as JSON.
function encode(item, token) {
  if (!Object.values(item.body).some((value) => value instanceof Blob)) {
    const headers = { "Content-Type": "application/json", "X-CSRFToken": token };
    return { headers, body: JSON.stringify(item.body) };
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(item.body)) {
    if (value instanceof Blob) form.append(name, value, `${name}.jpg`);
    else if (value != null) form.append(name, String(value));
  }
  return { headers: { "X-CSRFToken": token }, body: form };
}

// Send one item: {result, error, data}: "sent" (with the server's data), "rejected", "csrf",
// "login", "offline" (every item would fail) or "failed" (this one: a 5xx, a timeout, an answer
// that isn't EventMate's).
async function send(item, token) {
  let response;
  try {
    const timeout = TIMEOUTS_MS[item.kind] ?? TIMEOUT_MS;
    response = await request(item.url, { method: "POST", ...encode(item, token) }, timeout);
  } catch (error) {
    if (error.name !== "TimeoutError") return NO_CONNECTION;
    return { result: "failed", error: "EventMate didn't answer in time." };
  }
  if (response.type === "opaqueredirect") return NOT_REACHING;
  if (response.status === 401) return { result: "login" };
  const data = await readJson(response);
  const acknowledged = data && (data.client_id === item.id || data.scan_id === item.id);
  if (response.ok && acknowledged) return { result: "sent", data };
  if (data?.csrf) return { result: "csrf" };
  if (data?.error && REJECTING.has(response.status))
    return { result: "rejected", error: data.error };
  const said = data?.error ? `: ${data.error}` : ".";
  return { result: "failed", error: `EventMate didn't confirm it (${response.status})${said}` };
}

async function sendOnce(item, auth) {
  const outcome = await send(item, auth.token);
  if (outcome.result !== "csrf") return outcome;
  const fresh = await session(); // the token expired between fetching and sending: once more
  if (!fresh.token) return fresh;
  Object.assign(auth, fresh); // for the next items too
  if (fresh.user !== item.user) return { result: "login" }; // another account logged in
  const again = await send(item, fresh.token);
  return again.result === "csrf" ? { result: "failed", error: "The session changed." } : again;
}

// Send the items the rules pick, until none is left or the pass stops. A rejected item whose
// caller waits to tell the user (`watched`: the scanner, the paste form) is removed, not kept
// for the "Couldn't sync" list: the user hears the server's sentence once, from there.
async function flushNow(force, watched) {
  const report = { status: "done", sent: {}, rejected: {}, kept: {}, error: "" };
  const stop = ({ result, error = "" }) =>
    Object.assign(report, { status: result === "login" ? result : "retry", error });
  const items = await list();
  const done = new Set();
  let auth = null;
  let step;
  while ((step = next(items, { done, force, now: Date.now(), user: auth?.user }))) {
    const { item } = step;
    done.add(item.id);
    let outcome = { result: "rejected", error: step.error };
    if (!step.error) {
      auth ??= await session();
      if (!auth.token) return stop(auth); // nothing was sent
      if (item.user !== auth.user) continue;
      outcome = await sendOnce(item, auth);
    }
    const { result, error, data } = outcome;
    if (result === "sent" || (result === "rejected" && item.id === watched)) {
      items.splice(items.indexOf(item), 1);
      await idb.remove(STORE, item.id);
    } else {
      const now = Date.now();
      items.splice(items.indexOf(item), 1, settle(item, outcome, now));
      await idb.update(STORE, item.id, (stored) => settle(stored, outcome, now));
    }
    if (result === "sent") report.sent[item.id] = data;
    if (result === "rejected") report.rejected[item.id] = error;
    if (result === "failed") report.kept[item.id] = error;
    if (stops(outcome)) return stop(outcome);
  }
  if (!done.size) report.status = items.length ? "waiting" : "idle";
  return report;
}

// Flush once at a time across every tab and the service worker. `force` ignores the backoff
// (app start, back online, the user just saved); `wait` queues behind a running flush;
// `watched`: see flushNow. Resolves {status, sent, rejected, kept (id: why it failed), error};
// status: "done", "retry" (stopped: no network or no answer to trust), "login", "idle",
// "waiting" (backing off) or "busy" (another flush is running).
export async function flush({ force = false, wait = false, watched = null } = {}) {
  const run = async (lock) => {
    if (lock === null) return { status: "busy", sent: {}, rejected: {}, kept: {}, error: "" };
    const report = await flushNow(force, watched);
    if (!["idle", "waiting"].includes(report.status)) changed(report);
    return report;
  };
  if (!navigator.locks) return run(true);
  return navigator.locks.request(CHANNEL, { ifAvailable: !wait }, run);
}
