// Tags, notes and answers with no network, through the outbox: the capture form of a scan
// waiting to sync (/offline/capture?scan=<id>, or ?item=<id> to fix a rejected item), and a
// contact's own form (Edit) when the network fails: the page kept from a visit, else
// /offline/capture's form filled from the phone's copy of the contacts. The form itself:
// capture-form.js. Each save queues what the phone showed before ("base"): the server merges
// without losing text (eventmate/api/captures.py).
import { newId } from "./api.js";
import { CHOICES, changes, enhanceCaptureForm, fill, read } from "./capture-form.js";
import { refreshToken } from "./forms.js";
import * as outbox from "./outbox.js";
import { questionsKept } from "./people-data.js";
import * as people from "./people-store.js";
import {
  describe,
  element,
  requestBackgroundSync,
  scanLabel,
  syncNow,
  toast,
  user,
} from "./sync.js";

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
    form.hidden = false;
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
  const shown = read(form); // for the event, follow-up and details changed under More
  form.hidden = false;

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
    // What was changed under More; what a fixed item held otherwise is sent again as it was.
    const { fields, base: shownBase, ...choices } = changes(shown, now);
    for (const name of ["fields", "tags_remove", ...CHOICES, "follow_up_initial"]) {
      if (fixing && name in fixing.body) body[name] = fixing.body[name];
      if (CHOICES.includes(name) && name in choices) body[name] = choices[name];
    }
    if (Object.keys(fields).length) {
      body.fields = { ...body.fields, ...fields };
      body.base = { ...base, fields: { ...base.fields, ...shownBase.fields } };
    }
    if (choices.follow_up_initial) body.follow_up_initial = choices.follow_up_initial;
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

// `queueOnly`: a form drawn on the phone, never posted whole (its follow-up isn't the server's).
async function contactForm(form, { queueOnly = false } = {}) {
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
      let problem = queueOnly ? { reason: "network" } : await refreshToken(form);
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

// ---- A contact's form drawn from the phone's copy ----

// A question the contact answered that the form doesn't ask: its chip and box, as the server
// draws them (contacts/_capture.html), copied from the form's first.
function addQuestion(form, { prompt, question }) {
  const chip = form.querySelector("[data-question]");
  const blocks = form.querySelectorAll("[data-answer]");
  const block = blocks[0];
  if (!chip || !block) return;
  const [newChip, newBlock] = [chip.cloneNode(true), block.cloneNode(true)];
  const id = `answer-${prompt}`;
  Object.assign(newChip, { textContent: question });
  newChip.dataset.question = prompt;
  newChip.setAttribute("aria-controls", id);
  newBlock.dataset.answer = prompt;
  delete newBlock.dataset.own;
  newBlock.querySelector(".error")?.remove();
  const label = newBlock.querySelector("label");
  Object.assign(label, { htmlFor: id, textContent: question });
  Object.assign(newBlock.querySelector("textarea"), { id, name: id, value: "" });
  newBlock.querySelector("[data-quote] .muted").textContent = question;
  chip.parentElement.append(newChip);
  blocks[blocks.length - 1].after(newBlock);
}

// What the form shows now is where its changes start from (form.reset() comes back to it).
function keepAsDefaults(form) {
  for (const field of form.elements) {
    if (field.type === "checkbox" || field.type === "radio") field.defaultChecked = field.checked;
    else if (field.tagName === "SELECT")
      for (const option of field.options) option.defaultSelected = option.selected;
    else if ("defaultValue" in field) field.defaultValue = field.value;
  }
}

// Edit of a contact whose form the phone never kept, offline: the service worker answers with
// /offline/capture, whose form is filled here from the contact's copy, with the questions the
// server takes for it. The follow-up (not in the copy) waits for the network.
async function copiedContact(form, contactId) {
  const show = (name) => form.querySelector(`[data-capture-${name}]`);
  const person = await people.contact(user, contactId);
  form.hidden = false;
  if (!person) {
    show("state").textContent = "Not on this phone";
    show("error").textContent =
      "This contact isn't saved on this phone yet: it comes once the phone has been online.";
    show("error").hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    return;
  }
  document.title = `Edit ${person.name} · EventMate`;
  const tab = document.querySelector('.tabbar a[href="/contacts/"]'); // as online: People's
  tab?.setAttribute("aria-current", "page");
  show("state").textContent = "Offline copy";
  show("title").textContent = person.name;
  show("initial").textContent = (person.name[0] ?? "?").toUpperCase();
  const line = [person.title, person.company].filter(Boolean).join(" · ");
  Object.assign(show("line"), { textContent: line, hidden: !line });
  const first = [...person.meetings].sort((a, b) => a.met_at.localeCompare(b.met_at))[0];
  show("where").textContent = [person.event?.name, first?.when].filter(Boolean).join(" · ");
  const photo = form.querySelector("[data-photo-input]");
  if (photo) photo.dataset.contactId = contactId;
  if (person.needs_identifying) {
    const said =
      "We couldn't read a name from this code. It said: " +
      `${person.raw_payload} — add who it was under More.`;
    const note = element("p", { class: "flash flash-info", text: said });
    form.querySelector(".capture-person").after(note);
    form.querySelector("details.capture-more").open = true;
  }

  const blocks = [...form.querySelectorAll("[data-answer]")];
  const questions = blocks.map((block) => ({
    key: block.dataset.answer,
    own: "own" in block.dataset,
  }));
  const kept = questionsKept(questions, person, Number(form.elements.event_id.value) || null);
  for (const answer of person.answers) {
    if (!questions.some((question) => question.key === answer.prompt)) addQuestion(form, answer);
  }
  for (const block of blocks.filter((block) => !kept.includes(block.dataset.answer))) {
    form.querySelector(`[data-question="${CSS.escape(block.dataset.answer)}"]`).remove();
    block.remove();
  }
  const event = form.elements.event_id;
  event.value = [...event.options].some((o) => o.value === String(person.event?.id))
    ? String(person.event.id)
    : "";
  const followUp = form.querySelector(".follow-up-choice");
  if (followUp) {
    Object.assign(followUp, { hidden: true, disabled: true });
    const later = "The follow-up can be changed once you're back online.";
    followUp.before(element("p", { class: "muted small", text: later }));
  }
  fill(form, {
    tags_add: person.tags,
    face_to_face: person.met_face_to_face,
    notes: person.notes,
    answers: Object.fromEntries(person.answers.map((answer) => [answer.prompt, answer.answer])),
    fields: Object.fromEntries(
      ["full_name", "title", "company", "emails", "phones", "urls"].map((name) => [
        name,
        Array.isArray(person[name]) ? person[name].join("\n") : (person[name] ?? ""),
      ]),
    ),
  });
  keepAsDefaults(form);
  await contactForm(form, { queueOnly: true });
}

export function enhance() {
  const form = document.querySelector("form[data-capture]");
  if (!form) return;
  const path = window.location.pathname;
  if (path === "/offline/capture") {
    enhanceCaptureForm(form);
    pendingCapture(form);
  } else if (/^\/contacts\/\d+\/edit$/.test(path)) {
    enhanceCaptureForm(form);
    if (form.dataset.contactId) contactForm(form);
    else copiedContact(form, Number(path.split("/")[2])); // /offline/capture, from the worker
  }
}
