// Web Push in the service worker: show the notification, and open its page when it is tapped.
// Imported by /service-worker.js for its side effects (the two listeners); no exports.
//
// The push payload is JSON written by eventmate/reminders/payload.py — the morning digest:
//   {"title": "...", "body": "Follow up with Ana, Ben and 3 others from DevConf",
//    "url": "/inbox", "tag": "eventmate-digest", "count": 5}
// or a message about an introduction (eventmate/introductions/notices.py):
//   {"title": "Carla would like to introduce you to Ben", "body": "...",
//    "url": "/introductions/requests/12", "tag": "eventmate-intro-7"}
// The same tag makes a newer notification replace an older one still on screen.

const DEFAULT_URL = "/inbox";
const DEFAULT_TAG = "eventmate-digest";

// Only a path on this site: a push never sends the user elsewhere.
function sitePath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")
    ? url
    : DEFAULT_URL;
}

function readPayload(event) {
  if (!event.data) return {};
  try {
    const data = event.data.json();
    return data && typeof data === "object" ? data : {};
  } catch {
    return { body: event.data.text() };
  }
}

self.addEventListener("push", (event) => {
  const data = readPayload(event);
  const title = typeof data.title === "string" && data.title ? data.title : "EventMate";
  const tag = typeof data.tag === "string" && data.tag ? data.tag : DEFAULT_TAG;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === "string" ? data.body : "Someone you met is waiting for your follow-up.",
      tag,
      // A notification replacing one of the same tag still on screen is silent unless renotify.
      // An introduction's next message is news ("You're now connected with Ben" replacing
      // "Carla would like to introduce you to Ben"): it sounds and vibrates again. A digest
      // replacing an unread one stays silent: the reminder on screen hasn't been acted on yet;
      // its list just changes, without a second buzz (reminders nudge, never nag).
      renotify: tag !== DEFAULT_TAG,
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      lang: "en",
      data: { url: sitePath(data.url) },
    }),
  );
});

// Take a window of ours already open to the inbox and focus it, else open a new one.
async function openInbox(url) {
  const target = new URL(sitePath(url), self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (!ours) return self.clients.openWindow(target);
  // navigate() works only for a window this worker controls; otherwise open a fresh one.
  const shown = ours.url === target ? ours : await ours.navigate(target).catch(() => null);
  if (!shown) return self.clients.openWindow(target);
  return shown.focus();
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openInbox(event.notification.data?.url));
});
