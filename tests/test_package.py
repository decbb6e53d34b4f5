"""The package's lazy public namespace (nqpf/__init__.py, PEP 562).

`import nqpf` must not import the analysis stack: measured by which modules a fresh
interpreter holds afterwards (not by time, which depends on the machine). Every public
name still resolves, to the object its module defines.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import nqpf


def test_import_nqpf_loads_no_analysis_module() -> None:
    code = (
        "import sys, nqpf; heavy = ['scipy', 'matplotlib', 'polars', 'numpy', 'nqpf.dagum']; "
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


@pytest.mark.parametrize("name", nqpf.__all__)
def test_every_public_name_resolves_to_its_module_object(name: str) -> None:
    if name == "__version__":
        assert isinstance(nqpf.__version__, str)
        return
    from importlib import import_module

    value = getattr(nqpf, name)
    assert value is getattr(import_module(nqpf._MODULE_OF[name]), name)
    assert name in dir(nqpf)


def test_submodules_and_unknown_names() -> None:
    import nqpf.io

    assert nqpf.io.read_table is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = nqpf.nope


def test_all_lists_exactly_the_lazy_names() -> None:
    assert set(nqpf.__all__) == set(nqpf._MODULE_OF) | {"__version__"}
