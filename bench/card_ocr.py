"""How well a photographed business card becomes a contact, and what it costs.

    python bench/card_ocr.py                      # every photo in ../shared/testdata/business-cards
    python bench/card_ocr.py photos/a.jpg ...     # only these photos (each beside its .json)

Runs the whole path (eventmate/paper_cards.read_card: photo → OCR → fields, QR included) on
each photo, with the card's `region` as the event's country, and compares with the JSON a person
wrote beside it: name, title and company after Unicode NFC, collapsed spaces and case folding
(a name printed in capitals is the same name); emails as case-insensitive sets; phones as sets
in E.164 (a local number without its area code compares by its digits). Prints the exact-match
rate per field against the targets of issue 15, the CPU seconds per card and the peak memory.

Baseline, in the same run: the OCR engine alone (photo → text lines, no field reading), so the
share of the cost that is field reading shows; and its peak memory is the process's at the end.
"""

import json
import resource
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventmate.paper_cards import read_card
from eventmate.paper_cards.fields import phone_number
from eventmate.paper_cards.image import open_photo
from eventmate.paper_cards.ocr import read_lines

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/testdata/business-cards/photos"
TARGETS = {"emails": 0.95, "phones": 0.90, "name": 0.85, "company": 0.75, "title": 0.70}
CPU_TARGET, MEMORY_TARGET_MB = 2.0, 600


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def text_key(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split()).casefold()


def phone_key(printed: str, region: str) -> str:
    """The same normalisation for both sides: E.164 where the number is whole, else digits."""
    return "".join(char for char in phone_number(printed, region) or printed if char.isdigit())


def read(field) -> str | None:
    return field.value if field else None


def compare(truth: dict, fields) -> dict[str, bool]:
    region = truth["region"]
    return {
        "emails": {e.casefold() for e in truth["emails"]}
        == {e.value.casefold() for e in fields.emails},
        "phones": {phone_key(p, region) for p in truth["phones"]}
        == {phone_key(p.value, region) for p in fields.phones},
        "name": text_key(truth["name"]) == text_key(read(fields.name)),
        "company": text_key(truth["company"]) == text_key(read(fields.company)),
        "title": text_key(truth["title"]) == text_key(read(fields.title)),
    }


def main(paths: list[str]) -> None:
    photos = [Path(p) for p in paths] or sorted(
        p for p in CORPUS.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png")
    )
    read_lines(open_photo(photos[0].read_bytes()))  # load the models: not a card's cost
    results, path_seconds, engine_seconds = [], 0.0, 0.0
    for photo in photos:
        truth = json.loads(photo.with_suffix(".json").read_text("utf-8"))
        data = photo.read_bytes()
        start = cpu_seconds()
        read_lines(open_photo(data))
        engine_seconds += cpu_seconds() - start
        start, wall = cpu_seconds(), time.monotonic()
        reading = read_card(data, truth["region"])
        path_seconds += cpu_seconds() - start
        matches = compare(truth, reading.fields)
        results.append(matches)
        misses = [name for name, ok in matches.items() if not ok]
        wall = time.monotonic() - wall
        print(f"{photo.name:24} {wall:5.1f} s wall  misses: {', '.join(misses) or '-'}")
        for name in misses:
            got = getattr(reading.fields, name)
            got = [item.value for item in got] if isinstance(got, list) else read(got)
            print(f"    {name}: expected {truth[name]!r}, read {got!r}")
    count = len(photos)
    print(f"\n{count} cards\n{'field':10} {'exact':>7} {'target':>7}")
    for name, target in TARGETS.items():
        rate = sum(result[name] for result in results) / count
        verdict = "ok" if rate >= target else "BELOW"
        print(f"{name:10} {rate:7.1%} {target:7.0%}  {verdict}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nCPU s/card, whole path    {path_seconds / count:5.2f}   target ≤ {CPU_TARGET}")
    print(f"CPU s/card, OCR alone     {engine_seconds / count:5.2f}   (baseline)")
    print(f"peak memory               {peak_mb:5.0f} MB   target ≤ {MEMORY_TARGET_MB} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
