// "Remind me": subscribe this device to the morning follow-up digest by Web Push.
// The browser's permission prompt appears only after the user taps the button, never on load.
// Markup: templates/push/_devices.html. Server: eventmate/push/views.py.
import { postJson } from "./api.js";
import { refreshToken } from "./forms.js";

const SERVICE_WORKER_WAIT_MS = 10000;

function base64UrlToBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const current = new Uint8Array(buffer);
  return current.length === bytes.length && current.every((value, index) => value === bytes[index]);
}

function supported() {
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
async function nameThisBrowserOnLogOut() {
  const forms = document.querySelectorAll('form[action$="/logout"]');
  const registration = forms.length ? await navigator.serviceWorker.getRegistration() : null;
  const current = await registration?.pushManager.getSubscription();
  for (const form of current ? forms : []) {
    let field = form.querySelector('input[name="push_endpoint"]');
    if (!field) {
      field = Object.assign(document.createElement("input"), { type: "hidden", name: "push_endpoint" });
      form.append(field);
    }
    field.value = current.endpoint;
  }
}

function showDevice(list, device) {
  if (!list || !device || list.querySelector(`[data-device-id="${device.id}"]`)) return;
  list.querySelector("[data-push-none]")?.remove();
  const item = document.createElement("li");
  item.dataset.deviceId = String(device.id);
  item.textContent = `${device.label} (this device)`;
  list.prepend(item);
}

function enhance(section) {
  const button = section.querySelector("[data-push-subscribe]");
  const status = section.querySelector("[data-push-status]");
  const list = section.querySelector("[data-push-devices]");
  const say = (message) => {
    status.textContent = message;
  };

  if (!supported()) {
    button.hidden = true;
    say("This browser can't show reminders. Your follow-ups still wait in the Inbox each morning.");
    return;
  }
  nameThisBrowserOnLogOut().catch(() => {});
  if (Notification.permission === "denied") {
    say("Notifications are blocked for EventMate. Allow them in your browser's site settings, then tap Remind me.");
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("No reminders on this device: notifications weren't allowed. Your follow-ups wait in the Inbox.");
        return;
      }
      const registration = await serviceWorkerReady();
      if (!registration) {
        say("The app isn't fully loaded yet. Reload the page and tap Remind me again.");
        return;
      }
      const key = await applicationServerKey();
      let pushSubscription = await subscription(registration, key);
      const save = () => postWithFreshToken(section, "/api/push/subscriptions", pushSubscription.toJSON());
      let sent = await save();
      if (sent.response?.status === 409) {
        // Another account holds this endpoint with other keys (it can't be this browser's):
        // a fresh subscription makes this browser a new device of its own.
        await pushSubscription.unsubscribe();
        pushSubscription = await subscription(registration, key);
        sent = await save();
      }
      const { response, data, problem } = sent;
      if (problem) {
        say(problem.message);
      } else if (response.status === 200 || response.status === 201) {
        showDevice(list, data);
        nameThisBrowserOnLogOut().catch(() => {});
        say("Done. This device will get one reminder each morning when someone is due a follow-up.");
      } else {
        say(data?.error || "The server couldn't save this device. Try again later.");
      }
    } catch (error) {
      say(`Couldn't turn on reminders on this device (${error.name || "error"}). Try again later.`);
    } finally {
      button.disabled = false;
    }
  });
}

for (const section of document.querySelectorAll("[data-push]")) enhance(section);
