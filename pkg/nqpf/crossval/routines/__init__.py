"""The adapters, one file per R routine; importing this package registers them.

Within each section of the report (index, then Dagum) the adapters come in the
order of their routines in :data:`nqpf.rbridge.ROUTINES`. To add a routine: write ``nqpf/crossval/routines/<name>.py`` with one
:class:`~nqpf.crossval.registry.Routine` subclass decorated by
:func:`~nqpf.crossval.registry.register`, declare its R routine in
:data:`nqpf.rbridge.ROUTINES` (and its R call in :mod:`nqpf.rbridge`), and
import it below.
"""

from nqpf.crossval.routines import (  # noqa: F401  (importing registers them)
    density,
    dineq,
    hmisc,
    ic2,
    ineq,
    laeken,
    markovchain,
    mcda,
    mcdm,
    plm,
    reference_dagum,
    reference_index,
    spatialreg,
    spdep,
    topsis_cran,
)
