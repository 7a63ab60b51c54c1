// The outbox's rules, with no storage or network (run by outbox.js, tested in tests/js). Items
// go on their own: one that fails waits out its backoff while the others go on, but after the
// earlier items about the same thing (the scan its notes or photo are about, the contact).
// After TRIES failures an item is "failing": listed with Retry and Discard, still tried every
// MAX_BACKOFF_MS at most (only Retry hurries it).
export const TRIES = 5;
export const MAX_BACKOFF_MS = 5 * 60_000;
export const ORPHAN = "The scan these notes belong to couldn't sync. Fix or discard it first.";
export const ORPHAN_PHOTO =
  "The scan this photo belongs to couldn't sync. Fix or discard it first.";

export const backoff = (attempts) => Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** attempts);

const about = ({ id, body }) => body.scan_id ?? (body.contact_id ? `c${body.contact_id}` : id);

// The pass's next step over `items` (oldest first): {item} to send, {item, error} to refuse
// here (its scan was refused), or null. `done`: ids tried in this pass; `user`: the session's
// (others' items wait); `force`: ignore the backoff. The item due first goes first.
export function next(items, { done, now, force = false, user }) {
  const busy = new Set();
  const refused = new Set();
  let best = null;
  for (const item of items) {
    const subject = about(item);
    if (item.state === "rejected") {
      if (item.id === subject) refused.add(subject);
    } else if (refused.has(subject)) {
      return { item, error: item.kind === "photo" ? ORPHAN_PHOTO : ORPHAN };
    } else {
      const ready =
        !busy.has(subject) &&
        !done.has(item.id) &&
        (user === undefined || item.user === user) &&
        ((force && item.state === "pending") || item.nextTry <= now);
      if (ready && !(best?.nextTry <= item.nextTry)) best = item;
      busy.add(subject);
    }
  }
  return best && { item: best };
}

// Outcomes that concern every item end the pass: no network, a Wi-Fi login page, log in again.
export const stops = ({ result }) => result === "offline" || result === "login";

// The item after an outcome ({result, error}); null once the server acknowledged it. A dropped
// connection counts as a try too: an item that always breaks it can't hold back the others.
export function settle(item, { result, error }, now) {
  if (result === "sent") return null;
  if (result === "rejected") return { ...item, state: "rejected", lastError: error };
  if (result === "login") return item;
  const attempts = item.attempts + 1;
  const state = attempts >= TRIES ? "failing" : item.state;
  return { ...item, attempts, state, lastError: error, nextTry: now + backoff(attempts) };
}
