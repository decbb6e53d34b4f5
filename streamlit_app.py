"""Streamlit entry point: ``streamlit run streamlit_app.py``.

A thin router only; the pages and every computation live in the ``nqpf`` package
(``pkg/nqpf/app``), so the app is installed and tested with it.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import nqpf  # noqa: F401
except ImportError:  # a source checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent / "pkg"))

from nqpf.app.main import run

run()
