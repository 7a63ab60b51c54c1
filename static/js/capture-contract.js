// The capture contract on the phone (its one definition: capture-contract.json, read by
// eventmate/contacts/contract.py too): which fields a capture holds and how a tag is named
// and keyed, exactly as the server does it (tests/unit/test_capture_contract.py checks both).

// Pure functions of the contract's data, so node tests can pass the JSON in.
export function tagRules(contract) {
  const { whitespace, fold, separator } = contract.tags;
  const spaces = new RegExp(`[${whitespace}]+`, "u");
  // "#AI " is named "AI"; "" means no tag.
  const name = (text) => text.split(spaces).filter(Boolean).join(" ").replace(/^#+/, "");
  // Python's casefold: lowercase, except where the table says otherwise ("ß" is "ss").
  const key = (text) => Array.from(text, (c) => fold[c] ?? c.toLowerCase()).join("");
  const split = (typed) => typed.split(separator).map(name).filter(Boolean);
  const has = (tags, tag) => tags.some((other) => key(other) === key(tag));
  return { name, key, split, has };
}

let loaded = null;

// The contract as the page's version serves it (precached with the app shell: works offline).
export function loadContract() {
  loaded ??= fetch(new URL("./capture-contract.json", import.meta.url)).then((response) => {
    if (!response.ok) throw new Error(`capture-contract.json: ${response.status}`);
    return response.json();
  });
  return loaded;
}
