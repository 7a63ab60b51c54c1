// Tags, notes and answers that work with no network, through the outbox:
// - the capture screen of a scan still waiting to sync (/offline/capture?scan=<id>), also used
//   to fix a rejected item (?item=<id>);
// - a contact's own capture form, which falls back to the outbox when the network fails.
// Each save queues a capture with what the phone showed before ("base"), so the server can
// merge without losing text (rules in eventmate/api/captures.py).
import { newId } from "./api.js";
import { refreshToken } from "./forms.js";
import * as outbox from "./outbox.js";
import {
  describe,
  element,
  requestBackgroundSync,
  scanLabel,
  syncNow,
  toast,
  user,
} from "./sync.js";

const FIELDS = ["full_name", "title", "company", "emails", "phones", "urls"];
const FOLLOW_UP = ["follow_up", "follow_up_on", "follow_up_initial"];

// A tag's name as the server keeps it ("#AI " is "AI"), and the key that makes "AI" and "ai" one.
const tagName = (tag) => tag.trim().split(/\s+/).join(" ").replace(/^#+/, "");
const tagKey = (tag) => tag.toLowerCase();
const hasTag = (tags, tag) => tags.some((other) => tagKey(other) === tagKey(tag));

// What a capture form holds now: {tags, unticked, notes, answers, fields, face_to_face, and the
// contact form's choices: event_id, follow_up, follow_up_on}.
function read(form) {
  const data = new FormData(form);
  const typed = String(data.get("new_tags") ?? "").split(",");
  const tags = [...data.getAll("tags"), ...typed].map(tagName).filter(Boolean);
  const unticked = [...form.querySelectorAll('input[name="tags"]:not(:checked)')].map(
    (chip) => chip.value,
  );
  const answers = {};
  const fields = {};
  for (const [name, value] of data) {
    if (name.startsWith("answer-")) answers[name.slice("answer-".length)] = value;
    if (FIELDS.includes(name)) fields[name] = value;
  }
  const notes = String(data.get("notes") ?? "");
  const event = data.get("event_id");
  return {
    tags,
    unticked,
    notes,
    answers,
    fields,
    face_to_face: data.has("face_to_face"),
    event_id: event ? Number(event) : null,
    follow_up: String(data.get("follow_up") ?? ""),
    follow_up_on: String(data.get("follow_up_on") ?? ""),
  };
}

// Tick the chips of these tags, adding one for a tag typed in "Add tags", and empty that box:
// the form shows what was saved on the phone.
function tick(form, tags) {
  const group = form.querySelector('.chips[aria-label="Tags"]');
  for (const tag of tags) {
    group.hidden = false;
    const chips = [...form.querySelectorAll('input[name="tags"]')];
    let chip = chips.find((input) => tagKey(input.value) === tagKey(tag));
    if (!chip) {
      chip = element("input", { type: "checkbox", name: "tags", value: tag });
      group.append(element("label", { class: "chip" }, chip, element("span", { text: tag })));
    }
    chip.checked = true;
  }
  form.elements.new_tags.value = "";
}

// Show a queued capture on the form: what it sets as the server sets it when it still holds
// what the phone started from (otherwise the server merges, and keeps both texts).
function fill(form, body) {
  tick(form, body.tags_add ?? []);
  for (const chip of form.querySelectorAll('input[name="tags"]')) {
    if (hasTag(body.tags_remove ?? [], chip.value)) chip.checked = false;
  }
  if (body.face_to_face != null) form.elements.face_to_face.checked = body.face_to_face;
  const answers = Object.entries(body.answers ?? {}).map(([key, text]) => [`answer-${key}`, text]);
  const values = { ...body.fields, ...Object.fromEntries(answers), notes: body.notes };
  for (const name of ["event_id", "follow_up", "follow_up_on"]) {
    if (name in body) values[name] = body[name] ?? ""; // a null event_id is "No event"
  }
  for (const [name, value] of Object.entries(values)) {
    const field = form.elements[name]; // a radio group's value ticks that radio
    if (field && value != null) field.value = value;
  }
}

// ---- The capture screen of a pending scan --------------------------------------------------

async function pendingCapture(form) {
  const params = new URLSearchParams(window.location.search);
  const fixing = params.get("item") ? await outbox.get(params.get("item")) : null;
  const scanId = fixing?.body.scan_id ?? params.get("scan");
  const contactId = fixing?.body.contact_id ?? null;
  const scan = scanId ? await outbox.get(scanId) : null;
  const captures = (await outbox.list({ user })).filter(
    (item) => scanId && item.body.scan_id === scanId,
  );
  const previous = fixing ?? captures.at(-1) ?? null;
  const show = (name) => form.querySelector(`[data-capture-${name}]`);
  const title =
    fixing?.label || (scan ? scanLabel(scan.body.payload).slice(0, 80) : "Scanned person");
  show("title").textContent = title;

  if (!fixing && !scanId) {
    show("state").textContent = "Nothing to show";
    show("error").textContent =
      "This was synced or discarded already. Find the person under People.";
    show("error").hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    return;
  }
  show("state").textContent = scan ? "Waiting to sync" : "Synced";
  const problem = fixing?.state === "rejected" ? fixing : scan?.state === "rejected" ? scan : null;
  if (problem) {
    show("state").textContent = "Couldn't sync";
    show("error").textContent = problem.lastError;
    show("error").hidden = false;
  }
  if (scan) {
    show("payload").hidden = false;
    form.elements.payload.value = scan.body.payload;
    form.elements.payload.readOnly = scan.state !== "rejected"; // it may be on its way
    show("payload-hint").hidden = scan.state !== "rejected";
  }
  if (previous) fill(form, previous.body);
  form.querySelector("button[type=submit]").disabled = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (scan?.state === "rejected" && form.elements.payload.value !== scan.body.payload) {
      await outbox.update(scan.id, {
        body: { ...scan.body, payload: form.elements.payload.value },
        state: "pending",
        lastError: "",
        attempts: 0,
        nextTry: 0,
      });
      const others = captures.filter(
        (capture) => capture.state === "rejected" && capture !== previous,
      );
      for (const item of others) {
        await outbox.update(item.id, { state: "pending", lastError: "", nextTry: 0 });
      }
    }
    const now = read(form);
    // The server never applied a rejected item: it is replaced, with the same starting point.
    const base =
      previous?.state === "rejected" ? previous.body.base : previous ? baseOf(previous.body) : {};
    const body = {
      id: newId(),
      contact_id: contactId,
      scan_id: contactId ? null : scanId,
      tags_add: now.tags,
      face_to_face: now.face_to_face,
      notes: now.notes,
      answers: Object.fromEntries(Object.entries(now.answers).filter(([, text]) => text.trim())),
      base,
    };
    // What this screen doesn't show is sent again as it was.
    for (const name of ["fields", "tags_remove", "event_id", ...FOLLOW_UP]) {
      if (fixing && name in fixing.body) body[name] = fixing.body[name];
    }
    await outbox.add({ kind: "capture", url: "/api/captures", body, user, label: title });
    if (previous?.state === "rejected") await outbox.remove(previous.id);
    await syncNow({ wait: true });
    requestBackgroundSync();
    window.location.assign("/contacts/");
  });
}

function baseOf(body) {
  return { notes: body.notes ?? null, answers: body.answers ?? {}, fields: body.fields ?? {} };
}

// ---- A contact's capture form --------------------------------------------------------------

function changes(before, now) {
  const changed = (map, previous) =>
    Object.fromEntries(Object.entries(map).filter(([key, value]) => value !== previous[key]));
  const answers = changed(now.answers, before.answers);
  const fields = changed(now.fields, before.fields);
  const pick = (map, keys) => Object.fromEntries(keys.map((key) => [key, map[key] ?? ""]));
  // The event and the follow-up only when changed, as the contact form reads them (a date
  // typed with the choice left where it was counts as "On a date"): see choice_from_form.
  const choices = {};
  if (now.event_id !== before.event_id) choices.event_id = now.event_id;
  if (now.follow_up !== before.follow_up || now.follow_up_on !== before.follow_up_on) {
    Object.assign(choices, {
      follow_up: now.follow_up,
      follow_up_on: now.follow_up_on,
      follow_up_initial: before.follow_up,
    });
  }
  return {
    ...choices,
    tags_add: now.tags.filter((tag) => !hasTag(before.tags, tag)),
    // Only a chip the user unticked: a tag no longer in the "Add tags" box stays.
    tags_remove: before.tags.filter((tag) => hasTag(now.unticked, tag) && !hasTag(now.tags, tag)),
    face_to_face: now.face_to_face,
    notes: now.notes,
    answers,
    fields,
    base: {
      notes: before.notes,
      answers: pick(before.answers, Object.keys(answers)),
      fields: pick(before.fields, Object.keys(fields)),
    },
  };
}

// Online, the form is sent as usual (the server's page, its confirmation and its error
// messages), with a fresh CSRF token: the page may be a copy kept from hours ago. Offline, on
// a Wi-Fi login page, with an expired session, or when the network drops while the form is on
// its way (no answer, a proxy's 5xx), the changes wait in the outbox instead: the server merges
// them, so changes it saved without the phone hearing back aren't applied twice.
const SEND_TIMEOUT_MS = 15_000;

// "saved" (the server redirected), "page" (its own answer to show: a form with errors) or
// "network". A redirect is EventMate's: /api/csrf answered a moment ago, not a Wi-Fi login page.
async function send(form) {
  try {
    const response = await fetch(window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    if (response.type === "opaqueredirect") return "saved";
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    return response.status >= 400 && response.status < 500 && html ? "page" : "network";
  } catch {
    return "network";
  }
}

// Changes to this contact waiting on the phone: the page may be the copy the phone kept.
async function unsynced(contactId) {
  const items = await outbox.list({ user });
  return items.filter(
    (item) =>
      item.kind === "capture" && item.state === "pending" && item.body.contact_id === contactId,
  );
}

async function contactForm(form) {
  const contactId = Number(window.location.pathname.match(/\/contacts\/(\d+)/)?.[1]);
  const name = document.querySelector("h1")?.textContent.trim() ?? "";
  const button = form.querySelector("button[type=submit]");
  const notice = form.querySelector("[data-unsynced]");
  const mark = async () => (notice.hidden = !(await unsynced(contactId)).length);
  for (const item of await unsynced(contactId)) fill(form, item.body);
  await mark();
  outbox.onChange(mark); // saved here, or synced by any tab or the service worker
  let before = read(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return; // a second tap while it is on its way
    button.disabled = true;
    let leaving = false;
    try {
      let problem = await refreshToken(form);
      if (!problem) {
        const sent = await send(form);
        leaving = sent !== "network";
        if (sent === "saved") window.location.assign(window.location.pathname); // its flash
        if (sent === "page") form.submit(); // nothing was saved: its page says why
        if (leaving) return;
        problem = { reason: "network" };
      }
      const body = {
        id: newId(),
        contact_id: contactId,
        scan_id: null,
        ...changes(before, read(form)),
      };
      await outbox.add({ kind: "capture", url: "/api/captures", body, user, label: name });
      fill(form, body);
      before = read(form);
      requestBackgroundSync();
      const login =
        problem.reason === "login"
          ? " Log in again to sync it."
          : " It syncs when you're back online.";
      toast(`Saved on this phone: ${describe({ kind: "capture", label: name })}.${login}`);
      syncNow();
    } finally {
      button.disabled = leaving;
    }
  });
}

export function enhance() {
  const pending = document.querySelector("[data-offline-capture]");
  if (pending) return pendingCapture(pending);
  const form = document.querySelector("form.capture");
  if (form && /^\/contacts\/\d+$/.test(window.location.pathname)) contactForm(form);
}
