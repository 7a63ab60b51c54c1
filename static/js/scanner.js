// The Scan screen's camera: the rear camera looks for a QR code (or a badge's PDF417 / Code 128)
// and adds that person. Without a camera or without permission, a photo of the code works too;
// the text form below stays as the last resort.
import { submitScan } from "./scan-form.js";
import { loadDecoder } from "./scanner-decoder.js";

const SCAN_EVERY_MS = 120;
const REPEAT_WINDOW_MS = 5000; // the same code seen again this soon is the same scan
const FRAME_MAX_SIDE = 1280; // larger frames are scaled down before decoding
const PHOTO_MAX_SIDE = 2048; // photos keep more detail: the code may be a small part of them

const root = document.querySelector("[data-scanner]");
const find = (name) => root.querySelector(`[data-scanner-${name}]`);
const canvas = document.createElement("canvas");
const context = canvas.getContext("2d", { willReadFrequently: true });

let ui = null;
let stream = null;
let wanted = false; // the camera should be running
let busy = false; // a code is being submitted
let timer = 0;
let last = { text: "", at: -Infinity };
const rejected = new Map(); // text -> the server's sentence; not sent again on this visit

function say(message) {
  ui.status.textContent = message;
}

function showError(message) {
  ui.error.textContent = message ?? "";
  ui.error.hidden = !message;
}

function imageOf(source, width, height, maxSide) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  context.drawImage(source, 0, 0, w, h);
  return context.getImageData(0, 0, w, h);
}

async function decode(image, options) {
  try {
    return await (await loadDecoder()).decode(image, options);
  } catch {
    return null;
  }
}

// ---- Camera -------------------------------------------------------------------------------

async function startCamera() {
  if (wanted || busy) return;
  wanted = true;
  showFallback(null);
  say("Starting the camera…");
  const decoderReady = loadDecoder(); // load it while the permission prompt is open
  decoderReady.catch(() => {});
  let media;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      // As sharp as the phone films (a card's small print is read from it), no more than 1080p.
      video: { facingMode: "environment", width: { ideal: 1920 }, height: { ideal: 1080 } },
      audio: false,
    });
  } catch (error) {
    wanted = false;
    cameraFailed(error);
    return;
  }
  if (!wanted) {
    media.getTracks().forEach((track) => track.stop()); // the page was left meanwhile
    return;
  }
  stream = media;
  ui.video.srcObject = stream;
  ui.video.play().catch(() => {});
  offerTorch(stream.getVideoTracks()[0]);
  try {
    await decoderReady;
  } catch {
    stopCamera();
    ui.view.hidden = true; // neither the camera nor a photo can be read: the form is left
    say("The scanner couldn't load. Type or paste the code's text below instead.");
    ui.manual.open = true;
    return;
  }
  if (stream === media) {
    say("Point the camera at a QR code or badge.");
    scheduleScan(0);
  }
}

function stopCamera() {
  wanted = false;
  clearTimeout(timer);
  if (stream) {
    stream.getTracks().forEach((track) => track.stop());
    stream = null;
  }
  ui.video.srcObject = null;
  ui.torch.hidden = true;
}

function cameraFailed(error) {
  const name = error?.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    showFallback("EventMate isn't allowed to use the camera.", { help: true });
  } else if (name === "NotFoundError" || name === "OverconstrainedError") {
    showFallback("No camera was found on this device.");
  } else {
    showFallback("The camera couldn't start. Another app may be using it.");
  }
}

// reason null: the camera works, hide the fallback; otherwise explain and offer a photo.
function showFallback(reason, { help = false } = {}) {
  ui.view.hidden = Boolean(reason);
  ui.fallback.hidden = !reason;
  ui.help.hidden = !help;
  if (reason) say(reason); // two lines at most: the photo choice below speaks for itself
}

function offerTorch(track) {
  ui.torch.hidden = !track?.getCapabilities?.().torch;
  ui.torch.setAttribute("aria-pressed", "false");
}

async function toggleTorch() {
  const track = stream?.getVideoTracks()[0];
  if (!track) return;
  const on = ui.torch.getAttribute("aria-pressed") !== "true";
  try {
    await track.applyConstraints({ advanced: [{ torch: on }] });
    ui.torch.setAttribute("aria-pressed", String(on));
  } catch {
    say(`The torch couldn't be switched ${on ? "on" : "off"}.`);
  }
}

function scheduleScan(delay = SCAN_EVERY_MS) {
  clearTimeout(timer);
  timer = setTimeout(scanFrame, delay);
}

async function scanFrame() {
  const { video } = ui;
  if (!stream) return;
  if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
    const image = imageOf(video, video.videoWidth, video.videoHeight, FRAME_MAX_SIDE);
    const text = await decode(image);
    if (text && stream && seen(text)) return;
  }
  if (stream) scheduleScan();
}

// A code in front of the camera: true when it is being submitted.
function seen(text) {
  const now = performance.now();
  if (rejected.has(text)) return false; // its message is still on screen
  if (text === last.text && now - last.at < REPEAT_WINDOW_MS) return false;
  last = { text, at: now };
  submit(text);
  return true;
}

async function submit(text) {
  performance.mark("scan-decoded"); // the capture screen opens from here (scan-capture.js)
  busy = true;
  // Browsers refuse (and log) vibration before the user has touched the page.
  if (navigator.userActivation?.hasBeenActive ?? true) navigator.vibrate?.(60);
  const usingCamera = Boolean(stream);
  stopCamera();
  showError(null);
  say("Code found. Adding this person…");
  let result;
  try {
    result = await submitScan(text);
  } catch {
    result = { ok: false, error: "This phone couldn't save the scan. Try again.", failed: true };
  }
  busy = false;
  if (result?.ok !== false) return; // its capture screen is open
  const message = result.error || "That code couldn't be used.";
  if (!result.failed) rejected.set(text, message); // the server's answer won't change
  showError(message);
  if (usingCamera) {
    await startCamera();
    if (stream) say("Point the camera at another code.");
  } else {
    say("Choose another photo, or type the text below.");
  }
}

// ---- Photo fallback -----------------------------------------------------------------------

async function readPhoto() {
  const file = ui.photo.files[0];
  if (!file) return;
  showError(null);
  say("Reading the photo…");
  let text = null;
  try {
    const bitmap = await createImageBitmap(file);
    const image = imageOf(bitmap, bitmap.width, bitmap.height, PHOTO_MAX_SIDE);
    text = await decode(image, { thorough: true });
    bitmap.close();
  } catch {
    text = null;
  }
  ui.photo.value = "";
  if (!text) {
    say("");
    showError("No QR code found in that photo. Take it closer and in focus, or type the text below.");
  } else if (rejected.has(text)) {
    say("");
    showError(rejected.get(text));
  } else {
    last = { text, at: performance.now() };
    submit(text);
  }
}

// ---- A photo of a paper card from the camera already filming it (card-photo.js) -------------

// True when the QR camera is live and showing a picture: "Photograph a card" takes it from
// here (one tap, no camera app to open and close).
function cameraIsLive() {
  const video = ui?.video;
  return Boolean(stream && video && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth);
}

// The camera's photo of what it films (full resolution where the browser takes photos:
// ImageCapture), else the video's current frame; then the camera stops while the card is read.
async function photographFromCamera() {
  const track = stream.getVideoTracks()[0];
  let photo = null;
  if ("ImageCapture" in window) {
    photo = await new window.ImageCapture(track).takePhoto().catch(() => null);
  }
  if (!photo) {
    const { video } = ui;
    const canvas = Object.assign(document.createElement("canvas"), {
      width: video.videoWidth,
      height: video.videoHeight,
    });
    canvas.getContext("2d").drawImage(video, 0, 0);
    photo = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.92));
  }
  stopCamera();
  return photo;
}

// ---- Page ---------------------------------------------------------------------------------

function resume() {
  if (ui.fallback.hidden && !busy && !document.hidden) startCamera();
}

function init() {
  ui = {
    view: find("view"),
    video: find("video"),
    status: find("status"),
    error: find("error"),
    torch: find("torch"),
    fallback: find("fallback"),
    help: find("help"),
    retry: find("retry"),
    photo: find("photo"),
    manual: document.querySelector("[data-scan-manual]"),
  };
  root.hidden = false;
  if (!ui.manual.querySelector("textarea")?.value) ui.manual.open = false;

  ui.torch.addEventListener("click", toggleTorch);
  ui.retry.addEventListener("click", () => startCamera());
  ui.photo.addEventListener("change", readPhoto);
  // "Scan next" after a capture was saved: the camera again, here.
  document.addEventListener("eventmate:scan-next", () => {
    busy = false; // the last scan may still be on its way: it is safe in the outbox
    showError(null);
    if (ui.fallback.hidden) startCamera();
    else say("Choose a photo of the next code, or type its text below.");
  });
  // "Photograph a card" (card-photo.js): the photo from this camera when it is filming (the
  // event's detail gets the photo's promise), else the phone's camera app needs the camera.
  document.addEventListener("eventmate:card-photo", (event) => {
    if (cameraIsLive()) event.detail.photo = photographFromCamera();
    else stopCamera();
  });
  document.addEventListener("visibilitychange", () => (document.hidden ? stopCamera() : resume()));
  window.addEventListener("pagehide", stopCamera);
  window.addEventListener("pageshow", (event) => event.persisted && resume());

  if (navigator.mediaDevices?.getUserMedia) {
    startCamera();
  } else {
    showFallback("This browser can't open the camera here.");
  }
}

if (root) init();
