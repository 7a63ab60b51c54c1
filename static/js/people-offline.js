// People and a contact's page drawn from the phone's copy of the contacts (people-store.js),
// with the notes still waiting in the outbox laid over it. The service worker answers
// /contacts/ and /contacts/<id> with this page (templates/pwa/people.html) when the network
// doesn't; the markup is the server's (templates/contacts/), so app.css styles both alike.
import { dateLocale } from "./date-locale.js";
import * as outbox from "./outbox.js";
import { withPending } from "./people-data.js";
import { hasTag, listRow, matches } from "./people-rows.js";
import * as people from "./people-store.js";
import { element, user } from "./sync.js";

const root = document.querySelector("[data-people-offline]");
const state = root.querySelector("[data-people-state]");

// The contact's picture, as templates/_photo.html draws it (initials: photos need the network).
const avatar = (person, size = "") =>
  element("span", {
    class: size ? `avatar avatar-${size}` : "avatar",
    "aria-hidden": "true",
    text: (person.name[0] ?? "?").toUpperCase(),
  });

const waiting = () => element("span", { class: "sync-tag", text: "waiting to sync" });

function row(person) {
  const text = element("span", { class: "person-text" }, element("strong", { text: person.name }));
  if (person.about) text.append(element("span", { class: "muted small", text: person.about }));
  const cue = person.pending ? person.tags.join(" · ") : person.cue;
  if (cue) text.append(element("span", { class: "small person-cue", text: cue }));
  if (person.pending) text.append(waiting());
  const link = element(
    "a",
    { class: "person", href: `/contacts/${person.id}` },
    avatar(person),
    text,
  );
  return element("li", {}, link);
}

// A few screenfuls of rows, and more as the list's end nears: 2,000 rows would hold up the
// first paint, and each search would pay for taking them all down again
// (bench/people_offline.py). `[data-people-more]`, after the list, marks its end.
const FIRST_ROWS = 40;
const MORE_ROWS = 100;
const listEnd = root.querySelector("[data-people-more]");
let rowsLeft = [];

const nearEnd = new IntersectionObserver(
  ([end]) => {
    if (!end.isIntersecting || !rowsLeft.length) return;
    listEnd.previousElementSibling.append(...rowsLeft.splice(0, MORE_ROWS).map(row));
    nearEnd.unobserve(listEnd); // observed anew, it answers again while still in sight
    nearEnd.observe(listEnd);
  },
  { rootMargin: "0px 0px 100% 0px" }, // a screen ahead
);

function drawRows(list, shown) {
  list.replaceChildren(...shown.slice(0, FIRST_ROWS).map(row));
  rowsLeft = shown.slice(FIRST_ROWS);
  nearEnd.unobserve(listEnd);
  nearEnd.observe(listEnd);
}

function showList(everyone, since) {
  const list = root.querySelector("[data-people-list]");
  const form = list.querySelector("[data-people-search]");
  const rows = list.querySelector("[data-people-rows]");
  const count = list.querySelector("[data-people-count]");
  const params = new URLSearchParams(location.search);
  const tags = [...new Set(everyone.flatMap((person) => person.tags))].sort((a, b) =>
    a.localeCompare(b),
  );
  form.tag.append(...tags.map((tag) => element("option", { value: tag, text: tag })));
  form.q.value = params.get("q") ?? "";
  form.tag.value = tags.includes(params.get("tag")) ? params.get("tag") : "";
  const draw = () => {
    const shown = everyone.filter(
      (person) => matches(person, form.q.value) && hasTag(person, form.tag.value),
    );
    drawRows(rows, shown);
    const filtered = form.q.value.trim() || form.tag.value;
    count.textContent = everyone.length
      ? `${filtered ? `${shown.length} of ${everyone.length}` : everyone.length} ` +
        `${everyone.length === 1 ? "person" : "people"} on this phone${since}.`
      : "Nobody saved on this phone yet: your contacts come here once it has been online.";
  };
  const search = (event) => {
    event?.preventDefault();
    const query = new URLSearchParams();
    if (form.q.value.trim()) query.set("q", form.q.value.trim());
    if (form.tag.value) query.set("tag", form.tag.value);
    history.replaceState(null, "", `${location.pathname}${query.size ? `?${query}` : ""}`);
    draw();
  };
  form.addEventListener("submit", search);
  form.q.addEventListener("input", () => draw());
  form.tag.addEventListener("change", search);
  draw();
  list.hidden = false;
}

function said(person) {
  const parts = person.answers.map((answer) =>
    element(
      "figure",
      { class: "said" },
      element("figcaption", { class: "muted small", text: answer.question }),
      element("blockquote", { class: "quote", text: answer.answer }),
    ),
  );
  if (person.notes) parts.push(element("p", { class: "notes", text: person.notes }));
  if (!parts.length) return element("p", { class: "card muted", text: "Nothing noted yet." });
  return element(
    "section",
    { class: "card" },
    element("h2", { text: "What you talked about" }),
    ...parts,
  );
}

function details(person) {
  const items = [
    ...person.emails.map((email) => element("a", { href: `mailto:${email}`, text: email })),
    ...person.phones.map((phone) => element("a", { href: `tel:${phone}`, text: phone })),
    ...person.urls.map((url) =>
      /^https?:\/\//i.test(url)
        ? element("a", { href: url, rel: "noopener noreferrer nofollow", text: url })
        : url,
    ),
  ];
  if (!items.length) return "";
  return element(
    "section",
    { class: "card" },
    element("h2", { text: "Contact details" }),
    element(
      "ul",
      { class: "links contact-links" },
      ...items.map((item) => element("li", {}, item)),
    ),
  );
}

function showPerson(person, since) {
  document.title = `${person.name} · EventMate`;
  const title = element("div", {}, element("h1", { text: person.name }));
  const headline = [person.title, person.company].filter(Boolean).join(" · ");
  if (headline) title.append(element("p", { class: "headline", text: headline }));
  const head = element(
    "section",
    { class: "card contact-head" },
    element("div", { class: "contact-title" }, avatar(person, "large"), title),
  );
  if (person.needs_identifying) {
    head.append(
      element("p", {
        class: "flash flash-info",
        text: `We couldn't read a name from this code. It said: ${person.raw_payload}`,
      }),
    );
  }
  head.append(
    element(
      "ul",
      { class: "meetings" },
      ...person.meetings.map((meeting) =>
        element(
          "li",
          {},
          `${meeting.text} · `,
          element("time", { datetime: meeting.met_at, text: meeting.when }),
        ),
      ),
    ),
  );
  if (person.tags.length) {
    const tags = person.tags.map((tag) =>
      element(
        "li",
        {},
        element("a", { href: `/contacts/?q=${encodeURIComponent(tag)}`, text: tag }),
      ),
    );
    head.append(element("ul", { class: "tag-list", "aria-label": "Tags" }, ...tags));
  }
  const actions = element("div", { class: "contact-actions" });
  if (person.emails.length)
    actions.append(
      element("a", { class: "button", href: `mailto:${person.emails[0]}`, text: "Email" }),
    );
  if (person.phones.length)
    actions.append(
      element("a", { class: "button", href: `sms:${person.phones[0]}`, text: "Text" }),
    );
  actions.append(
    element("a", {
      class: "button button-primary",
      href: `/contacts/${person.id}/edit`,
      text: "Edit",
    }),
  );
  head.append(actions);
  if (person.pending)
    head.append(
      element(
        "p",
        { class: "muted small" },
        waiting(),
        " Your latest notes are saved on this phone.",
      ),
    );
  const from = element("p", {
    class: "muted small",
    text: `From the copy on this phone${since}. Follow-ups, Save to phone and how well you know them come back online.`,
  });
  root.querySelector("[data-person]").replaceChildren(head, said(person), details(person), from);
  root.querySelector("[data-person]").hidden = false;
}

function since(last) {
  if (!last?.refreshed) return "";
  const when = new Date(last.refreshed);
  const day =
    when.toDateString() === new Date().toDateString() ? "today" : when.toLocaleDateString(dateLocale);
  return `, updated ${day} at ${when.toLocaleTimeString(dateLocale, { hour: "2-digit", minute: "2-digit" })}`;
}

const notSaved = () =>
  state.replaceChildren(
    "This contact isn't saved on this phone yet: it comes once the phone has been online. ",
    element("a", { href: "/contacts/", text: "People on this phone" }),
  );

// People's rows, the contacts with notes waiting in the outbox drawn as they'll be: those few
// read in full, the rest from the rows alone.
async function withWaiting(rows, pending) {
  const ids = new Set(
    pending
      .filter((item) => item.kind === "capture" && item.body.contact_id)
      .map((item) => Number(item.body.contact_id)),
  );
  const full = await Promise.all([...ids].map((id) => people.contact(user, id)));
  const redrawn = new Map(
    full.filter(Boolean).map((person) => [person.id, listRow(withPending(person, pending))]),
  );
  return redrawn.size ? rows.map((row) => redrawn.get(row.id) ?? row) : rows;
}

async function show() {
  const id = Number(location.pathname.match(/^\/contacts\/(\d+)$/)?.[1]);
  const [found, pending, last] = await Promise.all([
    id ? people.contact(user, id) : people.rows(user),
    outbox.list({ user }),
    people.lastRefresh(user),
  ]);
  if (!id) showList(await withWaiting(found, pending), since(last));
  else if (found) showPerson(withPending(found, pending), since(last));
  else return notSaved();
  state.hidden = true;
  performance.mark("people-drawn"); // bench/people_offline.py times it
}

show().catch(() => {
  state.textContent = "The people saved on this phone couldn't be read.";
});
