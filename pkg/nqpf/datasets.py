"""The embedded default data: Penn World Table 9.1, 117 countries, 2000–2017.

Source and licence: ``data/README.md`` (Feenstra, Inklaar & Timmer 2015, AER
105(10); PWT data CC BY 4.0). The files ship inside the wheel as ``nqpf/data``;
in a source checkout they are read from the repository's ``data/`` folder.
"""

from __future__ import annotations

from pathlib import Path

from nqpf.panel import IndicatorSpec, Panel, read_panel, read_spec

PWT_PANEL = "pwt_panel.csv"
PWT_SPEC = "pwt_spec.csv"
PWT_REGION = "country"
PWT_YEAR = "year"
PWT_GROUP = "continent"


def data_dir() -> Path:
    """The folder holding the default data (installed wheel or source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / PWT_PANEL).exists():
            return candidate
    raise FileNotFoundError("nqpf's default data is missing from this installation")


def pwt_path() -> Path:
    """Path of the default panel CSV."""
    return data_dir() / PWT_PANEL


def pwt_spec_path() -> Path:
    """Path of the default indicator spec CSV."""
    return data_dir() / PWT_SPEC


def load_pwt() -> tuple[Panel, IndicatorSpec]:
    """The default panel (region column ``country``, year ``year``, group ``continent``) and its spec.

    Examples
    --------
    >>> panel, spec = load_pwt()
    >>> len(panel.regions), len(panel.years), len(spec)
    (117, 18, 7)
    """
    panel = read_panel(pwt_path(), region=PWT_REGION, year=PWT_YEAR)
    return panel, read_spec(pwt_spec_path())
