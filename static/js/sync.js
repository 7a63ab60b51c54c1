// The page's side of working offline: the service worker and its updates, the "waiting to
// sync" badge and list, when to send the outbox (app start, back online, a timer, after each
// save; the service worker adds Background Sync), and logging out without leaking data.
import { parseCode } from "./card-parse.js";
import { reached, watchConnection } from "./connection.js";
import { refreshToken } from "./forms.js";
import * as outbox from "./outbox.js";
import * as people from "./people-store.js";

export const PAGES_CACHE = "eventmate-pages"; // the service worker's per-user page cache
const TIMER_MS = 20_000;
const WARMED_KEY = "eventmate-offline-pages";
const USER_KEY = "eventmate-user";
const SHOW_PENDING = ["/", "/contacts/", "/scan"];

const me = document.querySelector('meta[name="eventmate-user"]');
export const user = me?.content ?? "";
export const currentEvent = () => Number(me?.dataset.event) || null;

let status = "done"; // the last flush: "done", "retry" (no network) or "login"
let reloading = false;

// ---- Small UI helpers ----

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name === "onclick") node.addEventListener("click", value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const button = (text, onclick) =>
  element("button", { class: "button", type: "button", text, onclick });

let toastTimer = 0;

// A message above the tab bar (under the top bar on a page with a sticky Save: app.css); with an
// action it stays until tapped, otherwise a few seconds.
export function toast(message, action = null, onAction = null) {
  const box = document.querySelector("[data-toast]");
  if (!box) return;
  clearTimeout(toastTimer);
  box.replaceChildren(element("span", { text: message }));
  if (action) {
    box.append(button(action, onAction));
  } else {
    toastTimer = setTimeout(() => (box.hidden = true), 5000);
  }
  box.hidden = false;
}

const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;
const short = (text, length = 60) =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text;

// The name to show for a scanned code: a vCard's or MECARD's name, else its first line.
export function scanLabel(payload) {
  const code = parseCode(payload);
  return code.kind === "card" ? "EventMate card" : code.name;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export function describe(item) {
  if (item.kind === "scan") return `Scan: ${short(scanLabel(item.body.payload))}`;
  if (item.kind === "card_photo") return `Card photo, ${clock.format(new Date(item.created))}`;
  if (item.kind === "photo") return `Photo of ${short(item.label || "a contact")}`;
  if (item.kind === "follow_up") {
    const what = item.body.action === "undo" ? "not done after all" : "done";
    return `Follow-up with ${short(item.label || "a contact")}: ${what}`;
  }
  return `Notes about ${short(item.label || "a contact")}`;
}

// Where a card read from its photo is seen: its check screen (the contact's page once checked,
// or when the card was of someone known already).
export const cardUrl = (contact) =>
  contact.needs_checking ? `/contacts/${contact.id}/check` : contact.url;

// A photo is fixed by taking it again where it was taken: its contact's page or scan's screen.
export function fixUrl(item) {
  if (item.kind === "card_photo") return "/scan";
  const { contact_id: contactId } = item.body;
  if (item.kind === "photo" && contactId) return `/contacts/${contactId}/edit`;
  if (item.kind === "photo")
    return `/offline/capture?scan=${encodeURIComponent(item.body.scan_id)}`;
  if (item.kind === "follow_up") return "/inbox";
  const key = item.kind === "scan" ? "scan" : "item";
  return `/offline/capture?${key}=${encodeURIComponent(item.id)}`;
}

// ---- Badge and list ----

async function discard(item) {
  const also = item.kind === "scan" ? " and the notes you took about it" : "";
  if (!window.confirm(`Discard ${describe(item)}${also}? It will not be synced.`)) return;
  const dependents = (await outbox.list({ user })).filter(
    (other) => other.body.scan_id === item.id,
  );
  for (const other of [item, ...dependents]) await outbox.remove(other.id);
}

async function retry(tapped, item) {
  tapped.disabled = true;
  tapped.textContent = "Retrying…";
  await outbox.update(item.id, { attempts: 0, nextTry: 0 }); // its backoff starts again
  await syncNow({ wait: true });
}

// A card photo waiting shows its picture: which card it was is what the user knows it by.
function cardPhotoRow(li, item) {
  const src = URL.createObjectURL(item.body.photo);
  const image = element("img", { class: "sync-thumb", alt: "", src });
  image.addEventListener("load", () => URL.revokeObjectURL(image.src), { once: true });
  li.append(
    image,
    element("span", { class: "sync-text", text: describe(item) }),
    element("span", { class: "sync-tag", text: "waiting to be read" }),
  );
  return li;
}

function row(item) {
  const li = element("li", { class: `sync-item sync-${item.state}`, "data-outbox-item": item.id });
  if (item.state === "pending" && item.kind === "card_photo") return cardPhotoRow(li, item);
  if (item.state === "pending") {
    li.append(
      element("a", { href: fixUrl(item), text: describe(item) }),
      element("span", { class: "sync-tag", text: "waiting to sync" }),
    );
    return li;
  }
  const failing = item.state === "failing";
  const first = failing
    ? button("Retry", (event) => retry(event.target, item))
    : element("a", { class: "button", href: fixUrl(item), text: "Fix" });
  li.append(
    element("strong", { text: describe(item) }),
    element("p", { class: "error", role: "alert", text: item.lastError }),
    failing ? element("p", { class: "muted small", text: "Still trying in the background." }) : "",
    element("span", { class: "sync-actions" }, first, button("Discard", () => discard(item))),
  );
  return li;
}

export async function render() {
  if (!user) return;
  const items = await outbox.list({ user });
  const problems = items.filter((item) => item.state !== "pending");
  const pending = items.filter((item) => item.state === "pending");
  const queued = items.length - items.filter((item) => item.state === "rejected").length;
  const badge = document.querySelector("[data-sync-badge]");
  if (badge) {
    badge.hidden = items.length === 0;
    badge.classList.toggle("sync-badge-problem", problems.length > 0 || status === "login");
    badge.replaceChildren(
      element("span", { class: "sync-pill", text: `${items.length} to sync` }),
      element("span", {
        class: "visually-hidden",
        text: " (scans or notes waiting on this phone)",
      }),
    );
  }
  const panel = document.querySelector("[data-sync-panel]");
  if (!panel) return;
  const showPending = SHOW_PENDING.includes(location.pathname) && pending.length > 0;
  const parts = [];
  if (status === "login" && queued) {
    const next = encodeURIComponent(location.pathname + location.search);
    parts.push(
      element(
        "p",
        { class: "flash flash-error", role: "alert" },
        `Log in again to sync ${plural(queued, "item", "items")}. `,
        element("a", { href: `/login?next=${next}`, text: "Log in" }),
      ),
    );
  }
  if (problems.length) {
    parts.push(
      element("h2", { text: "Couldn't sync" }),
      element("ul", { class: "sync-list" }, ...problems.map(row)),
    );
  }
  if (showPending) {
    const offline =
      status === "retry" ? " You're offline or the network isn't reaching EventMate." : "";
    parts.push(
      element(
        "div",
        { "data-sync-pending": "" }, // app.css hides it on the Scan screen's capture
        element("h2", { text: "Waiting to sync" }),
        element("p", {
          class: "muted small",
          text: `Saved on this phone; they sync when you're back online.${offline}`,
        }),
        element("ul", { class: "sync-list" }, ...pending.map(row)),
      ),
    );
  }
  panel.replaceChildren(...parts);
  panel.hidden = parts.length === 0;
}

// ---- Sending ----

function remember(report) {
  if (["done", "retry", "login"].includes(report?.status)) status = report.status;
  if (["done", "retry"].includes(report?.status)) reached(report.status === "done");
}

// The phone's copy of the contacts (offline People): when a page loads, when the network
// returns and whenever the outbox just reached the server.
async function refreshPeople() {
  const result = await people.refresh(user);
  if (result === "offline") reached(false);
  if (result === "fresh") reached(true);
}

// Send what waits now; resolves with the flush's report (outbox.flush).
export async function syncNow({ force = true, wait = false, watched = null } = {}) {
  try {
    const report = await outbox.flush({ force, wait, watched });
    remember(report);
    return report;
  } finally {
    render();
  }
}

// Ask the service worker to send the outbox when connectivity returns, even with no page open.
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register("outbox");
  } catch {
    // No Background Sync (iOS, Firefox): the page's triggers cover it.
  }
}

// Lists on this page were drawn before those items reached the server: offer to redraw.
// (A follow-up's Done or Undo changes no list: the inbox already shows it.) A card read from
// its photo says whom instead, and opens its check screen.
function announce(report) {
  const sent = Object.values(report?.sent ?? {});
  const cards = sent.filter((data) => data?.fields);
  if (cards.length === 1) {
    const [card] = cards;
    const check = () => location.assign(cardUrl(card));
    return toast(`Card read: ${short(card.name, 40)}.`, "Check", check);
  }
  if (cards.length > 1) {
    return toast(`${cards.length} cards read.`, "Check", () => location.assign("/contacts/"));
  }
  const synced = sent.filter((data) => !data?.follow_up).length;
  if (!synced) return;
  const message = `${plural(synced, "item", "items")} synced.`;
  if (SHOW_PENDING.includes(location.pathname)) toast(message, "Refresh", () => location.reload());
  else toast(message);
}

function startTriggers() {
  outbox.onChange((message) => {
    remember(message?.report);
    announce(message?.report);
    render();
    if (Object.keys(message?.report?.sent ?? {}).length) refreshPeople().catch(() => {});
  });
  window.addEventListener("online", () => {
    syncNow();
    refreshPeople().catch(() => {});
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncNow();
  });
  setInterval(() => syncNow({ force: false }), TIMER_MS);
  syncNow();
}

// ---- Service worker, offline pages, log-out ----

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/service-worker.js", {
    type: "module",
    scope: "/",
  });
  const offerUpdate = (worker) =>
    toast("New version available.", "Reload", () => {
      reloading = true;
      worker.postMessage({ type: "skip-waiting" });
    });
  if (registration.waiting && registration.active) offerUpdate(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    const isUpdate = Boolean(registration.active); // else the very first install
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && isUpdate) offerUpdate(worker);
      if (worker.state === "activated" && !isUpdate) toast("Ready to work offline.");
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) window.location.reload();
  });
}

// Keep my card (with its QR), the people list, the inbox and the offline capture screen on the
// phone, once per app launch, even if they weren't visited yet (eventmate/pwa: offline_urls).
async function keepPagesForOffline() {
  const urls = (me?.dataset.offline ?? "").split(" ").filter(Boolean);
  if (!urls.length || !navigator.onLine || sessionStorage.getItem(WARMED_KEY) === user) return;
  await navigator.serviceWorker?.ready;
  const cache = await caches.open(PAGES_CACHE);
  await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(url, response);
    }),
  );
  sessionStorage.setItem(WARMED_KEY, user);
}

// Pages kept for one account are never shown to another on this phone.
async function forgetOtherAccount() {
  const previous = localStorage.getItem(USER_KEY);
  if (previous && previous !== user) {
    if ("caches" in window) await caches.delete(PAGES_CACHE);
    await people.forget(previous);
  }
  localStorage.setItem(USER_KEY, user);
}

async function logOut(form) {
  if (!navigator.onLine) {
    window.alert("You're offline. Log out when you're back online, so nothing is lost.");
    return;
  }
  await syncNow({ wait: true });
  const waiting = await outbox.list({ user });
  const question =
    `${plural(waiting.length, "scan or note hasn't", "scans or notes haven't")} synced yet. ` +
    "Logging out deletes them from this phone. Log out anyway?";
  if (waiting.length && !window.confirm(question)) return;
  // The page may be a copy kept from hours ago. Without a fresh token (no answer, a Wi-Fi login
  // page) its own is tried; another account, logged in meanwhile, is not logged out from here.
  const problem = await refreshToken(form);
  if (problem?.reason === "account") {
    toast(problem.message, problem.action, problem.onAction);
    return;
  }
  await outbox.clear(user);
  await people.forget(user);
  if ("caches" in window) await caches.delete(PAGES_CACHE);
  sessionStorage.removeItem(WARMED_KEY);
  localStorage.removeItem(USER_KEY);
  form.submit(); // doesn't fire "submit" again
}

function guardLogOut() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.action.endsWith("/logout")) return;
    event.preventDefault();
    logOut(form);
  });
}

// After the page has loaded and the phone is idle: the page's own requests go first.
function later(work) {
  const idle = () =>
    window.requestIdleCallback
      ? window.requestIdleCallback(work, { timeout: 3000 })
      : setTimeout(work, 500);
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}

export function start() {
  // Visitors (someone who just scanned a card, the welcome page) get no service worker: it
  // would download the app shell onto a phone without an account, for nothing.
  if (!user) return;
  later(() => registerWorker().catch(() => {}));
  guardLogOut();
  watchConnection();
  later(() =>
    forgetOtherAccount()
      .then(refreshPeople)
      .then(keepPagesForOffline)
      .catch(() => {}),
  );
  startTriggers();
}
