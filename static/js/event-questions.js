// The event form's questions: when the kind changes, its usual questions come first, ticked,
// unless the creator already changed the ticks (their choice stays). The server reads
// `questions_kind` to know which kind's presets the ticks still are.

const sameSet = (a, b) => a.length === b.length && a.every((key) => b.includes(key));

export function enhance(fieldset) {
  const { kinds, order } = JSON.parse(fieldset.dataset.eventQuestions);
  const form = fieldset.closest("form");
  const kindSelect = form.elements.kind;
  const presetFor = form.elements.questions_kind;
  const usualList = fieldset.querySelector("[data-usual-questions]");
  const moreList = fieldset.querySelector("[data-more-questions]");
  const boxes = new Map(
    [...fieldset.querySelectorAll("input[name=questions]")].map((box) => [box.value, box]),
  );
  const ticked = () => [...boxes.values()].filter((box) => box.checked).map((box) => box.value);

  kindSelect.addEventListener("change", () => {
    const usual = kinds[kindSelect.value] || kinds.other;
    if (sameSet(ticked(), kinds[presetFor.value] || [])) {
      for (const [key, box] of boxes) box.checked = usual.includes(key);
      presetFor.value = kindSelect.value;
    }
    for (const key of usual) usualList.append(boxes.get(key).closest("label"));
    for (const key of order) {
      if (!usual.includes(key)) moreList.append(boxes.get(key).closest("label"));
    }
    if (ticked().some((key) => !usual.includes(key))) moreList.closest("details").open = true;
  });
}
