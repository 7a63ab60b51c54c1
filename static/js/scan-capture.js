// The capture screen on the Scan screen itself: it opens the moment a code is read, from what
// the phone parsed (card-parse.js), whatever the network does; once the scan syncs, the
// server's answer fills in the header (name, title · company, event, time) and later saves
// name the contact by its id. Saves go through the outbox (POST /api/captures), so nothing is
// lost offline and nothing is applied twice. After Save: "Saved · Scan next · Done", and the
// `eventmate:capture-saved` event (the reminder ask card in that panel listens: reminder-ask.js).
import { newId } from "./api.js";
import { parseCode } from "./card-parse.js";
import { changes, enhanceCaptureForm, read, showAnswers, tags, tick } from "./capture-form.js";
import { dateLocale } from "./date-locale.js";
import * as outbox from "./outbox.js";
import { requestBackgroundSync, syncNow, user } from "./sync.js";

const form = document.querySelector("form[data-capture]");
const scanScreen = document.querySelector("[data-scan-screen]");
const saved = document.querySelector("[data-capture-saved]");
const find = (name) => form.querySelector(`[data-capture-${name}]`);
const DETAILS = ["full_name", "title", "company", "emails", "phones", "urls"];
const eventName = find("where").textContent.trim(); // the running event, as the page was drawn
const clock = new Intl.DateTimeFormat(dateLocale, { hour: "numeric", minute: "2-digit" });
const day = new Intl.DateTimeFormat(dateLocale, { day: "numeric", month: "short" });

// "today at 9:41" (the day when it wasn't today: a person scanned again).
function met(moment) {
  const today = moment.toDateString() === new Date().toDateString();
  return `${today ? "today" : day.format(moment)} at ${clock.format(moment)}`;
}

// The scan on screen: {id, contactId, contactUrl, name, before (what the form showed)}.
let current = null;

function header({ name, title = "", company = "", where = "" }) {
  find("title").textContent = name;
  find("initial").textContent = (name.trim()[0] ?? "?").toUpperCase();
  const line = [title, company].filter(Boolean).join(" · ");
  find("line").textContent = line;
  find("line").hidden = !line;
  find("where").textContent = where;
}

function showScreen(which) {
  scanScreen.hidden = which !== "scan";
  form.hidden = which !== "capture";
  saved.hidden = which !== "saved";
  window.scrollTo(0, 0);
}

// Whom a photo taken now goes with (contact-photo.js reads the input's data-*).
function photoFor({ scanId = null, contactId = null }) {
  const input = form.querySelector("[data-photo-input]");
  if (!input) return;
  for (const [key, value] of Object.entries({ scanId, contactId })) {
    if (value) input.dataset[key] = value;
    else delete input.dataset[key];
  }
}

// Open the capture for a scan just saved on the phone ({id, payload}).
export function openScanCapture({ id, payload }) {
  enhanceCaptureForm(form);
  form.reset();
  const code = parseCode(payload);
  const name = code.kind === "card" ? "EventMate card" : code.name || "Scanned person";
  const where = [eventName, `Met ${met(new Date())}`].filter(Boolean).join(" · ");
  header({ ...code, name, where });
  find("state").textContent = "Saved on this phone";
  find("error").hidden = true;
  // The phone's reading, under More: the server's replaces it where it isn't edited.
  const reading = { full_name: code.name, title: code.title, company: code.company };
  for (const [field, value] of Object.entries(reading)) {
    form.elements[field].value = code.kind === "card" ? "" : value;
  }
  showAnswers(form, null);
  current = { id, contactId: null, contactUrl: null, name, before: read(form) };
  form.dataset.scanId = id;
  delete form.dataset.contactId;
  photoFor({ scanId: id });
  showScreen("capture");
  performance.mark("capture-shown");
}

// The server recorded the scan: its contact fills in the header and the details not touched.
export function scanIdentified(scanId, contact) {
  if (current?.id !== scanId || current.contactId) return;
  const first = [...(contact.meetings ?? [])].sort((a, b) => a.met_at.localeCompare(b.met_at))[0];
  const when = first ? `Met ${met(new Date(first.met_at))}` : "";
  const where = [contact.event?.name ?? first?.event, when].filter(Boolean).join(" · ");
  header({ name: contact.name, title: contact.title, company: contact.company, where });
  find("state").textContent = "In your People";
  Object.assign(current, { contactId: contact.id, contactUrl: contact.url, name: contact.name });
  form.dataset.contactId = contact.id;
  photoFor({ contactId: contact.id });
  const server = Object.fromEntries(
    DETAILS.map((name) => [name, [contact[name]].flat().join("\n")]),
  );
  for (const name of DETAILS) {
    if (form.elements[name].value === current.before.fields[name]) {
      form.elements[name].value = server[name];
      current.before.fields[name] = server[name];
    }
  }
  saved.querySelector("[data-capture-done]").href = contact.url;
}

// The server refused the scan: its capture closes, the scanner says why.
export function scanRefused(scanId) {
  if (current?.id !== scanId) return;
  current = null;
  showScreen("scan");
}

function describeSave(body) {
  const answers = Object.keys(body.answers).length;
  const parts = [];
  if (answers) parts.push(`${answers} ${answers === 1 ? "answer" : "answers"}`);
  if (body.tags_add.length) parts.push(body.tags_add.join(", "));
  if (body.notes) parts.push("notes");
  return parts.length ? `${current.name}: ${parts.join(" · ")}` : current.name;
}

async function save(event) {
  event.preventDefault();
  if (!current) return;
  const typed = tags.split(form.elements.new_tags.value);
  if (typed.length) tick(form, typed);
  const now = read(form);
  const body = {
    id: newId(),
    contact_id: current.contactId,
    scan_id: current.contactId ? null : current.id,
    ...changes(current.before, now),
  };
  body.answers = Object.fromEntries(Object.entries(body.answers).filter(([, t]) => t.trim()));
  await outbox.add({ kind: "capture", url: "/api/captures", body, user, label: current.name });
  current.before = now;
  saved.querySelector("[data-capture-saved-what]").textContent = describeSave(body);
  saved.querySelector("[data-capture-done]").href = current.contactUrl ?? "/contacts/";
  showScreen("saved");
  saved.querySelector("h1").focus();
  document.dispatchEvent(new CustomEvent("eventmate:capture-saved"));
  syncNow();
  requestBackgroundSync();
}

function scanNext() {
  current = null;
  showScreen("scan");
  document.dispatchEvent(new CustomEvent("eventmate:scan-next"));
}

if (form && scanScreen) {
  form.addEventListener("submit", save);
  saved.querySelector("[data-scan-next]").addEventListener("click", scanNext);
  // A scan sent by another trigger (back online, the timer, another tab) names its contact.
  outbox.onChange((message) => {
    for (const [id, contact] of Object.entries(message?.report?.sent ?? {})) {
      scanIdentified(id, contact);
    }
  });
}
