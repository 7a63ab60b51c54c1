// The Scan screen's text form, sent through the same API the camera scanner and outbox use.
import { newId, postJson } from "./api.js";

export function enhanceScanForm() {
  const form = document.querySelector("[data-scan-form]");
  const errorBox = form.querySelector("[data-scan-error]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const payload = form.elements.payload.value;
    const scan = { id: newId(), payload, scanned_at: new Date().toISOString() };
    try {
      const { response, data } = await postJson("/api/scans", scan);
      if (data && data.url && response.ok) {
        window.location.assign(`${data.url}?scanned=1`);
        return;
      }
      errorBox.textContent = data?.error ?? "That didn't work. Check your connection and try again.";
    } catch {
      errorBox.textContent = "No connection. Try again when you're back online.";
    }
    errorBox.hidden = false;
  });
}
