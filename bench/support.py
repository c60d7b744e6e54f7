"""Shared by the benchmarks: the machine they ran on, and their own throwaway databases."""

import os
import platform
from pathlib import Path
from urllib.parse import urlparse


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_description() -> str:
    """Host, OS, CPU, cores, memory and Python: printed at the top of every benchmark."""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{platform.node()}: {platform.system()} {platform.release()} {platform.machine()}, "
        f"{cpu_model()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"
    )


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    """Drop (and unless `drop_only`, create) a benchmark database named lnd_bench*."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("lnd_bench"):
        raise SystemExit(f"Refusing to touch database {name!r}: its name must start lnd_bench.")
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
