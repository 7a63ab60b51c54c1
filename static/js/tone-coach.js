// The tone coach in the browser: the same rules (tone-rules.json) and the same steps as
// eventmate/followups/tone.py, so a draft gets the same findings offline and on the server.
// Importable from Node for the shared tests: nothing here touches the DOM until called.

const QUOTES = {
  "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
  "\u201c": '"', "\u201d": '"', "\u201e": '"',
};
const SPACES = new Set([
  ..."\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000",
  ...Array.from({ length: 0x200b - 0x2000 }, (_, i) => String.fromCodePoint(0x2000 + i)),
]);
const MARK = /\p{M}/gu;
const WORD = /[a-z']+/g;

function normalChar(char) {
  if (SPACES.has(char)) return " ";
  if (char in QUOTES) return QUOTES[char];
  return char.normalize("NFD").replace(MARK, "").toLowerCase().replace(MARK, "");
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

const compiled = new Map();
function regex(pattern) {
  if (!compiled.has(pattern)) compiled.set(pattern, new RegExp(pattern));
  return compiled.get(pattern);
}

// Findings for a draft, in rule order: [{id, reason, softer, match}]; [] when it reads well.
export function checkTone(text, rules, { firstContact = false } = {}) {
  const { normal, origin } = normalise(text);
  const codePoints = Array.from(text);
  const findings = [];
  for (const rule of rules.phrases) {
    if (rule.when === "first_contact" && !firstContact) continue;
    for (const pattern of rule.patterns) {
      const found = regex(pattern).exec(normal);
      if (found && found[0].length > 0) {
        const start = origin[found.index];
        let end = origin[found.index + found[0].length - 1] + 1;
        while (end < codePoints.length && normalChar(codePoints[end]) === "") end += 1;
        const match = codePoints.slice(start, end).join("");
        findings.push({ id: rule.id, reason: rule.reason, softer: rule.softer, match });
        break;
      }
    }
  }
  const { limits } = rules;
  const words = (normal.match(WORD) || []).map((word) => word.replace(/^'+|'+$/g, ""));
  const aboutMe = words.filter((word) => rules.self_words.includes(word)).length;
  const aboutYou = words.filter((word) => rules.other_words.includes(word)).length;
  if (aboutMe >= limits.self_min && aboutMe > limits.self_ratio * aboutYou) {
    const rule = rules.self_focus;
    findings.push({ id: rule.id, reason: rule.reason, softer: rule.softer, match: null });
  }
  if (normal.split(" ").filter(Boolean).length > limits.max_words) {
    const rule = rules.length;
    const reason = rule.reason.replace("{max_words}", String(limits.max_words));
    findings.push({ id: rule.id, reason, softer: rule.softer, match: null });
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
