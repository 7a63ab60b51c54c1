// EventMate's service worker (an ES module, served by eventmate/pwa at /service-worker.js).
// - precaches this deploy's app shell (CSS, JS, icons, /offline) under a versioned cache and
//   deletes only its own older caches on activate; a new version waits until the user taps
//   "Reload" (no files swapped under a running page);
// - pages: network first, falling back to the copy kept when last visited, then /offline;
//   People and every contact's page fall back to /offline/people, which draws them from the
//   phone's copy of the contacts (static/js/people-offline.js): no page per contact is kept
//   (which pages: patterns the server writes from its routes, eventmate/pwa/routes.py);
//   a contact's Edit not kept from a visit falls back to /offline/capture, whose form
//   offline-capture.js fills from that copy;
// - versioned static files (/static/v/<version>/…): cache first;
// - my card's QR and the photos (a contact's, my card's): cache first (each URL changes with
//   its content), among the user's pages;
// - /api/*: never cached; the outbox is sent on Background Sync.
import * as outbox from "/static/v/dev/js/outbox.js";
// Web Push (eventmate/push): the morning digest's `push` and `notificationclick` handlers.
import "/static/v/dev/js/sw-push.js";

const VERSION = "dev"; // the server writes the hash of the shell files here
const SHELL = []; // …and the shell's URLs here
const SHELL_CACHE = `eventmate-shell-${VERSION}`;
const PAGES_CACHE = "eventmate-pages"; // one user's pages; emptied on log-out
const NETWORK_TIMEOUT_MS = 5000; // slow conference Wi-Fi: show the kept page instead
const VERSIONED = /^\/static\/v\/[^/]+\//;
// …and the patterns of the routes named in eventmate/pwa/routes.py: the pages worth keeping
// for offline use, the cache-first images (my card's QR, the photos), People's pages and Edit.
const ROUTES = {
  keptPages: [],
  cacheFirst: [],
  people: [],
  peoplePage: "",
  edit: [],
  editPage: "",
};
const regexes = (sources) => sources.map((source) => new RegExp(source));
const KEPT_PAGES = regexes(ROUTES.keptPages);
const CACHE_FIRST = regexes(ROUTES.cacheFirst);
const PEOPLE = regexes(ROUTES.people);
const EDIT = regexes(ROUTES.edit);
const matches = (patterns, path) => patterns.some((pattern) => pattern.test(path));

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

async function precache() {
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll(SHELL);
  // Files cached since the last deploy (the scanner's decoder) come along, in this version.
  for (const name of await caches.keys()) {
    if (!name.startsWith("eventmate-shell-") || name === SHELL_CACHE) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const path = new URL(request.url).pathname.replace(VERSIONED, `/static/v/${VERSION}/`);
      if (!(await cache.match(path))) await cache.add(path).catch(() => {});
    }
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("eventmate-shell-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      if (!self.registration.sync) await outbox.flush(); // no Background Sync: try at start
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") self.skipWaiting(); // the user tapped "Reload"
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    outbox.flush({ force: true, wait: true }).then((report) => {
      // Throwing asks the browser to try again later (not for a login: that needs the user).
      const kept = Object.values(report.kept ?? {});
      if (report.status === "retry" || kept.length) throw new Error(report.error || kept[0]);
    }),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") event.respondWith(page(request, url));
  else if (VERSIONED.test(url.pathname)) event.respondWith(versionedFile(request, url));
  else if (url.pathname.startsWith("/static/"))
    event.respondWith(networkFirst(request, SHELL_CACHE));
  else if (matches(CACHE_FIRST, url.pathname))
    event.respondWith(cacheFirst(request, PAGES_CACHE));
});

function keepable(response) {
  const type = response.headers.get("Content-Type") || "";
  const cacheControl = response.headers.get("Cache-Control") || "";
  return (
    response.status === 200 &&
    !response.redirected &&
    type.startsWith("text/html") &&
    !cacheControl.includes("no-store")
  );
}

async function page(request, url) {
  const options = { cacheName: PAGES_CACHE, ignoreSearch: true, ignoreVary: true };
  const kept = async () => {
    if (matches(PEOPLE, url.pathname)) return caches.match(ROUTES.peoplePage, options);
    const page = await caches.match(request, options);
    if (page || !matches(EDIT, url.pathname)) return page;
    return caches.match(ROUTES.editPage, options);
  };
  const fromNetwork = fetch(request).then(async (response) => {
    const plain = !url.search || url.search === "?scanned=1"; // not a search or a filter
    if (plain && matches(KEPT_PAGES, url.pathname) && keepable(response)) {
      await (await caches.open(PAGES_CACHE)).put(url.pathname, response.clone());
    }
    return response;
  });
  fromNetwork.catch(() => {}); // handled below; this only silences the race's loser
  try {
    const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
    return (await Promise.race([fromNetwork, slow.then(kept)])) ?? (await fromNetwork);
  } catch {
    const offline = await caches.match("/offline", { cacheName: SHELL_CACHE });
    return (await kept()) ?? offline ?? Response.error();
  }
}

// A file of this or another version: the cached one, else the network, else (offline, a page
// kept from before the last deploy) the same file of this version.
async function versionedFile(request, url) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const current = url.pathname.replace(VERSIONED, `/static/v/${VERSION}/`);
    const fallback = await cache.match(current);
    if (fallback) return fallback;
    throw error;
  }
}

async function networkFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
