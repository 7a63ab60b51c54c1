// "Photograph a card" on the Scan screen. The photo is shrunk on the phone (to the size
// the server's OCR reads at, EXIF gone) and saved in the outbox as a Blob before any network,
// then sent to POST /api/card-photos. Online, the card's check screen opens once the server has
// read it; offline it waits, listed as "Card photo … waiting to be read", and is read when it
// syncs (sync.js then offers "Check"). The QR camera stops while the phone's camera takes the
// photo and starts again after (scanner.js).
import { newId } from "./api.js";
import { NOT_A_PHOTO, shrink } from "./contact-photo.js";
import * as outbox from "./outbox.js";
import { cardUrl, currentEvent, requestBackgroundSync, syncNow, user } from "./sync.js";

const CARD_SIDE = 1280; // eventmate/paper_cards/image.py OCR_SIDE: more would only cost bytes
const QUALITY = 0.9; // small letters survive
const WAITING =
  "Card photo saved on this phone: it is read as soon as EventMate can be reached. " +
  "You'll find it at the top of People.";

const root = document.querySelector("[data-card-photo]");
const input = root?.querySelector("[data-card-photo-input]");
const status = root?.querySelector("[data-card-photo-status]");

function say(message, { error = false } = {}) {
  status.textContent = message;
  status.classList.toggle("error", error);
  status.setAttribute("role", error ? "alert" : "status");
  status.hidden = !message;
}

function scanAgain() {
  document.dispatchEvent(new CustomEvent("eventmate:scan-next"));
}

// The server's sentence when it refused the photo (not a card, no text), else "".
async function refusal(report, id) {
  const error = report.rejected[id];
  if (error) return error;
  const kept = await outbox.get(id);
  if (kept?.state !== "rejected") return "";
  await outbox.remove(id); // another tab or the service worker heard the refusal first
  return kept.lastError;
}

async function photographed() {
  const [file] = input.files;
  if (!file) return;
  input.value = ""; // the same card can be taken again
  say("Reading the card…");
  let photo;
  try {
    photo = await shrink(file, { maxSide: CARD_SIDE, quality: QUALITY });
  } catch {
    say(NOT_A_PHOTO, { error: true });
    return scanAgain();
  }
  const body = { id: newId(), photo, scanned_at: new Date().toISOString() };
  if (currentEvent()) body.event_id = currentEvent();
  await outbox.add({ kind: "card_photo", url: "/api/card-photos", body, user });
  const report = await syncNow({ wait: true, watched: body.id });
  const contact = report.sent[body.id];
  if (contact) return window.location.assign(cardUrl(contact));
  const error = await refusal(report, body.id);
  if (error) {
    say(error, { error: true });
  } else {
    say(WAITING);
    requestBackgroundSync();
  }
  scanAgain();
}

if (input) {
  // The phone's camera app needs the camera the QR scanner holds.
  const cameraOpens = () => document.dispatchEvent(new CustomEvent("eventmate:card-photo"));
  input.addEventListener("click", cameraOpens);
  input.addEventListener("cancel", scanAgain);
  input.addEventListener("change", () =>
    photographed().catch(() => {
      say("This phone couldn't save the photo. Try again.", { error: true });
      scanAgain();
    }),
  );
}
