// Tags, notes and answers with no network, through the outbox: the capture screen of a scan
// waiting to sync (/offline/capture?scan=<id>, or ?item=<id> to fix a rejected item), and a
// contact's own form when the network fails. Each save queues what the phone showed before
// ("base"): the server merges without losing text (eventmate/api/captures.py).
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
const CHOICES = ["event_id", "follow_up", "follow_up_on"]; // the contact form's

// A tag as the server names it ("#AI " is "AI"); "AI" and "ai" are one tag.
const tagName = (tag) => tag.trim().split(/\s+/).join(" ").replace(/^#+/, "");
const hasTag = (tags, tag) => tags.some((other) => other.toLowerCase() === tag.toLowerCase());

// What a capture form holds now: {tags, unticked, notes, answers, fields, choices, face_to_face}.
function read(form) {
  const data = new FormData(form);
  const typed = String(data.get("new_tags") ?? "").split(",");
  const tags = [...data.getAll("tags"), ...typed].map(tagName).filter(Boolean);
  const unticked = [...form.querySelectorAll("[name=tags]:not(:checked)")].map((t) => t.value);
  const [answers, fields, choices] = [{}, {}, {}];
  for (const [name, value] of data) {
    if (name.startsWith("answer-")) answers[name.slice("answer-".length)] = value;
    if (FIELDS.includes(name)) fields[name] = value;
    if (CHOICES.includes(name)) choices[name] = value;
  }
  const notes = String(data.get("notes") ?? "");
  const face_to_face = data.has("face_to_face");
  return { tags, unticked, notes, answers, fields, choices, face_to_face };
}

// Tick these tags' chips (adding missing ones), empty "Add tags": the form shows what was saved.
function tick(form, tags) {
  const group = form.querySelector('[aria-label="Tags"]');
  for (const tag of tags) {
    let chip = [...form.querySelectorAll("[name=tags]")].find((c) => hasTag([c.value], tag));
    if (!chip) {
      chip = element("input", { type: "checkbox", name: "tags", value: tag });
      group.append(element("label", { class: "chip" }, chip, element("span", { text: tag })));
      group.hidden = false;
    }
    chip.checked = true;
  }
  form.elements.new_tags.value = "";
}

// Show a queued capture on the form, as the server applies it when it holds what the phone
// started from (else it merges and keeps both texts).
function fill(form, body) {
  tick(form, body.tags_add ?? []);
  for (const chip of form.querySelectorAll("[name=tags]")) {
    if (hasTag(body.tags_remove ?? [], chip.value)) chip.checked = false;
  }
  if (body.face_to_face != null) form.elements.face_to_face.checked = body.face_to_face;
  const values = { ...body.fields };
  for (const [key, text] of Object.entries(body.answers ?? {})) values[`answer-${key}`] = text;
  for (const name of ["notes", ...CHOICES]) if (name in body) values[name] = body[name] ?? "";
  for (const [name, value] of Object.entries(values)) {
    if (form.elements[name]) form.elements[name].value = value; // a radio group ticks its radio
  }
}

// ---- The capture screen of a pending scan ----

async function pendingCapture(form) {
  const params = new URLSearchParams(window.location.search);
  const fixing = params.get("item") ? await outbox.get(params.get("item")) : null;
  const scanId = fixing?.body.scan_id ?? params.get("scan");
  const contactId = fixing?.body.contact_id ?? null;
  const scan = scanId ? await outbox.get(scanId) : null;
  const about = (await outbox.list({ user })).filter(
    (item) => scanId && item.body.scan_id === scanId,
  ); // its notes and photos
  const previous = fixing ?? about.filter((item) => item.kind === "capture").at(-1) ?? null;
  const show = (name) => form.querySelector(`[data-capture-${name}]`);
  const title =
    fixing?.label || (scan ? scanLabel(scan.body.payload).slice(0, 80) : "Scanned person");
  show("title").textContent = title;
  const photo = form.querySelector("[data-photo-input]"); // contact-photo.js sends it
  if (photo && contactId) photo.dataset.contactId = contactId;
  else if (photo && scanId) photo.dataset.scanId = scanId;

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
      const others = about.filter((item) => item.state === "rejected" && item !== previous);
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
    for (const name of ["fields", "tags_remove", ...CHOICES, "follow_up_initial"]) {
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

// ---- A contact's capture form ----

function changes(before, now) {
  const changed = (map, previous) =>
    Object.fromEntries(Object.entries(map).filter(([key, value]) => value !== previous[key]));
  const answers = changed(now.answers, before.answers);
  const fields = changed(now.fields, before.fields);
  const pick = (map, keys) => Object.fromEntries(keys.map((key) => [key, map[key] ?? ""]));
  // When changed; a follow-up whole, as choice_from_form reads the form.
  const choices = changed(now.choices, before.choices);
  const { event_id, ...followUp } = now.choices;
  if (Object.keys(choices).some((name) => name in followUp)) {
    Object.assign(choices, followUp, { follow_up_initial: before.choices.follow_up });
  }
  if ("event_id" in choices) choices.event_id = Number(event_id) || null;
  return {
    ...choices,
    tags_add: now.tags.filter((tag) => !hasTag(before.tags, tag)),
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

// What the phone starts from: the page as the server sent it (form.reset() on a copy, so what
// was typed before this module ran counts as a change) with the changes still waiting.
function startingPoint(form, items) {
  const copy = form.cloneNode(true);
  copy.reset();
  for (const item of items) fill(copy, item.body);
  return read(copy);
}

async function contactForm(form) {
  const contactId = Number(window.location.pathname.match(/\/contacts\/(\d+)\/edit/)?.[1]);
  const name = document.querySelector("h1")?.textContent.trim() ?? "";
  const button = form.querySelector("button[type=submit]");
  // Its changes waiting on the phone: the page may be the copy the phone kept.
  const waiting = async () =>
    (await outbox.list({ user })).filter(
      (item) =>
        item.kind === "capture" && item.state !== "rejected" && item.body.contact_id === contactId,
    );
  const notice = form.querySelector("[data-unsynced]");
  const mark = async () => (notice.hidden = !(await waiting()).length);
  const items = await waiting();
  for (const item of items) fill(form, item.body);
  await mark();
  outbox.onChange(mark);
  let before = startingPoint(form, items);
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
        if (sent === "saved") window.location.assign(window.location.pathname.replace(/\/edit$/, "")); // its flash
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
  if (form && /^\/contacts\/\d+\/edit$/.test(window.location.pathname)) contactForm(form);
}
