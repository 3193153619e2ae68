"""Helpers shared by the bench scripts: paths, machine description, worker subprocesses, JSON files.

Imports neither TensorFlow nor convviz's TensorFlow modules: the scripts that
use it only start subprocesses (``python -m bench.worker ...``) and read files.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
OUT_DIR = ROOT / "bench" / "out"  # scratch (git-ignored): logs of --run trainings
BENCH_RUNS_DIR = OUT_DIR / "runs"  # the run store of the windows a benchmark opens (not the user's)
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data" / "mnist"


def data_dir() -> str:
    """$CONVVIZ_DATA_DIR, else the shared real MNIST beside the repository."""
    return os.environ.get("CONVVIZ_DATA_DIR") or str(DEFAULT_DATA_DIR)


def child_env() -> dict:
    """Environment for worker / CLI subprocesses: the repo importable, MNIST found, TF quiet."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["CONVVIZ_DATA_DIR"] = data_dir()
    env.setdefault("CONVVIZ_RUNS_DIR", str(BENCH_RUNS_DIR))  # a window's runs are not the user's
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _cpu_flags() -> list[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "fma") if f in flags]
    except OSError:
        pass
    return []


def _versions() -> dict:
    """TF / Keras / numpy versions, asked of a subprocess so this process stays TF-free."""
    code = (
        "import json, numpy, tensorflow as tf; "
        "print(json.dumps({'tensorflow': tf.__version__, 'keras': __import__('keras').__version__, "
        "'numpy': numpy.__version__, 'onednn': __import__('os').environ.get('TF_ENABLE_ONEDNN_OPTS', 'default (on)')}))"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], env=child_env(), capture_output=True, text=True, timeout=120, check=True
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError, OSError) as exc:
        return {"error": str(exc)}


def machine_info() -> dict:
    """What the numbers were measured on; load average says how busy the shared machine was."""
    info = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "hostname": platform.node(),
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "cpu_flags": _cpu_flags(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": list(os.getloadavg()),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        info["mem_total_gb"] = round(mem_kb / 1e6, 1)
    except (OSError, StopIteration, ValueError):
        pass
    info.update(_versions())
    return info


def command_line() -> str:
    """The command that produced a result, as it can be pasted into a shell from the repo root."""
    script = Path(sys.argv[0])
    try:
        script = script.resolve().relative_to(ROOT)
    except ValueError:
        pass
    return " ".join(shlex.quote(a) for a in ["PYTHONPATH=.", "python", str(script), *sys.argv[1:]])


class WorkerError(RuntimeError):
    pass


def run_worker(args: Sequence[str], timeout: float = 1800, wait4: bool = False) -> dict:
    """Run ``python -m bench.worker ARGS`` in a fresh process; return its last stdout line as JSON.

    With ``wait4`` the child is reaped with ``os.wait4`` and its kernel ``ru_maxrss``
    (peak resident set, bytes) is added as ``ru_maxrss_bytes``.
    """
    cmd = [sys.executable, "-m", "bench.worker", *args]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, cwd=str(ROOT), env=child_env(), stdout=out, stderr=err)
        maxrss = None
        try:
            if wait4:
                deadline = time.monotonic() + timeout
                while True:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        proc.returncode = (
                            os.waitstatus_to_exitcode(status)
                            if hasattr(os, "waitstatus_to_exitcode")
                            else (status >> 8)
                        )
                        maxrss = usage.ru_maxrss * 1024  # Linux: kilobytes
                        break
                    if time.monotonic() > deadline:
                        raise subprocess.TimeoutExpired(cmd, timeout)
                    time.sleep(0.05)
            else:
                proc.wait(timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise WorkerError(f"worker {' '.join(args)} exited with {proc.returncode}:\n{tail}")
    lines = [line for line in stdout.strip().splitlines() if line.startswith("{")]
    if not lines:
        raise WorkerError(f"worker {' '.join(args)} printed no JSON result:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    result = json.loads(lines[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    if maxrss is not None:
        result["ru_maxrss_bytes"] = maxrss
    return result


def median(values: Sequence[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1) + "\n")
    tmp.replace(path)


def write_results(json_path: Path, md_path: Path, result: dict, render) -> int:
    """A benchmark's end: ``result`` as JSON, ``render(result)`` as its Markdown section, a line saying
    where; 0, the script's exit status."""
    write_json(json_path, result)
    md_path.write_text(render(result), encoding="utf-8")
    log(f"wrote {json_path} and {md_path.name}")
    return 0


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
