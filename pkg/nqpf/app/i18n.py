"""Every label, message and chart title of the app in English and Chinese (中文).

``t(key, **values)`` returns the text in the language chosen in the sidebar
(session-state key ``w.lang``), formatted with ``str.format``. Every key has
both languages (a test checks it); a missing key raises ``KeyError`` so that the
tests catch it. Messages from the nqpf API itself (:class:`nqpf.errors.InputError`)
are English and are shown as they are, after a translated prefix.

The languages are the report's ``language`` option (:class:`nqpf.options.ReportOptions`,
each under its own name); the language chosen here is the one of the app's report
exports (the export page passes :func:`current_language` to
:func:`nqpf.report.build_report`), whose texts are the library's
(:mod:`nqpf.translations`), not this module's.
"""

from __future__ import annotations

import string
from typing import Any

import streamlit as st

from nqpf.options import ReportOptions

_LANGUAGE = ReportOptions.info("language")
#: language code → its own name (English, 中文), from the declaration
LANGUAGES = {code: _LANGUAGE.choice_title(code, code) for code in _LANGUAGE.choices}
DEFAULT_LANGUAGE = _LANGUAGE.default
LANGUAGE_KEY = "w.lang"

# key: (English, Chinese)
TEXT: dict[str, tuple[str, str]] = {
    # frame
    "app.language": ("Language / 语言", "语言 / Language"),
    "app.tagline": (
        "nqpf — composite index, Dagum Gini decomposition and checks against R.",
        "nqpf — 综合指数、Dagum 基尼系数分解与 R 交叉验证。",
    ),
    "page.data": ("Data", "数据"),
    "page.indicators": ("Indicators", "指标体系"),
    "page.index": ("Index", "综合指数"),
    "page.disparity": ("Echelons & disparity", "梯队与差异"),
    "page.dynamics": ("Dynamics", "动态演进"),
    "page.spatial": ("Spatial", "空间分析"),
    "page.inequality": ("Inequality", "不平等分解"),
    "page.coupling": ("Coupling coordination", "耦合协调"),
    "page.geodetector": ("Geodetector", "地理探测器"),
    "page.robustness": ("Robustness", "稳健性"),
    "page.compare": ("Compare", "方法比较"),
    "page.export": ("Export", "导出"),
    # common
    "common.need_data": (
        "Choose a panel on the Data page first.",
        "请先在“数据”页选择面板数据。",
    ),
    "common.need_index": (
        "Compute the index on the Index page first.",
        "请先在“综合指数”页计算指数。",
    ),
    "common.not_available": (
        "Not available yet: {module} is not part of this installation.",
        "暂不可用：当前安装中没有 {module}。",
    ),
    "common.index_stale": (
        "These results are for the index last computed (on {name}); the data, indicators or "
        "options have changed since — press “Compute index” on the Index page to update.",
        "以下结果对应上次计算的指数（数据文件 {name}）；此后数据、指标或方法已更改，"
        "请在“综合指数”页点击“计算指数”更新。",
    ),
    "common.page_not_ready": (
        "This page is not available yet: use the CLI or the Python API meanwhile (see the README).",
        "本页尚未完成：目前请使用命令行或 Python 接口（见 README）。",
    ),
    "common.computing": ("Computing…", "计算中…"),
    "common.all_years": ("All years", "全部年份"),
    "err.prefix": ("Input problem:", "输入有误："),
    "err.bug": ("Error:", "错误："),
    "err.sheet": ("(sheet {sheet})", "（工作表 {sheet}）"),
    "err.internal": (
        "unexpected {kind} inside nqpf — please report it with your file.",
        "nqpf 内部出现意外错误 {kind}，请连同数据文件一起报告。",
    ),
    "spec.source": ("indicator table", "指标表"),
    # data page
    "data.title": ("Data", "数据"),
    "data.intro": (
        "A region × year panel: one row per region and year, one column per indicator "
        "(wide), or region, year, indicator, value columns (long).",
        "面板数据：每行一个地区-年份，每列一个指标（宽表）；或包含地区、年份、指标、数值四列（长表）。",
    ),
    "data.source": ("Data source", "数据来源"),
    "data.source.default": (
        "Default data (Penn World Table 9.1)",
        "默认数据（Penn World Table 9.1）",
    ),
    "data.source.upload": ("Upload a file", "上传文件"),
    "data.default.about": (
        "117 countries, 2000–2017, 7 indicators in 3 dimensions; grouped by continent. "
        "Feenstra, Inklaar & Timmer (2015), CC BY 4.0.",
        "117 个国家，2000–2017 年，3 个维度 7 项指标；按大洲分组。"
        "Feenstra, Inklaar & Timmer (2015)，CC BY 4.0。",
    ),
    "data.upload": ("Panel file (CSV, XLSX or Parquet)", "面板数据文件（CSV、XLSX 或 Parquet）"),
    "data.upload.help": (
        "Up to {limit} MB. CSV in UTF-8, UTF-8 with BOM or GBK; the first row names the columns.",
        "最大 {limit} MB。CSV 可为 UTF-8、带 BOM 的 UTF-8 或 GBK 编码；第一行为列名。",
    ),
    "data.upload.kept": ("Using {name}, uploaded earlier.", "正在使用先前上传的 {name}。"),
    "data.sheet": ("Sheet", "工作表"),
    "data.sheet.help": (
        "This workbook has {n} sheets; the panel is read from the one chosen here.",
        "该工作簿有 {n} 个工作表，面板数据从这里选择的工作表读取。",
    ),
    "data.sheet.of": ("{name}, sheet {sheet}", "{name}，工作表 {sheet}"),
    "data.reading": ("Reading the cells", "单元格读取设置"),
    "data.none": ("Upload a panel file to start.", "请上传面板数据文件。"),
    "data.preview": ("Preview: {rows} rows × {cols} columns", "预览：{rows} 行 × {cols} 列"),
    "data.columns": ("Columns", "列设置"),
    "data.region": ("Region column", "地区列"),
    "data.year": ("Year column", "年份列"),
    "data.group": ("Group column (optional)", "分组列（可选）"),
    "data.group.help": (
        "E.g. a province's macro-region; the Dagum decomposition can split by it.",
        "例如省份所属的区域板块；Dagum 分解可按此分组。",
    ),
    "data.role.region": ("region column", "地区列"),
    "data.role.year": ("year column", "年份列"),
    "data.role.group": ("group column", "分组列"),
    "data.role.indicator": ("indicator-name column", "指标名称列"),
    "data.role.value": ("value column", "数值列"),
    "data.same": (
        "the {first} and the {second} are both {column} — choose a different column for each.",
        "{first}与{second}都是 {column}，请为每项选择不同的列。",
    ),
    "data.group.long": (
        "the group column {column} is not kept in the long layout (a long panel keeps region, "
        "year, indicator and value only) — choose no group column, or upload a wide file with it.",
        "长表只保留地区、年份、指标和数值列，分组列 {column} 不会保留——请不选分组列，或上传含该列的宽表。",
    ),
    "data.na.common": ("Treat {markers} as missing", "将 {markers} 视为缺失值"),
    "data.na.common.help": (
        "Statistical yearbooks write a missing value as a dash, an ellipsis or N/A; "
        "when chosen, such cells are empty cells. Other markers go in the box below.",
        "统计年鉴常用破折号、省略号或 N/A 表示缺失；勾选后这些单元格按空单元格处理。其他标记填在下框。",
    ),
    "data.templates": ("Templates and an example file", "模板与示例文件"),
    "data.templates.about": (
        "Fill in a template and upload it. The column names (region, year, group, indicator, "
        "value) are the ones nqpf reads without being told, so they stay in English; your "
        "indicator columns may have any names, Chinese included. The example file is the default data.",
        "填写模板后上传即可。列名（region、year、group、indicator、value）是 nqpf 默认识别的名称，"
        "因此保留英文；指标列可任意命名（可用中文）。示例文件即默认数据。",
    ),
    "data.template.wide": ("Wide template ({fmt})", "宽表模板（{fmt}）"),
    "data.template.long": ("Long template ({fmt})", "长表模板（{fmt}）"),
    "data.example": ("Example file (CSV)", "示例文件（CSV）"),
    "data.missing_reset": (
        "New file: “{option}” on the Index page is back to “{new}” (it was “{old}” for the "
        "previous file).",
        "新文件：“综合指数”页的“{option}”已恢复为“{new}”（上一个文件为“{old}”）。",
    ),
    "data.totals": (
        "{n} {n:row looks|rows look} like a total rather than a region: {names}. A total in "
        "the panel is ranked and weighted as one more region.",
        "有 {n} 个地区名称看起来是合计而非地区：{names}。合计行留在面板中会被当作一个地区参与赋权与排名。",
    ),
    "data.exclude": ("Exclude from the panel", "从面板中排除"),
    "data.exclude.help": (
        "The rows of the regions chosen here are left out of every analysis.",
        "此处所选地区的行不参与任何分析。",
    ),
    "data.gaps": (
        "{n} of {total} region-years have an empty indicator cell. “{option}” on the Index "
        "page decides: stop with an error, interpolate within the region, or drop these rows.",
        "{total} 个地区-年份中有 {n} 个存在空的指标单元格，由“综合指数”页的“{option}”决定："
        "报错、地区内插值或删除这些行。",
    ),
    "data.gaps.list": (
        "The {n} incomplete {n:region-year|region-years}: which indicators are empty",
        "{n} 个不完整的地区-年份及其缺失指标",
    ),
    "spec.kept": (
        "The indicator table was kept for the new file: {n} {n:indicator|indicators} with the same names.",
        "新文件沿用原指标表：{n} 个同名指标保留。",
    ),
    "spec.added": (
        "{n} new {n:indicator was|indicators were} added with default rows: {names}.",
        "新增 {n} 个指标（默认设置）：{names}。",
    ),
    "spec.dropped": (
        "{n} {n:indicator is|indicators are} not in the new file and {n:was|were} removed: {names}.",
        "{n} 个指标不在新文件中，已移除：{names}。",
    ),
    "data.indicator": ("Indicator-name column", "指标名称列"),
    "data.value": ("Value column", "数值列"),
    "data.metric.regions": ("Regions", "地区数"),
    "data.metric.years": ("Years", "年份数"),
    "data.metric.rows": ("Rows", "行数"),
    "data.metric.indicators": ("Indicators", "指标数"),
    "data.ready": (
        "Panel ready: {name}, {regions} regions, {first}–{last}.",
        "面板数据就绪：{name}，{regions} 个地区，{first}–{last} 年。",
    ),
    "data.unbalanced": (
        "The panel is unbalanced (some region-years are missing).",
        "该面板为非平衡面板（部分地区-年份缺失）。",
    ),
    "data.next": (
        "Next: check the indicator table on “Indicators”, then compute the index on “Index”.",
        "下一步：在“指标体系”页核对指标，然后在“综合指数”页计算指数。",
    ),
    # indicators page
    "ind.title": ("Indicator system", "指标体系"),
    "ind.intro": (
        "One row per indicator: its column, first-level dimension and direction "
        "(+ benefit, − cost). Edit the table or upload a spec file.",
        "每行一个指标：列名、一级维度和方向（+ 正向，− 逆向）。可直接编辑表格或上传指标文件。",
    ),
    "ind.upload": ("Indicator spec file (CSV, TOML or XLSX)", "指标体系文件（CSV、TOML 或 XLSX）"),
    "ind.upload.help": (
        "Columns indicator, dimension, direction (+/−), label, unit; up to {limit} MB.",
        "列：indicator、dimension、direction（+/−）、label、unit；最大 {limit} MB。",
    ),
    "ind.reset": ("Reset to the panel's default", "恢复默认指标"),
    "ind.reset.help": (
        "The shipped spec for the default data; every numeric column otherwise.",
        "默认数据使用自带指标体系；其他数据使用全部数值列。",
    ),
    "ind.dimension.help": (
        "First-level dimension, e.g. green, digital",
        "一级维度，如绿色、数字化",
    ),
    "ind.direction.help": (
        "+ benefit (more is better), − cost",
        "+ 正向指标（越大越好），− 逆向指标",
    ),
    "ind.absent": (
        "{n} indicator(s) of the table are not panel columns: {names} — fix the names or delete the rows.",
        "表中有 {n} 个指标不是面板数据的列：{names}。请修改名称或删除这些行。",
    ),
    "ind.summary": (
        "{n} {n:indicator|indicators} in {dims} {dims:dimension|dimensions} ({benefit} benefit, {cost} cost).",
        "共 {n} 项指标，{dims} 个维度（正向 {benefit} 项，逆向 {cost} 项）。",
    ),
    "ind.grid.help": (
        "Click a cell to edit it; paste a block copied from a spreadsheet into the selected "
        "cells (Ctrl/⌘+V); add a row at the bottom, delete rows by selecting them.",
        "单击单元格即可编辑；可将从电子表格复制的区域粘贴到所选单元格（Ctrl/⌘+V）；"
        "在底部添加行，选中行后可删除。",
    ),
    "ind.fill": ("Fill down: set many rows at once", "批量填充：一次设置多行"),
    "ind.fill.rows": ("Indicators", "指标"),
    "ind.fill.dimension": (
        "Dimension (empty: keep each row's)",
        "维度（留空则保持原值）",
    ),
    "ind.fill.direction": ("Direction", "方向"),
    "ind.fill.keep": ("keep", "保持"),
    "ind.fill.apply": ("Apply to the chosen indicators", "应用到所选指标"),
    "ind.download.csv": ("Download spec (CSV)", "下载指标体系（CSV）"),
    "ind.download.toml": ("Download spec (TOML)", "下载指标体系（TOML）"),
    # the options' labels, help and choice labels come from their declaration in
    # nqpf.options (nqpf.app.widgets)
    # index page
    "idx.title": ("Composite index", "综合指数"),
    "idx.intro": (
        "Improved entropy-weight TOPSIS by default; every variant is an option.",
        "默认采用改进的熵权 TOPSIS 法；各种变体均可选择。",
    ),
    "idx.options": ("Method", "方法设置"),
    "idx.run": ("Compute index", "计算指数"),
    "idx.press": (
        "Choose the method, then press “Compute index”.",
        "请选择方法，然后点击“计算指数”。",
    ),
    "idx.stale": (
        "The data, indicators or options changed since this result: press “Compute index” to update it.",
        "数据、指标或方法已更改，当前结果已过期：请点击“计算指数”更新。",
    ),
    "idx.dropped": (
        "“{option}: {choice}” left out {n} incomplete {n:region-year|region-years} of {total}: "
        "the index covers {regions} regions in {years} {years:year|years}.",
        "“{option}：{choice}”删除了 {total} 个地区-年份中 {n} 个不完整的地区-年份："
        "指数覆盖 {regions} 个地区、{years} 个年份。",
    ),
    "idx.dropped.few": (
        "Few years are left: most region-years had an empty cell. Consider interpolating "
        "instead, or removing the indicators that are mostly empty.",
        "剩余年份很少：多数地区-年份有空单元格。可考虑改用插值，或删除大部分为空的指标。",
    ),
    "idx.dropped.list": ("The dropped region-years", "被删除的地区-年份"),
    "idx.metric.best": ("Top in {year}", "{year} 年第一"),
    "idx.tab.weights": ("Weights", "权重"),
    "idx.tab.scores": ("Scores", "得分"),
    "idx.tab.charts": ("Charts", "图表"),
    "idx.view_year": ("Year", "年份"),
    "idx.regions": ("Regions in the trend chart", "趋势图中的地区"),
    # columns and charts
    "col.indicator": ("Indicator", "指标"),
    "col.dimension": ("Dimension", "维度"),
    "col.direction": ("Direction", "方向"),
    "col.label": ("Label", "名称"),
    "col.unit": ("Unit", "单位"),
    "col.weight": ("Weight", "权重"),
    "col.year": ("Year", "年份"),
    "col.region": ("Region", "地区"),
    "col.score": ("Score", "得分"),
    "col.rank": ("Rank", "排名"),
    "col.group": ("Group", "组别"),
    "col.rank_change": ("Rank change (A → B)", "排名变化（A → B）"),
    "chart.weights": ("Indicator weights", "指标权重"),
    "chart.trend": (
        "Index over time: mean (thick) and chosen regions",
        "指数变化趋势：均值（粗线）与所选地区",
    ),
    "chart.mean": ("Mean", "均值"),
    "chart.rank_heatmap": ("Rank by region and year (1 = highest)", "各地区历年排名（1 = 最高）"),
    "chart.dimensions": (
        "Dimension scores over time (mean of regions)",
        "各维度得分变化（地区均值）",
    ),
    "chart.dimension_score": ("Dimension score", "维度得分"),
    "chart.dimension_weights": ("Weight by dimension", "各维度权重"),
    "chart.dagum": (
        "Dagum Gini decomposition: contributions and overall G",
        "Dagum 基尼系数分解：各部分贡献与总体基尼系数 G",
    ),
    "chart.within": ("Within-group Gini Gjj", "组内基尼系数 Gjj"),
    "chart.gjh": ("Between-group Gini Gjh", "组间基尼系数 Gjh"),
    "chart.djh": ("Relative economic affluence Djh", "相对经济影响 Djh"),
    "chart.intervals": (
        "Bootstrap percentile intervals of G and its parts",
        "G 及其分解项的 Bootstrap 百分位置信区间",
    ),
    "chart.compare_scatter": ("Scores under A and B", "方案 A 与方案 B 的得分"),
    "chart.rank_change": ("Largest rank changes", "排名变化最大的地区"),
    "dagum.Gw": ("Within (Gw)", "组内差异（Gw）"),
    "dagum.Gnb": ("Net between (Gnb)", "组间净差异（Gnb）"),
    "dagum.Gt": ("Transvariation (Gt)", "超变密度（Gt）"),
    "dagum.term": ("Term", "分解项"),
    "dagum.contribution": ("Contribution to G", "对 G 的贡献"),
    "dagum.group_j": ("Group j (higher mean)", "组 j（均值较高）"),
    "dagum.group_h": ("Group h", "组 h"),
    # disparity page
    "dis.title": ("Echelons and regional disparity", "梯队划分与区域差异"),
    "dis.intro": (
        "Tier the regions by their period-average score, then split the Gini coefficient "
        "within and between groups, year by year (Dagum 1997).",
        "按时期平均得分划分梯队，再逐年将基尼系数分解为组内与组间差异（Dagum 1997）。",
    ),
    "dis.echelons": ("Echelons", "梯队划分"),
    "dis.k.default": ("default", "默认"),
    "dis.thresholds": ("Thresholds (comma-separated)", "阈值（逗号分隔）"),
    "dis.thresholds.help": (
        "Cut points of the period-average score, e.g. 0.45, 0.33; a value on a cut point goes up.",
        "时期平均得分的分界点，如 0.45, 0.33；恰在分界点上的地区归入较高梯队。",
    ),
    "dis.thresholds.bad": (
        "type one or more numbers separated by commas, e.g. 0.45, 0.33.",
        "请输入一个或多个以逗号分隔的数字，如 0.45, 0.33。",
    ),
    "dis.column": ("Tier column", "梯队列"),
    "dis.labels": ("Tier labels", "梯队名称"),
    "dis.labels.numbers": ("echelon 1, 2, …", "echelon 1, 2, …"),
    "dis.labels.zh": ("第一梯队, 第二梯队, …", "第一梯队、第二梯队…"),
    "dis.gvf": ("Goodness of variance fit", "方差拟合优度 GVF"),
    "dis.gvf.help": (
        "Share of the variance of the region averages that lies between tiers (1 = perfect).",
        "地区均值方差中梯队间方差所占比例（1 为完全区分）。",
    ),
    "dis.breaks": ("Cut points (high to low): {breaks}", "分界点（从高到低）：{breaks}"),
    "dis.sensitivity": ("Sensitivity to the rule", "划分规则敏感性"),
    "dis.sensitivity.help": (
        "Each region's echelon under each rule (1 = highest), and pairwise agreement.",
        "各地区在不同规则下的梯队（1 为最高）及规则两两一致性。",
    ),
    "dis.sensitivity.moved": (
        "{moved} of {n} regions change echelon between rules.",
        "{n} 个地区中有 {moved} 个在不同规则下梯队不同。",
    ),
    "dis.dagum": ("Dagum Gini decomposition", "Dagum 基尼系数分解"),
    "dis.no_groups": (
        "No grouping: choose an echelon rule above or a group column on the Data page.",
        "没有可用的分组：请在上方选择梯队划分规则，或在“数据”页选择分组列。",
    ),
    "dis.fix_echelons": (
        "Fix the echelon rule above (or choose a group column) to decompose by echelon.",
        "请先修正上方的梯队划分规则（或改选分组列），再按梯队分解。",
    ),
    "dis.grouping": ("Groups", "分组依据"),
    "dis.grouping.echelon": ("Echelons (above)", "梯队（上方划分）"),
    "dis.grouping.help": (
        "The groups the Gini is split by: the echelons above, or a group column of the panel.",
        "基尼系数分解所依据的分组：上方的梯队，或面板中的分组列。",
    ),
    "dis.weights": ("Unit weights (optional)", "单位权重（可选）"),
    "dis.weights.help": (
        "A numeric column such as population; counts are used without it.",
        "数值列，如人口；不选则按个数计算。",
    ),
    "dis.run": ("Decompose", "进行分解"),
    "dis.press": (
        "Press “Decompose” to split the Gini by year.",
        "点击“进行分解”逐年分解基尼系数。",
    ),
    "dis.stale": (
        "The choices changed since this result: press the button again to update it.",
        "设置已更改，当前结果已过期：请再次点击按钮更新。",
    ),
    "dis.period": ("Period means", "时期均值"),
    "dis.pair_year": ("Year of the pair heatmaps", "组间热力图年份"),
    "dis.pair_year.mean": ("Mean of all years", "各年均值"),
    "dis.tables": ("Within and between tables", "组内与组间明细表"),
    "dis.boot": ("Bootstrap confidence intervals", "自助法（Bootstrap）置信区间"),
    "dis.boot.help": (
        "Regions are resampled within each group and year; percentile intervals.",
        "在各年份、各组内对地区重抽样；给出百分位置信区间。",
    ),
    "dis.boot.seed": ("Random seed", "随机种子"),
    "dis.boot.run": ("Compute intervals", "计算置信区间"),
    "dis.boot.progress": (
        "Bootstrap: {done} of {total} replicates",
        "Bootstrap：已完成 {done} / {total} 次",
    ),
    # dynamics page (its texts: keys "dyn.*")
    "dyn.title": ("Dynamics", "动态演进"),
    "dyn.intro": (
        "σ and β convergence, Markov chains, convergence clubs, kernel densities and obstacle degrees of the index.",
        "指数的 σ 与 β 收敛、马尔可夫链、收敛俱乐部、核密度与障碍度。",
    ),
    # end of the dynamics page
    # spatial page (its texts: keys "spa.*")
    "spa.title": ("Spatial", "空间分析"),
    "spa.intro": (
        "Spatial weights, global and local spatial autocorrelation, LISA and hot-spot maps.",
        "空间权重、全局与局部空间自相关、LISA 与热点图。",
    ),
    # end of the spatial page
    # inequality page (its texts: keys "ine.*")
    "ine.title": ("Inequality", "不平等分解"),
    "ine.intro": (
        "Theil, generalised entropy and Atkinson indices with their decompositions; Gini variants and the source decomposition by dimension.",
        "泰尔指数、广义熵与阿特金森指数及其分解；基尼系数变体与按维度的来源分解。",
    ),
    # end of the inequality page
    # coupling page (its texts: keys "cou.*")
    "cou.title": ("Coupling coordination", "耦合协调"),
    "cou.intro": (
        "The coupling coordination degree of two or more subsystems.",
        "两个及以上子系统的耦合协调度。",
    ),
    # end of the coupling page
    # geodetector page (its texts: keys "geo.*")
    "geo.title": ("Geodetector", "地理探测器"),
    "geo.intro": (
        "Factor, interaction, risk and ecological detectors of the index's influencing factors.",
        "指数影响因素的因子、交互、风险与生态探测。",
    ),
    # end of the geodetector page
    # robustness page (its texts: keys "rob.*")
    "rob.title": ("Robustness", "稳健性"),
    "rob.intro": (
        "The index under a grid of defensible method choices: rank ranges, echelon changes and conclusions that hold in every variant.",
        "在一组合理的方法选择下重算指数：排名区间、梯队变化与在所有方案中都成立的结论。",
    ),
    # end of the robustness page
    # compare page
    "cmp.title": ("Compare methods", "方法比较"),
    "cmp.intro": (
        "Two configurations of the index side by side: scores, rank changes, Kendall's τ and "
        "Spearman's ρ; then the same numbers checked against R.",
        "并列比较两种指数设置：得分、排名变化、Kendall τ 与 Spearman ρ；并与 R 的结果逐项核对。",
    ),
    "cmp.methods": ("Two configurations", "两种方案"),
    "cmp.preset": ("Comparison", "比较内容"),
    "cmp.preset.pooled_vs_year": ("Pooled vs per-year entropy", "全样本熵值法 vs 逐年熵值法"),
    "cmp.preset.topsis_vs_linear": ("TOPSIS vs linear index", "TOPSIS vs 线性加权"),
    "cmp.preset.entropy_vs_critic": ("Entropy vs CRITIC weights", "熵值法 vs CRITIC 法"),
    "cmp.preset.entropy_vs_equal": ("Entropy vs equal weights", "熵值法 vs 等权"),
    "cmp.preset.entropy_vs_cv": ("Entropy vs coefficient of variation", "熵值法 vs 变异系数法"),
    "cmp.preset.matrix_vs_distance": (
        "Weighted matrix vs weighted distance",
        "加权矩阵 vs 加权距离",
    ),
    "cmp.preset.minmax_vs_vector": ("Min–max vs vector normalisation", "极差标准化 vs 向量规范化"),
    "cmp.preset.custom": ("Custom", "自定义"),
    "cmp.a": ("Configuration A", "方案 A"),
    "cmp.b": ("Configuration B", "方案 B"),
    "cmp.run": ("Compare", "开始比较"),
    "cmp.press": ("Press “Compare” to compute both.", "点击“开始比较”计算两种方案。"),
    "cmp.stale": (
        "The configurations changed since this result: press “Compare” to update it.",
        "方案已更改，当前结果已过期：请点击“开始比较”更新。",
    ),
    "cmp.tau": ("Kendall's τ (all region-years)", "Kendall τ（全部地区-年份）"),
    "cmp.tau.help": (
        "τ-b between the two scores, pooled over years.",
        "两种得分的 τ-b，合并全部年份。",
    ),
    "cmp.rho": ("Spearman's ρ (all region-years)", "Spearman ρ（全部地区-年份）"),
    "cmp.rho.help": (
        "Rank correlation of the two scores, pooled.",
        "两种得分的秩相关系数，合并全部年份。",
    ),
    "cmp.moved": ("Region-years whose rank changes", "排名发生变化的地区-年份"),
    "cmp.agreement": ("Rank agreement by year", "各年排名一致性"),
    "cmp.year": ("Year", "年份"),
    # cross-validation
    "cv.title": ("Python against R", "Python 与 R 交叉验证"),
    "cv.intro": (
        "Each number of the current run recomputed by established R routines and nqpf's own "
        "base-R reference, quantity by quantity.",
        "用成熟的 R 程序包及 nqpf 自带的 base R 参考实现，逐项重算当前结果。",
    ),
    "cv.run": ("Check against R", "与 R 核对"),
    "cv.running": ("Starting R and comparing…", "正在启动 R 并比较…"),
    "cv.routines": (
        "R routines on this machine: {ok} of {n} available",
        "本机 R 程序：{n} 个中 {ok} 个可用",
    ),
    "cv.passed": (
        "All {n} compared quantities agree with R within tolerance"
        "{skipped:| (1 row skipped: see note)| ({skipped} rows skipped: see note)}.",
        "全部 {n} 项比较结果在容差内与 R 一致"
        "{skipped:|（{skipped} 行未比较，原因见 note 列）|（{skipped} 行未比较，原因见 note 列）}。",
    ),
    "cv.failed": (
        "{failed} of {n} compared quantities differ from R beyond their tolerance"
        "{skipped:| (1 row skipped)| ({skipped} rows skipped)}.",
        "{n} 项比较中有 {failed} 项与 R 的差异超过容差{skipped:|（{skipped} 行未比较）|（{skipped} 行未比较）}。",
    ),
    "cv.mark.pass": ("✓ pass", "✓ 通过"),
    "cv.mark.fail": ("✗ FAIL", "✗ 未通过"),
    "cv.mark.skip": ("– skipped", "– 未比较"),
    "cv.mark.present": ("✓ installed", "✓ 已安装"),
    "cv.mark.missing": ("– missing", "– 缺失"),
    "cv.stale": (
        "This report is for an earlier index run: press the button again.",
        "该报告对应较早的指数结果：请再次点击按钮。",
    ),
    # export page
    "exp.title": ("Export", "导出"),
    "exp.intro": (
        "Every table of the current analysis as CSV, XLSX or LaTeX, all at once, or as an HTML report.",
        "当前分析的所有表格可导出为 CSV、XLSX 或 LaTeX，也可一次性导出或生成 HTML 报告。",
    ),
    "exp.none": (
        "Nothing to export yet: load data and compute the index first.",
        "暂无可导出的内容：请先加载数据并计算指数。",
    ),
    "exp.table": ("Table", "表格"),
    "exp.shape": ("{rows} rows × {cols} columns", "{rows} 行 × {cols} 列"),
    "exp.csv": ("CSV", "CSV"),
    "exp.xlsx": ("XLSX", "XLSX"),
    "exp.latex": ("LaTeX", "LaTeX"),
    "exp.all": ("All tables", "全部表格"),
    "exp.all.xlsx": ("Workbook (XLSX, one sheet per table)", "工作簿（XLSX，每表一页）"),
    "exp.all.zip": ("CSV files (ZIP)", "CSV 文件（ZIP）"),
    "exp.meta.file": ("Data file", "数据文件"),
    "exp.neutralised": (
        "In CSV and XLSX files, text cells starting with =, +, - or @ get a leading ' so that "
        "spreadsheets do not run them as formulas.",
        "CSV 与 XLSX 文件中以 =、+、-、@ 开头的文本单元格前加 '，以免电子表格将其作为公式执行。",
    ),
    "exp.paper": ("Paper report", "论文报告"),
    "exp.paper.help": (
        "All companion analyses of the current index in one document (nqpf.report): region "
        "table, echelons, Dagum by group and by echelon, σ- and β-convergence, Markov chain, "
        "convergence clubs, obstacle degrees, with charts.",
        "基于当前指数的全部配套分析（nqpf.report）：地区得分表、梯队、按分组与按梯队的 Dagum 分解、"
        "σ 与 β 收敛、马尔可夫链、收敛俱乐部、障碍度，并附图表。",
    ),
    "exp.paper.run": ("Build the paper report", "生成论文报告"),
    "exp.paper.progress": ("Report: {step}", "报告：{step}"),
    "exp.paper.title": ("nqpf report", "nqpf 分析报告"),
    "exp.paper.html": ("Report (HTML with charts)", "报告（HTML，含图表）"),
    "exp.paper.zip": (
        "Report folder (ZIP: HTML, Markdown, LaTeX, XLSX, CSV, SVG)",
        "报告文件夹（ZIP：HTML、Markdown、LaTeX、XLSX、CSV、SVG）",
    ),
    "table.spec": ("Indicator system", "指标体系"),
    "table.weights": ("Indicator weights", "指标权重"),
    "table.dimension_weights": ("Dimension weights", "维度权重"),
    "table.scores": ("Scores and ranks", "得分与排名"),
    "table.standardized": ("Standardised indicators", "标准化指标值"),
    "table.echelons": ("Echelon of each region", "各地区梯队"),
    "table.echelon_tiers": ("Echelons", "梯队概况"),
    "table.echelon_sensitivity": ("Echelons under each rule", "不同规则下的梯队"),
    "table.echelon_agreement": ("Agreement of echelon rules", "梯队规则一致性"),
    "table.dagum_summary": ("Dagum decomposition by year", "Dagum 分解（逐年）"),
    "table.dagum_within": ("Within-group Gini", "组内基尼系数"),
    "table.dagum_between": ("Between-group Gini", "组间基尼系数"),
    "table.dagum_period_mean": ("Dagum period means", "Dagum 分解时期均值"),
    "table.dagum_intervals": ("Bootstrap intervals", "Bootstrap 置信区间"),
    "table.compare_scores": ("Scores under A and B", "方案 A 与 B 的得分"),
    "table.compare_agreement": ("Rank agreement of A and B", "方案 A 与 B 的排名一致性"),
    "table.r_routines": ("R routines", "R 程序"),
    "table.crossval": ("Python against R", "Python 与 R 交叉验证"),
}


def current_language() -> str:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


class _Formatter(string.Formatter):
    """``str.format`` with one addition, forms that agree with a number:
    ``{n:indicator|indicators}`` is the first word when ``n`` is 1, else the second
    (so "1 dimension", "0 dimensions" come from one text, never "1 dimensions");
    ``{n:zero|one|many}`` has a form for 0 too, and a form may hold ``{n}`` itself
    (``{skipped:| (1 row skipped)| ({skipped} rows skipped)}``: nothing said for 0)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            forms = format_spec.split("|")
            if len(forms) == 3:
                zero, one, many = forms
                return zero if value == 0 else one if value == 1 else many
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMAT = _Formatter()


def t(key: str, **values: Any) -> str:
    """The text of ``key`` in the chosen language, formatted with ``values``
    (``{n:word|words}`` agrees with ``n``: :class:`_Formatter`)."""
    english, chinese = TEXT[key]
    text = chinese if current_language() == "zh" else english
    return _FORMAT.format(text, **values) if values else text


def language_selector() -> str:
    """The sidebar's language switch (shown on every page by the router)."""
    if st.session_state.get(LANGUAGE_KEY) not in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = DEFAULT_LANGUAGE
    return st.radio(
        TEXT["app.language"][0] if current_language() == "en" else TEXT["app.language"][1],
        list(LANGUAGES),
        key=LANGUAGE_KEY,
        format_func=LANGUAGES.__getitem__,
        horizontal=True,
    )
