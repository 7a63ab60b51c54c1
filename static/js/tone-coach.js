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
const OPENERS = new Set(" \"'("); // normalised characters that may stand before a sentence's first word
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

const compiled = new Map();
function regex(pattern, fragments) {
  if (!compiled.has(pattern)) compiled.set(pattern, new RegExp(expand(pattern, fragments), "du"));
  return compiled.get(pattern);
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
    // "Send me" moves into the sentence
    if (first === start && offset > 0 && /^[A-Z][a-z]/.test(text)) return text[0].toLowerCase() + text.slice(1);
    return text;
  });
  if (startsSentence(codePoints, start) && /^[a-z]/.test(words)) return words[0].toUpperCase() + words.slice(1);
  return words;
}

function phraseFinding(rule, fragments, codePoints, normal, origin) {
  for (const pattern of rule.patterns) {
    const found = regex(pattern.find, fragments).exec(normal);
    if (!found || found[0].length === 0) continue;
    let [start, end] = originalSpan(codePoints, origin, found.index, found.index + found[0].length);
    const match = codePoints.slice(start, end).join("");
    let rewrite = null;
    if ("rewrite" in pattern) {
      rewrite = rewriteOf(pattern.rewrite, found, codePoints, origin, start);
      if (rewrite.endsWith("?") && end < codePoints.length && ".!?".includes(codePoints[end])) end += 1;
    }
    return { id: rule.id, reason: rule.reason, softer: rule.softer, match, rewrite, start, end };
  }
  return null;
}

function wholeDraftFinding(rule, reason = rule.reason) {
  return { id: rule.id, reason, softer: rule.softer, match: null, rewrite: null, start: null, end: null };
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
    findings.push(wholeDraftFinding(rule, rule.reason.replace("{max_words}", String(limits.max_words))));
  }
  return findings;
}

export async function loadRules(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`tone rules: ${response.status}`);
  return response.json();
}

function renderFindings(output, findings) {
  output.replaceChildren();
  if (findings.length === 0) {
    const ok = document.createElement("p");
    ok.className = "tone-ok";
    ok.textContent = "Reads friendly and light.";
    output.append(ok);
    return;
  }
  const list = document.createElement("ul");
  list.className = "tone-findings";
  for (const finding of findings) {
    const item = document.createElement("li");
    const reason = document.createElement("p");
    if (finding.match) {
      const quote = document.createElement("strong");
      quote.textContent = `“${finding.match}”: `;
      reason.append(quote);
    }
    reason.append(finding.reason);
    const softer = document.createElement("p");
    softer.className = "tone-softer";
    softer.textContent = `Softer: ${finding.softer}`;
    item.append(reason, softer);
    list.append(item);
  }
  output.append(list);
}

// Check `textarea` while the user types; findings go to `output` (an aria-live region).
export function attachToneCoach(textarea, output, rules, { firstContact = false } = {}) {
  let timer = null;
  let shown = null;
  const update = () => {
    const findings = checkTone(textarea.value, rules, { firstContact });
    const key = JSON.stringify(findings.map((finding) => [finding.id, finding.match]));
    if (key === shown) return; // say nothing new to screen readers when nothing changed
    shown = key;
    renderFindings(output, findings);
  };
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  update();
  return update;
}
