// Pure rules for the offline contact page and its Edit (people-offline.js, offline-capture.js),
// kept apart so tests run them without a browser (tests/js/people-data.test.mjs). People's
// rows: people-rows.js.

import { fold } from "./people-rows.js";

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
