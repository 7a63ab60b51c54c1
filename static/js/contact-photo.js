// Photo inputs ([data-photo-input]): the phone shrinks a photo (at most 512 px, JPEG, through a
// canvas, which also leaves its EXIF and location behind) before it goes anywhere. The server
// decodes and re-encodes it all the same (eventmate/photos/images.py).
// - "outbox": a contact's photo, queued as a "photo" item for the contact (data-contact-id) or
//   for the pending scan of the capture screen (data-scan-id, set by offline-capture.js), and
//   sent when the network allows, like notes (POST /api/photos, applied once by its id).
// - "form": sent with its form at once (the profile's photo on my card).
import { newId } from "./api.js";
import * as outbox from "./outbox.js";
import { requestBackgroundSync, syncNow, toast, user } from "./sync.js";

export const MAX_SIDE = 512;
const QUALITY = 0.85;
export const NOT_A_PHOTO = "That file isn't a photo this phone can read. Choose another one.";

// The file as a JPEG Blob of at most `maxSide` px on its long side, upright (the browser
// applies the EXIF orientation when it decodes); rejects what isn't an image.
export async function shrink(file, { maxSide = MAX_SIDE, quality = QUALITY } = {}) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG gets white, as on the server
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!blob) throw new Error("The phone couldn't make a JPEG of it.");
  return blob;
}

// Show the new photo in the avatar next to the input.
function preview(input, blob) {
  for (const label of input.labels) label.textContent = "Change photo";
  const avatar = input.closest(".contact-photo")?.querySelector("[data-photo-preview]");
  if (!avatar) return;
  const image = document.createElement("img");
  image.alt = "";
  image.src = URL.createObjectURL(blob);
  avatar.replaceChildren(image);
}

function target(input) {
  const { contactId, scanId } = input.dataset;
  if (contactId) return { contact_id: Number(contactId), scan_id: null };
  if (scanId) return { contact_id: null, scan_id: scanId };
  return null;
}

async function queue(input, blob) {
  const about = target(input);
  if (!about) return toast("This photo has nobody to go with: the scan was synced or discarded.");
  // The person's name: the capture form's own heading (the Scan screen has its own <h1> too).
  const heading = input.closest("form")?.querySelector("h1") ?? document.querySelector("h1");
  const label = heading?.textContent.trim() ?? "";
  const body = { id: newId(), ...about, photo: blob };
  await outbox.add({ kind: "photo", url: "/api/photos", body, user, label });
  preview(input, blob);
  // As notes do: then "1 item synced." (sync.js) once the server has it.
  toast(
    navigator.onLine
      ? "Photo saved on this phone. Sending it…"
      : "Photo saved on this phone. It syncs when you're back online.",
  );
  requestBackgroundSync();
  syncNow();
}

async function chosen(input) {
  const [file] = input.files;
  if (!file) return;
  const sendsForm = input.dataset.photoInput === "form";
  let blob;
  try {
    blob = await shrink(file);
  } catch {
    if (sendsForm) return input.form.requestSubmit(); // as chosen: the server says what's wrong
    input.value = "";
    return toast(NOT_A_PHOTO);
  }
  if (sendsForm) {
    const files = new DataTransfer();
    files.items.add(new File([blob], "photo.jpg", { type: "image/jpeg" }));
    input.files = files.files;
    preview(input, blob);
    return input.form.requestSubmit();
  }
  input.value = ""; // the same photo can be chosen again
  await queue(input, blob);
}

export function enhance(root = document) {
  for (const input of root.querySelectorAll("[data-photo-input]")) {
    if (input.dataset.photoReady) continue;
    input.dataset.photoReady = "1";
    const upload = input.form?.querySelector("[data-photo-upload]");
    if (upload) upload.hidden = true; // choosing the photo sends it
    input.addEventListener("change", () => chosen(input));
    if (input.files.length) chosen(input); // chosen before this module arrived
  }
}
