// The capture form on the phone (templates/contacts/_capture.html), wherever it is shown: the
// Scan screen, a scan waiting on the phone, Edit on a contact. Reading it, filling it from a
// queued capture, what changed since it was shown (a capture for POST /api/captures), and its
// questions as chips: tapping one opens a single box for it; answered ones read as quotes.
// Field names and tag rules come from the capture contract (capture-contract.json).
import { loadContract, tagRules } from "./capture-contract.js";

const contract = await loadContract();
export const tags = tagRules(contract);
const FIELDS = [...Object.keys(contract.text_fields), ...contract.list_fields];
const FOLLOW_UP = contract.follow_up_fields.filter((name) => name !== "follow_up_initial");
export const CHOICES = ["event_id", ...FOLLOW_UP]; // a follow-up is sent whole when changed
const ANSWER = contract.answer_prefix;

// What a capture form holds now: {tags, unticked, notes, answers, fields, choices, face_to_face}.
export function read(form) {
  const data = new FormData(form);
  const typed = tags.split(String(data.get("new_tags") ?? ""));
  const ticked = [...data.getAll("tags"), ...typed].map(tags.name).filter(Boolean);
  const unticked = [...form.querySelectorAll("[name=tags]:not(:checked)")].map((t) => t.value);
  const [answers, fields, choices] = [{}, {}, {}];
  for (const [name, value] of data) {
    if (name.startsWith(ANSWER)) answers[name.slice(ANSWER.length)] = value;
    if (FIELDS.includes(name)) fields[name] = value;
    if (CHOICES.includes(name)) choices[name] = value;
  }
  const notes = String(data.get("notes") ?? "");
  const face_to_face = data.has("face_to_face");
  return { tags: ticked, unticked, notes, answers, fields, choices, face_to_face };
}

// Tick these tags' chips (adding missing ones before "+ add"), empty "+ add".
export function tick(form, names) {
  const input = form.elements.new_tags;
  for (const name of names) {
    let chip = [...form.querySelectorAll("[name=tags]")].find((c) => tags.has([c.value], name));
    if (!chip) {
      chip = Object.assign(document.createElement("input"), { type: "checkbox", name: "tags" });
      chip.value = name;
      const text = Object.assign(document.createElement("span"), { textContent: name });
      const label = Object.assign(document.createElement("label"), { className: "chip" });
      label.append(chip, text);
      input.before(label);
    }
    chip.checked = true;
  }
  input.value = "";
}

// Show a queued capture on the form, as the server applies it when it holds what the phone
// started from (else it merges and keeps both texts).
export function fill(form, body) {
  tick(form, body.tags_add ?? []);
  for (const chip of form.querySelectorAll("[name=tags]")) {
    if (tags.has(body.tags_remove ?? [], chip.value)) chip.checked = false;
  }
  if (body.face_to_face != null) form.elements.face_to_face.checked = body.face_to_face;
  const values = { ...body.fields };
  for (const [key, text] of Object.entries(body.answers ?? {})) values[`${ANSWER}${key}`] = text;
  for (const name of ["notes", ...CHOICES]) if (name in body) values[name] = body[name] ?? "";
  for (const [name, value] of Object.entries(values)) {
    if (form.elements[name]) form.elements[name].value = value; // a radio group ticks its radio
  }
  showAnswers(form);
}

// What changed from `before` to `now` (both `read`), as a capture's body without its ids.
export function changes(before, now) {
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
    tags_add: now.tags.filter((tag) => !tags.has(before.tags, tag)),
    tags_remove: before.tags.filter(
      (tag) => tags.has(now.unticked, tag) && !tags.has(now.tags, tag),
    ),
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

// ---- Questions as chips (the server renders them so), tags typed as chips ----

const blocks = (form) => [...form.querySelectorAll("[data-answer]")];
const chipFor = (form, key) => form.querySelector(`[data-question="${CSS.escape(key)}"]`);

// Each question: open (its box), answered (a quote to tap) or neither (only its chip).
export function showAnswers(form, open = form.querySelector(".answer-open")) {
  if (!form.dataset.enhanced) return;
  for (const block of blocks(form)) {
    const box = block.querySelector("textarea");
    const text = box.value.trim();
    const isOpen = block === open || Boolean(block.querySelector(".error"));
    block.classList.toggle("answer-open", isOpen);
    const quote = block.querySelector("[data-quote]");
    quote.hidden = isOpen || !text;
    quote.querySelector("q").textContent = text;
    const chip = chipFor(form, block.dataset.answer);
    chip.setAttribute("aria-expanded", String(isOpen));
    chip.classList.toggle("answered", Boolean(text));
  }
}

function openQuestion(form, key) {
  const block = form.querySelector(`[data-answer="${CSS.escape(key)}"]`);
  showAnswers(form, block);
  const box = block.querySelector("textarea");
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

function commitTypedTags(form) {
  const typed = tags.split(form.elements.new_tags.value);
  if (typed.length) tick(form, typed);
}

export function enhanceCaptureForm(form) {
  if (form.dataset.enhanced) return;
  form.dataset.enhanced = "chips";
  form.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-question]");
    const quote = event.target.closest("[data-quote]");
    if (chip) openQuestion(form, chip.dataset.question);
    if (quote) openQuestion(form, quote.closest("[data-answer]").dataset.answer);
  });
  // Leaving an answer's box shows it as a quote (unless another question took over).
  form.addEventListener("focusout", (event) => {
    const block = event.target.closest?.("[data-answer]");
    if (!block) return;
    setTimeout(() => {
      if (form.querySelector(".answer-open") === block && !block.contains(document.activeElement))
        showAnswers(form, null);
    }, 150);
  });
  const input = form.elements.new_tags;
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter adds the tag; it doesn't send the form
    commitTypedTags(form);
  });
  input.addEventListener("change", () => commitTypedTags(form));
  form.addEventListener("reset", () => setTimeout(() => showAnswers(form, null)));
  showAnswers(form, null);
}
