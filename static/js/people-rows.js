// People's rows: one compact row per contact, derived from the phone's copy of the contacts
// here and nowhere else (people-store.js keeps them; people-offline.js draws and searches them).
// Small, as every page loads it with people-store.js; tests: tests/js/people-data.test.mjs.

export const fold = (text) => String(text ?? "").toLocaleLowerCase();

// Bump ROWS_VERSION when a row's shape changes: the phone then rebuilds them from the records.
export const ROWS_VERSION = 2;

// The name, title, company (now and before), emails, websites, notes, tags and answers, folded
// once: what a search looks in (the server's search, eventmate/contacts/search.py, on the
// phone's copy: "globex" finds ana@globex.example).
const searchText = (person) =>
  [
    person.full_name,
    person.name,
    person.title,
    person.company,
    ...(person.past_companies ?? []),
    ...(person.emails ?? []),
    ...(person.urls ?? []),
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

export const hasTag = (row, tag) => !tag || row.tags.some((name) => fold(name) === fold(tag));

// Newest first, as the server lists them.
export const newestFirst = (a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id;
