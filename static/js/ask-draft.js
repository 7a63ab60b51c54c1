// Asking for an introduction: while the message is still the one drafted, it follows the
// company and the topic as they are typed. The words are the server's
// (eventmate/warm_paths/asks.py `draft_templates`): two drafts with slots, with and without a
// topic. Once the user edits the message, it is theirs and nothing rewrites it. The inbox's
// tone coach checks it as it changes.
import { attachToneCoach, loadRules } from "./tone-coach.js";

const SLOTS = /\[\[(company|topic)\]\]/g;

export function fillDraft(templates, company, topic) {
  const template = topic ? templates.topic : templates.plain;
  // One pass, so a company typed as "[[topic]]" stays as typed.
  return template.replace(SLOTS, (_slot, name) => (name === "company" ? company || "…" : topic));
}

const form = globalThis.document?.querySelector("[data-ask-form]");
if (form) {
  const message = form.elements.message;
  const templates = { plain: message.dataset.plain, topic: message.dataset.topic };
  let drafted = message.value;
  const follow = () => {
    if (message.value !== drafted) return; // edited by the user: theirs now
    const company = form.elements.company.value.trim();
    const topic = form.elements.topic.value.trim();
    message.value = drafted = fillDraft(templates, company, topic);
    message.dispatchEvent(new Event("input", { bubbles: true })); // the tone coach looks again
  };
  form.elements.company.addEventListener("input", follow);
  form.elements.topic.addEventListener("input", follow);
  const output = form.querySelector("[data-tone-output]");
  loadRules(output.dataset.toneRules).then(
    (rules) => attachToneCoach(message, output, rules),
    () => {}, // offline and not cached yet: the server's check stays on screen
  );
}
