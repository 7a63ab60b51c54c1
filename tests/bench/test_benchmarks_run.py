"""The benchmarks in bench/ still run end to end, briefly: their figures are only quoted, never
asserted (a test machine's speed proves nothing), but a benchmark that broke with the code it
measures would be found only when someone needed its figures."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import POSTGRES_PROBLEM

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run_bench(script: str, *args: str) -> str:
    """Run a benchmark script as its README says; its output, after checking it exited 0."""
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout


def test_scans_bench_serves_every_scenario_without_errors():
    output = run_bench(
        "scans.py", "--duration", "1", "--rounds", "1", "--warmup", "0.2",
        "--users", "4", "--workers", "1",
    )  # fmt: skip
    compared = ("ceiling: least scan", "EventMate no-op", "scans, new ids", "scans, repeated ids")
    rows = [line.split("  ")[0] for line in output.splitlines()]
    for scenario in ("bare POST", *compared):
        assert scenario in rows, output
    for scenario in compared:
        assert f"{scenario} / bare POST: " in output, output
    assert "server logs: clean" in output


def test_scan_queries_bench_lists_each_kind_of_scan():
    output = run_bench("scan_queries.py", "--requests", "3")
    for kind in ("no-op (framework only)", "new vCard badge", "new MECARD", "card exchange"):
        assert kind in output
    assert "INSERT contacts" in output


def test_heavy_user_bench_measures_every_page_and_export():
    output = run_bench("heavy_user.py", "--contacts", "20", "120", "--requests", "2")
    for page in ("home", "People search", "Follow-ups", "giving back", "allies", "events"):
        assert f"\n{page} " in output, output
    assert "export JSON" in output and "first chunk" in output
    assert "120 contacts, 36 open follow-ups, 2 events, 600 meetings" in output


@pytest.mark.postgres
@pytest.mark.skipif(bool(POSTGRES_PROBLEM), reason=f"needs PostgreSQL: {POSTGRES_PROBLEM}")
def test_heavy_user_bench_runs_on_postgresql():
    from tests.databases import _server_url

    url = _server_url().render_as_string(hide_password=False)
    output = run_bench(
        "heavy_user.py", "--contacts", "20", "60", "--requests", "2", "--database", url
    )
    assert "PostgreSQL, 60 contacts" in output and "export CSV" in output


def test_shell_size_bench_reports_the_budget():
    assert "KB" in run_bench("shell_size.py")


@pytest.mark.postgres
@pytest.mark.skipif(bool(POSTGRES_PROBLEM), reason=f"needs PostgreSQL: {POSTGRES_PROBLEM}")
def test_reminders_bench_delivers_every_digest():
    output = run_bench("reminders.py", "--count", "40", "--dispatchers", "2", "--threads", "2")
    for run in ("bare pywebpush loop", "1 dispatcher, PostgreSQL", "2 dispatchers, PostgreSQL"):
        assert run in output
    assert "1 dispatcher, SQLite" in output


@pytest.mark.postgres
@pytest.mark.skipif(bool(POSTGRES_PROBLEM), reason=f"needs PostgreSQL: {POSTGRES_PROBLEM}")
def test_scaleout_bench_loses_nothing_when_an_instance_and_a_dispatcher_die():
    output = run_bench(
        "scaleout.py", "--attendees", "100", "--scans", "150", "--instances", "2",
        "--dispatchers", "2", "--clients", "8", "--stall-timeout", "3",
    )  # fmt: skip
    assert "SIGKILLed, back after" in output
    assert "SIGKILLed holding" in output
    for figure in (
        "scans lost: 0",
        "contacts duplicated: 0",
        "answers naming another contact: 0",
        "users without a digest: 0",
        "users with more than one digest: 0",
        "devices that got no push: 0",
    ):
        assert figure in output, output


def test_card_ocr_bench_reads_a_photo_and_prints_the_table(testdata):
    photos = testdata / "business-cards" / "photos"
    out = run_bench("card_ocr.py", str(photos / "veryfi-1.jpg"), str(photos / "andremsouza-9.jpg"))
    for line in ("emails", "phones", "name", "company", "title", "CPU s/card", "peak memory"):
        assert line in out, out


def test_warm_paths_bench_finds_the_people_it_made():
    output = run_bench("warm_paths.py", "--contacts", "60")
    assert "who_i_know_at, 60 contacts:" in output and "(4 there or came from there" in output
    assert "search q=globex, 60 contacts:" in output, output
