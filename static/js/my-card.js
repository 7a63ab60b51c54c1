// My card: the QR full screen with the screen kept on, and sharing the card's link.
import { toast } from "./sync.js";

const card = document.querySelector("[data-my-card]");
const full = document.querySelector("[data-qr-full]");
let wakeLock = null;

// The screen stays on while the QR shows (a phone dims after ~30 s, mid-conversation).
// The browser drops the lock when the page is hidden; it is taken again on return.
async function keepScreenOn() {
  if (!full.open || wakeLock || !("wakeLock" in navigator)) return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
    wakeLock.addEventListener("release", () => (wakeLock = null));
  } catch {
    wakeLock = null; // refused (battery saver): the QR still shows
  }
}

function showFullScreen() {
  if (!full.open) full.showModal();
  keepScreenOn();
}

async function vcardFile() {
  try {
    const response = await fetch(card.dataset.vcard, { credentials: "same-origin" });
    if (!response.ok) return null;
    const name = `${card.dataset.name.replace(/[^\p{L}\p{N} _-]/gu, "").trim() || "contact"}.vcf`;
    return new File([await response.blob()], name, { type: "text/vcard" });
  } catch {
    return null; // offline: share the link alone
  }
}

async function share() {
  const data = { title: card.dataset.name, text: `${card.dataset.name} on EventMate`, url: card.dataset.url };
  const file = await vcardFile();
  if (file && navigator.canShare?.({ files: [file] })) data.files = [file];
  try {
    await navigator.share(data);
  } catch (error) {
    if (error.name !== "AbortError") copyLink();
  }
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(card.dataset.url);
    toast("Link copied.");
  } catch {
    toast(`Copy this link: ${card.dataset.url}`);
  }
}

if (card && full) {
  document.querySelector("[data-qr-show]").addEventListener("click", showFullScreen);
  full.addEventListener("click", (event) => event.target === full && full.close());
  full.addEventListener("close", () => {
    wakeLock?.release();
    wakeLock = null;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") keepScreenOn();
  });
  const shareButton = card.querySelector("[data-share]");
  const copyButton = card.querySelector("[data-copy]");
  if (navigator.share) {
    shareButton.hidden = false;
    shareButton.addEventListener("click", share);
  }
  copyButton.hidden = !navigator.clipboard;
  copyButton.addEventListener("click", copyLink);
  if (location.hash === "#show") showFullScreen();
}
