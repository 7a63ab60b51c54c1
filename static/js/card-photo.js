// "Photograph a card" on the Scan screen. The photo is shrunk on the phone (to the size
// the server's OCR reads at, EXIF gone) and saved in the outbox as a Blob before any network,
// then sent to POST /api/card-photos. Online, the card's check screen opens once the server has
// read it; offline it waits, listed as "Card photo … waiting to be read", and is read when it
// syncs (sync.js then offers "Check"). When the QR camera is filming, the photo is taken from
// it in the same tap; otherwise (no camera allowed, or none yet) the phone's camera app opens,
// and the QR camera stops while it takes the photo and starts again after (scanner.js).
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

async function photographed(file) {
  if (!file) return;
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

function failed() {
  say("This phone couldn't save the photo. Try again.", { error: true });
  scanAgain();
}

function read(photo) {
  photographed(photo).catch(failed);
}

if (input) {
  input.addEventListener("click", (event) => {
    // The QR camera (scanner.js) takes the photo when it is filming; else it lets go of the
    // camera for the phone's camera app.
    const asked = { photo: null };
    document.dispatchEvent(new CustomEvent("eventmate:card-photo", { detail: asked }));
    if (!asked.photo) return;
    event.preventDefault(); // no camera app: the camera on screen took it
    asked.photo.then((photo) => (photo ? read(photo) : failed()), failed);
  });
  input.addEventListener("cancel", scanAgain);
  const chosen = () => {
    const [file] = input.files;
    input.value = ""; // the same card can be taken again
    read(file);
  };
  input.addEventListener("change", chosen);
  if (input.files.length) chosen(); // chosen while this module was still loading
}
