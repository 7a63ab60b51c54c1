// The tone coach in the browser: the same rules (tone-rules.json) and the same steps as
// eventmate/followups/tone.py, so a draft gets the same findings offline and on the server.
// Importable from Node for the shared tests: nothing here touches the DOM until called.

const QUOTES = {
  "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'",
  "\u00b4": "'", "`": "'", "\u2032": "'",
  "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
  "\u00ab": '"', "\u00bb": '"', "\u2039": '"', "\u203a": '"',
};
const DASHES = new Set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212");
const SPACES = new Set([
  ..."\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000",
  ...Array.from({ length: 0x200b - 0x2000 }, (_, i) => String.fromCodePoint(0x2000 + i)),
]);
const LINE_BREAKS = new Set("\n\v\f\r\u2028\u2029");
const SENTENCE_ENDS = new Set(".!?\u2026");
// Normalised characters that may stand before a sentence's first word.
const OPENERS = new Set(" \"'(");
const MARK = /\p{M}/gu;
const WORD = /[a-z']+/g;
const FRAGMENT = /\{([a-z_]+)\}/g;
const GROUP = /\{(\d)\}/g;

const normalCache = new Map();
function normalChar(char) {
  let normal = normalCache.get(char);
  if (normal !== undefined) return normal;
  if (SPACES.has(char)) normal = " ";
  else if (char in QUOTES) normal = QUOTES[char];
  else if (DASHES.has(char)) normal = "-";
  else normal = char.normalize("NFD").replace(MARK, "").toLowerCase().replace(MARK, "");
  normalCache.set(char, normal);
  return normal;
}

// The text as the rules see it, and for each of its UTF-16 units the original code point's index.
export function normalise(text) {
  let normal = "";
  const origin = [];
  Array.from(text).forEach((char, index) => {
    const part = normalChar(char);
    normal += part;
    for (let unit = 0; unit < part.length; unit += 1) origin.push(index);
  });
  return { normal, origin };
}

// The pattern with each {name} replaced by that fragment, itself expanded.
export function expand(pattern, fragments) {
  return pattern.replace(FRAGMENT, (_, name) => expand(fragments[name], fragments));
}

// "d" for the groups' offsets, "u" so that quantifiers count code points as Python does.
const compiled = new WeakMap(); // fragments → (pattern → RegExp)
function regex(pattern, fragments) {
  if (!compiled.has(fragments)) compiled.set(fragments, new Map());
  const cache = compiled.get(fragments);
  if (!cache.has(pattern)) cache.set(pattern, new RegExp(expand(pattern, fragments), "du"));
  return cache.get(pattern);
}

// Where the normalised units start to end came from, in code points of the original.
function originalSpan(codePoints, origin, start, end) {
  let last = origin[end - 1] + 1;
  while (last < codePoints.length && normalChar(codePoints[last]) === "") last += 1;
  return [origin[start], last];
}

// Whether the code point at `index` begins a sentence or a line.
export function startsSentence(codePoints, index) {
  let before = index - 1;
  while (before >= 0 && OPENERS.has(normalChar(codePoints[before]))) {
    if (LINE_BREAKS.has(codePoints[before])) return true;
    before -= 1;
  }
  return before < 0 || SENTENCE_ENDS.has(codePoints[before]);
}

function rewriteOf(template, found, codePoints, origin, start) {
  const words = template.replace(GROUP, (_, number, offset) => {
    const span = found.indices[Number(number)];
    if (!span || span[1] <= span[0]) return "";
    const [first, last] = originalSpan(codePoints, origin, span[0], span[1]);
    const text = codePoints.slice(first, last).join("");
    if (first === start && offset > 0 && /^[A-Z][a-z]/.test(text)) {
      return text[0].toLowerCase() + text.slice(1); // "Send me" moves into the sentence
    }
    return text;
  });
  if (startsSentence(codePoints, start) && /^[a-z]/.test(words)) {
    return words[0].toUpperCase() + words.slice(1);
  }
  return words;
}

function phraseFinding(rule, fragments, codePoints, normal, origin) {
  for (const pattern of rule.patterns) {
    const found = regex(pattern.find, fragments).exec(normal);
    if (!found || found[0].length === 0) continue;
    const matched = [found.index, found.index + found[0].length];
    const [start, matchEnd] = originalSpan(codePoints, origin, ...matched);
    const match = codePoints.slice(start, matchEnd).join("");
    let [rewrite, end] = [null, matchEnd];
    if ("rewrite" in pattern) {
      rewrite = rewriteOf(pattern.rewrite, found, codePoints, origin, start);
      const next = codePoints[end] ?? "";
      if (rewrite.endsWith("?") && next && ".!?".includes(next)) end += 1;
    }
    return { id: rule.id, reason: rule.reason, softer: rule.softer, match, rewrite, start, end };
  }
  return null;
}

function wholeDraftFinding(rule, reason = rule.reason) {
  const none = { match: null, rewrite: null, start: null, end: null };
  return { id: rule.id, reason, softer: rule.softer, ...none };
}

// Findings for a draft, in rule order: [{id, reason, softer, match, rewrite, start, end}], where
// rewrite replaces code points start to end; [] when it reads well.
export function checkTone(text, rules, { firstContact = false } = {}) {
  const { normal, origin } = normalise(text);
  const codePoints = Array.from(text);
  const findings = [];
  for (const rule of rules.phrases) {
    if (rule.when === "first_contact" && !firstContact) continue;
    const finding = phraseFinding(rule, rules.fragments, codePoints, normal, origin);
    if (finding) findings.push(finding);
  }
  const { limits } = rules;
  const words = (normal.match(WORD) || []).map((word) => word.replace(/^'+|'+$/g, ""));
  const aboutMe = words.filter((word) => rules.self_words.includes(word)).length;
  const aboutYou = words.filter((word) => rules.other_words.includes(word)).length;
  if (aboutMe >= limits.self_min && aboutMe > limits.self_ratio * aboutYou) {
    findings.push(wholeDraftFinding(rules.self_focus));
  }
  if (normal.split(" ").filter(Boolean).length > limits.max_words) {
    const rule = rules.length;
    const reason = rule.reason.replace("{max_words}", String(limits.max_words));
    findings.push(wholeDraftFinding(rule, reason));
  }
  return findings;
}

export async function loadRules(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`tone rules: ${response.status}`);
  return response.json();
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderFindings(output, findings, { onSoften, undo }) {
  output.replaceChildren();
  if (undo) {
    const done = element("p", "tone-undo", "Softer wording in place. ");
    const button = element("button", "link-button", "Undo");
    button.type = "button";
    button.addEventListener("click", undo);
    done.append(button);
    output.append(done);
  }
  if (findings.length === 0) {
    output.append(element("p", "tone-ok", "Reads friendly and light."));
    return;
  }
  const list = element("ul", "tone-findings");
  for (const finding of findings) {
    const item = element("li");
    const reason = element("p");
    if (finding.match) reason.append(element("strong", "", `“${finding.match}”: `));
    reason.append(finding.reason);
    item.append(reason);
    if (finding.rewrite) {
      item.append(element("p", "tone-softer", `Softer: “${finding.rewrite}”`));
      const button = element("button", "button tone-soften", "Use softer wording");
      button.type = "button";
      button.append(element("span", "visually-hidden", ` instead of “${finding.match}”`));
      button.addEventListener("click", () => onSoften(finding.id));
      item.append(button);
    } else {
      item.append(element("p", "tone-softer", `Softer: ${finding.softer}`));
    }
    list.append(item);
  }
  output.append(list);
}

// UTF-16 offset of code point `index` in `text` (the engines count code points).
function unitOffset(text, index) {
  return Array.from(text).slice(0, index).join("").length;
}

// Replace units start to end of the textarea's text. With a mouse, through the browser's own
// editing so that Ctrl+Z undoes it; on a touch screen without focusing, which would open the
// keyboard over the coach (the coach's own Undo is there instead).
function replaceText(textarea, start, end, text) {
  if (matchMedia("(pointer: fine)").matches) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    if (document.execCommand("insertText", false, text)) return;
  }
  textarea.setRangeText(text, start, end, "end");
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

// Check `textarea` while the user types; findings go to `output` (an aria-live region), each
// with its softer words one tap away, and an Undo for the last one taken.
export function attachToneCoach(textarea, output, rules, { firstContact = false } = {}) {
  let timer = null;
  let shown = null;
  let undo = null; // the last softer wording taken: {start, rewrite, original} in UTF-16 units
  let editing = false; // our own edit is under way: its input event keeps the Undo
  const check = () => checkTone(textarea.value, rules, { firstContact });
  const edit = (start, end, text) => {
    editing = true;
    try {
      replaceText(textarea, start, end, text);
    } finally {
      editing = false;
    }
  };
  const soften = (id) => {
    const finding = check().find((found) => found.id === id && found.rewrite);
    if (!finding) return update();
    const text = textarea.value;
    const start = unitOffset(text, finding.start);
    const end = unitOffset(text, finding.end);
    edit(start, end, finding.rewrite);
    undo = { start, rewrite: finding.rewrite, original: text.slice(start, end) };
    update();
    keepFocus(".tone-undo button");
  };
  const undoSoften = () => {
    const { start, rewrite, original } = undo;
    undo = null;
    if (textarea.value.slice(start, start + rewrite.length) === rewrite) {
      edit(start, start + rewrite.length, original);
    }
    update();
    keepFocus(".tone-soften");
  };
  // The tapped button is gone once the coach redraws: a keyboard or screen reader user goes on
  // from the button that took its place (with a mouse the focus is in the message, for Ctrl+Z).
  const keepFocus = (selector) => {
    if (document.activeElement !== textarea) output.querySelector(selector)?.focus();
  };
  const update = () => {
    clearTimeout(timer);
    const findings = check();
    const seen = findings.map((finding) => [finding.id, finding.match, finding.rewrite]);
    const key = JSON.stringify([undo, seen]);
    if (key === shown) return; // say nothing new to screen readers when nothing changed
    shown = key;
    renderFindings(output, findings, { onSoften: soften, undo: undo && undoSoften });
  };
  textarea.addEventListener("input", () => {
    if (editing) return;
    undo = null;
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  update();
  return update;
}
