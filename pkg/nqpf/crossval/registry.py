"""The registry of R routines crossval checks against: one adapter object per routine.

An adapter (a subclass of :class:`Routine`, one small file in
``nqpf/crossval/routines/``) says

- which R routine it is (``routine``: a name declared in :data:`nqpf.rbridge.ROUTINES`,
  which gives its R package: :attr:`Routine.package`);
- which section of the report it fills (``section``: ``"index"``, ``"dagum"``,
  ``"spatial"`` or ``"dynamics"``; :func:`nqpf.crossval.validate` runs the first three,
  :func:`nqpf.crossval.validate_dynamics` the last)
  and what it checks (``quantities``);
- which index option values it reproduces (``parts``: for each group of
  quantities, the values of :class:`nqpf.options.IndexOptions` options under
  which R has a counterpart, and the reason shown when it has not);
- whether it takes unit weights in the decomposition (``weighted``), and the
  smallest tolerance it can meet (``tolerance_floor``);
- how to call it (:meth:`Routine.run`).

:func:`register` checks the declaration against :class:`~nqpf.options.IndexOptions`
when the adapter is registered (at import): an option name or value that the index
does not declare, or a routine that :mod:`nqpf.rbridge` does not know, is a
``TypeError`` there, not a silent mismatch later. Adding a routine is one new
file with one class decorated by :func:`register`, imported by
``nqpf/crossval/routines/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from nqpf.options import IndexOptions

if TYPE_CHECKING:
    from nqpf.crossval.context import Run
    from nqpf.crossval.rows import Rows

__all__ = ["Part", "Routine", "adapters", "register", "routine_names"]

SECTIONS = ("index", "dagum", "spatial", "dynamics")
#: The sections of :func:`nqpf.crossval.validate` (an index run and its score).
INDEX_SECTIONS = ("index", "dagum", "spatial")


@dataclass(frozen=True, slots=True)
class Part:
    """A group of quantities and the option values under which R reproduces them.

    ``options`` maps an :class:`~nqpf.options.IndexOptions` name to the values R
    has a counterpart for (an option not named: every value); ``excludes`` lists
    combinations of option values that R has no counterpart for, although each
    value alone has one. ``skip`` is the reason shown as a skipped row when the
    run's options are outside, with ``{name}`` and ``{value}`` filled from the
    first option outside; ``None`` means the quantities are simply not compared
    (another row's note says why).
    """

    quantities: tuple[str, ...]
    options: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    skip: str | None = "{name}={value!r} has no R counterpart"
    excludes: tuple[Mapping[str, Any], ...] = ()

    def outside(self, options: IndexOptions) -> tuple[str, Any] | None:
        """The first (option, value) of ``options`` that this part does not reproduce."""
        for name, values in self.options.items():
            value = getattr(options, name)
            if not isinstance(value, str) or value not in values:
                # user weights (values, not a method name) are outside any declared choice
                return name, value if isinstance(value, str) else "user"
        for combination in self.excludes:
            if all(getattr(options, k) == v for k, v in combination.items()):
                name = next(iter(combination))
                return name, combination[name]
        return None

    def reason(self, options: IndexOptions) -> str | None:
        """The skip reason for ``options``, or None when they are reproduced."""
        found = self.outside(options)
        if found is None or self.skip is None:
            return None
        name, value = found
        return self.skip.format(name=name, value=value)

    def check(self, where: str) -> None:
        """TypeError unless every option name and value is declared in IndexOptions."""
        names = IndexOptions.names()
        pairs = [(n, v) for n, values in self.options.items() for v in values or [None]]
        pairs += [(n, v) for combination in self.excludes for n, v in combination.items()]
        for name, value in pairs:
            if name not in names:
                raise TypeError(f"{where}: IndexOptions has no option {name!r}")
            choices = IndexOptions.info(name).choices
            if value not in choices:
                raise TypeError(
                    f"{where}: {name}={value!r} is not among its choices {list(choices)}"
                )


class Routine:
    """One R routine's adapter: what it checks, for which options, how it is called.

    Subclasses set the class attributes and implement :meth:`run`; see the module
    docstring. ``run`` adds rows to ``rows`` (compared or skipped) for one
    :class:`~nqpf.crossval.context.Run`; it is called inside
    :meth:`Rows.routine`, which turns an R error or a missing package into a
    skipped row.
    """

    routine: ClassVar[str] = ""
    section: ClassVar[str] = ""
    quantities: ClassVar[tuple[str, ...]] = ()
    parts: ClassVar[tuple[Part, ...]] = ()
    #: Whether the routine takes unit weights of the decomposition (``dagum_weights``).
    weighted: ClassVar[bool] = True
    #: (tolerance, why) when the routine cannot meet a tighter tolerance.
    tolerance_floor: ClassVar[tuple[float, str] | None] = None

    @property
    def package(self) -> str:
        """The R package the routine needs (from :data:`nqpf.rbridge.ROUTINES`)."""
        from nqpf import rbridge

        return rbridge.routine(self.routine).package

    @classmethod
    def check_declaration(cls, where: str) -> None:
        """Further checks of the declaration at registration (none by default)."""

    def skip_reason(self, run: Run) -> str | None:
        """Why the routine cannot run for ``run`` at all (None: it can)."""
        if not self.weighted and run.dagum_weights is not None:
            return f"not applicable: {self.routine} takes no weights"
        return None

    def quantities_for(self, run: Run) -> list[str]:
        """The quantities of this run (for a skipped row): :attr:`quantities` by default."""
        return list(self.quantities)

    def check(self, rows: Rows, run: Run) -> None:
        """Add this routine's rows: skipped with the reason, or compared by :meth:`run`."""
        from nqpf.crossval.rows import routine

        quantities = self.quantities_for(run)
        with routine(rows, self.routine, quantities, run.status) as usable:
            if not usable:
                return
            reason = self.skip_reason(run)
            if reason is not None:
                rows.skip(self.routine, quantities, reason)
                return
            self.run(rows, run)

    def run(self, rows: Rows, run: Run) -> None:  # pragma: no cover - abstract
        """Compare: call R and add the rows (:meth:`Rows.compare`)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<crossval adapter {self.routine} ({self.section})>"


_REGISTRY: list[Routine] = []

R = TypeVar("R", bound=type[Routine])


def register(cls: R) -> R:
    """Check an adapter's declaration and add it to the registry (a class decorator).

    Raises
    ------
    TypeError
        For a routine not declared in :data:`nqpf.rbridge.ROUTINES`, an unknown
        section, no quantities, an option name that :class:`IndexOptions` does not
        declare, or a value outside that option's choices.
    """
    from nqpf import rbridge

    where = f"crossval adapter {cls.__name__}"
    try:
        rbridge.routine(cls.routine)
    except KeyError as exc:
        raise TypeError(f"{where}: {exc.args[0]}") from None
    if cls.section not in SECTIONS:
        raise TypeError(f"{where}: section {cls.section!r} is not one of {SECTIONS}")
    if not cls.quantities:
        raise TypeError(f"{where}: declares no quantities")
    for part in cls.parts:
        unknown = set(part.quantities) - set(cls.quantities)
        if unknown:
            raise TypeError(f"{where}: part quantities {sorted(unknown)} are not declared")
        part.check(where)
    cls.check_declaration(where)
    if any(type(a) is cls for a in _REGISTRY):
        raise TypeError(f"{where}: registered twice")
    _REGISTRY.append(cls())
    return cls


def adapters(section: str | None = None) -> tuple[Routine, ...]:
    """The registered adapters (of one section), in the order of the report: by
    section, then by the position of their routine in :data:`nqpf.rbridge.ROUTINES`."""
    import nqpf.crossval.routines  # noqa: F401  (registers the adapters)
    from nqpf import rbridge

    position = {entry.name: i for i, entry in enumerate(rbridge.ROUTINES)}
    ordered = sorted(_REGISTRY, key=lambda a: (SECTIONS.index(a.section), position[a.routine]))
    return tuple(a for a in ordered if section is None or a.section == section)


def routine_names(sections: tuple[str, ...] = INDEX_SECTIONS) -> tuple[str, ...]:
    """The R routines of the registered adapters of ``sections`` (default: those of
    :func:`nqpf.crossval.validate`), in the order of the report."""
    return tuple(dict.fromkeys(a.routine for a in adapters() if a.section in sections))


def tolerance_floors() -> dict[str, tuple[float, str]]:
    """Routine → (smallest tolerance it meets, why), for the routines that have one."""
    return {a.routine: a.tolerance_floor for a in adapters() if a.tolerance_floor is not None}
