// The ask form's draft (static/js/ask-draft.js), filled from the server's two templates.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fillDraft } from "../../static/js/ask-draft.js";

const templates = {
  plain: "Do you know someone at [[company]] I could talk to?",
  topic: "Do you know someone at [[company]] I could talk to about [[topic]]?",
};

test("the draft names the company and, when there is one, the topic", () => {
  assert.equal(fillDraft(templates, "Globex", ""), "Do you know someone at Globex I could talk to?");
  assert.equal(
    fillDraft(templates, "Globex", "maps"),
    "Do you know someone at Globex I could talk to about maps?",
  );
  assert.equal(fillDraft(templates, "", ""), "Do you know someone at … I could talk to?");
  assert.equal(
    fillDraft(templates, "[[topic]]", "x"),
    "Do you know someone at [[topic]] I could talk to about x?",
  );
});
