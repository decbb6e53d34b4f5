"""Every example in a docstring runs and prints what it says (the docs stay true).

Each module of the library (the app's pages excluded: they need a Streamlit session)
is imported and its doctests run; a module whose import needs an optional extra that is
absent is skipped with the reason.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import nqpf

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(nqpf.__path__, "nqpf.")
    if not m.name.startswith("nqpf.app")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        module = importlib.import_module(name)
    except ImportError as error:  # an optional extra (rpy2, PySAL) that is not installed
        pytest.skip(f"{name} needs {error.name}: {error}")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
