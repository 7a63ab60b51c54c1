// Small progressive enhancements shared by every page. The pages work without them.
import { refreshTokensOnSubmit } from "./forms.js";
import { start, toast, user } from "./sync.js";

function detectTimezone() {
  const field = document.querySelector("[data-detect-timezone]");
  if (!field) return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    field.value = "UTC";
  }
}

function confirmDangerousForms() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

detectTimezone();
confirmDangerousForms();
start(); // service worker, outbox sync, "waiting to sync" badge
refreshTokensOnSubmit(({ message, action, onAction }) => toast(message, action, onAction));
if (document.querySelector("[data-scan-form]")) {
  import("./scan-form.js").then((module) => module.enhanceScanForm());
}
if (document.querySelector("[data-photo-input]")) {
  import("./contact-photo.js").then((module) => module.enhance());
}
const eventQuestions = document.querySelector("[data-event-questions]");
if (eventQuestions) {
  import("./event-questions.js").then((module) => module.enhance(eventQuestions));
}
if (document.querySelector("form[data-capture]")) {
  import("./offline-capture.js").then((module) => module.enhance());
}
if (document.querySelector("[data-reminder-ask], form[data-reminder-ask-name]")) {
  import("./reminder-ask.js").then((module) => module.enhance());
}
// Through push.js, online: log-out forms name this browser's push endpoint (logging out stops
// its reminders for the account), and a Remind me tapped offline is finished.
if (navigator.onLine && user) {
  import("./push.js")
    .then((module) => {
      module.nameThisBrowserOnLogOut();
      return module.finishPending(document, user);
    })
    .catch(() => {});
}
