"""Benchmark: an XLSX archive bomb (1 MB that inflates to 1 GiB) is refused fast, in little memory.

Run from the project root:

    .venv/bin/python bench/bench_bomb.py                 # a 1 GiB sheet
    .venv/bin/python bench/bench_bomb.py --inflated-mb 4096

It builds the bomb (bench/xlsx_bomb.py), then reads it with `l_and_d_planner.tabular.read_table`,
the one reader every import (API and web) uses, and prints the answer, the wall time, the
Python allocations' peak (tracemalloc) and the growth of the process's peak resident memory
(ru_maxrss). The aim (issue 12): refused in under 1 s with under 100 MB of extra memory. A
second run reads a legitimate 20,000-row XLSX for comparison. Exits 1 when an aim is missed.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import machine_description  # noqa: E402
from bench.xlsx_bomb import xlsx_bomb  # noqa: E402
from l_and_d_planner.tabular import ImportRejected, read_table, xlsx_bytes  # noqa: E402

AIM_SECONDS = 1.0
AIM_MB = 100


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def read(content: bytes) -> str:
    try:
        table = read_table(filename="plan.xlsx", content=content, required=("role",))
    except ImportRejected as rejected:
        return "refused: " + "; ".join(error.reason for error in rejected.errors)
    return f"read {len(table.rows):,} rows"


def measure(content: bytes) -> tuple[str, float, float, float]:
    """(answer, seconds, tracemalloc peak MB, peak RSS growth MB) of reading `content`.

    Timed without tracemalloc (which slows allocations down several times), then read again
    under it for the allocations' peak; the RSS growth covers both reads.
    """
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    answer = read(content)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read(content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return answer, seconds, peak / 1024 / 1024, peak_rss_mb() - rss_before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--inflated-mb", type=int, default=1024, help="the sheet's inflated size")
    options = parser.parse_args()
    print(machine_description())
    started = time.perf_counter()
    bomb = xlsx_bomb(options.inflated_mb * 1024 * 1024)
    print(
        f"bomb: {len(bomb) / 1024 / 1024:.2f} MB file, sheet inflates to "
        f"{options.inflated_mb:,} MB (built in {time.perf_counter() - started:.2f} s)"
    )
    answer, seconds, traced, rss = measure(bomb)
    print(f"  {answer}")
    print(
        f"  {seconds * 1000:.1f} ms, Python allocations peak {traced:.1f} MB, "
        f"peak RSS grew {rss:.1f} MB (aim: < {AIM_SECONDS:.0f} s, < {AIM_MB} MB)"
    )
    legit = xlsx_bytes(
        [("Plan", ["role", "current_fte"], [[f"Role {n}", n % 7] for n in range(19_999)])]
    )
    legit_answer, legit_seconds, legit_traced, _ = measure(legit)
    print(
        f"legitimate 20,000-row XLSX ({len(legit) / 1024:.0f} kB): {legit_answer} in "
        f"{legit_seconds * 1000:.0f} ms, Python allocations peak {legit_traced:.1f} MB"
    )
    ok = answer.startswith("refused") and seconds < AIM_SECONDS and max(traced, rss) < AIM_MB
    print("aim met" if ok else "AIM MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
