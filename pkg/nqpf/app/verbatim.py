"""User text inside the app's Markdown: shown exactly as typed, never rendered.

Almost every Streamlit element renders its text as Markdown: ``st.markdown``,
``st.caption``, alerts (``st.error`` …), headers, metric labels *and values*,
widget labels, tab and expander labels. A file name, sheet name, column name,
cell or region name put there verbatim would be live Markdown: ``![x](http://…)``
makes the browser fetch that URL, ``[a](http://…)`` is a link, ``**x**`` bold,
``$x^2$`` KaTeX, ``:red[x]`` a colour directive.

Backslash escapes do not suffice in Streamlit: its Markdown pipeline turns bare
``http://…``, ``www.…`` and ``name@host.tld`` into links, ``:smile:`` into emoji
and rewrites ``:material/`` *after* parsing, on the text nodes, so an escaped
character still ends up in a link. A Markdown **code span** is the one construct
whose content none of that touches (CommonMark §6.1: no escapes, entities,
emphasis, links or HTML inside; the GFM autolink, emoji and icon transforms visit
text nodes only), and the browser shows its content character for character.
:func:`verbatim` therefore wraps user text in a code span; elements that hold
nothing but user text use ``st.text`` or ``st.code`` instead. Select-box and
multiselect *options* and table cells are plain text in Streamlit and need
neither.
"""

from __future__ import annotations

import re

__all__ = ["verbatim"]

_BACKTICKS = re.compile(r"`+")
# Streamlit's frontend replaces ":material/" by ":material_" in the Markdown source
# (inside code spans too) before parsing; the colon is kept outside the span so the
# source never holds that sequence.
_ICON = ":material/"


def _span(text: str) -> str:
    """One code span showing ``text`` exactly (CommonMark §6.1).

    The fence is one backtick longer than the longest run inside, and one space
    pads each side: CommonMark strips exactly one space from each side when both
    are present, so a leading or trailing backtick or space in ``text`` survives.
    """
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    if not text.strip(" "):  # a span of spaces only is not stripped: keep it as it is
        return f"{fence}{text}{fence}"
    return f"{fence} {text} {fence}"


def verbatim(value: object) -> str:
    """``value`` as Markdown that renders as its literal text (a code span).

    Line breaks become spaces (a code span is one line; every message of the app
    is one line). Use it for every user string that goes into ``t(...)`` values,
    alert bodies, captions, labels or metric values.
    """
    text = " ".join(str(value).splitlines())
    pieces = text.split(_ICON)
    parts = [_span(pieces[0])]
    for piece in pieces[1:]:
        parts += [r"\:", _span("material/" + piece)]
    return "".join(parts)
