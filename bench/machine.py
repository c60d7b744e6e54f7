"""What machine a benchmark ran on: printed at the top of every benchmark's output."""

import os
import platform
from pathlib import Path


def machine_description() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{platform.node()}: {platform.system()} {platform.release()} {platform.machine()}, "
        f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"
    )
