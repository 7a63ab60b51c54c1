// Forms on a page the phone may have kept for hours (the service worker's copy, or a tab left
// open): before a same-origin POST form is sent, its CSRF token is swapped for a fresh one
// (GET /api/csrf), so it isn't refused with "Your form expired". Forms that send through the
// outbox (scan, capture) or ask first (log-out, data-confirm) cancel or confirm the submit
// before this runs: it listens on the window, after every other listener.
import { session } from "./outbox.js";

const user = document.querySelector('meta[name="eventmate-user"]')?.content ?? "";

// Put a fresh token of this page's user into the form (and into the page's meta, for JSON
// calls). Resolves null, or what stopped it: {reason ("account", "login" or "network"),
// message, action?, onAction?} for a toast.
export async function refreshToken(form) {
  const fresh = await session();
  if (fresh.token && fresh.user === user) {
    for (const field of form.querySelectorAll('input[name="csrf_token"]')) {
      field.value = fresh.token;
    }
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) meta.content = fresh.token;
    return null;
  }
  if (fresh.token) {
    return {
      reason: "account",
      message: "Not sent: this phone is now logged in to another account. Reload to use it.",
      action: "Reload",
      onAction: () => window.location.reload(),
    };
  }
  if (fresh.result === "login") {
    const next = encodeURIComponent(location.pathname + location.search);
    return {
      reason: "login",
      message: "Not sent: your session has ended. Log in again, then try once more.",
      action: "Log in",
      onAction: () => window.location.assign(`/login?next=${next}`),
    };
  }
  return {
    reason: "network",
    message:
      "Not sent: you're offline or the network isn't reaching EventMate. " +
      "Try again when you're back online.",
  };
}

function ownPostForm(form) {
  return (
    form instanceof HTMLFormElement &&
    form.method === "post" &&
    new URL(form.action, location.href).origin === location.origin &&
    form.querySelector('input[name="csrf_token"]') !== null
  );
}

// Send the form as the browser would have, with the pressed button's name=value (Snooze's
// "days", an introduction's "choice"); no template uses formaction or formmethod.
function send(form, submitter) {
  let pressed = null;
  if (submitter?.name) {
    pressed = Object.assign(document.createElement("input"), {
      type: "hidden",
      name: submitter.name,
      value: submitter.value,
    });
    form.append(pressed);
  }
  form.submit(); // doesn't fire "submit" again; the form's data is read at once
  pressed?.remove();
}

// `tell(problem)` shows why a form wasn't sent (a toast).
export function refreshTokensOnSubmit(tell) {
  // A visitor's page: not kept offline, and /api/csrf needs a login. A stale token there comes
  // back as the same form, filled in, with a fresh one (reshows_expired_form, errors.py).
  if (!user) return;
  const refreshing = new WeakSet();
  window.addEventListener("submit", async (event) => {
    const form = event.target;
    if (event.defaultPrevented || !ownPostForm(form)) return;
    event.preventDefault();
    if (refreshing.has(form)) return; // a second tap while the token is on its way
    refreshing.add(form);
    try {
      const problem = await refreshToken(form);
      if (problem) tell(problem);
      else send(form, event.submitter);
    } finally {
      refreshing.delete(form);
    }
  });
}
