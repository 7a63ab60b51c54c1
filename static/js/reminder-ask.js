// The reminder ask card (templates/reminders/_ask.html): "Remind you tomorrow at 09:00 about
// Inês? [Remind me] [Not now]". Its Remind me is the only place EventMate asks for
// notifications (push.js does the asking, from that tap).
//
// After a capture: a form marked `data-reminder-ask-name="<name>"` (or empty: its <h1> names
// them) notes on submit whom it saved; the page the user lands on, if it includes the card, shows it once: only for the
// first capture of the day on this phone, never for ten minutes-old notes, not for a week
// after "Not now", and not when this device already gets reminders or can't.
// On the Scan screen (`data-context="scan"`, in the "Saved" panel) the capture is saved in
// place: the card is shown the same way, on each `eventmate:capture-saved` (scan-capture.js).
// Offline, Remind me still asks (the permission is the phone's); the device is subscribed
// once back online (push.js), on this page or the next one opened online (app.js).
// On the Reminders settings page (`data-context="settings"`) the card shows whenever the
// reminders switch is on and this device isn't subscribed yet; "Not now" only hides it there.
import { user } from "./sync.js";

const SAVED_KEY = "eventmate-capture-saved"; // sessionStorage: {name, at}
const ASKED_KEY = `eventmate-reminder-asked:${user}`; // localStorage: the local day asked
const SNOOZE_KEY = `eventmate-reminder-not-now:${user}`; // localStorage: ms until asking again
const SAVED_FRESH_MS = 10 * 60_000;
export const NOT_NOW_MS = 7 * 24 * 3600_000;

const today = () => new Date().toLocaleDateString("en-CA"); // YYYY-MM-DD, local

function noteSaves() {
  for (const form of document.querySelectorAll("form[data-reminder-ask-name]")) {
    form.addEventListener("submit", () => {
      // An empty attribute: the name is the form's heading (filled in on the phone).
      const heading = form.querySelector("h1")?.textContent ?? "";
      const name = (form.dataset.reminderAskName || heading).trim();
      sessionStorage.setItem(SAVED_KEY, JSON.stringify({ name, at: Date.now() }));
    });
  }
}

// Whom the capture just saved was about, once (null when nothing was saved lately).
function takeSaved() {
  const saved = sessionStorage.getItem(SAVED_KEY);
  sessionStorage.removeItem(SAVED_KEY);
  try {
    const { name, at } = JSON.parse(saved);
    return Date.now() - at < SAVED_FRESH_MS ? { name } : null;
  } catch {
    return null;
  }
}

// Could this device start getting reminders from a tap here? Not when it does already, or
// will once back online.
async function canAsk(known = null) {
  const push = await import("./push.js");
  if (!push.supported() || Notification.permission === "denied" || push.pendingFor(user)) {
    return false;
  }
  return !(await push.thisDeviceGetsReminders(user, known));
}

function snoozed() {
  return Number(localStorage.getItem(SNOOZE_KEY) || 0) > Date.now();
}

// The Reminders page lists the devices: this one joins it.
function showDevice(device) {
  const list = document.querySelector("[data-push-devices]");
  if (!list || list.querySelector(`[data-device-id="${device.id}"]`)) return;
  list.querySelector("[data-push-none]")?.remove();
  const item = document.createElement("li");
  item.dataset.deviceId = String(device.id);
  item.textContent = `${device.label} (this device)`;
  list.prepend(item);
}

function wire(card) {
  const status = card.querySelector("[data-ask-status]");
  const question = card.querySelector("[data-ask-question]");
  const yes = card.querySelector("[data-ask-yes]");
  card.querySelector("[data-ask-no]").addEventListener("click", () => {
    localStorage.setItem(SNOOZE_KEY, String(Date.now() + NOT_NOW_MS));
    card.hidden = true;
  });
  const answer = ({ device, pending, message }) => {
    if (device) {
      question.hidden = true;
      status.textContent = `Done. This phone gets one reminder each morning at ${card.dataset.hour} when someone is due.`;
      showDevice(device);
    } else {
      question.hidden = Boolean(pending);
      status.textContent = message;
    }
  };
  // Tapped offline: finished here at the next "online" (unless another page did it first).
  const finishWhenOnline = (push) => {
    const online = async () => {
      const result = await push.finishPending(card, user);
      if (result) answer(result);
      else if (push.pendingFor(user)) finishWhenOnline(push);
    };
    window.addEventListener("online", online, { once: true });
  };
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      const push = await import("./push.js");
      const result = await push.subscribeThisDevice(card, user);
      answer(result);
      if (result.pending) finishWhenOnline(push);
    } catch {
      status.textContent = "You're offline: ask again when you're back online.";
    } finally {
      yes.disabled = false;
    }
  });
}

async function afterCapture(card) {
  const saved = takeSaved();
  if (!saved || snoozed() || localStorage.getItem(ASKED_KEY) === today()) return;
  if (!(await canAsk())) return;
  localStorage.setItem(ASKED_KEY, today());
  card.querySelector("[data-ask-name]").textContent = saved.name || "them";
  card.hidden = false;
}

// The Reminders page's choices that include push (eventmate/reminders/channels.py).
const PUSH_CHANNELS = ["auto", "push", "both"];

async function onSettings(card) {
  const channel = document.querySelector("[data-reminder-channel]");
  const listed = document.querySelectorAll("[data-push-devices] [data-endpoint]");
  const able = await canAsk([...listed].map((device) => device.dataset.endpoint));
  const show = () => {
    card.hidden = !(able && PUSH_CHANNELS.includes(channel?.value));
  };
  channel?.addEventListener("change", show);
  show();
}

// The Scan screen: each save in place shows the "Saved" panel, the card in it at most once a
// day (hidden again after the first: its question was asked).
function onScanSaves(card) {
  document.addEventListener("eventmate:capture-saved", () => {
    card.hidden = true;
    afterCapture(card).catch(() => {});
  });
}

export function enhance() {
  noteSaves();
  const card = document.querySelector("[data-reminder-ask]");
  if (!card) {
    // The capture form shown again (it wasn't saved): no card for it later.
    if (document.querySelector("form[data-reminder-ask-name]")) takeSaved();
    return;
  }
  wire(card);
  const context = card.dataset.context;
  if (context === "scan") onScanSaves(card);
  else (context === "settings" ? onSettings(card) : afterCapture(card)).catch(() => {});
}
