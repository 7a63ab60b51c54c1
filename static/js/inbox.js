// The inbox: send in one tap and come back to find it done. Each item's channels (Email, Text,
// WhatsApp, LinkedIn, Copy) carry the draft as edited; after a channel opened, coming back to
// EventMate (the page was hidden or lost focus, then shows again) marks the item done, with
// Undo. Copy asks "Sent?" instead: nothing tells us the message left. Done and Undo go through
// the outbox, so they work offline and are applied once (eventmate/api/follow_ups.py).
// Without JavaScript the links send the draft as drafted and Mark done is a plain form.
import { newId } from "./api.js";
import * as outbox from "./outbox.js";
import { requestBackgroundSync, syncNow, toast, user } from "./sync.js";
import { attachToneCoach, loadRules } from "./tone-coach.js";

// The same links as eventmate/followups/channels.py builds: `base` is the address part.
export function channelHref(kind, base, subject, body) {
  if (kind === "email") {
    const crlf = body.replace(/\r\n/g, "\n").replace(/\n/g, "\r\n");
    return `${base}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(crlf)}`;
  }
  if (kind === "sms") return `${base}?&body=${encodeURIComponent(body)}`;
  if (kind === "whatsapp") return `${base}?text=${encodeURIComponent(body)}`;
  return base;
}

async function copyText(text, fallbackField) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  fallbackField.focus();
  fallbackField.select();
  if (!document.execCommand("copy")) throw new Error("copy refused");
}

// ---- Done and Undo ----

function setDueCount(change) {
  const badge = document.querySelector("[data-inbox-count]");
  const text = document.querySelector("[data-inbox-count-text]");
  if (!badge) return;
  const count = Math.max(0, (Number.parseInt(badge.textContent, 10) || 0) + change);
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = count === 0;
  if (text) text.textContent = count ? `: ${count} due` : "";
}

async function queue(item, action) {
  const id = Number(item.dataset.followUp);
  await outbox.add({
    kind: "follow_up",
    url: `/api/follow-ups/${id}/${action}`,
    body: { id: newId(), follow_up_id: id, action },
    user,
    label: item.dataset.name,
  });
  requestBackgroundSync();
  syncNow();
}

function show(item, open) {
  if (item.hidden === !open) return;
  item.hidden = !open;
  if (item.dataset.due === "true") setDueCount(open ? 1 : -1);
}

async function undo(item) {
  show(item, true);
  item.querySelector("[data-sent-ask]").hidden = true;
  toast(`${item.dataset.name} is back in your follow-ups.`);
  await queue(item, "undo");
}

async function markDone(item) {
  if (item.hidden) return;
  show(item, false);
  toast(`Done: ${item.dataset.name}.`, "Undo", () => undo(item));
  await queue(item, "done");
}

// Items marked done on this phone while offline stay hidden on the page kept for offline use.
async function hideQueuedDone(root) {
  const last = new Map();
  for (const waiting of await outbox.list({ user })) {
    if (waiting.kind === "follow_up") last.set(waiting.body.follow_up_id, waiting.body.action);
  }
  for (const [id, action] of last) {
    const item = root.querySelector(`[data-follow-up="${id}"]`);
    if (item && action === "done") show(item, false);
  }
}

// ---- Leaving by a channel, and coming back ----

let sending = null; // {item, left}: a channel was used; done once the user comes back

function watchForReturn() {
  const left = () => {
    if (sending) sending.left = true;
  };
  const back = () => {
    if (!sending?.left || document.visibilityState !== "visible") return;
    const { item } = sending;
    sending = null;
    markDone(item);
  };
  document.addEventListener("visibilitychange", () =>
    document.visibilityState === "hidden" ? left() : back(),
  );
  window.addEventListener("pagehide", left);
  window.addEventListener("blur", left);
  window.addEventListener("pageshow", back);
  window.addEventListener("focus", back);
}

function enhanceItem(item) {
  const subject = item.querySelector("[data-draft-subject]");
  const body = item.querySelector("[data-draft-body]");
  if (!body) return;
  const preview = item.querySelector("[data-draft-preview]");
  const draft = item.querySelector("[data-draft]");
  const links = [...item.querySelectorAll("a[data-channel]")];
  const copy = item.querySelector('button[data-channel="copy"]');
  const sentAsk = item.querySelector("[data-sent-ask]");
  const sentQuestion = item.querySelector("[data-sent-question]");

  const fit = () => {
    body.style.height = "auto";
    body.style.height = `${body.scrollHeight + 2}px`;
  };
  const refresh = () => {
    preview.textContent = body.value;
    for (const link of links) {
      link.href = channelHref(link.dataset.channel, link.dataset.base, subject.value, body.value);
    }
  };
  body.addEventListener("input", () => {
    fit();
    refresh();
  });
  subject.addEventListener("input", refresh);
  draft.addEventListener("toggle", fit);

  for (const link of links) {
    link.addEventListener("click", async (event) => {
      sending = { item, left: false };
      if (link.dataset.channel !== "linkedin") return; // the link opens the app itself
      // LinkedIn takes no message in a link: copy it first, then open their profile.
      event.preventDefault();
      try {
        await copyText(body.value, body);
        toast("Message copied: paste it in LinkedIn.");
      } catch {
        toast("Couldn't copy here: copy the message from Edit, then paste it in LinkedIn.");
      }
      window.open(link.href, "_blank", "noopener");
    });
  }

  copy.hidden = false;
  copy.addEventListener("click", async () => {
    sending = null;
    try {
      await copyText(body.value, body);
      sentQuestion.textContent = "Copied. Sent?";
    } catch {
      draft.open = true;
      sentQuestion.textContent = "Couldn't copy here: select the message and copy it. Sent?";
    }
    sentAsk.hidden = false;
  });
  item.querySelector("[data-sent-yes]").addEventListener("click", () => markDone(item));
  item.querySelector("[data-sent-no]").addEventListener("click", () => {
    sentAsk.hidden = true;
  });
}

// The elements matching `selector` in `scope`, `scope` itself included.
const within = (scope, selector) => [
  ...(scope.matches?.(selector) ? [scope] : []),
  ...scope.querySelectorAll(selector),
];

function enhanceItems(scope) {
  for (const form of within(scope, "form[data-mark-done]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      markDone(form.closest("[data-follow-up]"));
    });
  }
  for (const item of within(scope, "[data-follow-up]")) enhanceItem(item);
}

function coachTone(scope, rules) {
  for (const body of within(scope, "[data-draft-body]")) {
    const output = body.closest("[data-draft]").querySelector("[data-tone-output]");
    attachToneCoach(body, output, rules, { firstContact: body.dataset.firstContact === "true" });
  }
}

async function enhanceInbox(root) {
  watchForReturn();
  let rules = null;
  // Follow-ups a "More" link brought in (static/js/more.js) get what the first ones got.
  root.addEventListener("more-added", (event) => {
    for (const added of event.detail) {
      enhanceItems(added);
      if (rules) coachTone(added, rules);
    }
    hideQueuedDone(root).catch(() => {});
  });
  enhanceItems(root);
  hideQueuedDone(root).catch(() => {});
  try {
    rules = await loadRules(root.dataset.toneRules);
  } catch {
    return; // offline and not cached yet: the server's check stays on screen
  }
  coachTone(root, rules);
}

const root = document.querySelector("[data-inbox]");
if (root) enhanceInbox(root);
