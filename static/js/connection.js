// The "Offline" mark in the top bar (templates/base.html): shown while the browser says it is
// offline, or since a request to EventMate failed for lack of network, until one works again
// or the browser is back online. The mark is a polite live region: screen readers hear it.
const mark = document.querySelector("[data-offline-mark]");
let unreachable = false;

function show() {
  if (mark) mark.textContent = !navigator.onLine || unreachable ? "Offline" : "";
}

// What the last request to EventMate taught: true when it answered, false when it didn't.
export function reached(answered) {
  unreachable = !answered;
  show();
}

export function watchConnection() {
  window.addEventListener("online", () => reached(true));
  window.addEventListener("offline", show);
  show();
}
