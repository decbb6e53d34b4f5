"""The Streamlit front of nqpf: upload a panel, build the index, split its disparity,
compare methods, check against R, export.

Start it with ``nqpf app`` or ``streamlit run streamlit_app.py`` (needs the ``app``
extra). :mod:`nqpf.app.main` is the ``st.navigation`` router; the pages live in
``nqpf/app/app_pages/`` (not ``pages/``, which Streamlit would auto-discover as a
legacy multipage folder); :mod:`~nqpf.app.state` holds the cached computations,
:mod:`~nqpf.app.charts` the Altair charts, :mod:`~nqpf.app.export` the file
formats and :mod:`~nqpf.app.i18n` every label in English and Chinese. Statistics
never live here: every number comes from the :mod:`nqpf` API.
"""

from __future__ import annotations

from pathlib import Path

#: The router script that ``streamlit run`` executes.
MAIN = Path(__file__).resolve().parent / "main.py"

#: The settings of the repository's ``.streamlit/config.toml`` (a test keeps them
#: equal). ``streamlit run`` reads that file only from the working directory, so
#: ``nqpf app``, which may start anywhere, passes them as flags.
SETTINGS: dict[str, object] = {
    "server.maxUploadSize": 50,
    "server.headless": True,
    "browser.gatherUsageStats": False,
    "client.showErrorDetails": "type",
    "client.toolbarMode": "minimal",
    "runner.magicEnabled": False,
}


def streamlit_args() -> list[str]:
    """``--section.option=value`` flags for ``streamlit run`` carrying :data:`SETTINGS`."""
    out = []
    for name, value in SETTINGS.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        out.append(f"--{name}={text}")
    return out


__all__ = ["MAIN", "SETTINGS", "streamlit_args"]
