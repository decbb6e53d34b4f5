"""The architecture's rules, checked on the code (docs/design.md "Rules").

- every option exists in exactly one declaration (:mod:`nqpf.options`): the CLI's
  option flags are generated from it (their choices, defaults and help are the
  declaration's), and no command declares an option flag by hand;
- no function's code exceeds 80 lines unless its docstring says why (``Length:``);
- the package cites only the repository's own docs, never files outside it;
- ``nqpf --help`` imports no numpy, polars, scipy, matplotlib, rpy2 or streamlit.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nqpf import options as declared
from nqpf.cli import REPORT_FLAG_PREFIXES, build_parser

PKG = Path(declared.__file__).parent
MAX_LINES = 80
#: The commands that build a paper report (their Markov and club flags are prefixed).
REPORTS = ("report", "demo")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _declared_flags() -> dict[str, list[declared.Option]]:
    flags: dict[str, list[declared.Option]] = {}
    for family in declared.FAMILIES.values():
        for info in family.describe():
            flags.setdefault(info.flag, []).append(info)
    return flags


@pytest.mark.parametrize("command", sorted(_commands()))
def test_cli_option_flags_come_from_the_declaration(command):
    parser = _commands()[command]
    flags = _declared_flags()
    generated = 0
    for action in parser._actions:
        if "." not in action.dest:
            # hand-written: only for what no family declares (file names, columns, …)
            # or a flag whose meaning is this command's own (gini's --weights column)
            for flag in action.option_strings:
                for info in flags.get(flag, []):
                    assert not (command == "score" and info.family == "index"), flag
            continue
        family_name, name = action.dest.split(".", 1)
        info = declared.FAMILIES[family_name].info(name)
        generated += 1
        # the report's Markov and club flags are prefixed (the report has its own --k)
        prefix = REPORT_FLAG_PREFIXES.get(family_name, "") if command in REPORTS else ""
        flag = "--" + prefix + info.flag[2:]
        if info.kind == "flag":  # argparse.BooleanOptionalAction: --x and --no-x
            assert action.option_strings == [flag, "--no-" + flag[2:]]
        else:
            assert action.option_strings == [flag]
        assert action.default == info.default
        if info.kind == "choice":
            assert tuple(action.choices) == info.choices
        assert action.help.startswith(info.help)
    if command in {"score", "report", "validate"}:
        for family in (declared.IndexOptions, declared.ReadOptions):
            for info in family.describe():
                if info.cli:
                    assert f"{family.family}.{info.name}" in {a.dest for a in parser._actions}
    # nqpf run reads every option from the project file (checked by the same
    # declarations, nqpf.project): it has no option flags to generate
    if command not in {"app", "run"}:
        assert generated > 0


def test_cli_checks_values_by_the_declaration(capsys):
    from nqpf.cli import main

    assert main(["score", "p.csv", "--spec", "s.csv", "--shift", "-1"]) == 2
    err = capsys.readouterr().err
    assert "shift=-1.0 must be ≥ 0" in err
    assert "\n" not in err.strip()
    assert main(["report", "p.csv", "--spec", "s.csv", "--k", "1"]) == 2
    assert "k=1 must be ≥ 2" in capsys.readouterr().err


def _functions():
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield path, node


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    lines = node.end_lineno - node.lineno + 1
    first = node.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if docstring and isinstance(first.value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def test_no_long_function_without_a_reason():
    long = [
        f"{path.relative_to(PKG.parent)}:{node.lineno} {node.name} ({_code_lines(node)} lines)"
        for path, node in _functions()
        if _code_lines(node) > MAX_LINES and "Length:" not in (ast.get_docstring(node) or "")
    ]
    assert not long, "split these, or say why in a 'Length:' paragraph: " + "; ".join(long)


#: A notes file named in the text: an upper-case stem (``README.md``, ``../x/NOTES.md``),
#: or a file under ``docs/`` (output file names such as ``report.md`` are not citations).
CITED_MARKDOWN = re.compile(
    r"(?<![\w/.-])((?:\.\./)*(?:[\w.-]+/)*(?:[A-Z][A-Z0-9_-]+|(?<=docs/)[\w-]+)\.md)\b"
)
#: A section of a notes file cited without its suffix ("NOTES §3").
CITED_SECTION = re.compile(r"\b[A-Z]{4,} §")


def _outside_citations(text: str, root: Path) -> list[str]:
    """The Markdown files ``text`` cites that the repository does not hold (a path out of
    it, or a name found neither at the root nor in docs/), and sections of notes files."""
    found = [match.group(0) for match in CITED_SECTION.finditer(text)]
    for match in CITED_MARKDOWN.finditer(text):
        name = match.group(1)
        inside = (root / name).is_file() or (root / "docs" / Path(name).name).is_file()
        if name.startswith("../") or not inside:
            found.append(name)
    return found


def test_code_and_tests_cite_only_the_repositorys_own_docs():
    root = PKG.parent.parent
    if not (root / "docs").is_dir():
        pytest.skip("docs/ is not beside the package (an installed wheel)")
    package = [p for p in sorted(PKG.rglob("*")) if p.suffix in {".py", ".R", ".md", ".toml"}]
    # this file names outside notes on purpose (its own examples)
    tests = [p for p in sorted(Path(__file__).parent.glob("*.py")) if p != Path(__file__)]
    found = [
        f"{path.relative_to(root)}: {name}"
        for path in package + tests
        for name in _outside_citations(path.read_text("utf-8", errors="replace"), root)
    ]
    assert not found, "cite docs/methods.md, docs/design.md (the repository's own docs)"
    # the package never reaches outside the repository (tests may read the data beside it,
    # and skip without it)
    parent = re.compile(r"(?<!\.)\.\./")  # a relative path up ("../x"; "…/x" is prose)
    reaching = [str(p.relative_to(root)) for p in package if parent.search(p.read_text("utf-8"))]
    assert not reaching
    for name in ("methods.md", "design.md", "options.md", "glossary.md"):
        assert (root / "docs" / name).is_file(), name


def test_outside_citations_are_found():
    """The check above finds what it is for (a notes file beside the repository, a
    section of one) and passes the repository's own files."""
    root = PKG.parent.parent
    if not (root / "docs").is_dir():
        pytest.skip("docs/ is not beside the package (an installed wheel)")
    assert _outside_citations("see NOTES.md §2 and ../notes/PLAN.md", root) == [
        "NOTES.md",
        "../notes/PLAN.md",
    ]
    assert _outside_citations("as in WIDGETS §4", root) == ["WIDGETS §"]
    assert _outside_citations("docs/methods.md §1.3, README.md and report.md", root) == []
    assert _outside_citations("docs/missing.md", root) == ["docs/missing.md"]


def test_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom nqpf.cli import main\n"
        "try:\n    main(['score', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'numpy', 'polars', 'scipy', 'matplotlib', 'rpy2', 'streamlit'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_docs_options_table_is_generated_from_the_declaration():
    docs = PKG.parent.parent / "docs" / "options.md"
    if not docs.is_file():
        pytest.skip("docs/ is not beside the package (an installed wheel)")
    assert docs.read_text("utf-8") == declared.options_markdown("en"), (
        "regenerate it: python -m nqpf.options > docs/options.md"
    )


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PKG.parent).with_suffix("").parts)


FRONTS = ("nqpf.cli", "nqpf.app", "nqpf.__main__")
R_SIDE = ("nqpf.rbridge", "nqpf.crossval")


def _is(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_design_rules_hold_in_the_imports():
    """docs/design.md rules 1–3: statistics never import a front; Python results never
    depend on R; io knows no method."""
    methods = ("nqpf.index", "nqpf.weights", "nqpf.topsis", "nqpf.dagum", "nqpf.groups")
    methods += ("nqpf.dynamics", "nqpf.obstacle", "nqpf.report", "nqpf.compare")
    broken = []
    for path in sorted(PKG.rglob("*.py")):
        module = _module(path).removesuffix(".__init__")
        imported = _imports(path)
        if not _is(module, FRONTS):
            bad = [n for n in imported if _is(n, FRONTS) or n in {"streamlit", "argparse"}]
            broken += [f"{module} imports the front {n}" for n in bad]
        if not _is(module, (*R_SIDE, *FRONTS)) and module != "nqpf":
            bad = [n for n in imported if _is(n, R_SIDE) or n.startswith("rpy2")]
            broken += [f"{module} depends on R through {n}" for n in bad]
        if module in {"nqpf.io", "nqpf.panel", "nqpf.formats"}:
            bad = [n for n in imported if _is(n, methods)]
            broken += [f"{module} knows the method {n}" for n in bad]
    assert not broken
