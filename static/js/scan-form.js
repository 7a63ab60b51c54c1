// A scan, from the camera (scanner.js) or the paste form: saved in the outbox before any
// network, then sent. Online, the contact's capture screen opens; offline, the capture screen
// for the pending scan, so tags and notes can be taken against its client id.
import { newId } from "./api.js";
import * as outbox from "./outbox.js";
import { currentEvent, requestBackgroundSync, syncNow, user } from "./sync.js";

const SLOW_MS = 5_000;

// Resolves {ok: false, error} when the server rejected the scan: the caller shows the server's
// sentence, the only place it is shown (the scan leaves the outbox, so the "Couldn't sync" list
// stays quiet). Otherwise navigates away and resolves {ok: true, id, queued}. A scan that
// waits in the outbox and is rejected later, with nobody watching, is listed there instead.
export async function submitScan(text) {
  const body = { id: newId(), payload: text, scanned_at: new Date().toISOString() };
  if (currentEvent()) body.event_id = currentEvent();
  await outbox.add({ kind: "scan", url: "/api/scans", body, user });
  // Slow conference Wi-Fi: the scan is safe on the phone, so its capture screen opens after a
  // few seconds without an answer (the scan is sent again from there, as any queued one).
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS, null));
  const sending = syncNow({ wait: true, watched: body.id });
  const report = (await Promise.race([sending, slow])) ?? { sent: {}, rejected: {} };
  const contact = report.sent[body.id];
  if (contact) {
    window.location.assign(`${contact.url}/edit?scanned=1`);
    return { ok: true, id: body.id, queued: false };
  }
  if (report.rejected[body.id]) return { ok: false, id: body.id, error: report.rejected[body.id] };
  const kept = await outbox.get(body.id);
  if (kept?.state === "rejected") {
    // Another tab or the service worker sent it meanwhile and heard the refusal.
    await outbox.remove(body.id);
    return { ok: false, id: body.id, error: kept.lastError };
  }
  if (!kept) {
    // Another tab or the service worker sent it meanwhile: it is in the list.
    window.location.assign("/contacts/");
    return { ok: true, id: body.id, queued: false };
  }
  requestBackgroundSync();
  window.location.assign(`/offline/capture?scan=${body.id}`);
  return { ok: true, id: body.id, queued: true };
}

export function enhanceScanForm() {
  const form = document.querySelector("[data-scan-form]");
  if (!form) return;
  const errorBox = form.querySelector("[data-scan-error]");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const text = form.elements.payload.value;
    if (!text.trim()) {
      errorBox.textContent = "Paste or type what the QR code or badge says.";
      errorBox.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      const result = await submitScan(text);
      if (!result.ok) {
        errorBox.textContent = result.error;
        errorBox.hidden = false;
      }
    } catch {
      errorBox.textContent = "This phone couldn't save the scan. Try again.";
      errorBox.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  form.dataset.enhanced = "outbox"; // from now on a scan is saved on the phone first
}
