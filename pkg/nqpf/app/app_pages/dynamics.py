"""Dynamics page: σ and β convergence, Markov chains, convergence clubs, kernel densities and obstacle degrees of the index."""

from __future__ import annotations

import typing
from typing import Any

import polars as pl
import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import t
from nqpf.app.runs import dynamics as runs
from nqpf.options import ClubOptions, MarkovOptions, SmallSample
from nqpf.translations import club_label

st.header(t("dyn.title"))
st.caption(t("dyn.intro"))

index_key, result = state.require_index()
region, year, scores = result.region, result.year, result.scores
score = state.output_column(result, "score")
regions = scores.get_column(region).unique(maintain_order=True).to_list()
years = sorted(scores.get_column(year).unique().to_list())
n_years = len(years)
# Text columns that split the regions into groups (e.g. a macro-region column).
group_columns = state.group_columns(result)
if n_years < 2:
    st.info(t("dyn.need_years"), icon=":material/info:")
    st.stop()


def literal_choices(func: Any, name: str) -> tuple[str, ...]:
    """The text choices of a ``Literal`` parameter of an nqpf function (its annotation):
    the API's own list, so the page restates none."""
    hint = typing.get_type_hints(func)[name]
    found: list[str] = []
    for arg in typing.get_args(hint) or (hint,):
        found += [a for a in (typing.get_args(arg) or (arg,)) if isinstance(a, str)]
    return tuple(found)


def few_years(minimum: int) -> None:
    """A warning when the panel has fewer years than a test needs to have some power."""
    if n_years < minimum:
        st.warning(t("dyn.few_years", n=n_years, minimum=minimum), icon=":material/warning:")


def about(name: str, formula: str | tuple[str, ...]) -> None:
    """The method's expander: formula (rendered), outputs, reference."""
    with st.expander(t("dyn.about"), expanded=False):
        for line in (formula,) if isinstance(formula, str) else formula:
            st.latex(line)
        st.markdown(t(f"dyn.{name}.about"))
        st.caption(t(f"dyn.{name}.cite"))


# ---------------------------------------------------------------- σ and β


def sigma_section() -> None:
    st.subheader(t("dyn.sigma"))
    group = state.choose(
        t("dyn.group"),
        [state.NONE, *group_columns],
        "w.dyn.sigma.group",
        state.NONE,
        where=st.columns(3)[0],
    )
    group = None if group == state.NONE else group
    few_years(10)
    ok, overall = state.attempt(runs.sigma, index_key, None)
    if ok:
        state.chart(charts.sigma_chart(overall[0], year), "ch.dyn.sigma")
    ok, tables = state.attempt(runs.sigma, index_key, group) if group else (ok, overall)
    if ok:
        table, trend = tables
        state.table(table, "df.dyn.sigma")
        st.markdown(f"**{t('dyn.sigma.trend')}**")
        state.table(trend, "df.dyn.sigma_trend")
        state.publish("dyn_sigma", table)
        state.publish("dyn_sigma_trend", trend)
    about(
        "sigma",
        (
            r"CV_t = \frac{1}{\bar x_t}\sqrt{\tfrac1n \textstyle\sum_i (x_{it}-\bar x_t)^2},"
            r"\quad G_t = \frac{\sum_i\sum_j |x_{it}-x_{jt}|}{2n^2\bar x_t}",
            r"m_t = a + b\,t + e_t",
        ),
    )


def beta_choices() -> dict[str, Any]:
    """The β regression's design, as :func:`nqpf.beta_convergence` takes it: effects,
    horizon (the cross-section or the annual panel; fixed effects need the panel),
    the small-sample convention of the clustered SE (the panel's), controls and, in the
    cross-section, when they are taken and the first and last year. Every choice list is
    the API's (its ``Literal`` annotations and :data:`nqpf.options.SmallSample`)."""
    from nqpf.dynamics import beta_convergence

    top = st.columns(3)
    effects = state.choose(
        t("dyn.beta.effects"),
        literal_choices(beta_convergence, "effects"),
        "w.dyn.beta.effects",
        "none",
        where=top[0],
        format_func=lambda v: t(f"dyn.beta.effects.{v}"),
        help=t("dyn.beta.effects.help"),
    )
    horizons = literal_choices(beta_convergence, "horizon")
    horizon = state.choose(
        t("dyn.beta.horizon"),
        horizons if effects == "none" else ("annual",),
        "w.dyn.beta.horizon",
        "period",
        where=top[1],
        format_func=lambda v: t(f"dyn.beta.horizon.{v}"),
        help=t("dyn.beta.horizon.help"),
        disabled=effects != "none",  # fixed effects live in the annual panel only
    )
    small_sample = state.choose(
        t("dyn.beta.small_sample"),
        typing.get_args(SmallSample),
        "w.dyn.beta.small_sample",
        "stata",
        where=top[2],
        help=t("dyn.beta.small_sample.help"),
        disabled=horizon == "period",  # the cross-section's HC1 factor is the same under both
    )
    offered = [
        c
        for c in [*state.dimension_columns(result).values(), *state.carried_columns(result)]
        if scores.schema[c].is_numeric() and c != score
    ]
    low = st.columns(4)
    state.default("w.dyn.beta.controls", [])
    controls = low[0].multiselect(
        t("dyn.beta.controls"),
        offered,
        key="w.dyn.beta.controls",
        help=t("dyn.beta.controls.help"),
        placeholder=t("common.choose"),
    )
    cross = horizon == "period"
    controls_at = state.choose(
        t("dyn.beta.controls_at"),
        literal_choices(beta_convergence, "controls_at"),
        "w.dyn.beta.controls_at",
        "initial",
        where=low[1],
        format_func=lambda v: t(f"dyn.beta.controls_at.{v}"),
        disabled=not (cross and controls),
    )
    first = state.choose(
        t("dyn.beta.start"),
        years[:-1],
        "w.dyn.beta.start",
        years[0],
        where=low[2],
        disabled=not cross,
    )
    last = state.choose(
        t("dyn.beta.end"), years[1:], "w.dyn.beta.end", years[-1], where=low[3], disabled=not cross
    )
    return {
        "controls": tuple(controls),
        "effects": effects,
        "horizon": horizon,
        "small_sample": small_sample,
        "start": first if cross else None,
        "end": last if cross else None,
        "controls_at": controls_at,
    }


def beta_section() -> None:
    st.subheader(t("dyn.beta"))
    choices = beta_choices()
    # the R check at the foot of the page checks the β last shown
    st.session_state["dyn.r.beta"] = runs.BetaKey(**choices)
    ok, beta = state.attempt(runs.beta, index_key, runs.BetaKey(**choices))
    if ok:
        kind = t("dyn.beta.conditional" if choices["controls"] else "dyn.beta.absolute")
        st.caption(t("dyn.beta.kind", kind=kind, se=beta.se_type, n=beta.n))
        tables = beta.tables()
        state.table(tables["beta"], "df.dyn.beta")
        state.table(tables["coefficients"], "df.dyn.beta_coef")
        state.publish("dyn_beta", tables["beta"])
        state.publish("dyn_beta_coefficients", tables["coefficients"])
    about(
        "beta",
        (
            r"\frac{\ln x_{i,T}-\ln x_{i,t_0}}{\tau} = \alpha + \beta \ln x_{i,t_0}"
            r" + \gamma' z_i + \varepsilon_i,\quad \theta = -\frac{\ln(1+\beta\tau)}{\tau}",
            r"\ln\frac{x_{i,t+1}}{x_{i,t}} = \beta\ln x_{i,t} + \gamma' z_{i,t} + \mu_i"
            r" + \lambda_t + \varepsilon_{i,t}",
        ),
    )


# ---------------------------------------------------------------- Markov


def markov_options() -> MarkovOptions | None:
    """k, the class rule and the cut-offs (nqpf.options.MarkovOptions); the spatial
    chain's lag options are in its own section. State labels are not offered: the
    index score is a number, cut into classes."""
    prefix = "w.dyn.markov."
    cols = st.columns(3)
    cutoffs_set = bool(st.session_state.get(prefix + "cutoffs", "").strip())
    values: dict[str, Any] = {
        "k": widgets.option_widget(
            MarkovOptions.info("k"), prefix + "k", cols[0], disabled=cutoffs_set
        ),
        "classes": widgets.option_widget(
            MarkovOptions.info("classes"), prefix + "classes", cols[1]
        ),
        "cutoffs": widgets.option_widget(
            MarkovOptions.info("cutoffs"), prefix + "cutoffs", cols[2], placeholder="0.3, 0.5"
        ),
    }
    return widgets.make_options(MarkovOptions, values)  # type: ignore[return-value]


def trend_warning(chain: Any) -> None:
    """The issue's warning: pooled classes under a common upward trend make the top
    state(s) absorbing (the lowest state transient, the long run at the top)."""
    long_run = chain.long_run
    if chain.classes != "pooled" or long_run is None or "recurrent" not in long_run.columns:
        return
    recurrent = long_run.get_column("recurrent").to_list()
    if recurrent and recurrent[-1] and not recurrent[0]:
        st.warning(t("dyn.markov.absorbing"), icon=":material/warning:")


def classic_markov(options: MarkovOptions) -> None:
    ok, chain = state.attempt(runs.markov, index_key, options)
    if not ok:
        return
    st.caption(t("dyn.markov.summary", n=chain.n_transitions, k=chain.k))
    trend_warning(chain)
    tables = chain.tables()
    left, right = st.columns([3, 2])
    state.chart(
        charts.markov_heatmap(tables["probabilities"], t("dyn.chart.markov")),
        "ch.dyn.markov",
        where=left,
    )
    with right:
        state.table(tables["probabilities"], "df.dyn.markov", empty=t("dyn.markov.empty"))
    st.markdown(f"**{t('dyn.markov.by_state')}**")
    state.table(tables["by_state"], "df.dyn.markov_states", empty=t("dyn.markov.empty"))
    st.markdown(f"**{t('dyn.markov.long_run')}**")
    state.table(tables["stationary"], "df.dyn.markov_stationary", empty=t("dyn.markov.empty"))
    state.table(tables["long_run"], "df.dyn.markov_long_run", empty=t("dyn.markov.empty"))
    st.markdown(f"**{t('dyn.markov.first_passage')}**")
    state.table(tables["first_passage"], "df.dyn.markov_first_passage", empty=t("dyn.markov.empty"))
    with st.expander(t("dyn.markov.more"), expanded=False):
        state.table(tables["counts"], "df.dyn.markov_counts")
        state.table(tables["breaks"], "df.dyn.markov_breaks")
    for name in ("probabilities", "counts", "by_state", "stationary", "first_passage", "long_run"):
        state.publish(f"dyn_markov_{name}", tables[name])


def homogeneity_section(options: MarkovOptions) -> None:
    st.markdown(f"**{t('dyn.homog')}**")
    regimes: list[Any] = [*group_columns, "periods"]
    left, right = st.columns(2)
    by = state.choose(
        t("dyn.homog.by"),
        regimes,
        "w.dyn.homog.by",
        regimes[0],
        where=left,
        format_func=lambda v: t("dyn.homog.periods") if v == "periods" else v,
    )
    split = None
    if by == "periods":
        split = state.choose(
            t("dyn.homog.split"), years[1:], "w.dyn.homog.split", years[n_years // 2], where=right
        )
    ok, test = state.attempt(
        runs.homogeneity,
        index_key,
        options,
        by=None if by == "periods" else by,
        periods=(split,) if by == "periods" else None,
    )
    if ok:
        state.table(test.tests, "df.dyn.homogeneity")
        with st.expander(t("dyn.homog.matrices"), expanded=False):
            state.table(test.probabilities, "df.dyn.homog_matrices", empty=t("dyn.markov.empty"))
        state.publish("dyn_markov_homogeneity", test.tests)


def spatial_markov(options: MarkovOptions, w: runs.Weights | None) -> None:
    st.markdown(f"**{t('dyn.spatial_markov')}**")
    if w is None:
        st.info(t("dyn.weights_needed"), icon=":material/info:")
        return
    st.caption(t("dyn.weights_used", source=w.source))
    prefix = "w.dyn.markov."
    left, right = st.columns(2)
    lag_values = {
        "lag_k": widgets.option_widget(
            MarkovOptions.info("lag_k"), prefix + "lag_k", left, placeholder=t("dyn.lag_k.same")
        ),
        "lag_cutoffs": widgets.option_widget(
            MarkovOptions.info("lag_cutoffs"), prefix + "lag_cutoffs", right
        ),
    }
    spatial = widgets.make_options(MarkovOptions, options.to_dict() | lag_values)
    if spatial is None:
        return
    ok, chain = state.attempt(runs.markov, index_key, spatial, w)
    if not ok:
        return
    tables = chain.tables()
    spatial_heatmap(tables["spatial_probabilities"], chain.m)
    state.table(
        tables["spatial_probabilities"], "df.dyn.spatial_markov", empty=t("dyn.markov.empty")
    )
    state.table(tables["homogeneity"], "df.dyn.spatial_homogeneity")
    state.table(tables["lag_tests"], "df.dyn.spatial_lag_tests")
    state.table(
        tables["spatial_steady_state"], "df.dyn.spatial_steady", empty=t("dyn.markov.empty")
    )
    for name in ("spatial_probabilities", "homogeneity", "spatial_steady_state", "lag_tests"):
        state.publish(
            f"dyn_{name}" if name.startswith("spatial") else f"dyn_spatial_{name}", tables[name]
        )


def spatial_heatmap(probabilities: pl.DataFrame, m: int) -> None:
    """The transition matrix conditional on one class of the neighbours' lag."""
    lag = state.choose(
        t("dyn.lag_class"),
        list(range(1, m + 1)),
        "w.dyn.markov.lag_class",
        1,
        where=st.columns(3)[0],
        help=t("dyn.lag_class.help"),
    )
    part = probabilities.filter(pl.col("lag_state") == lag).drop("lag_state")
    title = t("dyn.chart.spatial_markov", lag=lag)
    state.chart(charts.markov_heatmap(part, title), "ch.dyn.spatial_markov")


def lisa_section(w: runs.Weights | None) -> None:
    st.markdown(f"**{t('dyn.lisa')}**")
    if w is None:
        st.info(t("dyn.weights_needed"), icon=":material/info:")
        return
    ok, chain = state.attempt(runs.lisa, index_key, w)
    if not ok:
        return
    left, right = st.columns([3, 2])
    state.chart(
        charts.markov_heatmap(chain.probabilities, t("dyn.chart.lisa")), "ch.dyn.lisa", where=left
    )
    with right:
        state.table(chain.probabilities, "df.dyn.lisa", empty=t("dyn.markov.empty"))
        state.table(chain.tests, "df.dyn.lisa_tests")
    state.table(chain.stationary, "df.dyn.lisa_stationary", empty=t("dyn.markov.empty"))
    state.publish("dyn_lisa_probabilities", chain.probabilities)
    state.publish("dyn_lisa_tests", chain.tests)


def rank_section() -> None:
    from nqpf.dynamics.markov_variants import RANK_KINDS

    st.markdown(f"**{t('dyn.rank')}**")
    kind = state.choose(
        t("dyn.rank.kind"),
        RANK_KINDS,
        "w.dyn.rank.kind",
        RANK_KINDS[0],
        format_func=lambda v: t(f"dyn.rank.{v}"),
        radio=True,
    )
    # n × n states with their mean first passage times: heavy for many regions, so
    # computed on demand (the button stores the run; later reruns read the cache)
    if st.button(t("dyn.rank.run"), key="btn.dyn.rank", icon=":material/play_arrow:"):
        st.session_state["run.dyn.rank"] = (index_key, kind)
    if st.session_state.get("run.dyn.rank") != (index_key, kind):
        st.caption(t("dyn.rank.press", n=len(regions)))
        return
    with st.spinner(t("common.computing")):
        ok, chain = state.attempt(runs.rank, index_key, kind)
    if ok:
        state.table(chain.probabilities, "df.dyn.rank", empty=t("dyn.markov.empty"))
        state.table(chain.long_run, "df.dyn.rank_long_run", empty=t("dyn.markov.empty"))
        state.publish("dyn_rank_probabilities", chain.probabilities)


def markov_tab() -> None:
    st.subheader(t("dyn.markov"))
    options = markov_options()
    if options is None:
        return
    st.session_state["dyn.r.markov"] = options  # the chain the R check checks
    classic_markov(options)
    homogeneity_section(options)
    about(
        "markov",
        (
            r"p_{ij} = \frac{n_{ij}}{\sum_j n_{ij}},\qquad \pi P = \pi,\ \textstyle\sum_i \pi_i = 1",
            r"P(\ell) = [p_{ij}(\ell)]:\ H_0\colon P(\ell) = P\ \ \forall \ell",
        ),
    )
    w = runs.weights(regions)
    spatial_markov(options, w)
    lisa_section(w)
    rank_section()


# ---------------------------------------------------------------- clubs


def clubs_tab() -> None:
    st.subheader(t("dyn.clubs"))
    values = widgets.option_widgets(ClubOptions, "w.dyn.clubs.")
    options = widgets.make_options(ClubOptions, values)
    few_years(10)
    if options is None:
        return
    ok, found = state.attempt(runs.clubs, index_key, options)
    if ok:
        tables = found.tables()
        members = tables.get("merged", tables["clubs"])
        tests = tables.get("merged_tests", tables["tests"])
        # in Chinese, the club names as the chart and the report show them (俱乐部1, 发散)
        names = {c: (lambda v: club_label(v, "zh")) for c in ("club", "merged_from")}
        state.table(tables["overall"], "df.dyn.club_overall", cells=names)
        left, right = st.columns([2, 3])
        with left:
            state.table(members, "df.dyn.clubs", cells=names)
        with right:
            state.table(tests, "df.dyn.club_tests", cells=names)
        club = "club" if "club" not in scores.columns else "nqpf_club"
        joined = scores.join(
            members.rename({"club": club}), on=region, how="left", maintain_order="left"
        )
        state.chart(charts.club_chart(joined, year, club, score), "ch.dyn.clubs")
        state.publish("dyn_clubs", members)
        state.publish("dyn_club_tests", tests)
    about(
        "clubs",
        (
            r"h_{it} = \frac{x_{it}}{\frac1N\sum_i x_{it}},\quad H_t = \frac1N\sum_i (h_{it}-1)^2",
            r"\ln\frac{H_1}{H_t} - 2\ln\ln t = \hat a + \hat b\ln t + \hat u_t,"
            r"\quad t_{\hat b} < -1.65 \Rightarrow \text{reject convergence}",
        ),
    )


# ---------------------------------------------------------------- densities


def density_tab(w: runs.Weights | None) -> None:
    from nqpf.dynamics import kernel_density

    st.subheader(t("dyn.kde"))
    cols = st.columns(3)
    bw = state.choose(
        t("dyn.kde.bw"),
        literal_choices(kernel_density, "bw"),
        "w.dyn.kde.bw",
        "silverman",
        where=cols[0],
    )
    view = state.choose(
        t("dyn.kde.view"),
        ["curves", "ridgeline", "surface"],
        "w.dyn.kde.view",
        "curves",
        where=cols[1],
        format_func=lambda v: t(f"dyn.kde.view.{v}"),
    )
    group = state.choose(
        t("dyn.kde.group"),
        [state.NONE, *group_columns],
        "w.dyn.kde.group",
        state.NONE,
        where=cols[2],
        help=t("dyn.kde.group.help"),
        disabled=view == "curves" or not group_columns,
    )
    group = None if group == state.NONE or view == "curves" else group
    st.session_state["dyn.r.density"] = runs.DensityKey(group, bw)  # what the R check checks
    bounds = result.score_bounds
    shown = f"[{bounds[0]:g}, {bounds[1]:g}]" if bounds else ""
    st.caption(t("dyn.kde.bounds", bounds=shown) if bounds else t("dyn.kde.no_bounds"))
    ok, density = state.attempt(runs.density, index_key, None, bw)
    by_group = None
    if ok and group is not None:
        ok, by_group = state.attempt(runs.density, index_key, group, bw)
    if ok:
        if view == "curves":
            figure = charts.density_chart(density, year)
        else:
            draw = charts.ridgeline_chart if view == "ridgeline" else charts.surface_chart
            figure = draw(density, year, by_group, group)
        state.chart(figure, "ch.dyn.kde")
        with st.expander(t("dyn.kde.bandwidths"), expanded=False):
            bandwidths = density.select(year, "bandwidth").unique(maintain_order=True)
            state.table(bandwidths, "df.dyn.kde_bw")
        state.publish("dyn_density", density)
        state.publish("dyn_density_by_group", by_group)
    about(
        "kde",
        r"\hat f(x) = \frac{1}{nh}\sum_i\Big[\phi\Big(\frac{x-X_i}{h}\Big) + "
        r"\phi\Big(\frac{x-(2a-X_i)}{h}\Big) + \phi\Big(\frac{x-(2b-X_i)}{h}\Big)\Big]",
    )
    conditional_section(w, bw)


def conditional_section(w: runs.Weights | None, bw: str) -> None:
    st.markdown(f"**{t('dyn.cond')}**")
    cols = st.columns(3)
    state.default("w.dyn.cond.spatial", False)
    spatial = cols[0].checkbox(
        t("dyn.cond.spatial"),
        key="w.dyn.cond.spatial",
        disabled=w is None,
        help=t("dyn.cond.spatial.help"),
    )
    spatial = spatial and w is not None
    state.default("w.dyn.cond.lag", 1)
    if not spatial and st.session_state["w.dyn.cond.lag"] < 1:  # lag 0 is the spatial kernel's
        st.session_state["w.dyn.cond.lag"] = 1
    lag = int(
        cols[1].number_input(
            t("dyn.cond.lag"), min_value=0 if spatial else 1, step=1, key="w.dyn.cond.lag"
        )
    )
    state.default("w.dyn.cond.relative", False)
    relative = cols[2].checkbox(t("dyn.cond.relative"), key="w.dyn.cond.relative")
    ok, kernel = state.attempt(
        runs.conditional, index_key, lag, relative, bw, w if spatial else None
    )
    if ok:
        state.chart(charts.conditional_chart(kernel, spatial), "ch.dyn.conditional")
        st.caption(t("dyn.cond.bandwidths", x=kernel.bandwidth_x, y=kernel.bandwidth_y))
    about("cond", r"\hat f(y\mid x) = \frac{\hat f(x, y)}{\hat f(x)}")


# ---------------------------------------------------------------- obstacles


def obstacle_tab() -> None:
    st.subheader(t("dyn.obs"))
    ok, found = state.attempt(runs.obstacle, index_key)
    if ok:
        c = found.column
        keys = list(found.keys)
        dims = found.dimensions
        names = dims.get_column(c("dimension")).unique(maintain_order=True).to_list()
        wide = dims.pivot(on=c("dimension"), index=keys, values=c("obstacle"))
        state.chart(charts.obstacle_chart(wide, year, names), "ch.dyn.obstacle")
        chosen = state.choose(
            t("dyn.obs.year"), years, "w.dyn.obs.year", years[-1], where=st.columns(3)[0]
        )
        state.table(wide.filter(pl.col(year) == chosen), "df.dyn.obstacle_dimensions")
        top = found.top(3)
        st.markdown(f"**{t('dyn.obs.top')}**")
        state.table(top.filter(pl.col(year) == chosen), "df.dyn.obstacle_top")
        state.publish("dyn_obstacle_indicators", found.indicators)
        state.publish("dyn_obstacle_dimensions", dims)
    about("obs", r"O_{rj} = \frac{w_j (1 - x'_{rj})}{\sum_k w_k (1 - x'_{rk})} \times 100\%")


# One section at a time (only its analyses run and draw: the page's first view stays
# quick); the choice survives page switches and the language switch.
SECTIONS = {
    "convergence": lambda: (sigma_section(), beta_section()),
    "markov": markov_tab,
    "clubs": clubs_tab,
    "kde": lambda: density_tab(runs.weights(regions)),
    "obstacle": obstacle_tab,
}
section = state.choose(
    t("dyn.section"),
    list(SECTIONS),
    "w.dyn.section",
    "convergence",
    format_func=lambda v: t(f"dyn.tab.{v}"),
    radio=True,
)
st.divider()
SECTIONS[section]()


# ---------------------------------------------------------------- R check


def r_check() -> None:
    """Python against R: the Markov chain, the panel β and the kernel densities last
    shown on this page (the options' defaults before) with markovchain, plm and
    stats::density (:func:`nqpf.crossval.validate_dynamics`)."""
    from nqpf.app import crossval_view

    options = st.session_state.get("dyn.r.markov") or MarkovOptions()
    beta = st.session_state.get("dyn.r.beta") or runs.BetaKey()
    density = st.session_state.get("dyn.r.density") or runs.DensityKey()
    asked = (index_key, options, beta, density)
    with st.expander(t("dyn.r"), expanded=False):
        st.caption(
            t("dyn.r.help", k=options.n_states, classes=options.classes, effects=beta.effects)
        )
        from nqpf.app.verbatim import verbatim

        by = t("dyn.r.density.group", group=verbatim(density.group)) if density.group else ""
        bounds = result.score_bounds
        reflected = (
            t("dyn.r.density.reflected", bounds=f"[{bounds[0]:g}, {bounds[1]:g}]") if bounds else ""
        )
        st.caption(t("dyn.r.density", bw=density.bw, by=by, reflected=reflected))
        if st.button(t("dyn.r.run"), key="btn.dyn.crossval", icon=":material/play_arrow:"):
            with st.spinner(t("dyn.r.running")):
                ok, report = state.attempt(runs.crossval, index_key, options, beta, density)
            if ok:
                st.session_state["dyn.crossval"] = (asked, report)
        stored = st.session_state.get("dyn.crossval")
        if stored is None:
            return
        if stored[0] != asked:
            st.warning(t("dyn.r.stale"), icon=":material/update:")
        report = stored[1]
        crossval_view.outcome(report, "dyn", "df.dyn.crossval")
        state.publish("dyn_crossval", report)


if state.optional("crossval", "validate_dynamics") is not None:
    st.divider()
    r_check()
