// Pure rules for the offline People list and contact page (people-offline.js) and the copy they
// read (people-store.js), kept apart so tests run them without a browser
// (tests/js/people-data.test.mjs).

const fold = (text) => String(text ?? "").toLocaleLowerCase();

// People's list reads one compact row per contact (people-store.js keeps them next to the full
// records, derived here and nowhere else): what a row shows, the order and the search text.
// Bump ROWS_VERSION when a row's shape changes: the phone then rebuilds them from the records.
export const ROWS_VERSION = 1;

// The name, title, company, notes, tags and answers, folded once: what a search looks in
// (the server's search, eventmate/contacts/search.py, on the phone's copy).
const searchText = (person) =>
  [
    person.full_name,
    person.name,
    person.title,
    person.company,
    person.notes,
    ...person.tags,
    ...person.answers.map((answer) => answer.answer),
  ]
    .map(fold)
    .join("\n");

export function listRow(person) {
  const row = {
    id: person.id,
    name: person.name,
    about: person.about ?? "",
    cue: person.cue ?? "",
    tags: person.tags,
    created_at: person.created_at,
    text: searchText(person),
  };
  if (person.pending) row.pending = true;
  return row;
}

// The rows after a refresh: those still there and not changed, and the changed ones anew,
// newest first. Equal to building them from the records (tests/js/people-data.test.mjs).
export function mergeRows(rows, changed, ids) {
  const still = new Set(ids);
  const fresh = new Set(changed.map((person) => person.id));
  return rows
    .filter((row) => still.has(row.id) && !fresh.has(row.id))
    .concat(changed.filter((person) => still.has(person.id)).map(listRow))
    .sort(newestFirst);
}

// Every word of the search appears in the row's search text (no word spans two fields: words
// hold no spaces, the fields are joined by line breaks).
export function matches(row, query) {
  const words = fold(query).trim().slice(0, 100).split(/\s+/).filter(Boolean);
  return words.every((word) => row.text.includes(word));
}

export const hasTag = (person, tag) => !tag || person.tags.some((name) => fold(name) === fold(tag));

// Newest first, as the server lists them.
export const newestFirst = (a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id;

// The notes about this contact still waiting in the outbox, laid over the copy: tags added and
// removed, answers, notes and the fields typed, so the page shows what the user saved.
export function withPending(person, items) {
  const mine = items.filter(
    (item) => item.kind === "capture" && Number(item.body.contact_id) === person.id,
  );
  if (!mine.length) return { ...person, pending: false };
  const result = { ...person, tags: [...person.tags], answers: [...person.answers], pending: true };
  for (const { body } of mine) {
    const removed = new Set((body.tags_remove ?? []).map(fold));
    result.tags = result.tags.filter((tag) => !removed.has(fold(tag)));
    for (const tag of body.tags_add ?? []) {
      if (!result.tags.some((name) => fold(name) === fold(tag))) result.tags.push(tag);
    }
    for (const [prompt, answer] of Object.entries(body.answers ?? {})) {
      const known = result.answers.find((item) => item.prompt === prompt);
      const rest = result.answers.filter((item) => item.prompt !== prompt);
      result.answers = answer
        ? [...rest, { prompt, question: known?.question ?? "", answer }]
        : rest;
    }
    if (typeof body.notes === "string") result.notes = body.notes;
    for (const field of ["full_name", "title", "company"]) {
      if (typeof body.fields?.[field] === "string") result[field] = body.fields[field];
    }
  }
  result.name = result.full_name || result.company || result.name;
  return result;
}

// Edit offline of a contact whose form the phone never kept fills /offline/capture's form, which
// asks the questions of the event running now and the user's own (`own`). The server takes, for
// a contact, those of its event, the user's own and those it answered (prompts_for_contact):
// the keys of the form's questions to keep, then of the answered ones the form lacks.
export function questionsKept(questions, person, pageEvent) {
  const sameEvent = (person.event?.id ?? null) === pageEvent;
  const answered = person.answers.map((answer) => answer.prompt);
  const kept = questions
    .filter((question) => sameEvent || question.own || answered.includes(question.key))
    .map((question) => question.key);
  return [...kept, ...answered.filter((key) => !kept.includes(key))];
}
