// "More": long lists (People, the follow-ups) come a page at a time from the server. Without
// JavaScript the link opens the next page; here it fetches that page and appends its rows to
// the list, and the next page's link replaces the link. `data-more-auto` links also load by
// themselves when scrolled near (IntersectionObserver). The list announces new rows with a
// `more-added` event (detail: the new elements) so a page's module can enhance them.

const LOADING = "Loading…";
const FAILED = "Couldn't load more: tap to try again";

function parse(text) {
  return new DOMParser().parseFromString(text, "text/html");
}

async function nextPage(url) {
  const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return parse(await response.text());
}

let observer = null;

async function load(link, { focus }) {
  if (link.dataset.loading) return;
  const key = link.dataset.more;
  const list = document.querySelector(`[data-more-list="${key}"]`);
  const holder = link.closest(`[data-more-for="${key}"]`);
  const label = link.dataset.label ?? link.textContent;
  link.dataset.label = label;
  link.dataset.loading = "true";
  link.setAttribute("aria-busy", "true");
  link.textContent = LOADING;
  let page;
  try {
    page = await nextPage(link.href);
  } catch {
    page = null;
  }
  const rows = page?.querySelector(`[data-more-list="${key}"]`);
  if (!rows) {
    // Offline (the service worker's page has no such list), signed out, or a server error.
    delete link.dataset.loading;
    link.removeAttribute("aria-busy");
    link.textContent = FAILED;
    observer?.unobserve(link);
    return;
  }
  // A row already shown (the inbox shows an opened follow-up first, out of its order) stays once.
  const fresh = [...rows.children].filter((row) => !row.id || !document.getElementById(row.id));
  const added = fresh.map((row) => document.adoptNode(row));
  list.append(...added);
  list.dispatchEvent(new CustomEvent("more-added", { bubbles: true, detail: added }));
  const next = page.querySelector(`[data-more-for="${key}"]`);
  observer?.unobserve(link);
  if (next) {
    const adopted = document.adoptNode(next);
    holder.replaceWith(adopted);
    enhance(adopted);
  } else {
    holder.remove();
  }
  if (focus) added[0]?.querySelector("a, button, summary")?.focus();
}

function enhance(scope) {
  for (const link of scope.querySelectorAll("a[data-more]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      load(link, { focus: true });
    });
    if ("moreAuto" in link.dataset && observer) observer.observe(link);
  }
}

if ("IntersectionObserver" in window) {
  observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) load(entry.target, { focus: false });
      }
    },
    { rootMargin: "0px 0px 600px 0px" },
  );
}
enhance(document);
