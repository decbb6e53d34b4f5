"""Every text the library writes for a reader, in English and Chinese: one table.

:data:`TEXT` maps a key to its (English, Chinese) text; :func:`text` returns it in a
language (``"en"`` or ``"zh"``, declared once as the report's ``language`` option,
:class:`nqpf.options.ReportOptions`), formatted with :meth:`str.format`. The keys:

* ``col.<column>`` and ``col.<table>.<column>`` — a table header as documents show it
  (``Gw_share`` → "Gw share" / "组内差异贡献率"); ``pattern.<name>`` the headers made
  from a name (``mean_<dimension>`` → "<dimension>均值"); :func:`header` looks them up;
* ``value.<column>.<value>`` — a cell nqpf writes itself (``effects = twoway`` →
  "双向固定效应"), :func:`cell`;
* ``caption.*``, ``note.*``, ``line.*``, ``analysis.*``, ``reason.*`` — the report's
  table titles, table notes, summary lines, the analyses' names and the reasons an
  analysis did not run;
* ``chart.*`` — chart titles, axis titles and legend entries;
* ``doc.*``, ``report.*``, ``step.*`` — the documents' own prose, the report titles and
  the progress steps.

Not here, because they are declared elsewhere once: the labels of options and of their
values (:meth:`nqpf.options.Option.title`, :meth:`~nqpf.options.Option.choice_title`;
:func:`option_items` shows options with them), and the app's page texts
(``nqpf.app.i18n``). What is never translated: the user's own names — region, year and
group columns, group, region, dimension and indicator names (the spec's ``label`` is
shown for an indicator where one is given) — and the symbols of :data:`SYMBOLS`.

Light module (no polars, no numpy): the CLI imports it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any, get_args

from nqpf.options import FAMILIES, Language
from nqpf.ordering import zh_numeral

#: The languages, as the report's ``language`` option declares them.
LANGUAGES: tuple[str, ...] = get_args(Language)

#: Headers and cells that are the same in every language: the decomposition's and the
#: tests' symbols, and numbers (years, states, echelons are digits).
SYMBOLS = frozenset(
    {"G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh", "I", "z", "p", "t", "β", "τ", "R²", "HC1"}
)

# key: (English, Chinese)
TEXT: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ headers
    "col.indicator": ("Indicator", "指标"),
    "col.label": ("Label", "指标名称"),
    "col.code": ("Code", "指标代码"),
    "col.dimension": ("Dimension", "维度"),
    "col.direction": ("Direction", "方向"),
    "col.unit": ("Unit", "单位"),
    "col.entropy": ("Entropy", "信息熵"),
    "col.divergence": ("Divergence 1 − e", "差异系数 1 − e"),
    "col.weight": ("Weight", "权重"),
    "col.dimension_weight": ("Dimension weight", "维度权重"),
    "col.score": ("Score", "综合得分"),
    "col.mean_score": ("Mean score", "平均得分"),
    "col.rank": ("Rank", "排名"),
    "col.echelon": ("Echelon", "梯队"),
    "col.mean": ("Mean", "均值"),
    "col.n": ("N", "样本量"),
    "col.sd": ("SD", "标准差"),
    "col.min": ("Min", "最小值"),
    "col.max": ("Max", "最大值"),
    "col.cv": ("CV", "变异系数"),
    "col.sd_log": ("SD of logs", "对数标准差"),
    "col.gini": ("Gini", "基尼系数"),
    "col.differs": ("Tier differs", "梯队不一致"),
    "col.Gw_share": ("Gw share", "组内差异贡献率"),
    "col.Gnb_share": ("Gnb share", "组间差异贡献率"),
    "col.Gt_share": ("Gt share", "超变密度贡献率"),
    "col.measure": ("Measure", "离散指标"),
    "col.n_years": ("Years", "年数"),
    "col.slope": ("Slope", "斜率"),
    "col.se": ("SE", "标准误"),
    "col.r2": ("R²", "R²"),
    "col.beta": ("β", "β"),
    "col.speed": ("Speed", "收敛速度"),
    "col.half_life": ("Half-life", "半生命周期"),
    "col.n_regions": ("Regions", "地区数"),
    "col.tau": ("τ", "τ"),
    "col.effects": ("Model", "模型"),
    "col.horizon": ("Horizon", "时间跨度"),
    "col.se_type": ("SE type", "标准误类型"),
    "col.state": ("State", "状态"),
    "col.lower": ("Lower bound", "下限"),
    "col.upper": ("Upper bound", "上限"),
    "col.n_from": ("Transitions from", "转出次数"),
    "col.persistence": ("Persistence", "保持概率"),
    "col.up": ("Up", "向上转移概率"),
    "col.down": ("Down", "向下转移概率"),
    "col.steady_state": ("Steady state", "稳态分布"),
    "col.club": ("Club", "俱乐部"),
    "col.merged_from": ("Merged from", "合并自"),
    "col.tvalue": ("t", "t"),
    "col.analysis": ("Analysis", "分析"),
    "col.reason": ("Reason", "原因"),
    "col.quantity": ("Quantity", "检验量"),
    "col.where": ("Where", "位置"),
    "col.python": ("Python", "Python 结果"),
    "col.routine": ("R routine", "R 程序"),
    "col.r_value": ("R", "R 结果"),
    "col.abs_diff": ("Absolute difference", "绝对误差"),
    "col.rel_diff": ("Relative difference", "相对误差"),
    "col.tolerance": ("Tolerance", "容差"),
    "col.ok": ("Agrees", "是否一致"),
    "col.status": ("Status", "状态"),
    "col.note": ("Note", "说明"),
    "col.variance": ("Variance", "方差"),
    "col.expected": ("Expected", "期望值"),
    "col.obstacle": ("Obstacle degree", "障碍度（%）"),
    "col.quadrant": ("Quadrant", "象限"),
    "col.spot": ("Hot or cold spot", "冷热点"),
    "col.share": ("Share", "占比"),
    "col.statistic": ("Statistic", "统计量"),
    "col.test": ("Test", "检验"),
    "col.term": ("Term", "解释变量"),
    "col.regime": ("Regime", "分组"),
    "col.recurrent": ("Recurrent", "是否常返"),
    "col.sojourn_time": ("Sojourn time (periods)", "平均停留时间（期）"),
    "col.recurrence_time": ("Mean recurrence time (periods)", "平均返回时间（期）"),
    "col.periods": ("Periods", "期数"),
    "col.group": ("Group", "组别"),
    "col.group_j": ("Group j", "组 j"),
    "col.group_h": ("Group h", "组 h"),
    "col.level": ("Level", "等级"),
    "col.intervals.level": ("Confidence level", "置信水平"),
    "col.rank_a": ("Rank A", "方案 A 排名"),
    "col.rank_b": ("Rank B", "方案 B 排名"),
    "col.rank_change": ("Rank change", "排名变化"),
    "col.variant": ("Variant", "方案"),
    "col.variant_a": ("Variant A", "方案 A"),
    "col.variant_b": ("Variant B", "方案 B"),
    "col.robust": ("Robust", "是否稳健"),
    "col.rho_ranks": ("Spearman ρ of ranks", "排名 Spearman ρ"),
    "col.rho_scores": ("Spearman ρ of scores", "得分 Spearman ρ"),
    "col.tau_ranks": ("Kendall τ of ranks", "排名 Kendall τ"),
    "col.tau_scores": ("Kendall τ of scores", "得分 Kendall τ"),
    "col.text_zh": ("Conclusion (Chinese)", "结论（中文）"),
    "col.bandwidth": ("Bandwidth", "带宽"),
    "col.within": ("Within", "组内"),
    "col.between": ("Between", "组间"),
    "col.between_share": ("Between share", "组间占比"),
    "col.class": ("Class", "类"),
    "col.closed_class": ("Closed class", "闭类"),
    "col.cluster": ("Cluster", "集聚类型"),
    "col.contribution": ("Contribution", "贡献"),
    "col.d_plus": ("D⁺ (to the ideal)", "D⁺（与正理想解距离）"),
    "col.d_minus": ("D⁻ (to the anti-ideal)", "D⁻（与负理想解距离）"),
    "col.diff": ("Difference", "差值"),
    "col.dof": ("Degrees of freedom", "自由度"),
    "col.echelon_changes": ("Echelon changes", "梯队变动次数"),
    "col.echelons": ("Echelons", "梯队数"),
    "col.estimate": ("Estimate", "估计值"),
    "col.grade": ("Grade", "协调等级"),
    "col.kendall_tau": ("Kendall τ", "Kendall τ"),
    "col.spearman_rho": ("Spearman ρ", "Spearman ρ"),
    "col.income_share": ("Score share", "得分份额"),
    "col.pop_share": ("Weight share", "权数份额"),
    "col.index": ("Index", "指数值"),
    "col.var_Ii": ("Var[I_i]", "方差 Var[I_i]"),
    "col.var_G": ("Var[G_i]", "方差 Var[G_i]"),
    "col.alpha": ("α", "参数 α"),
    "col.djh": ("d_jh", "组间差值 d_jh"),
    "col.pjh": ("p_jh", "超变一阶矩 p_jh"),
    "col.first": ("First", "首位地区"),
    "col.reference": ("This index", "本指数"),
    "col.package": ("R package", "R 包"),
    "col.version": ("Version", "版本"),
    # headers of one table (the paper's 指标体系 names its columns so)
    "col.indicator_system.dimension": ("Dimension", "一级指标"),
    "col.indicator_system.dimension_weight": ("Dimension weight", "一级指标权重"),
    "col.indicator_system.indicator": ("Indicator", "二级指标"),
    "col.indicator_system.direction": ("Direction", "属性"),
    "col.indicator_system.weight": ("Weight", "二级指标权重"),
    "col.descriptive.n": ("N", "观测值"),
    "col.sigma.n": ("Regions", "地区数"),
    "col.beta.n": ("Observations", "观测值"),
    "col.clubs.n": ("Regions", "地区数"),
    "col.echelon_sensitivity.mean": ("Period mean", "时期均值"),
    "col.validation.n": ("Values", "数值个数"),
    "col.moran.I": ("Moran's I", "Moran's I 指数"),
    "col.moran.expected": ("E[I]", "期望 E[I]"),
    "col.p_norm": ("p (normal)", "p 值（正态近似）"),
    "col.p_sim": ("p (permutations)", "p 值（置换检验）"),
    "col.lag_state": ("Neighbours' state", "邻域状态"),
    "col.markov_long_run.sojourn_time": ("Sojourn time (periods)", "平均停留时间（期）"),
    "col.markov_long_run.recurrence_time": ("Mean recurrence time (periods)", "平均返回时间（期）"),
    "col.spatial_markov_tests.statistic": ("χ²", "χ² 统计量"),
    "col.markov_homogeneity.regimes": ("Regimes", "分组方式"),
    "col.markov_homogeneity.test": ("Test", "检验"),
    "col.markov_homogeneity.statistic": ("Statistic", "统计量"),
    "col.markov_homogeneity.dof": ("Degrees of freedom", "自由度"),
    "col.markov_homogeneity.p": ("p", "p 值"),
    "col.spatial_markov_tests.test": ("Test", "检验"),
    "col.rank_markov.rank": ("Rank", "排名"),
    "col.rank_markov.p_stay": ("P(stay)", "保持概率"),
    "col.rank_markov.sojourn_time": ("Sojourn time (periods)", "平均停留时间（期）"),
    "col.rank_markov.recurrence_time": ("Mean recurrence time (periods)", "平均返回时间（期）"),
    "col.spatial_markov_tests.dof": ("Degrees of freedom", "自由度"),
    "col.spatial_markov_tests.p": ("p", "p 值"),
    "col.geodetector.factor": ("Factor", "探测因子"),
    "col.geodetector.method": ("Strata from", "分层方法"),
    "col.geodetector.strata": ("Strata", "分层数"),
    "col.geodetector.q": ("q", "q 值"),
    "col.geodetector_interaction.factor1": ("Factor X1", "因子 X1"),
    "col.geodetector_interaction.factor2": ("Factor X2", "因子 X2"),
    "col.geodetector_interaction.q1": ("q(X1)", "X1 的 q 值"),
    "col.geodetector_interaction.q2": ("q(X2)", "X2 的 q 值"),
    "col.geodetector_interaction.q12": ("q(X1 ∩ X2)", "交互 q 值 q(X1 ∩ X2)"),
    "col.geodetector_interaction.interaction": ("Interaction", "交互作用类型"),
    # headers made from a name ({x}: the dimension, year or rank)
    "pattern.mean_": ("Mean {x}", "{x}均值"),
    "pattern.score_": ("Score {x}", "{x}年得分"),
    "pattern.obstacle_": ("Obstacle {x}", "第{x}障碍因子"),
    "pattern.R_": ("R {x}", "{x}相对发展度 R"),
    # ------------------------------------------------------------------ cells
    "value.mean": ("Mean", "均值"),
    "value.yes": ("yes", "是"),
    "value.no": ("no", "否"),
    "value.tier": ("{n}", "第{zh}梯队"),
    "value.club": ("Club {n}", "俱乐部{n}"),
    "value.club.divergent": ("divergent", "发散"),
    "value.club.all": ("all", "全部地区"),
    "value.year.all": ("all", "全部年份"),
    "value.term.const": ("const", "常数项"),
    "value.measure.cv": ("CV", "变异系数"),
    "value.method.categorical": ("categories", "类别"),
    "value.method.equal": ("equal intervals", "等间距"),
    "value.method.natural": ("natural breaks", "自然断点"),
    "value.method.quantile": ("quantiles", "分位数"),
    "value.method.geometric": ("geometric intervals", "几何间隔"),
    "value.method.sd": ("standard deviations", "标准差"),
    "value.interaction.nonlinear-weaken": ("nonlinear-weaken", "非线性减弱"),
    "value.interaction.uni-variable weaken": ("uni-variable weaken", "单因子非线性减弱"),
    "value.interaction.bi-variable enhance": ("bi-variable enhance", "双因子增强"),
    "value.interaction.independent": ("independent", "独立"),
    "value.interaction.nonlinear-enhance": ("nonlinear-enhance", "非线性增强"),
    "value.measure.gini": ("Gini", "基尼系数"),
    "value.measure.sd": ("SD", "标准差"),
    "value.measure.sd_log": ("SD of logs", "对数标准差"),
    "value.measure.mean": ("Mean", "均值"),
    "value.effects.none": ("Absolute (cross-section)", "绝对收敛（截面）"),
    "value.effects.twoway": ("Two-way fixed effects", "双向固定效应（面板）"),
    "value.effects.region": ("Region fixed effects", "地区固定效应"),
    "value.effects.year": ("Year fixed effects", "年份固定效应"),
    "value.horizon.period": ("Whole period", "整个时期"),
    "value.horizon.annual": ("Annual", "年度"),
    "value.se_type.cluster": ("Clustered by region", "地区聚类稳健标准误"),
    "value.se_type.HC1": ("HC1", "HC1"),
    "value.se_type.classical": ("Classical", "普通标准误"),
    # ------------------------------------------------------------------ titles and notes
    "caption.regions": (
        "Average score, rank and echelon per region",
        "各地区平均得分、排名与梯队",
    ),
    "caption.regions_no_tiers": ("Average score and rank per region", "各地区平均得分与排名"),
    "note.regions": ("Period averages {span}.", "{span} 年时期均值。"),
    "note.regions.tiers": (
        " Echelon rule {rule} with k = {k} (1 = highest tier).",
        "梯队划分方法：{rule}，k = {k}（第一梯队最高）。",
    ),
    "caption.scores_by_year": (
        "Index by region and year, with the period mean and its rank",
        "各地区历年综合指数及时期均值与排名",
    ),
    "caption.indicator_system": ("Indicator system and weights", "指标体系与权重"),
    "note.indicator_system.year": (
        "Weights are the mean of the yearly weights (scope = year).",
        "权重为逐年权重的均值（逐年计算）。",
    ),
    "caption.descriptive": ("Descriptive statistics of the indicators", "指标描述性统计"),
    "note.descriptive": (
        "Raw values as the index used them, {span}; sd with n − 1.",
        "指数所用原始数据，{span} 年；标准差按 n − 1 计算。",
    ),
    "caption.weights": ("Indicator weights", "指标权重"),
    "caption.echelon_sensitivity": (
        "Echelon assignments under different rules",
        "不同划分方法下的梯队归属",
    ),
    "note.echelon_sensitivity": (
        "{moved} of {n} regions change tier across the rules.",
        "{n} 个地区中有 {moved} 个在不同划分方法下梯队不同。",
    ),
    "caption.dagum": ("Dagum Gini decomposition by {group}", "按{group}分组的 Dagum 基尼系数分解"),
    "note.dagum": (
        "G = Gw + Gnb + Gt (Dagum 1997); shares of G; the last row is the mean of the "
        "yearly figures.",
        "G = Gw + Gnb + Gt（Dagum 1997）；贡献率为占 G 的比重；最后一行为各年均值。",
    ),
    "caption.dagum_within": ("Within-group Gini Gjj by {group}", "按{group}分组的组内基尼系数 Gjj"),
    "caption.dagum_between": (
        "Between-group Gini Gjh by {group}",
        "按{group}分组的组间基尼系数 Gjh",
    ),
    "group.echelon": ("echelon", "梯队"),
    "caption.sigma": ("σ-convergence: dispersion by year", "σ 收敛：各年离散程度"),
    "caption.sigma_trend": (
        "σ-convergence: linear trend of each dispersion measure",
        "σ 收敛：各离散指标的线性趋势",
    ),
    "note.sigma_trend": (
        "OLS of the measure on the year; a negative slope is σ-convergence.",
        "各指标对年份的 OLS 回归；斜率为负即存在 σ 收敛。",
    ),
    "caption.beta": (
        "β-convergence: absolute (cross-section) and two-way fixed effects (panel)",
        "β 收敛：绝对 β 收敛（截面）与双向固定效应（面板）",
    ),
    "note.beta": (
        "β < 0 means convergence; speed = −ln(1 + β·τ)/τ, half-life = ln 2 / speed.",
        "β < 0 表示收敛；收敛速度 = −ln(1 + β·τ)/τ，半生命周期 = ln 2 / 收敛速度。",
    ),
    "caption.markov": (
        "Markov transition probabilities ({k} {states}, 1 = lowest)",
        "马尔可夫转移概率矩阵（{k} 个{states}，1 为最低）",
    ),
    # the Markov states as the captions name them (MarkovOptions: classes, cutoffs)
    "markov.states.pooled": ("pooled quantile states", "全样本分位数状态"),
    "markov.states.year": ("states by each year's quantiles", "逐年分位数状态"),
    "markov.states.relative": (
        "pooled quantile states of the score relative to its year's mean",
        "相对得分（除以当年均值）的全样本分位数状态",
    ),
    "markov.states.cutoffs": ("states cut at {cutoffs}", "以 {cutoffs} 为界的状态"),
    "markov.states.cutoffs_relative": (
        "states of the score relative to its year's mean, cut at {cutoffs}",
        "相对得分（除以当年均值）以 {cutoffs} 为界的状态",
    ),
    "markov.lag.quantiles": ("quantile classes", "分位数类型"),
    "markov.lag.cutoffs": ("cut at {cutoffs}", "以 {cutoffs} 为界"),
    "markov.regimes.group": ("by {group}", "按{group}分组"),
    "markov.regimes.periods": (
        "{first}–{last}, before and from {middle}",
        "{middle} 年前后两期（{first}–{last}）",
    ),
    "markov.test.Q": ("Q", "Q 检验"),
    "markov.test.LR": ("LR", "似然比 LR 检验"),
    "markov.test.Kullback": ("Kullback", "Kullback 检验"),
    "markov.test.chi2": ("χ² (independence)", "独立性 χ² 检验"),
    "markov.quadrant.HH": ("HH", "高-高"),
    "markov.quadrant.LH": ("LH", "低-高"),
    "markov.quadrant.LL": ("LL", "低-低"),
    "markov.quadrant.HL": ("HL", "高-低"),
    "caption.markov_homogeneity": (
        "Markov chain homogeneity: one transition matrix across groups and sub-periods",
        "马尔可夫链同质性检验：各分组、各时段的转移矩阵是否相同",
    ),
    "note.markov_homogeneity": (
        "Null hypothesis: every regime has the transition matrix of the whole chain. Q and LR of "
        "Bickenbach & Bode (2003), degrees of freedom corrected for empty cells; Kullback "
        "et al. (1962). A small p rejects one common matrix.",
        "原假设：各组（各时段）的转移矩阵与整体相同。Q 与 LR 检验见 Bickenbach 与 Bode（2003），"
        "自由度已按空单元格修正；Kullback 等（1962）。p 值小则拒绝转移矩阵相同。",
    ),
    "caption.full_rank_markov": (
        "Full-rank Markov chain: probability of keeping each rank (1 = highest)",
        "全秩马尔可夫链：各排名的保持概率（1 为最高）",
    ),
    "note.full_rank_markov": (
        "States are the ranks of each year's scores (Rey 2014); P(stay) is the share of "
        "moves from rank i that stay at rank i the next year.",
        "状态为各年得分的排名（Rey 2014）；保持概率为排名 i 的地区下一年仍居第 i 名的比例。",
    ),
    "caption.geo_rank_markov": (
        "Geo-rank Markov chain: probability that a region keeps its rank position",
        "地理秩马尔可夫链：各地区保持其排名位置的概率",
    ),
    "note.geo_rank_markov": (
        "States are the regions (Rey 2014); P(stay) is the probability that the rank "
        "position region i holds in one year is held by i the next year.",
        "状态为各地区（Rey 2014）；保持概率为地区 i 某年所处的排名位置下一年仍由 i 占据的概率。",
    ),
    "caption.lisa_markov": (
        "LISA Markov chain: transitions between the Moran scatterplot quadrants",
        "LISA 马尔可夫链：Moran 散点图象限间的转移概率",
    ),
    "note.lisa_markov": (
        "Quadrant of each region-year: own score above (H) or below (L) the year's mean, "
        "then its neighbours' mean (Rey 2001); {n} transitions between consecutive years.",
        "各地区-年份所处象限：自身得分高于（高）或低于（低）当年均值，其次为邻域均值"
        "（Rey 2001）；相邻年份间共 {n} 次转移。",
    ),
    "caption.lisa_markov_tests": (
        "LISA Markov: χ² test that a region's own moves and its neighbours' are independent",
        "LISA 马尔可夫：地区自身转移与邻域转移相互独立的 χ² 检验",
    ),
    "note.lisa_markov_tests": (
        "Pearson χ² of the quadrant transition counts against those expected when the "
        "region's chain and its neighbourhood's are independent (docs/methods.md §4.3).",
        "象限转移频数相对于地区自身转移链与邻域转移链相互独立时期望频数的 Pearson χ² 检验。",
    ),
    "note.markov": (
        "{n} transitions between consecutive years.",
        "相邻年份间共 {n} 次转移。",
    ),
    "caption.markov_states": (
        "Markov states: persistence, mobility, steady state",
        "马尔可夫状态：保持概率、流动性与稳态分布",
    ),
    "caption.markov_long_run": (
        "Markov states: sojourn and mean recurrence times",
        "马尔可夫状态：平均停留时间与平均返回时间",
    ),
    "note.markov_long_run": (
        "Sojourn time 1/(1 − P_ii): the expected stay once a state is entered; mean "
        "recurrence time: the expected periods until the state recurs (1/π_i when ergodic). "
        "— marks an infinite time (a state never left, or never returned to).",
        "平均停留时间 1/(1 − P_ii)：进入某状态后预期停留的期数；平均返回时间：离开后再次回到该状态"
        "的预期期数（遍历链中为 1/π_i）。— 表示无穷（从不离开或不再返回的状态）。",
    ),
    "caption.spatial_markov_tests": (
        "Spatial Markov: χ² test of each neighbours' state against the whole chain",
        "空间马尔可夫：各邻域状态下转移矩阵与整体转移矩阵的 χ² 检验",
    ),
    "note.spatial_markov_tests": (
        "Pearson χ² of the counts in each neighbours' state against the pooled "
        "probabilities (as giddy's Spatial_Markov.chi2).",
        "各邻域状态下的转移频数相对整体转移概率的 Pearson χ² 检验（同 giddy 的 "
        "Spatial_Markov.chi2）。",
    ),
    "caption.clubs": (
        "Phillips–Sul club convergence (log-t test, clubs after merging)",
        "Phillips–Sul 俱乐部收敛（log t 检验，合并后的俱乐部）",
    ),
    "note.clubs": (
        "Log-t regression per club; convergence is not rejected when t > −1.65.",
        "各俱乐部的 log t 回归；t > −1.65 时不拒绝收敛。",
    ),
    "caption.club_members": ("Club membership", "俱乐部成员"),
    "caption.geodetector": (
        "Geographical detector: the factors' power q over the score",
        "地理探测器：各因子对综合得分的解释力 q",
    ),
    "note.geodetector": (
        "q = 1 − Σ N_h σ_h² / (N σ²) over {units} region-years (Wang et al. 2010); p of the "
        "noncentral F test (Wang, Zhang & Fu 2016); continuous factors discretised: {method}.",
        "q = 1 − Σ N_h σ_h² / (N σ²)，样本为 {units} 个地区-年份（Wang 等 2010）；p 值来自"
        "非中心 F 检验（Wang、Zhang 与 Fu 2016）；连续型因子的离散化：{method}。",
    ),
    "caption.geodetector_interaction": (
        "Geographical detector: interaction of two factors",
        "地理探测器：因子交互作用探测",
    ),
    "note.geodetector_interaction": (
        "Types (Wang & Xu 2017): nonlinear-weaken q12 < min; uni-variable weaken "
        "min ≤ q12 ≤ max; bi-variable enhance max < q12 < q1 + q2; independent "
        "q12 = q1 + q2; nonlinear-enhance q12 > q1 + q2.",
        "交互类型（王劲峰、徐成东 2017）：非线性减弱 q12 < min；单因子非线性减弱 "
        "min ≤ q12 ≤ max；双因子增强 max < q12 < q1 + q2；独立 q12 = q1 + q2；"
        "非线性增强 q12 > q1 + q2。",
    ),
    "caption.moran": (
        "Spatial autocorrelation: global Moran's I of the score by year",
        "空间自相关：综合得分的全局 Moran's I 指数（逐年）",
    ),
    "note.moran": (
        "I = n/S0 · Σ w_ij z_i z_j / Σ z_i² (Moran 1950), {style} weights; E[I] = −1/(n − 1); "
        "p (normal) from z, p (permutations) from {permutations} random permutations; "
        "alternative: {alternative}.",
        "I = n/S0 · Σ w_ij z_i z_j / Σ z_i²（Moran 1950），权重：{style}；E[I] = −1/(n − 1)；"
        "正态近似 p 值由 z 值计算，置换检验 p 值基于 {permutations} 次随机置换；"
        "备择假设：{alternative}。",
    ),
    "caption.spatial_markov": (
        "Spatial Markov transition probabilities by the neighbours' state "
        "({k} {states}, 1 = lowest; {m} neighbours' states)",
        "空间马尔可夫转移概率矩阵（按邻域状态，{k} 个{states}，1 为最低；{m} 个邻域状态）",
    ),
    "note.spatial_markov": (
        "The neighbours' state is the class of the spatial lag (the neighbours' "
        "mean score, Rey 2001; {lag}); {n} transitions between consecutive years.",
        "邻域状态为空间滞后（邻近地区平均得分）的类型（Rey 2001；{lag}）；相邻年份间共 {n} 次转移。",
    ),
    "caption.obstacles": (
        "Main obstacle indicators per region, {year}",
        "{year} 年各地区主要障碍因子",
    ),
    "note.obstacles": (
        "Obstacle degree O = w(1 − x′)/Σ w(1 − x′) × 100 (percent of the region's shortfall).",
        "障碍度 O = w(1 − x′)/Σ w(1 − x′) × 100（占该地区总差距的百分比）。",
    ),
    "caption.obstacles_dimensions": (
        "Mean obstacle degree of each dimension by year (percent)",
        "各维度历年平均障碍度（%）",
    ),
    "caption.validation": ("Python against R, quantity by quantity", "Python 与 R 逐项交叉验证"),
    "note.validation": (
        "Rows marked skipped name the missing R routine.",
        "状态为 skipped 的行注明了缺失的 R 程序。",
    ),
    "caption.not_run": ("Analyses not run on this panel", "本面板未能进行的分析"),
    "note.not_run": (
        "The panel has {regions} regions and {years} years ({span}); each analysis below "
        "could not run on it, for the reason given.",
        "该面板有 {regions} 个地区、{years} 年（{span}）；下列分析因所述原因未能进行。",
    ),
    # ------------------------------------------------------------------ analyses, reasons
    "analysis.echelons": ("echelons (k = {k})", "梯队划分（k = {k}）"),
    "analysis.echelon_sensitivity": ("echelon sensitivity", "梯队划分敏感性"),
    "analysis.dagum": ("Dagum decomposition by {group}", "按{group}分组的 Dagum 分解"),
    "analysis.sigma": ("σ-convergence", "σ 收敛"),
    "analysis.sigma_trend": ("σ-convergence trend", "σ 收敛趋势"),
    "analysis.beta_none": (
        "β-convergence, absolute (cross-section of growth rates)",
        "绝对 β 收敛（增长率截面回归）",
    ),
    "analysis.beta_twoway": (
        "β-convergence, two-way fixed effects (panel)",
        "双向固定效应 β 收敛（面板）",
    ),
    "analysis.markov": ("Markov chain", "马尔可夫链"),
    "analysis.clubs": ("Phillips–Sul club convergence", "Phillips–Sul 俱乐部收敛"),
    "analysis.density": ("kernel density", "核密度估计"),
    "analysis.conditional": ("conditional kernel density", "条件核密度"),
    "analysis.conditional_spatial": ("spatially conditioned kernel density", "空间条件核密度"),
    "analysis.obstacles": ("obstacle degree", "障碍度"),
    "analysis.geodetector": ("geographical detector", "地理探测器"),
    "analysis.moran": ("global Moran's I", "全局 Moran's I 指数"),
    "analysis.lisa": ("local Moran's I (LISA)", "局部 Moran's I 指数（LISA）"),
    "analysis.lisa_map": ("LISA cluster map", "LISA 集聚图"),
    "analysis.spatial_markov": ("spatial Markov chain", "空间马尔可夫链"),
    "analysis.lisa_markov": ("LISA Markov chain", "LISA 马尔可夫链"),
    "analysis.markov_homogeneity": ("Markov homogeneity test", "马尔可夫链同质性检验"),
    "analysis.full_rank_markov": ("full-rank Markov chain", "全秩马尔可夫链"),
    "analysis.geo_rank_markov": ("geo-rank Markov chain", "地理秩马尔可夫链"),
    "reason.years": (
        "needs at least {minimum} years; the panel has {n} ({span})",
        "至少需要 {minimum} 年；该面板为 {n} 年（{span}）",
    ),
    "reason.regions": (
        "needs at least {k} regions; the panel has {n} (choose a smaller --k)",
        "至少需要 {k} 个地区；该面板有 {n} 个（请选择更小的 k）",
    ),
    # ------------------------------------------------------------------ summary lines
    "line.echelons": (
        "Echelons ({rule}, k = {k}): {tiers}",
        "梯队划分方法为{rule}，k = {k}：{tiers}",
    ),
    "line.echelons.tier": ("{tier}: {n} region{s}", "{tier} {n} 个地区"),
    "line.echelons.sep": (", ", "，"),
    "line.echelons.moved": (
        "; regions that change tier across rules: {moved}.",
        "；{moved} 个地区在不同划分方法下梯队不同。",
    ),
    "line.echelons.end": (".", "。"),
    "line.dagum": (
        "Dagum by {group}: mean G = {G:.4f}; contributions within {w:.1f}%, between "
        "{b:.1f}%, transvariation {t:.1f}%.",
        "Dagum 分解（按{group}分组）：G 均值 = {G:.4f}；组内差异贡献率 {w:.1f}%，"
        "组间差异贡献率 {b:.1f}%，超变密度贡献率 {t:.1f}%。",
    ),
    "line.sigma": (
        "σ-convergence: CV slope {slope:+.3g} per year (p = {p:.3f}).",
        "σ 收敛：变异系数的年均斜率 {slope:+.3g}（p = {p:.3f}）。",
    ),
    "line.beta": (
        "β-convergence ({effects}): β = {beta:+.4f} (p = {p:.3f}).",
        "β 收敛，{effects}：β = {beta:+.4f}（p = {p:.3f}）。",
    ),
    "line.markov": (
        "Markov persistence (diagonal): {values}.",
        "马尔可夫链保持概率（对角线）：{values}。",
    ),
    "line.clubs": (
        "Club convergence: whole-panel log-t t = {t:.2f}; clubs after merging: {n}.",
        "俱乐部收敛：全样本 log t 检验 t = {t:.2f}；合并后共 {n} 个俱乐部。",
    ),
    "line.validation": (
        "R validation: {passed} comparisons passed, {failed} failed, {skipped} skipped "
        "(routine not installed).",
        "R 交叉验证：{passed} 项通过，{failed} 项未通过，{skipped} 项未比较（程序未安装）。",
    ),
    "line.not_run": ("Not run: {analysis} — {reason}.", "未进行：{analysis}——{reason}。"),
    "line.geodetector": (
        "Geographical detector: {factor} explains most of the score (q = {q:.4f}, p = {p:.3g}).",
        "地理探测器：{factor} 对综合得分的解释力最强（q = {q:.4f}，p = {p:.3g}）。",
    ),
    "line.moran": (
        "Global Moran's I: {i0:.4f} in {first}, {i1:.4f} in {last} (p = {p:.3f}).",
        "全局 Moran's I 指数：{first} 年为 {i0:.4f}，{last} 年为 {i1:.4f}（p = {p:.3f}）。",
    ),
    # ------------------------------------------------------------------ charts
    "chart.trend.title": ("Index score by year", "综合指数历年变化"),
    "chart.trend.y": ("mean score", "平均得分"),
    "chart.trend.all": ("all", "全部"),
    "chart.missing": ("(missing)", "（缺失）"),
    "chart.dagum.y": ("Gini", "基尼系数"),
    "chart.dagum.G": ("G", "总体差异 G"),
    "chart.dagum.Gw": ("Gw", "组内差异 Gw"),
    "chart.dagum.Gnb": ("Gnb", "组间差异 Gnb"),
    "chart.dagum.Gt": ("Gt", "超变密度 Gt"),
    "chart.density.title": (
        "Kernel density of the score (Gaussian, Silverman bandwidth)",
        "综合得分的核密度（高斯核，Silverman 带宽）",
    ),
    "chart.density.x": ("score", "综合得分"),
    "chart.density.y": ("density", "密度"),
    "chart.sigma.title": (
        "σ-convergence: dispersion of the score by year",
        "σ 收敛：综合得分的各年离散程度",
    ),
    "chart.kde.title": ("Kernel density of the score by year", "综合得分的核密度（逐年）"),
    "chart.kde.all": ("all regions", "全部地区"),
    "chart.kde.year": ("year", "年份"),
    "chart.conditional.title": (
        "Conditional kernel density of the score, year t → t + 1",
        "综合得分的条件核密度（t 年 → t + 1 年）",
    ),
    "chart.conditional.x": ("score in year t", "t 年综合得分"),
    "chart.conditional.y": ("score in year t + 1", "t + 1 年综合得分"),
    "chart.conditional_spatial.title": (
        "Spatially conditioned kernel density: a region given its neighbours",
        "空间静态条件核密度（本地区 | 相邻地区）",
    ),
    "chart.conditional_spatial.x": ("neighbours' mean score in year t", "t 年相邻地区平均得分"),
    "chart.conditional_spatial.y": ("own score in year t", "t 年本地区得分"),
    "chart.sigma.cv": ("cv", "变异系数"),
    "chart.sigma.gini": ("gini", "基尼系数"),
    "chart.lisa.title": (
        "LISA clusters of the score (p < {alpha})",
        "综合得分的 LISA 集聚图（p < {alpha}）",
    ),
    # ------------------------------------------------------------------ documents
    "report.title": ("nqpf report", "nqpf 分析报告"),
    "report.title.file": ("nqpf report: {name}", "nqpf 分析报告：{name}"),
    "report.title.demo": (
        "nqpf demo: Penn World Table 9.1, 117 countries",
        "nqpf 示例：Penn World Table 9.1，117 个国家",
    ),
    "doc.footer": (
        "Generated by nqpf. Every number comes from the nqpf API; see the CSV/XLSX files "
        "beside this page for full precision.",
        "由 nqpf 生成。所有数字均来自 nqpf API；完整精度见本页旁的 CSV/XLSX 文件。",
    ),
    "doc.options.sep": (", ", "；"),
    "doc.options.item": ("{name}={value}", "{name}：{value}"),
    # ------------------------------------------------------------------ coupling coordination
    "analysis.coupling": ("coupling coordination of the dimensions", "各维度耦合协调度"),
    "caption.coupling_by_year": (
        "Coupling coordination of the dimensions by year",
        "各维度耦合协调度的年度均值",
    ),
    "note.coupling": (
        "Systems: the dimension scores ({systems}). C: {formula} formula; T = Σ α·U with "
        "equal α; D: the square root of C·T; means over the regions of each year.",
        "子系统：各维度得分（{systems}）。耦合度 C 采用{formula}；综合协调指数 T = Σ α·U"
        "（等权）；耦合协调度 D 为 C·T 的平方根；为各年份地区均值。",
    ),
    "caption.coupling_regions": (
        "Coupling coordination by region, {year}",
        "{year}年各地区耦合协调度",
    ),
    "note.coupling_regions": (
        "Grade: ten levels of D in steps of 0.1, from extreme imbalance [0, 0.1) to "
        "high-quality coordination [0.9, 1]. Lagging: the dimensions whose score is at "
        "most {low:g} times the mean of the dimensions (two: E = U1/U2 ≤ {low:g} or > {high:g}).",
        "协调等级：按 D 每 0.1 分为十级，从极度失调 [0, 0.1) 到优质协调 [0.9, 1]。滞后子系统：得分"
        "不超过各维度平均得分 {low:g} 倍的维度（两个子系统时：E = U1/U2 ≤ {low:g} 或 > {high:g}）。",
    ),
    "caption.coupling_levels": (
        "Regions by coordination grade and year",
        "各年份耦合协调等级的地区数",
    ),
    "col.coupling_by_year.mean_C": ("Mean C", "耦合度 C 均值"),
    "col.coupling_by_year.mean_T": ("Mean T", "综合协调指数 T 均值"),
    "col.coupling_by_year.mean_D": ("Mean D", "耦合协调度 D 均值"),
    "col.coupling_regions.C": ("C", "耦合度 C"),
    "col.coupling_regions.T": ("T", "综合协调指数 T"),
    "col.coupling_regions.D": ("D", "耦合协调度 D"),
    "col.coupling_regions.level": ("Level", "等级"),
    "col.coupling_regions.grade": ("Grade", "协调等级"),
    "col.coupling_regions.lagging": ("Lagging", "滞后子系统"),
    "value.lagging.synchronous": ("synchronous", "同步"),
    "line.coupling": (
        "Coupling coordination of the dimensions: mean D {d:.3f} in {year} ({grade}).",
        "各维度耦合协调度：{year}年 D 均值为 {d:.3f}（{grade}）。",
    ),
    "chart.coupling.title": (
        "Coupling coordination degree D by year",
        "耦合协调度 D 的年度变化",
    ),
    "chart.coupling.y": ("mean D", "D 均值"),
    "step.echelons": ("echelons", "梯队划分"),
    "step.dagum": ("dagum", "Dagum 分解"),
    "step.convergence": ("convergence", "收敛分析"),
    "step.markov": ("markov", "马尔可夫链"),
    "step.clubs": ("clubs", "俱乐部收敛"),
    "step.spatial": ("spatial", "空间自相关"),
    "step.density": ("density", "核密度"),
    "step.obstacles": ("obstacles", "障碍度"),
    "step.done": ("done", "完成"),
    # ------------------------------------------------------------------ inequality
    # (nqpf.inequality: the report's Theil and Gini-by-dimension tables)
    "caption.theil": (
        "Theil T and L by year, decomposed by {group}",
        "按{group}分组的泰尔指数 T 与 L 及其分解（逐年）",
    ),
    "note.theil": (
        "T = GE(1), L = GE(0) (mean log deviation); each = within + between "
        "(Shorrocks 1980); between share = between / index.",
        "T = GE(1)，L = GE(0)（平均对数偏差）；各指数 = 组内 + 组间（Shorrocks 1980）；"
        "组间贡献率 = 组间 / 指数。",
    ),
    "note.theil_t_only": (
        "T = GE(1) = within + between (Shorrocks 1980); Theil L was not computed: {reason}",
        "T = GE(1) = 组内 + 组间（Shorrocks 1980）；未计算泰尔 L：{reason}",
    ),
    "caption.gini_sources": (
        "Gini of the index by dimension (Lerman–Yitzhaki source decomposition, period mean)",
        "指数基尼系数的维度来源分解（Lerman–Yitzhaki，期间均值）",
    ),
    "note.gini_sources": (
        "Decomposes the Gini of Σ_d W_d·D_d (dimension weight × dimension score; the "
        "index itself when it is linear): G = Σ S_k G_k R_k; share = S_k G_k R_k / G; "
        "marginal = effect of a 1% rise of the dimension on G relative to G.",
        "分解 Σ_d W_d·D_d（维度权重 × 维度得分；线性加权时即指数本身）的基尼系数："
        "G = Σ S_k G_k R_k；贡献率 = S_k G_k R_k / G；边际效应 = 该维度增加 1% 时 G 的相对变化。",
    ),
    "analysis.theil": ("Theil decomposition by {group}", "按{group}分组的泰尔指数分解"),
    "analysis.theil_l": ("Theil L by {group}", "按{group}分组的泰尔 L"),
    "analysis.gini_sources": ("Gini decomposition by dimension", "基尼系数的维度来源分解"),
    "line.theil": (
        "Theil T by {group}: mean {T:.4f}, of which between groups {b:.1f}%.",
        "泰尔指数 T（按{group}分组）：均值 {T:.4f}，其中组间差异占 {b:.1f}%。",
    ),
    "line.gini_sources": (
        "Dimension contributing most to the Gini of the index: {dimension} ({share:.1f}%).",
        "对指数基尼系数贡献最大的维度：{dimension}（{share:.1f}%）。",
    ),
    "col.theil.T": ("Theil T", "泰尔 T"),
    "col.theil.T_within": ("T within", "T 组内"),
    "col.theil.T_between": ("T between", "T 组间"),
    "col.theil.T_between_share": ("T between share", "T 组间贡献率"),
    "col.theil.L": ("Theil L", "泰尔 L"),
    "col.theil.L_within": ("L within", "L 组内"),
    "col.theil.L_between": ("L between", "L 组间"),
    "col.theil.L_between_share": ("L between share", "L 组间贡献率"),
    "col.gini_sources.S_k": ("Share of mean S_k", "均值占比 S_k"),
    "col.gini_sources.G_k": ("Gini G_k", "基尼系数 G_k"),
    "col.gini_sources.R_k": ("Gini correlation R_k", "基尼相关系数 R_k"),
    "col.gini_sources.share": ("Share of G", "对 G 的贡献率"),
    "col.gini_sources.marginal": ("Marginal effect", "边际效应"),
    "col.gini_sources.periods": ("Years", "年数"),
    # the R check's status cells (nqpf.crossval's report, nqpf.rbridge.routines)
    "value.status.compared": ("compared", "已比较"),
    "value.status.skipped": ("skipped", "已跳过"),
    "value.status.ok": ("ok", "可用"),
    "value.status.missing": ("missing", "缺失"),
    # ------------------------------------------------------------------ robustness
    # (nqpf.robustness, nqpf.multiverse: the headline conclusions of the reference variant, the report's
    # robustness section)
    "robust.first.all": (
        "{region} is first in all {n} variants",
        "{region}在全部 {n} 个方案中均排名第一",
    ),
    "robust.first.some": (
        "{region} is first in {k} of {n} variants",
        "{region}在 {n} 个方案中的 {k} 个排名第一",
    ),
    "robust.top3.all": (
        "the top-3 set ({regions}) is the same in all {n} variants",
        "前三名（{regions}）在全部 {n} 个方案中相同",
    ),
    "robust.top3.some": (
        "the top-3 set ({regions}) is the same in {k} of {n} variants",
        "前三名（{regions}）在 {n} 个方案中的 {k} 个相同",
    ),
    "robust.last.all": (
        "{region} is last in all {n} variants",
        "{region}在全部 {n} 个方案中均排名末位",
    ),
    "robust.last.some": (
        "{region} is last in {k} of {n} variants",
        "{region}在 {n} 个方案中的 {k} 个排名末位",
    ),
    "robust.echelons": (
        "{m} of {r} regions keep their echelon in every variant",
        "{r} 个地区中有 {m} 个在所有方案中梯队不变",
    ),
    "robust.largest.all": (
        "the {component} share is the largest component in every variant",
        "{component}贡献率在全部方案中均为最大",
    ),
    "robust.largest.some": (
        "the {component} share is the largest component in {k} of {n} variants",
        "{component}贡献率在 {n} 个方案中的 {k} 个为最大",
    ),
    "robust.component.Gw_share": ("within-group", "组内差异"),
    "robust.component.Gnb_share": ("between-group", "组间净差异"),
    "robust.component.Gt_share": ("transvariation", "超变密度"),
    "analysis.robustness": ("robustness analysis", "稳健性分析"),
    "robust.grid.item": ("{option}: ", "{option}："),
    "caption.robustness_regions": (
        "Robustness of the ranking: period-mean rank range across {n} index variants",
        "排名稳健性：{n} 种指数方案下平均得分排名的变动范围",
    ),
    "note.robustness_regions": (
        "Variants: {grid}. Rank 1 = highest period-mean score; the reference variant is "
        "the index of this report. {share:.1f}% of regions change echelon across the variants.",
        "方案：{grid}。排名 1 为平均得分最高；参照方案即本报告的指数。"
        "{share:.1f}% 的地区在不同方案间梯队发生变化。",
    ),
    "note.robustness_regions.plot": (
        " The plot shows the {k} regions of highest median rank.",
        "图中显示排名中位数最高的 {k} 个地区。",
    ),
    "caption.robustness_conclusions": (
        "Robustness of the conclusions across {n} index variants",
        "主要结论在 {n} 种指数方案下的稳健性",
    ),
    "caption.robustness_dagum": (
        "Range of the Dagum contribution shares across the index variants",
        "不同指数方案下 Dagum 基尼系数分解贡献率的范围",
    ),
    "col.robustness_regions.min_rank": ("Best rank", "最高排名"),
    "col.robustness_regions.max_rank": ("Worst rank", "最低排名"),
    "col.robustness_regions.median_rank": ("Median rank", "排名中位数"),
    "col.robustness_regions.reference_rank": ("Rank (this index)", "排名（本指数）"),
    "col.robustness_regions.rank_range": ("Range", "极差"),
    "col.robustness_regions.modal_echelon": ("Modal echelon", "众数梯队"),
    "col.robustness_regions.modal_share": ("Share in modal echelon", "众数梯队占比"),
    "col.robustness_conclusions.conclusion": ("Conclusion", "结论"),
    "col.robustness_conclusions.holds_in": ("Holds in", "成立方案数"),
    "col.robustness_conclusions.variants": ("Variants", "方案数"),
    "col.robustness_dagum.quantity": ("Quantity", "指标"),
    "col.robustness_dagum.min": ("Minimum", "最小值"),
    "col.robustness_dagum.max": ("Maximum", "最大值"),
    "col.robustness_dagum.reference": ("This index", "本指数"),
    "col.robustness_dagum.largest_in": ("Largest in (variants)", "为最大分量的方案数"),
    "chart.rank_range.title": ("Rank range across the index variants", "不同指数方案下的排名范围"),
    "chart.rank_range.x": ("period-mean rank (1 = highest)", "平均得分排名（1 为最高）"),
    "chart.rank_range.median": ("median", "中位数"),
    "chart.rank_range.reference": ("this index", "本指数"),
    "line.robustness": (
        "Robustness ({n} index variants): {conclusions}.",
        "稳健性（{n} 种指数方案）：{conclusions}。",
    ),
}


def check_language(language: Any) -> str:
    """``language`` if it is one of :data:`LANGUAGES`; the declaration's InputError
    otherwise (``unknown language 'fr' — use one of: en, zh``)."""
    from nqpf.options import ReportOptions

    return ReportOptions.info("language").check(language)  # type: ignore[no-any-return]


def text(key: str, language: str = "en", /, **values: Any) -> str:
    """The text of ``key`` in ``language``, formatted with ``values`` (a KeyError for a
    key the table does not have: the tests find it)."""
    english, chinese = TEXT[key]
    chosen = chinese if language == "zh" else english
    return chosen.format(**values) if values else chosen


def has(key: str) -> bool:
    return key in TEXT


def _is_cjk(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
    )


def inline(name: Any, language: str = "en") -> str:
    """A user's name set inside a sentence of ``language``: in Chinese a space on each
    side where it starts or ends with a Latin letter or digit (按 continent 分组,
    按区域分组), as Chinese typesetting spaces Latin words."""
    name = str(name)
    if language != "zh" or not name:
        return name
    before = "" if _is_cjk(name[0]) else " "
    after = "" if _is_cjk(name[-1]) else " "
    return f"{before}{name}{after}"


def header(column: str, language: str = "en", table: str = "") -> str | None:
    """The header of an nqpf column as documents show it, or None when the table has
    none (then the column is shown as it is named): ``col.<table>.<column>``, then
    ``col.<column>``, then a ``pattern.<prefix>`` for ``mean_<x>``, ``score_<x>``,
    ``obstacle_<x>``; a column nqpf namespaced beside a user's column of the same name
    (``nqpf_rank``, :func:`nqpf._frames.output_name`) has the header of its name."""
    for key in (f"col.{table}.{column}", f"col.{column}"):
        if key in TEXT:
            return text(key, language)
    if column.startswith("nqpf_"):  # an output renamed beside a user's column of its name
        rest = column[len("nqpf_") :]
        numbered = re.fullmatch(r"(.+)_\d+", rest)
        return header(rest, language, table) or (
            header(numbered.group(1), language, table) if numbered else None
        )
    for key in TEXT:
        if key.startswith("pattern."):
            prefix = key[len("pattern.") :]
            if column.startswith(prefix) and len(column) > len(prefix):
                # 2019 年得分, output_productivity 均值: Latin and digits spaced
                x = inline(column[len(prefix) :], language)
                return text(key, language, x=x).strip()
    return None


_COLUMN_KEYS: dict[str, str | None] = {}


def column_key(shown: str) -> str | None:
    """The nqpf column a header of :func:`header` shows (``"组内差异贡献率"`` →
    ``"Gw_share"``, ``"Slope"`` → ``"slope"``), None for a text no header has or that
    several columns share. The number policy (:func:`nqpf.formats.column_kind`) declares
    its kinds by column name and finds them back through this in a translated table."""
    if not _COLUMN_KEYS:
        found: dict[str, set[str]] = {}
        for key, pair in TEXT.items():
            if key.startswith("col."):
                column = key.split(".")[-1]
                for label in pair:
                    found.setdefault(label, set()).add(column)
        _COLUMN_KEYS.update(
            {label: next(iter(cols)) if len(cols) == 1 else None for label, cols in found.items()}
        )
    return _COLUMN_KEYS.get(shown)


def cell(column: str, value: Any, language: str = "en") -> str | None:
    """The text of a cell nqpf wrote itself (``value.<column>.<value>``), or None."""
    key = f"value.{column}.{value}"
    return text(key, language) if key in TEXT else None


def tier_label(j: int, language: str = "en") -> str:
    """Echelon ``j`` as a paper names it: "1" (English: the number, 1 = highest) or
    第一梯队 (Chinese)."""
    return text("value.tier", language, n=j, zh=zh_numeral(int(j)))


_CLUB = re.compile(r"club(\d+)")


def club_label(name: Any, language: str = "en") -> Any:
    """A Phillips–Sul club name ``club3`` (or a list of them) as ``Club 3`` / ``俱乐部3``;
    the regions in no club, ``divergent``, as ``divergent`` / ``发散``, and ``all`` (the
    test of every region) as ``all`` / ``全部地区``."""
    if not isinstance(name, str):
        return name
    if f"value.club.{name}" in TEXT:  # divergent, all (the test of every region)
        return text(f"value.club.{name}", language)
    return _CLUB.sub(lambda found: text("value.club", language, n=found.group(1)), name)


def option_items(options: Mapping[str, Any], language: str = "en") -> list[tuple[str, str]]:
    """(name, value) of each option as documents show it: in English the option's name
    and value as they are; in Chinese the declaration's labels
    (:meth:`~nqpf.options.Option.title`, :meth:`~nqpf.options.Option.choice_title`)."""
    if language != "zh":
        return [(str(k), str(v)) for k, v in options.items()]
    declared = {}
    for family in FAMILIES.values():
        for info in family.describe():
            declared.setdefault(info.name, info)
    out = []
    for name, value in options.items():
        info = declared.get(name)
        if info is None:
            out.append((str(name), str(value)))
            continue
        shown = info.choice_title(value, language) if info.choices else str(value)
        out.append((info.title(language), shown))
    return out


def placeholders(template: str) -> set[str]:
    """The ``{fields}`` of a template (the test checks both languages use the same)."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}
