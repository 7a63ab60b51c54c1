// The inbox: the tone coach live under each draft, copy to clipboard, and a mailto: link that
// follows the edited subject and message. Without JavaScript the page still works: the link
// sends the draft as drafted and the server's tone check is shown.
import { attachToneCoach, loadRules } from "./tone-coach.js";

function mailtoHref(email, subject, body) {
  const crlf = body.replace(/\r\n/g, "\n").replace(/\n/g, "\r\n");
  return `mailto:${encodeURIComponent(email).replace(/%40/g, "@").replace(/%2B/g, "+")}` +
    `?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(crlf)}`;
}

async function copyText(text, fallbackField) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  fallbackField.focus();
  fallbackField.select();
  if (!document.execCommand("copy")) throw new Error("copy refused");
}

function enhanceDraft(draft, rules) {
  const subject = draft.querySelector("[data-draft-subject]");
  const body = draft.querySelector("[data-draft-body]");
  const output = draft.querySelector("[data-tone-output]");
  const mailto = draft.querySelector("[data-mailto]");
  const copy = draft.querySelector("[data-copy]");
  const status = draft.querySelector("[data-copy-status]");
  if (!body) return;

  const fit = () => {
    body.style.height = "auto";
    body.style.height = `${body.scrollHeight + 2}px`;
  };
  body.addEventListener("input", fit);
  draft.addEventListener("toggle", fit);
  fit();

  if (rules && output) {
    attachToneCoach(body, output, rules, { firstContact: body.dataset.firstContact === "true" });
  }
  if (mailto) {
    const refresh = () => {
      mailto.href = mailtoHref(mailto.dataset.email, subject.value, body.value);
    };
    subject.addEventListener("input", refresh);
    body.addEventListener("input", refresh);
  }
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      try {
        await copyText(body.value, body);
        status.textContent = "Message copied. Paste it wherever you write to them.";
      } catch {
        status.textContent = "Couldn't copy here: select the message and copy it yourself.";
      }
    });
  }
}

async function enhanceInbox(root) {
  let rules = null;
  try {
    rules = await loadRules(root.dataset.toneRules);
  } catch {
    rules = null; // offline and not cached yet: the server's check stays on screen
  }
  for (const draft of root.querySelectorAll("[data-draft]")) enhanceDraft(draft, rules);
}

const root = document.querySelector("[data-inbox]");
if (root) enhanceInbox(root);
