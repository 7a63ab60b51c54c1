// The phone's quick reading of a scanned code (static/js/card-parse.js), on the real badges of
// ../shared/testdata where there are some, and on the formats' awkward corners.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseCode } from "../../static/js/card-parse.js";

test("a vCard: FN, TITLE and ORG's first part, unescaped, folded lines joined", () => {
  const card =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreau;Camille;;;\r\nFN:Camille\r\n  Moreau\r\n" +
    "TITLE:Head of R\\&D\\, Europe\r\nORG:Tidewater Labs;Research\r\nEND:VCARD\r\n";
  assert.deepEqual(parseCode(card), {
    kind: "vcard",
    name: "Camille Moreau",
    title: "Head of R&D, Europe",
    company: "Tidewater Labs",
  });
});

test("a vCard without FN is named from N; grouped and parameterised lines count", () => {
  const card = "BEGIN:VCARD\nN:Okoro;Ada\nitem1.ORG;CHARSET=UTF-8:Lagos Robotics\nEND:VCARD";
  assert.deepEqual(parseCode(card), {
    kind: "vcard",
    name: "Ada Okoro",
    title: "",
    company: "Lagos Robotics",
  });
});

test("a MECARD: N is Last,First; escapes are kept as text", () => {
  const code = "MECARD:N:Okoro,Ada;ORG:Lagos\\; Robotics;TITLE:CTO;EMAIL:ada@lagos.example;;";
  assert.deepEqual(parseCode(code), {
    kind: "mecard",
    name: "Ada Okoro",
    title: "CTO",
    company: "Lagos; Robotics",
  });
  assert.equal(parseCode("MECARD:N:Prince;;").name, "Prince");
});

test("an EventMate card link names nobody yet; other text is named by its first line", () => {
  assert.equal(parseCode("https://eventmate.example/c/AbCdEfGhIjKlMnOp12").kind, "card");
  assert.equal(parseCode("http://127.0.0.1:5000/c/AbCdEfGhIjKlMnOp12/").kind, "card");
  assert.equal(parseCode("https://example.org/c/short").kind, "text");
  assert.equal(parseCode("  Ada Okoro\nBadge 42 ").name, "Ada Okoro");
  assert.equal(parseCode("").name, "");
});
