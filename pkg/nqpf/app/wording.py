"""The app's words for the API syntax in library messages: the one mapping place.

A library message speaks to a script's author: ``fill it, or choose
missing='interpolate'``, ``--na-values``. In the app the same advice must name the
widget: ``choose “Missing values: Interpolate …”``. :func:`app_words` rewrites the
message line the app shows (English or Chinese, after
:func:`nqpf.error_translations.message`), using the options' own declaration
(:mod:`nqpf.options`: the widget label and the choice labels), so a new option's
messages are mapped by themselves; the library's message keeps its API syntax.

Rewritten: ``name='choice'`` (and a following ``or 'other'``), ``name=value``,
``name=[…]`` and the CLI flag ``--name`` of a declared option that the app shows
(``app=True``); a repeat of the same widget in one list of alternatives is said once.
Any other ``x=y`` (a column, a Python call) is left as it is.

Light module (no polars).
"""

from __future__ import annotations

import re
from functools import cache

from nqpf.options import FAMILIES, Option

__all__ = ["app_words"]

_VALUE = r"'[^']*'|\[[^\]]*\]|[\w.+-]+"
#: ``name=value`` and its alternatives (``or 'other'``, ``(or 'other')``); ``name=`` with no
#: value ("use cutoffs=", "drop cutoffs=") is the widget itself
_ASSIGN = re.compile(
    rf"(?<![\w.\-])([a-z][a-z0-9_]*)=({_VALUE}|(?=[\s,;/)]|$))"
    r"((?:\s*\(?\s*(?:,|or|或|、)\s*'[^']*'\)?)*)"
)
_MORE = re.compile(r"'([^']*)'")
#: a flag and, for a choice, the value after it (``--decimal ,``)
_FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)(?: ([^\s\w()]+|[a-z]+)(?=\)))?")
_REPEAT = re.compile(r"(“[^”]*”)(?:(?:,\s*or\s+|,\s*|\s+or\s+|\s*、\s*|\s*或\s*)\1)+")
_ECHO = re.compile(r"(“[^”]*”)\s*[(（]\1[)）]")


@cache
def _options() -> dict[str, Option]:
    """Option name → its declaration: the first family (in :data:`nqpf.options.FAMILIES`
    order) that shows it in the app."""
    found: dict[str, Option] = {}
    for family in FAMILIES.values():
        for info in family.describe():
            if info.app and info.name not in found:
                found[info.name] = info
    return found


def _choice(info: Option, value: str, language: str) -> str:
    if info.kind == "choice" and value in info.choices:
        colon = "：" if language == "zh" else ": "
        return f"“{info.title(language)}{colon}{info.choice_title(value, language)}”"
    return f"“{info.title(language)}”"


def _assignment(match: re.Match[str], language: str) -> str:
    info = _options().get(match.group(1))
    if info is None:
        return match.group(0)
    raw, more = match.group(2), match.group(3)
    if not raw or raw.startswith("["):  # no value, or a list of values: the widget itself
        return f"“{info.title(language)}”" + more
    value = raw.strip("'")
    if info.kind != "choice":
        return f"“{info.title(language)}” {value}" + more
    # "missing='interpolate' or 'drop'": each alternative by its label
    tail = _MORE.sub(lambda m: _choice(info, m.group(1), language), more)
    return _choice(info, value, language) + tail


def _flag(match: re.Match[str], language: str) -> str:
    info = _options().get(match.group(1).replace("-", "_"))
    if info is None:
        return match.group(0)
    value = match.group(2)
    if value is not None and info.kind == "choice" and value in info.choices:
        return _choice(info, value, language)
    return f"“{info.title(language)}”" + ("" if value is None else f" {value}")


def app_words(text: str, language: str = "en") -> str:
    """``text`` with the API syntax of declared options replaced by their widgets' names
    (see the module docstring)."""
    text = _ASSIGN.sub(lambda m: _assignment(m, language), text)
    text = _FLAG.sub(lambda m: _flag(m, language), text)
    return _ECHO.sub(r"\1", _REPEAT.sub(r"\1", text))
