"""The README's examples run as written: every ```python block and every `nqpf ...` line
(the command lines after the Python blocks, in the same folder: a command may read a file
an example wrote)."""

from __future__ import annotations

import re
import shlex

import pytest

from nqpf.cli import main


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


@pytest.fixture
def in_tmp_with_data(tmp_path, repo, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(repo / "data")
    return tmp_path


def test_python_examples_run(repo, in_tmp_with_data, capsys):
    for block in _blocks((repo / "README.md").read_text("utf-8"), "python"):
        exec(compile(block, "README.md", "exec"), {})
    assert "weight" in capsys.readouterr().out
    assert (in_tmp_with_data / "results.xlsx").exists()


def test_cli_examples_run(repo, in_tmp_with_data, capsys):
    for block in _blocks((repo / "README.md").read_text("utf-8"), "python"):
        exec(compile(block, "README.md", "exec"), {})
    commands = []
    for block in _blocks((repo / "README.md").read_text("utf-8"), "sh"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#")[0].strip()
            if line.startswith("nqpf "):
                commands.append(shlex.split(line)[1:])
    assert len(commands) >= 3
    for argv in commands:
        assert main(argv) == 0, argv
    capsys.readouterr()
