"""The app's router: page config, language switch, ``st.navigation`` over the pages.

Run by ``nqpf app`` (``streamlit run .../nqpf/app/main.py``) and imported by the
repository's ``streamlit_app.py``. It holds no statistics and no page content.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from nqpf.app import project_state, state
from nqpf.app.i18n import language_selector, t

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"

#: (file stem = url path, title key, icon), in menu order.
PAGES = (
    ("data", "page.data", ":material/table_view:"),
    ("indicators", "page.indicators", ":material/tune:"),
    ("index", "page.index", ":material/leaderboard:"),
    ("disparity", "page.disparity", ":material/stacked_bar_chart:"),
    ("dynamics", "page.dynamics", ":material/timeline:"),
    ("spatial", "page.spatial", ":material/map:"),
    ("inequality", "page.inequality", ":material/balance:"),
    ("coupling", "page.coupling", ":material/hub:"),
    ("geodetector", "page.geodetector", ":material/grid_on:"),
    ("robustness", "page.robustness", ":material/verified:"),
    ("compare", "page.compare", ":material/compare_arrows:"),
    ("export", "page.export", ":material/download:"),
)


def run() -> None:
    """Draw the frame and run the selected page (counted as a run: the warm-up waits)."""
    with state.script_run():
        _run()


def _run() -> None:
    # An emoji favicon is drawn in the page (a data: URL); a Material icon would be
    # fetched from fonts.gstatic.com, and the app makes no request off its own host.
    st.set_page_config(page_title="nqpf", page_icon="📈", layout="wide")
    state.persist_widgets()
    state.page_style()  # tables' scrollbars always visible
    state.warm_figures()  # matplotlib and the CJK font, before the first chart
    with st.sidebar:
        language_selector()
        project_state.open_section()  # Open project (nqpf.project), on every page
    pages = [
        st.Page(
            PAGES_DIR / f"{stem}.py",
            title=t(title),
            icon=icon,
            url_path=stem,
            default=stem == "data",
        )
        for stem, title, icon in PAGES
    ]
    page = st.navigation(pages)
    if st.session_state.get("page.last") != page.url_path:
        st.session_state["page.last"] = page.url_path
        state.reset_spec_editor()
    with st.sidebar:
        st.caption(t("app.tagline"))
    try:
        page.run()
    finally:  # also after st.stop(): the modules a page imported are kept for good
        state.freeze_imports()


if __name__ == "__main__":
    run()
