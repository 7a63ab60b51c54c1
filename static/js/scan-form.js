// A scan, from the camera (scanner.js) or the paste form: saved in the outbox before any
// network, then sent. Its capture screen opens on this page at once (scan-capture.js), online
// or not; the server's answer fills it in when it comes.
import { newId } from "./api.js";
import * as outbox from "./outbox.js";
import { openScanCapture, scanIdentified, scanRefused } from "./scan-capture.js";
import { currentEvent, requestBackgroundSync, syncNow, user } from "./sync.js";

// Resolves {ok: false, error} when the server rejected the scan: its capture closes and the
// caller shows the server's sentence, the only place it is shown (the scan leaves the outbox,
// so the "Couldn't sync" list stays quiet). Otherwise {ok: true, id, queued}. A scan that
// waits in the outbox and is rejected later, with nobody watching, is listed there instead.
export async function submitScan(text) {
  const body = { id: newId(), payload: text, scanned_at: new Date().toISOString() };
  if (currentEvent()) body.event_id = currentEvent();
  await outbox.add({ kind: "scan", url: "/api/scans", body, user });
  openScanCapture(body);
  const report = await syncNow({ wait: true, watched: body.id });
  const contact = report.sent[body.id];
  if (contact) {
    scanIdentified(body.id, contact);
    return { ok: true, id: body.id, queued: false };
  }
  let error = report.rejected[body.id];
  const kept = await outbox.get(body.id);
  if (!error && kept?.state === "rejected") {
    // Another tab or the service worker sent it meanwhile and heard the refusal.
    await outbox.remove(body.id);
    error = kept.lastError;
  }
  if (error) {
    scanRefused(body.id);
    return { ok: false, id: body.id, error };
  }
  // Sent meanwhile by another trigger (its report names the contact), or waiting.
  if (kept) requestBackgroundSync();
  return { ok: true, id: body.id, queued: Boolean(kept) };
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
    performance.mark("scan-decoded");
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
