"""What a data script records about the machine that ran it (provenance only; nothing reads it back)."""
from __future__ import annotations

import platform
from pathlib import Path

import numpy as np


def blas() -> str:
    """numpy's BLAS library and version, e.g. 'scipy-openblas 0.3.31'; 'unknown' if numpy does not say."""
    try:
        libs = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{libs.get('name', '?')} {libs.get('version', '?')}"
    except Exception:                                  # noqa: BLE001 - informative only
        return "unknown"


def cpu() -> str:
    """The processor's model name (from /proc/cpuinfo on Linux), or what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
