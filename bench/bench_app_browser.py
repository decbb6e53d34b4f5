"""The app in headless Chromium on the 31-province panel: open → Dagum table and page
switches (issue 15, deliverable 7; the targets: open → Dagum under 5 s, a page switch
under 0.5 s).

The walk of tests/test_app_speed_e2e.py (tests/app_timing.py: every step timed in the
page's clock from the click to the page drawn, split into the network's share — the
server's script and the transfer — and the browser's, with the CPU seconds of the
server and of Chromium), on a server of its own started as the e2e harness starts it
(tests/test_app_e2e.py: ``streamlit run streamlit_app.py``, Debian's
``/usr/bin/chromium``). Prints the figures and the load average; never fails on time.

Run ``.venv/bin/python bench/bench_app_browser.py [--rounds 3] [--repeat 1]`` on an idle
machine: on 2 shared cores the wall times follow the other jobs (the CPU columns much
less).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from app_panel31 import INDICATORS, PROVINCES, YEARS, panel31_csv
from app_timing import install, load, walk
from test_app_e2e import CHROMIUM, CHROMIUM_ARGS, STEP_MS, serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of page switches")
    parser.add_argument("--repeat", type=int, default=1, help="fresh servers, one walk each")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    csv_path = Path(tempfile.mkdtemp()) / "provinces31.csv"
    csv_path.write_bytes(panel31_csv())
    print(
        f"{len(PROVINCES)} provinces × {len(YEARS)} years × {len(INDICATORS)} indicators; {load()}"
    )
    totals, switches = [], []
    for _ in range(args.repeat):
        with serve("streamlit_app.py") as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            install(context)
            page = context.new_page()
            page.set_default_timeout(STEP_MS)
            walked = walk(page, url, csv_path, rounds=args.rounds)
            context.close()
            browser.close()
        print(walked.report())
        totals.append(walked.open_to_dagum())
        switches += [step.seconds for step in walked.switches]
    if args.repeat > 1:
        print(
            f"over {args.repeat} servers: open → Dagum median {statistics.median(totals):.2f} s "
            f"(max {max(totals):.2f} s); page switch median {statistics.median(switches):.2f} s "
            f"(max {max(switches):.2f} s); {load()}"
        )


if __name__ == "__main__":
    main()
