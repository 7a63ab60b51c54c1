// What the phone reads from a scanned code by itself, before the server answers: enough for
// the capture screen's header (name, title, company). The server parses the code again, fully
// (eventmate/badges), and its answer replaces this. An EventMate card link names nobody until
// the server looks it up: {kind: "card"}.
const CARD_LINK = /^https?:\/\/[^/\s]+\/c\/[A-Za-z0-9_-]{16,64}\/?(?:[?#]\S*)?$/i;

// vCard: folded lines joined, "\," "\;" "\n" unescaped; "ORG:Company;Unit" is its first part.
function vcard(text) {
  const lines = text.replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  const field = (name) => {
    const line = lines.find((l) => new RegExp(`^(?:[\\w-]+\\.)?${name}(?:;[^:]*)?:`, "i").test(l));
    return line ? line.slice(line.indexOf(":") + 1) : "";
  };
  const unescape = (value) => value.replace(/\\n/gi, " ").replace(/\\(.)/g, "$1").trim();
  const first = (value) => unescape(value.split(/(?<!\\);/)[0] ?? "");
  let name = unescape(field("FN"));
  if (!name) {
    const [last = "", given = ""] = field("N").split(/(?<!\\);/).map(unescape);
    name = `${given} ${last}`.trim();
  }
  return { kind: "vcard", name, title: unescape(field("TITLE")), company: first(field("ORG")) };
}

// MECARD: "KEY:value;" fields, a backslash escapes; N is "Last,First".
function mecard(body) {
  const fields = {};
  for (const raw of body.match(/(?:\\.|[^\\;])+/gs) ?? []) {
    const colon = raw.indexOf(":");
    if (colon < 0) continue;
    const key = raw.slice(0, colon).trim().toUpperCase();
    fields[key] ??= raw.slice(colon + 1);
  }
  const unescape = (value = "") => value.replace(/\\(.)/gs, "$1").trim();
  const names = (fields.N ?? "").match(/^((?:\\.|[^\\,])*),(.*)$/s);
  const name = names ? `${unescape(names[2])} ${unescape(names[1])}`.trim() : unescape(fields.N);
  return { kind: "mecard", name, title: unescape(fields.TITLE), company: unescape(fields.ORG) };
}

export function parseCode(payload) {
  const text = String(payload ?? "").trim();
  if (/^BEGIN:VCARD/i.test(text)) return vcard(text);
  if (/^MECARD:/i.test(text)) return mecard(text.slice("MECARD:".length));
  if (CARD_LINK.test(text)) return { kind: "card", name: "", title: "", company: "" };
  const firstLine = text.split("\n")[0].trim().slice(0, 120);
  return { kind: "text", name: firstLine, title: "", company: "" };
}
