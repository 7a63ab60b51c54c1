"""How long the tone coach takes to check a draft, in both engines.

    python bench/tone_speed.py                 # this checkout
    python bench/tone_speed.py /path/to/other  # another checkout's engines, to compare

Times check_tone (eventmate/followups/tone.py) and checkTone (static/js/tone-coach.js, in Node)
on a 5,000-character draft (the message field's maxlength) and a 600-character one (a typical
follow-up), with every rule on (first contact); best of 3 runs of 300 checks, in milliseconds of
CPU per check (CPU time rather than wall time: other work on the machine skews the latter).
"""

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

SENTENCES = (
    "Hi Ana, it was great to meet you at DevConf Lisbon yesterday.",
    "I loved your point about maps and how a city plans bike lanes with them.",
    "Could you send me the slides when you have a moment?",
    "No rush at all — whenever suits you. Résumé of the talk is online.",
)
LONG = ((" ".join(SENTENCES) + "\n\n") * 40)[:5000]
CHECKS, RUNS = 300, 3
NODE_TIMER = """
import { readFileSync } from "node:fs";
const [engine, rulesPath, text, checks, runs] = process.argv.slice(1);
const source = readFileSync(engine, "utf8");
const { checkTone } = await import("data:text/javascript," + encodeURIComponent(source));
const rules = JSON.parse(readFileSync(rulesPath, "utf8"));
for (let i = 0; i < 100; i += 1) checkTone(text, rules, { firstContact: true });
const times = [];
for (let run = 0; run < Number(runs); run += 1) {
  const start = process.cpuUsage();
  for (let i = 0; i < Number(checks); i += 1) checkTone(text, rules, { firstContact: true });
  const used = process.cpuUsage(start);
  times.push((used.user + used.system) / 1000 / Number(checks));
}
process.stdout.write(String(Math.min(...times)));
"""


def python_engine(root: Path):
    spec = importlib.util.spec_from_file_location("tone", root / "eventmate/followups/tone.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check_tone


def python_ms(check_tone, text: str) -> float:
    check_tone(text)
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        for _ in range(CHECKS):
            check_tone(text, first_contact=True)
        times.append((time.process_time() - start) / CHECKS * 1000)
    return min(times)


def node_ms(root: Path, text: str) -> float:
    engine, rules = root / "static/js/tone-coach.js", root / "static/js/tone-rules.json"
    command = ["node", "--input-type=module", "-e", NODE_TIMER, "--", str(engine), str(rules)]
    command += [text, str(CHECKS), str(RUNS)]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    check_tone = python_engine(root)
    for text in (LONG, LONG[:600]):
        print(
            f"{len(text):5} characters: Python {python_ms(check_tone, text):6.2f} ms, "
            f"Node {node_ms(root, text):6.2f} ms per check"
        )


if __name__ == "__main__":
    main()
