// Subscribing this device to the morning follow-up digest by Web Push, for the reminder ask card
// (static/js/reminder-ask.js, the only caller: permission is asked only from its Remind me), and
// naming this browser's push endpoint in log-out forms. A Remind me tapped offline is finished
// once back online (app.js, on any page; no prompt then). Server: eventmate/push/views.py.
import { postJson } from "./api.js";
import { refreshToken } from "./forms.js";

const SERVICE_WORKER_WAIT_MS = 10000;
// localStorage: {user, endpoint} that this browser last saved on the server, forgotten at log-out
// (the server forgets the device then too: eventmate/push/__init__.py).
const SAVED_KEY = "eventmate-push-saved";
// localStorage: {user} who tapped Remind me offline: the permission was asked then, but
// subscribing takes the push service and our server, so it is done once back online.
const PENDING_KEY = "eventmate-push-pending";
export const OFFLINE_MESSAGE =
  "Allowed. You're offline: this phone starts getting reminders as soon as it's back online.";

function base64UrlToBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const current = new Uint8Array(buffer);
  return current.length === bytes.length && current.every((value, index) => value === bytes[index]);
}

export function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

// The page's service worker registers on load (sync.js); wait for it, but not forever.
function serviceWorkerReady() {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), SERVICE_WORKER_WAIT_MS));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

async function applicationServerKey() {
  const response = await fetch("/api/push/key", {
    credentials: "same-origin",
    redirect: "manual",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error("the server did not give its push key");
  return base64UrlToBytes((await response.json()).publicKey);
}

async function subscription(registration, key) {
  const existing = await registration.pushManager.getSubscription();
  if (existing && sameKey(existing.options?.applicationServerKey, key)) return existing;
  if (existing) await existing.unsubscribe(); // made for another server key: replace it
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

// The page may have been open for hours: a stale CSRF token is refused with `"csrf": true`;
// then once more with a fresh one (which also goes into the section's remove forms).
// Resolves {response, data}, or {problem} when no fresh token could be had.
async function postWithFreshToken(section, url, body) {
  const sent = await postJson(url, body);
  if (!sent.data?.csrf) return sent;
  const problem = await refreshToken(section);
  return problem ? { problem } : postJson(url, body);
}

// Logging out on this browser stops its reminders for the account: the log-out form names
// this browser's push endpoint, and the server forgets that device (eventmate/push/__init__.py).
export async function nameThisBrowserOnLogOut() {
  const forms = document.querySelectorAll('form[action$="/logout"]');
  const registration = forms.length ? await navigator.serviceWorker.getRegistration() : null;
  const current = await registration?.pushManager.getSubscription();
  for (const form of current ? forms : []) {
    let field = form.querySelector('input[name="push_endpoint"]');
    if (!field) {
      field = Object.assign(document.createElement("input"), { type: "hidden", name: "push_endpoint" });
      form.append(field);
      form.addEventListener("submit", () => localStorage.removeItem(SAVED_KEY));
    }
    field.value = current.endpoint;
  }
}

// Does this device get `user`'s reminders already (allowed, subscribed, and saved for them)?
// `known`: the endpoints the server lists for the user, where the page has them; else what this
// browser remembers saving.
export async function thisDeviceGetsReminders(user, known = null) {
  if (!supported() || Notification.permission !== "granted") return false;
  const registration = await navigator.serviceWorker.getRegistration();
  const current = await registration?.pushManager.getSubscription();
  if (!current) return false;
  if (known) return known.includes(current.endpoint);
  const saved = JSON.parse(localStorage.getItem(SAVED_KEY) || "null");
  return saved?.user === user && saved?.endpoint === current.endpoint;
}

// Is `user`'s Remind me, tapped offline, still to be finished on this browser?
export function pendingFor(user) {
  return JSON.parse(localStorage.getItem(PENDING_KEY) || "null")?.user === user;
}

function waitForOnline(user) {
  localStorage.setItem(PENDING_KEY, JSON.stringify({ user }));
  return { pending: true, message: OFFLINE_MESSAGE };
}

// Back online: subscribe the device whose Remind me was tapped offline (the permission was
// given then; nothing is asked now). Resolves like subscribeThisDevice, or null when nothing
// is pending for `user`, or still offline.
export async function finishPending(holder, user) {
  if (!pendingFor(user) || !navigator.onLine) return null;
  const result = await subscribeThisDevice(holder, user, { ask: false });
  if (!result.pending) localStorage.removeItem(PENDING_KEY);
  return result;
}

// Ask for notifications and subscribe this device: call it straight from a tap, before any
// other await (browsers grant the prompt only to a user gesture). `holder`: an element whose
// forms get a fresh CSRF token if the page's one expired. `ask: false` (finishing an offline
// tap): only where the permission is already granted. Resolves {device} once the server saved
// it, {pending, message} when offline (finished by finishPending), else {message} saying what
// happened.
export async function subscribeThisDevice(holder, user, { ask = true } = {}) {
  if (!supported()) {
    return { message: "This browser can't show reminders. Your follow-ups still wait in Follow-ups each morning." };
  }
  try {
    const permission = ask ? await Notification.requestPermission() : Notification.permission;
    if (permission !== "granted") {
      return { message: "No reminders on this device: notifications weren't allowed. Your follow-ups wait in Follow-ups." };
    }
    if (!navigator.onLine) return waitForOnline(user);
    const registration = await serviceWorkerReady();
    if (!registration) return { message: "The app isn't fully loaded yet. Reload the page and tap Remind me again." };
    const key = await applicationServerKey();
    let pushSubscription = await subscription(registration, key);
    const save = () => postWithFreshToken(holder, "/api/push/subscriptions", pushSubscription.toJSON());
    let sent = await save();
    if (sent.response?.status === 409) {
      // Another account holds this endpoint with other keys (it can't be this browser's):
      // a fresh subscription makes this browser a new device of its own.
      await pushSubscription.unsubscribe();
      pushSubscription = await subscription(registration, key);
      sent = await save();
    }
    const { response, data, problem } = sent;
    if (problem) return { message: problem.message };
    if (response.status === 200 || response.status === 201) {
      localStorage.setItem(SAVED_KEY, JSON.stringify({ user, endpoint: pushSubscription.endpoint }));
      nameThisBrowserOnLogOut().catch(() => {});
      return { device: data };
    }
    return { message: data?.error || "The server couldn't save this device. Try again later." };
  } catch (error) {
    if (!navigator.onLine) return waitForOnline(user); // the network went while subscribing
    return { message: `Couldn't turn on reminders on this device (${error.name || "error"}). Try again later.` };
  }
}
