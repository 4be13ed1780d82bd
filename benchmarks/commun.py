"""What the benchmark scripts share: printing figures against their targets, running ``ctg`` as a child process
with its own peak memory, and the settings of a throwaway database."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHILD_TIMEOUT_S = 900


def verdict(value: float, target: float, inclusive: bool = False) -> str:
    return "OK" if value < target or (inclusive and value == target) else "AU-DESSUS"


def line(label: str, value: str, target: str = "", status: str = "") -> None:
    cible = f"(cible {target})" if target else ""
    print(f"  {label:<52} {value:>12}  {cible:<17} {status}".rstrip())


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fmt_mb(megabytes: float) -> str:
    return f"{megabytes:.0f} Mo"


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str
    cpu_seconds: float = 0.0  # user + system time of the child (read from os.wait4): less sensitive to a busy machine


def ctg_command() -> list[str]:
    # The "ctg" console script installed next to the interpreter, else the module itself.
    script = Path(sys.executable).parent / "ctg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ctg.cli"]


def run_child(args: list[str], env: dict[str, str]) -> Run:
    """Run ``ctg <args>`` as a child process; return its wall time and its own peak RSS (via wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen([*ctg_command(), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Read the pipes to the end first (so the child never blocks on a full pipe), then reap it with wait4,
        # which gives the resource usage of this child (and of its own waited-for children) only.
        stdout, stderr = _drain(proc)
        _pid, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"« ctg {' '.join(args)} » a échoué (code {proc.returncode}) :\n{stderr}{stdout}")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    rss_mb = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return Run(seconds, rss_mb, stdout, usage.ru_utime + usage.ru_stime)


def _drain(proc: subprocess.Popen) -> tuple[str, str]:
    # Read stdout and stderr without reaping the process (Popen.communicate would reap it and lose the rusage).
    chunks: dict[str, str] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()
        stream.close()

    threads = [threading.Thread(target=read, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            raise TimeoutError(f"le processus enfant n'a pas fini en {CHILD_TIMEOUT_S} s")
    return chunks.get("out", ""), chunks.get("err", "")


def child_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CTG_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="ctg.settings",
        DEBUG="false",  # DEBUG would keep every SQL query in memory
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),  # required whenever DEBUG is off
        CTG_HTTP_SIMPLE="true",  # plain HTTP: the pages are read by django.test.Client, without TLS
    )
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("show server_version").fetchone()[0].split()[0]
