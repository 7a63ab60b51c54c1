// Pure rules for the offline People list and contact page (people-offline.js), kept apart so
// tests run them without a browser (tests/js/people-data.test.js).

const fold = (text) => String(text ?? "").toLocaleLowerCase();

// Every word of the search appears in the name, title, company, notes, a tag or an answer:
// the server's search (eventmate/contacts/search.py) on the phone's copy.
export function matches(person, query) {
  const words = fold(query).trim().slice(0, 100).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = [
    person.full_name,
    person.name,
    person.title,
    person.company,
    ...(person.past_companies ?? []),
    // As the server's search: "globex" finds ana@globex.example (eventmate/contacts/search.py).
    ...(person.emails ?? []),
    ...(person.urls ?? []),
    person.notes,
    ...person.tags,
    ...person.answers.map((answer) => answer.answer),
  ].map(fold);
  return words.every((word) => haystack.some((text) => text.includes(word)));
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
