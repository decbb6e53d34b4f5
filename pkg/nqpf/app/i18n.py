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
    # staleness and tables (state.publish, state.table; issue 15 deliverables 5, 6)
    "stale.badge": (
        "Stale: {tables} — computed before {what} changed; not exported.",
        "已过期：{tables}——计算后{what}已更改；不会导出。",
    ),
    "stale.what.run.index": ("the index run", "指数结果"),
    "stale.what.run.dagum": ("the Dagum decomposition", "Dagum 分解"),
    "stale.what.dag.wanted": ("the grouping or weights", "分组或权重设置"),
    "stale.what.boot.wanted": ("the bootstrap options", "自助法设置"),
    "stale.what.run.compare": ("the compared runs", "比较结果"),
    "stale.what.cmp.wanted": ("configurations A and B", "方案 A 与方案 B"),
    "stale.what.paper": ("the report's inputs", "报告的输入"),
    "stale.excluded": (
        "Left out of the export, computed from earlier inputs: {tables}. "
        "Open their page and run them again to export them.",
        "以下表格基于较早的输入计算，未纳入导出：{tables}。请到相应页面重新计算后再导出。",
    ),
    "table.rows": ("{n} rows", "共 {n} 行"),
    # an empty cell of a table (null, NaN, ±∞), and why (the pages give their reasons)
    "table.empty": ("“{dash}”: {why}", "“{dash}”：{why}"),
    "table.empty.why": (
        "no value: the method leaves this cell undefined for that row.",
        "无值：该方法对这一行不定义此单元格的值。",
    ),
    # end of staleness and tables
    "common.page_not_ready": (
        "This page is not available yet: use the CLI or the Python API meanwhile (see the README).",
        "本页尚未完成：目前请使用命令行或 Python 接口（见 README）。",
    ),
    "common.computing": ("Computing…", "计算中…"),
    "common.all_years": ("All years", "全部年份"),
    # a multiselect with nothing chosen (Streamlit's own placeholder is English only)
    "common.choose": ("Choose options", "请选择"),
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
        "+ benefit (more is better), − cost, mid: best at its target (moderate), interval: "
        "best between lower and upper",
        "+ 正向指标（越大越好），− 逆向指标，mid：越接近目标值越好（适度指标），interval："
        "落在下限与上限之间最好（区间指标）",
    ),
    "ind.types": (
        "Moderate and interval indicators, given ideal points",
        "适度指标、区间指标与给定的理想解",
    ),
    "ind.types.help": (
        "Shows the columns target (a mid indicator's best value), lower and upper (an "
        "interval indicator's best range) and ideal / anti_ideal (given TOPSIS ideal points; "
        "empty: taken from the data). Shown always when the spec has one of them.",
        "显示以下列：target（适度指标的最优值）、lower 与 upper（区间指标的最优区间）、ideal 与 "
        "anti_ideal（给定的 TOPSIS 正、负理想解；留空则由数据确定）。指标体系含有其中任一项时始终显示。",
    ),
    "ind.absent": (
        "{n} {n:indicator|indicators} of the table {n:is not a panel column|are not panel columns}: {names} — fix the names or delete the rows.",
        "表中有 {n} 个指标不是面板数据的列：{names}。请修改名称或删除这些行。",
    ),
    "ind.summary": (
        "{n} {n:indicator|indicators} in {dims} {dims:dimension|dimensions} ({benefit} benefit, {cost} cost).",
        "共 {n} 项指标，{dims} 个维度（正向 {benefit} 项，逆向 {cost} 项）。",
    ),
    "ind.grid.help": (
        "Click a cell and type to edit it (Enter keeps the edit and moves down, as in a "
        "spreadsheet); in a Direction cell type + or - and press Enter; paste a block "
        "copied from a spreadsheet into the selected cells (Ctrl/⌘+V); add a row at the "
        "bottom, delete rows by selecting them.",
        "单击单元格后直接输入即可编辑（按回车保存并移到下一行，与电子表格相同）；在“方向”单元格中"
        "输入 + 或 - 后按回车即可；可将从电子表格复制的区域粘贴到所选单元格（Ctrl/⌘+V）；"
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
    "col.target": ("Target (mid)", "目标值（适度）"),
    "col.lower": ("Lower (interval)", "下限（区间）"),
    "col.upper": ("Upper (interval)", "上限（区间）"),
    "col.ideal": ("Ideal point", "正理想解"),
    "col.anti_ideal": ("Anti-ideal point", "负理想解"),
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
    "dyn.need_years": (
        "The dynamics need at least 2 years: this index run has one.",
        "动态分析至少需要 2 个年份：当前指数只有 1 年。",
    ),
    "dyn.few_years": (
        "Only {n} years: with fewer than about {minimum} the trend and convergence tests have little power; read their p-values as descriptive.",
        "仅 {n} 个年份：少于约 {minimum} 年时趋势与收敛检验的功效很低，p 值仅作描述参考。",
    ),
    "dyn.about": ("About this method", "方法说明"),
    "dyn.group": ("Within groups of", "分组"),
    "dyn.section": ("Analysis", "分析"),
    "dyn.tab.convergence": ("σ / β convergence", "σ / β 收敛"),
    "dyn.tab.markov": ("Markov chains", "马尔可夫链"),
    "dyn.tab.clubs": ("Convergence clubs", "收敛俱乐部"),
    "dyn.tab.kde": ("Kernel density", "核密度"),
    "dyn.tab.obstacle": ("Obstacle degree", "障碍度"),
    # σ
    "dyn.sigma": ("σ-convergence", "σ 收敛"),
    "dyn.sigma.cv": ("Coefficient of variation", "变异系数"),
    "dyn.sigma.gini": ("Gini coefficient", "基尼系数"),
    "dyn.sigma.trend": (
        "Trend of each measure (OLS on the year)",
        "各离散指标的时间趋势（对年份的 OLS）",
    ),
    "dyn.chart.sigma": (
        "σ-convergence: dispersion of the score by year",
        "σ 收敛：各年得分的离散程度",
    ),
    "dyn.sigma.about": (
        "Each year's dispersion of the score across regions: standard deviation, coefficient of variation (CV, the σ of most NQPF papers), SD of logs (Barro–Sala-i-Martin's σ) and Gini. A falling measure is σ-convergence. The trend table fits m_t = a + b·t by OLS: a significantly negative slope b is σ-convergence, a positive one divergence; its classical SE ignores the autocorrelation of a yearly series.",
        "各年得分在地区间的离散程度：标准差、变异系数（CV，多数新质生产力文献中的 σ）、对数标准差（Barro–Sala-i-Martin 的 σ）与基尼系数。指标随时间下降即为 σ 收敛。趋势表以 OLS 拟合 m_t = a + b·t：斜率 b 显著为负为 σ 收敛，为正为发散；其经典标准误未考虑年度序列的自相关。",
    ),
    "dyn.sigma.cite": (
        "Cite: Sala-i-Martin (1996), Economic Journal 106, 1019–1036; Barro & Sala-i-Martin (2004), Economic Growth (docs/methods.md §4.1).",
        "引用：Sala-i-Martin (1996), Economic Journal 106, 1019–1036；Barro & Sala-i-Martin (2004), Economic Growth（docs/methods.md §4.1）。",
    ),
    # β
    "dyn.beta": ("β-convergence", "β 收敛"),
    "dyn.beta.effects": ("Design", "模型设定"),
    "dyn.beta.effects.help": (
        "No fixed effects: the cross-section of long-run growth on the initial level (HC1 SE), or the pooled annual panel; region / two-way: the annual panel with region (and year) fixed effects. Panel SEs are clustered by region.",
        "无固定效应：长期增长率对初始水平的截面回归（HC1 标准误），或混合年度面板；地区 / 双向：含地区（及年份）固定效应的年度面板。面板标准误按地区聚类。",
    ),
    "dyn.beta.effects.none": ("No fixed effects", "无固定效应"),
    "dyn.beta.effects.region": ("Panel, region fixed effects", "面板，地区固定效应"),
    "dyn.beta.effects.twoway": (
        "Panel, region and year fixed effects",
        "面板，地区与年份双向固定效应",
    ),
    "dyn.beta.horizon": ("Growth over", "增长率区间"),
    "dyn.beta.horizon.help": (
        "period: one long difference per region from the first to the last year (cross-section); annual: the panel of year-on-year growth (pooled OLS with SEs clustered by region, or with fixed effects).",
        "period：每个地区从首年到末年的长期增长（截面）；annual：逐年增长率面板（混合 OLS，标准误按地区聚类，或含固定效应）。",
    ),
    "dyn.beta.horizon.period": ("The whole period (cross-section)", "整个时期（截面）"),
    "dyn.beta.horizon.annual": ("Each year (panel)", "逐年（面板）"),
    "dyn.beta.controls_at": ("Controls taken at", "控制变量取值"),
    "dyn.beta.controls_at.initial": ("The first year", "首年"),
    "dyn.beta.controls_at.mean": ("Their period mean", "时期均值"),
    "dyn.beta.start": ("First year", "起始年"),
    "dyn.beta.end": ("Last year", "结束年"),
    "dyn.beta.small_sample": ("Cluster small-sample convention", "聚类小样本校正"),
    "dyn.beta.small_sample.help": (
        "Which K enters G/(G − 1) · (N − 1)/(N − K): stata (xtreg, fe vce(cluster)) or plm (vcovHC type sss). Only the panel designs use it.",
        "G/(G − 1) · (N − 1)/(N − K) 中的 K 如何计：stata（xtreg, fe vce(cluster)）或 plm（vcovHC type sss）。仅面板设定使用。",
    ),
    "dyn.beta.controls": ("Controls (conditional β)", "控制变量（条件 β 收敛）"),
    "dyn.beta.controls.help": (
        "None: absolute β-convergence. Dimension scores or numeric panel columns: conditional β-convergence (taken at the initial year in the cross-section, at year t in the panel).",
        "不选：绝对 β 收敛。选择维度得分或数值列：条件 β 收敛（截面取初始年，面板取第 t 年）。",
    ),
    "dyn.beta.absolute": ("absolute", "绝对"),
    "dyn.beta.conditional": ("conditional", "条件"),
    "dyn.beta.kind": (
        "{kind} β-convergence, {se} standard errors, {n} observations",
        "{kind} β 收敛，{se} 标准误，{n} 个观测",
    ),
    "dyn.beta.about": (
        "β < 0: regions with a lower initial score grow faster (convergence). speed θ per year and half_life = ln 2 / θ years follow from β; NaN when there is no convergence. The cross-section has one row per region (HC1 SE, t(N − K)); the panel regresses yearly growth on last year's log level, with the fixed effects absorbed, SEs clustered by region and p-values from t(G − 1). With region effects β is strongly biased towards −1 in short panels (Nickell bias): compare it with the cross-section.",
        "β < 0：初始得分较低的地区增长更快（收敛）。由 β 得到每年收敛速度 θ 与半衰期 half_life = ln 2 / θ 年；不收敛时为 NaN。截面每个地区一行（HC1 标准误，t(N − K)）；面板以年度增长率对上年对数水平回归，吸收固定效应，标准误按地区聚类，p 值取自 t(G − 1)。短面板中地区固定效应使 β 明显偏向 −1（Nickell 偏误）：请与截面结果对照。",
    ),
    "dyn.beta.cite": (
        "Cite: Barro & Sala-i-Martin (1992), JPE 100, 223–251; Islam (1995), QJE 110, 1127–1170; Cameron & Miller (2015), JHR 50, 317–372 (docs/methods.md §4.2).",
        "引用：Barro & Sala-i-Martin (1992), JPE 100, 223–251；Islam (1995), QJE 110, 1127–1170；Cameron & Miller (2015), JHR 50, 317–372（docs/methods.md §4.2）。",
    ),
    # Markov
    "dyn.markov": ("Markov chain of the score classes", "得分类型的马尔可夫链"),
    "dyn.markov.empty": (
        "no value: a state never left in these data has no transition probabilities (its row "
        "is not identified); the lowest class has no lower bound and the highest no upper "
        "bound; a chain with several closed classes has no single steady state; a state never "
        "reached from another has an infinite mean first passage time.",
        "无值：数据中从未离开的状态没有转移概率（该行不可识别）；最低类无下界、最高类无上界；"
        "有多个闭类的链没有唯一的稳态分布；从某状态永远到达不了的状态，其平均首达时间为无穷大。",
    ),
    "dyn.markov.summary": (
        "{n} transitions between {k} states (1 = lowest).",
        "{k} 个状态（1 为最低）之间共 {n} 次转移。",
    ),
    "dyn.markov.absorbing": (
        'The top state is absorbing and the lowest is transient: with pooled classes a common upward trend moves every region up, so the long run sits in the top classes. Choose Classes → "Pooled quantiles of value ÷ year mean" (relative) to see the regions\' relative mobility.',
        "最高状态为吸收态、最低状态为暂态：在全部年份分位数划分下，共同的上升趋势使所有地区上移，长期分布集中在高类型。请在“类型划分”中选择“相对值（除以当年均值）的全部年份分位数”以观察地区的相对流动。",
    ),
    "dyn.chart.markov": ("Transition probabilities", "转移概率矩阵"),
    "dyn.chart.lisa": ("LISA Markov transition probabilities", "LISA 马尔可夫转移概率"),
    "dyn.markov.from": ("State in year t", "t 年状态"),
    "dyn.markov.to": ("State in year t + 1", "t + 1 年状态"),
    "dyn.markov.by_state": (
        "By state: class bounds, persistence, moves up and down",
        "各状态：类型边界、保持概率、上移与下移概率",
    ),
    "dyn.markov.long_run": (
        "Long run: stationary distribution(s), sojourn and recurrence times",
        "长期：平稳分布、逗留时间与回访时间",
    ),
    "dyn.markov.first_passage": ("Mean first passage times (years)", "平均首达时间（年）"),
    "dyn.markov.more": ("Counts and class bounds", "转移频数与类型边界"),
    "dyn.markov.about": (
        "States are classes of the score (state 1 = lowest); P_ij is the share of region-years in state i that are in state j one year later. The diagonal is persistence. stationary: the long-run distribution πP = π (one per closed class when the chain is reducible); first_passage: mean years to reach state j from i (∞ when never); sojourn_time: mean years a region stays. Pooled classes measure absolute catching-up, so a common trend makes the top state absorbing; relative classes (value ÷ the year's mean) measure relative mobility. The homogeneity tests (Q, LR; Bickenbach & Bode 2003) ask whether groups or sub-periods share one matrix: p < 0.05 rejects one common chain. The spatial chain conditions on the neighbours' class (the spatial lag), the LISA chain on the Moran-scatterplot quadrant; rank chains follow each year's ranks.",
        "状态为得分的类型（状态 1 最低）；P_ij 为处于状态 i 的地区-年份一年后处于状态 j 的比例，对角线为保持概率。stationary：长期分布 πP = π（链可约时每个闭类一个）；first_passage：从 i 到达 j 的平均年数（永不到达为 ∞）；sojourn_time：平均停留年数。全部年份分位数衡量绝对追赶，共同趋势会使最高状态成为吸收态；相对类型（数值 ÷ 当年均值）衡量相对流动。同质性检验（Q、LR；Bickenbach & Bode 2003）检验各组或各时段是否共用一个矩阵：p < 0.05 拒绝共同的链。空间马尔可夫链以邻居类型（空间滞后）为条件，LISA 链以 Moran 散点图象限为状态；秩马尔可夫链追踪各年排名。",
    ),
    "dyn.markov.cite": (
        "Cite: Quah (1993), EER 37, 426–434; Rey (2001), Geographical Analysis 33, 195–214; Bickenbach & Bode (2003), IRSR 26, 363–380; Rey (2014), JGS 16, 115–137 (docs/methods.md §4.3).",
        "引用：Quah (1993), EER 37, 426–434；Rey (2001), Geographical Analysis 33, 195–214；Bickenbach & Bode (2003), IRSR 26, 363–380；Rey (2014), JGS 16, 115–137（docs/methods.md §4.3）。",
    ),
    "dyn.homog": ("Homogeneity across groups or periods", "分组或分时段的同质性检验"),
    "dyn.homog.by": ("Regimes", "分组依据"),
    "dyn.homog.periods": ("Sub-periods (split at a year)", "时段（按年份切分）"),
    "dyn.homog.split": ("Second period starts in", "第二时段起始年"),
    "dyn.homog.matrices": ("The matrix of each regime", "各组的转移矩阵"),
    "dyn.spatial_markov": (
        "Spatial Markov chain (conditional on the neighbours' class)",
        "空间马尔可夫链（以邻居类型为条件）",
    ),
    "dyn.weights_needed": (
        "Spatial chains need spatial weights: the regions are not all mainland Chinese provinces (whose contiguity is built in); set weights on the Spatial page.",
        "空间马尔可夫链需要空间权重：这些地区并非都是内置邻接关系的中国大陆省份；请在“空间分析”页设置权重。",
    ),
    "dyn.weights_used": ("Spatial weights: {source}", "空间权重：{source}"),
    "dyn.lag_k.same": ("same as k", "与 k 相同"),
    "dyn.lag_class": ("Neighbours' class", "邻居类型"),
    "dyn.lag_class.help": (
        "The class of the spatial lag (the neighbours' mean) in year t: 1 = lowest.",
        "t 年空间滞后（邻居均值）的类型：1 为最低。",
    ),
    "dyn.chart.spatial_markov": (
        "Transition probabilities, neighbours in class {lag}",
        "转移概率（邻居处于类型 {lag}）",
    ),
    "dyn.lisa": (
        "LISA Markov chain (Moran scatterplot quadrants)",
        "LISA 马尔可夫链（Moran 散点图象限）",
    ),
    "dyn.rank": ("Rank Markov chain", "秩马尔可夫链"),
    "dyn.rank.kind": ("States", "状态"),
    "dyn.rank.full": ("Ranks (full rank)", "排名（full rank）"),
    "dyn.rank.geo": ("Regions (geo rank)", "地区（geo rank）"),
    "dyn.rank.run": ("Compute the rank chain", "计算秩马尔可夫链"),
    "dyn.rank.press": (
        "{n} regions give {n} × {n} states: press the button to compute the chain.",
        "{n} 个地区即 {n} × {n} 个状态：请按按钮计算。",
    ),
    # R check
    "dyn.r": (
        "Python against R (markovchain, plm, stats::density)",
        "Python 与 R 交叉验证（markovchain、plm、stats::density）",
    ),
    "dyn.r.help": (
        "Recomputes the Markov chain last shown here (k = {k}, {classes} classes: every "
        "transition probability and the steady state) with R's markovchain on the same "
        "states, and the annual-panel β-convergence (effects: {effects}) with plm; the "
        "cross-section β has no plm counterpart. R starts when you press the button.",
        "用 R 的 markovchain 在相同状态上重新估计本页最近显示的马尔可夫链（k = {k}，{classes} 类型："
        "每个转移概率与稳态分布），并用 plm 重新估计逐年面板 β 收敛（效应：{effects}）；"
        "截面 β 收敛在 plm 中没有对应。按下按钮时才启动 R。",
    ),
    "dyn.r.density": (
        "And the kernel densities last shown (by year{by}; bandwidth rule {bw}{reflected}) "
        "with R's stats::density: the bandwidth against bw.nrd0 / bw.nrd, the density within "
        "the error of R's binning (computed from the data), and against the exact kernel sum "
        "evaluated in R.",
        "以及本页最近显示的核密度（按年份{by}；带宽规则 {bw}{reflected}），用 R 的 "
        "stats::density 重新估计：带宽与 bw.nrd0 / bw.nrd 比较，密度在 R 分箱误差（由数据计算）"
        "之内比较，并与在 R 中精确计算的核求和比较。",
    ),
    "dyn.r.density.group": (" and by {group}", "及按 {group} 分组"),
    "dyn.r.density.reflected": (
        "; reflected at {bounds}: R estimates the density of the scores and their copies "
        "reflected at the bounds",
        "；在 {bounds} 处反射：R 对得分及其在边界处的反射副本估计密度",
    ),
    "dyn.r.run": ("Check with R", "用 R 核对"),
    "dyn.r.running": ("Running R…", "正在运行 R…"),
    "dyn.r.stale": (
        "The Markov, β or density options or the index changed since this check: run it again.",
        "核对之后马尔可夫链、β 收敛或核密度的选项或指数已改变：请重新核对。",
    ),
    "dyn.r.agree": ("All {n} compared numbers agree with R.", "全部 {n} 个比较的数值与 R 一致。"),
    "dyn.r.disagree": (
        "Some numbers differ from R: see the table.",
        "部分数值与 R 不一致：见下表。",
    ),
    "dyn.r.skipped": (
        "Nothing was compared (R, markovchain or plm is missing here): see the notes.",
        "没有进行比较（本机缺少 R、markovchain 或 plm）：见说明列。",
    ),
    # clubs
    "dyn.clubs": ("Phillips–Sul convergence clubs", "Phillips–Sul 收敛俱乐部"),
    "dyn.chart.clubs": ("Mean score by convergence club", "各收敛俱乐部的平均得分"),
    "dyn.clubs.about": (
        "The log t test regresses log(H₁/H_t) − 2 log log t on log t after dropping the first share r of the periods; t of the slope b̂ below −1.65 rejects convergence of the group. overall: the test of all regions; clubs are then found by the core-group sieve (critical value c*) and adjacent clubs merged (Phillips–Sul or von Lyncker–Thoennessen rule); divergent regions belong to no club. b̂ ≥ 2 is convergence in levels, 0 ≤ b̂ < 2 conditional convergence in growth rates. With few years the test has little power.",
        "log t 检验在舍去前 r 比例的时期后，以 log(H₁/H_t) − 2 log log t 对 log t 回归；斜率 b̂ 的 t 值小于 −1.65 拒绝该组收敛。overall 为全部地区的检验；随后以核心组筛选（临界值 c*）识别俱乐部，并合并相邻俱乐部（Phillips–Sul 或 von Lyncker–Thoennessen 规则）；divergent 为不属于任何俱乐部的发散地区。b̂ ≥ 2 为水平收敛，0 ≤ b̂ < 2 为增长率的条件收敛。年份较少时检验功效很低。",
    ),
    "dyn.clubs.cite": (
        "Cite: Phillips & Sul (2007), Econometrica 75, 1771–1855; Phillips & Sul (2009), JAE 24, 1153–1185; von Lyncker & Thoennessen (2017), Applied Economics Letters 24, 1046–1051 (docs/methods.md §4.4).",
        "引用：Phillips & Sul (2007), Econometrica 75, 1771–1855；Phillips & Sul (2009), JAE 24, 1153–1185；von Lyncker & Thoennessen (2017), Applied Economics Letters 24, 1046–1051（docs/methods.md §4.4）。",
    ),
    # densities
    "dyn.kde": ("Kernel density of the score", "得分的核密度"),
    "dyn.kde.bw": ("Bandwidth rule", "带宽规则"),
    "dyn.kde.view": ("View", "视图"),
    "dyn.kde.view.curves": ("Curves (first, middle, last year)", "曲线（首年、中间年、末年）"),
    "dyn.kde.view.ridgeline": ("Every year (ridgeline)", "逐年（山脊图）"),
    "dyn.kde.view.surface": ("3-D surface", "三维曲面"),
    "dyn.kde.bounds": ("Reflected at the score's bounds {bounds}.", "在得分边界 {bounds} 处反射。"),
    "dyn.kde.no_bounds": (
        "The score has no bounds: plain Gaussian kernel.",
        "得分无边界：普通高斯核。",
    ),
    "dyn.kde.density": ("Density", "密度"),
    "dyn.kde.group": ("Panels by group", "分组面板"),
    "dyn.kde.group.help": (
        "The ridgeline and the 3-D surface also drawn for each group, on the same score axis.",
        "山脊图与三维曲面另按各组绘制，得分轴相同。",
    ),
    "dyn.kde.bandwidths": ("Bandwidth of each year", "各年带宽"),
    "table.dyn_density_by_group": ("Kernel density by group", "分组核密度"),
    "dyn.kde.all": ("All regions", "全部地区"),
    "dyn.chart.density": ("Kernel density of the score", "得分的核密度"),
    "dyn.kde.about": (
        "Gaussian kernel density of each year's scores; a score bounded in [a, b] (a TOPSIS closeness: [0, 1]) is reflected at the bounds so the curve does not leak outside. A shift of the peak to the right is a rising level, a wider curve a growing dispersion, several peaks polarisation. The table gives each year's bandwidth h.",
        "各年得分的高斯核密度；有界得分（如 TOPSIS 贴近度在 [0, 1] 内）在边界处反射，曲线不越界。波峰右移表示水平提高，曲线变宽表示差异扩大，多峰表示极化。表中为各年带宽 h。",
    ),
    "dyn.kde.cite": (
        "Cite: Silverman (1986), Density Estimation for Statistics and Data Analysis; Schuster (1985), Communications in Statistics 14, 1123–1136 (docs/methods.md §4.5).",
        "引用：Silverman (1986), Density Estimation for Statistics and Data Analysis；Schuster (1985), Communications in Statistics 14, 1123–1136（docs/methods.md §4.5）。",
    ),
    "dyn.cond": ("Conditional density (stochastic kernel)", "条件核密度（随机核）"),
    "dyn.cond.spatial": ("Condition on the neighbours (spatial lag)", "以邻居（空间滞后）为条件"),
    "dyn.cond.spatial.help": (
        "Needs spatial weights (built in for Chinese provinces, else from the Spatial page).",
        "需要空间权重（中国省份内置，否则在“空间分析”页设置）。",
    ),
    "dyn.cond.lag": ("Years ahead", "间隔年数"),
    "dyn.cond.relative": ("Relative to the year's mean", "相对于当年均值"),
    "dyn.cond.x": ("Score in year t", "t 年得分"),
    "dyn.cond.x_lag": ("Neighbours' score in year t", "t 年邻居得分"),
    "dyn.cond.y": ("Score in year t + lag", "t + 间隔 年得分"),
    "dyn.chart.conditional": ("Conditional kernel density", "条件核密度"),
    "dyn.cond.bandwidths": ("Bandwidths: x {x:.4f}, y {y:.4f}", "带宽：x {x:.4f}，y {y:.4f}"),
    "dyn.cond.about": (
        "f(y | x): the density of the score lag years later given its value now (or given the neighbours' value). Mass along the 45° line is persistence; mass parallel to the x axis is convergence; mass along the vertical is mobility.",
        "f(y | x)：给定当前值（或邻居值）时若干年后得分的密度。概率沿 45° 线集中表示持续性；平行于 x 轴表示收敛；沿竖直方向表示流动性。",
    ),
    "dyn.cond.cite": (
        "Cite: Quah (1993, 1997), Journal of Economic Growth 2, 27–59 (docs/methods.md §4.6).",
        "引用：Quah (1993, 1997), Journal of Economic Growth 2, 27–59（docs/methods.md §4.6）。",
    ),
    # obstacles
    "dyn.obs": ("Obstacle degree", "障碍度"),
    "dyn.obs.year": ("Year shown in the tables", "表中年份"),
    "dyn.obs.degree": ("Mean obstacle degree (%)", "平均障碍度（%）"),
    "dyn.obs.top": (
        "The three largest obstacle indicators of each region",
        "各地区障碍度最大的三个指标",
    ),
    "dyn.chart.obstacle": ("Obstacle degree by dimension", "各维度障碍度"),
    "dyn.obs.about": (
        "An indicator's obstacle degree is its share (in %) of the region's weighted shortfall from the best value: it sums to 100 within a region-year, and a dimension's is the sum of its indicators'. It needs min–max standardised indicators (the deviation is 1 − x′).",
        "指标障碍度为其在地区加权差距（与最优值之差）中的占比（%）：每个地区-年份内合计 100，维度障碍度为其指标之和。需要极差标准化的指标（偏离度为 1 − x′）。",
    ),
    "dyn.obs.cite": (
        "Cite: the obstacle degree model as in the NQPF literature (docs/methods.md §5).",
        "引用：新质生产力文献中的障碍度模型（docs/methods.md §5）。",
    ),
    # the Export page's titles of this page's tables
    "table.dyn_sigma": ("σ-convergence", "σ 收敛"),
    "table.dyn_sigma_trend": ("σ-convergence trend tests", "σ 收敛趋势检验"),
    "table.dyn_beta": ("β-convergence", "β 收敛"),
    "table.dyn_beta_coefficients": ("β-convergence coefficients", "β 收敛回归系数"),
    "table.dyn_markov_probabilities": ("Markov transition probabilities", "马尔可夫转移概率"),
    "table.dyn_markov_counts": ("Markov transition counts", "马尔可夫转移频数"),
    "table.dyn_markov_by_state": ("Markov states", "马尔可夫各状态"),
    "table.dyn_markov_stationary": ("Markov stationary distributions", "马尔可夫平稳分布"),
    "table.dyn_markov_first_passage": ("Markov mean first passage times", "马尔可夫平均首达时间"),
    "table.dyn_markov_long_run": ("Markov sojourn and recurrence times", "马尔可夫逗留与回访时间"),
    "table.dyn_markov_homogeneity": ("Markov homogeneity tests", "马尔可夫同质性检验"),
    "table.dyn_spatial_probabilities": ("Spatial Markov probabilities", "空间马尔可夫转移概率"),
    "table.dyn_spatial_homogeneity": ("Spatial Markov homogeneity tests", "空间马尔可夫同质性检验"),
    "table.dyn_spatial_steady_state": ("Spatial Markov steady states", "空间马尔可夫稳态分布"),
    "table.dyn_spatial_lag_tests": (
        "Spatial Markov tests by lag class",
        "空间马尔可夫分滞后类型检验",
    ),
    "table.dyn_lisa_probabilities": ("LISA Markov probabilities", "LISA 马尔可夫转移概率"),
    "table.dyn_lisa_tests": ("LISA Markov test", "LISA 马尔可夫检验"),
    "table.dyn_rank_probabilities": ("Rank Markov probabilities", "秩马尔可夫转移概率"),
    "table.dyn_clubs": ("Convergence clubs", "收敛俱乐部"),
    "table.dyn_club_tests": ("Convergence club tests", "收敛俱乐部检验"),
    "table.dyn_density": ("Kernel density", "核密度"),
    "table.dyn_obstacle_indicators": ("Obstacle degree of the indicators", "指标障碍度"),
    "table.dyn_obstacle_dimensions": ("Obstacle degree of the dimensions", "维度障碍度"),
    # end of the dynamics page
    # spatial page (its texts: keys "spa.*")
    "spa.title": ("Spatial", "空间分析"),
    "spa.intro": (
        "Spatial weights, global and local spatial autocorrelation, LISA and hot-spot maps.",
        "空间权重、全局与局部空间自相关、LISA 集聚图与冷热点图。",
    ),
    "spa.value": ("Value", "分析变量"),
    "spa.value.help": (
        "The index score or a dimension score of the index run.",
        "综合指数得分或某一维度得分。",
    ),
    "spa.weights": ("Spatial weights", "空间权重"),
    "spa.w.kind": ("Weights", "权重矩阵"),
    "spa.w.kind.help": (
        "Built-in weights over the Chinese provinces (your region names matched to the "
        "provinces: 北京, 北京市, Beijing …), or a file of your own.",
        "基于中国省份的内置权重（地区名称自动匹配省份：北京、北京市、Beijing……），或上传自己的权重文件。",
    ),
    "spa.w.kind.contiguity": ("Contiguity (Chinese provinces)", "邻接矩阵（中国省份）"),
    "spa.w.kind.knn": ("k nearest capitals (Chinese provinces)", "k 近邻（省会，中国省份）"),
    "spa.w.kind.inverse_distance": (
        "Inverse distance of capitals (Chinese provinces)",
        "省会距离倒数（中国省份）",
    ),
    "spa.w.kind.distance_band": (
        "Distance band of capitals (Chinese provinces)",
        "省会距离阈值（中国省份）",
    ),
    "spa.w.kind.upload": ("Upload a weights file", "上传权重文件"),
    "spa.w.link_islands": ("Link Hainan to Guangdong", "海南与广东相邻"),
    "spa.w.link_islands.help": (
        "Island rule: Hainan shares no land border; link it to its nearest province, "
        "across the Qiongzhou Strait.",
        "孤岛规则：海南没有陆地邻省，按惯例与隔琼州海峡相望的广东相邻。",
    ),
    "spa.w.k": ("Neighbours k", "近邻数 k"),
    "spa.w.power": ("Distance power", "距离幂次"),
    "spa.w.threshold": ("Distance band (km)", "距离阈值（千米）"),
    "spa.w.upload": ("Weights file", "权重文件"),
    "spa.w.upload.help": (
        "An edge list (CSV/XLSX columns focal, neighbour[, weight]), an n × n matrix "
        "(region names in the first column, one column per region), a GeoDa .gal or .gwt "
        "file, or polygons (GeoJSON, GeoPackage: queen or rook contiguity).",
        "边列表（CSV/XLSX，列 focal、neighbour[、weight]）、n × n 矩阵（第一列为地区名，每个地区一列）、"
        "GeoDa 的 .gal 或 .gwt 文件，或面要素文件（GeoJSON、GeoPackage：按 queen 或 rook 邻接）。",
    ),
    "spa.w.builtin_only": (
        "The built-in weights cover the 31 Chinese provinces (mainland): for other regions "
        "upload a weights file.",
        "内置权重只覆盖中国大陆 31 个省份：其他地区请上传权重文件。",
    ),
    "spa.w.need_upload": ("Upload a weights file to go on.", "请上传权重文件以继续。"),
    "spa.w.file": ("Weights file: {name}", "权重文件：{name}"),
    # the Chinese caption of the weights (the library describes them in English only)
    "spa.w.about": ("{kind}; {detail}; {n} regions", "{kind}；{detail}；共 {n} 个地区"),
    "spa.w.about.linked": ("Hainan linked to Guangdong", "海南与广东相邻"),
    "spa.w.about.island": ("Hainan an island", "海南为孤岛"),
    "spa.w.id": ("Region-id column", "地区名称列"),
    "spa.w.id.help": (
        "The column of the polygon file that holds the region names of the panel.",
        "面要素文件中存放地区名称（与面板数据一致）的列。",
    ),
    "spa.w.rule": ("Contiguity rule", "邻接规则"),
    "spa.w.rule.queen": ("Queen (a shared point)", "Queen（共点即相邻）"),
    "spa.w.rule.rook": ("Rook (a shared edge)", "Rook（共边才相邻）"),
    "spa.w.regions": ("Regions", "地区数"),
    "spa.w.links": ("Links", "邻接关系数"),
    "spa.w.islands": ("Islands", "孤岛数"),
    "spa.w.islands.warn": (
        "Regions without a neighbour (islands): {names}. Their spatial lag is undefined: "
        "link them (the island rule), use k-nearest weights, or choose Islands = keep.",
        "无邻居的地区（孤岛）：{names}。其空间滞后无定义：请按孤岛规则连接、改用 k 近邻权重，或将“孤岛处理”设为保留。",
    ),
    "spa.w.few": (
        "Only {n} regions: spatial statistics have little power with few regions "
        "(fewer than about 30); read the p-values with care.",
        "仅 {n} 个地区：地区较少（少于约 30 个）时空间统计量的检验功效较低，请谨慎解读 p 值。",
    ),
    "spa.w.table": ("Neighbours of each region", "各地区的邻居"),
    "spa.w.col.count": ("neighbours", "邻居数"),
    "spa.w.col.neighbours": ("neighbour list", "邻居"),
    "spa.options": ("Spatial statistics options", "空间统计选项"),
    "spa.own": ("Each statistic's default", "各统计量的默认值"),
    "spa.seed": ("Random seed", "随机种子"),
    "spa.seed.help": (
        "Seed of the permutations: the same seed gives the same p_sim.",
        "置换检验的随机种子：相同种子给出相同的 p_sim。",
    ),
    "spa.global": ("Global spatial autocorrelation by year", "全局空间自相关（逐年）"),
    "spa.stat.moran": ("Moran's I", "Moran's I"),
    "spa.stat.geary": ("Geary's C", "Geary's C"),
    "spa.stat.getis_ord_g": ("Getis–Ord G", "Getis–Ord G"),
    "spa.chart.I": ("Moran's I by year", "Moran's I 逐年变化"),
    "spa.chart.C": ("Geary's C by year", "Geary's C 逐年变化"),
    "spa.chart.G": ("Getis–Ord G by year", "Getis–Ord G 逐年变化"),
    "spa.chart.expected": ("expected (no autocorrelation)", "期望值（无自相关）"),
    "spa.chart.significant": ("{p} < {alpha}", "{p} < {alpha}"),
    "spa.local": ("Local spatial autocorrelation", "局部空间自相关"),
    "spa.year": ("Year", "年份"),
    "spa.map.lisa": (
        "LISA clusters, {year} (p_sim < {alpha})",
        "LISA 集聚图（{year} 年，p_sim < {alpha}）",
    ),
    "spa.map.hotspot": (
        "Hot and cold spots (Getis–Ord), {year}",
        "冷热点图（Getis–Ord，{year} 年）",
    ),
    "spa.cell.HH": ("HH", "高-高"),
    "spa.cell.LH": ("LH", "低-高"),
    "spa.cell.LL": ("LL", "低-低"),
    "spa.cell.HL": ("HL", "高-低"),
    "spa.cell.not_significant": ("not significant", "不显著"),
    "spa.cell.hot": ("hot", "热点"),
    "spa.cell.cold": ("cold", "冷点"),
    "spa.tab.lisa": ("LISA cluster map", "LISA 集聚图"),
    "spa.tab.hotspot": ("Hot-spot map (Getis–Ord)", "冷热点图（Getis–Ord）"),
    "spa.empty": (
        "undefined: the statistic's variance under the null hypothesis is 0 (or only rounding "
        "noise), as when every region neighbours every other in these weights, so its z-score "
        "and normal p-value do not exist.",
        "无定义：在原假设下该统计量的方差为零（或仅为舍入误差），例如在该权重下每个地区都是其他所有地区的邻居，"
        "因此其 z 值与正态 p 值不存在。",
    ),
    "spa.map.hotspot.undefined": (
        "No hot-spot map: every region is a neighbour of every other in these weights "
        "(binary style), so Gi has no variance and its z-score is undefined. Use "
        "contiguity, k-nearest or distance-band weights for hot spots.",
        "无冷热点图：在该权重（二值化后）下每个地区都是其他所有地区的邻居，Gi 方差为零，z 值无定义。"
        "请使用邻接、k 近邻或距离阈值权重识别冷热点。",
    ),
    "spa.no_permutations": (
        "Without permutations there is no p_sim: every LISA region is not significant, "
        "and the hot spots are classed by |z|.",
        "不做置换检验时没有 p_sim：LISA 各地区均为不显著，冷热点按 |z| 分级。",
    ),
    "spa.table.lisa": ("Local Moran's I, {year}", "局部 Moran's I（{year} 年）"),
    "spa.table.gi": ("Getis–Ord local G, {year}", "Getis–Ord 局部 G（{year} 年）"),
    "spa.r": ("Python against R (spdep)", "Python 与 R 交叉验证（spdep）"),
    "spa.r.help": (
        "Recomputes Moran's I, Geary's C, Getis–Ord G, local Moran and local G of every "
        "year with R's spdep on the same weights. R starts when you press the button.",
        "用 R 的 spdep 在相同权重上重新计算各年的 Moran's I、Geary's C、Getis–Ord G、局部 Moran 与局部 G。"
        "按下按钮时才启动 R。",
    ),
    "spa.r.run": ("Check with R", "用 R 核对"),
    "spa.r.running": ("Running R…", "正在运行 R…"),
    "spa.r.stale": (
        "The weights, value or index changed since this check: run it again.",
        "核对之后权重、分析变量或指数已改变：请重新核对。",
    ),
    "spa.r.agree": ("All {n} compared numbers agree with R.", "全部 {n} 个比较的数值与 R 一致。"),
    "spa.r.disagree": (
        "Some numbers differ from R: see the table.",
        "部分数值与 R 不一致：见下表。",
    ),
    "spa.r.skipped": (
        "Nothing was compared (R or spdep is missing here): see the notes.",
        "没有进行比较（本机缺少 R 或 spdep）：见说明列。",
    ),
    "spa.about": ("About this method", "方法说明"),
    "spa.about.weights": (
        "**Spatial weights** W say who is whose neighbour: w_ij > 0 when region j is in "
        "region i's neighbourhood. Row-standardised weights (each row sums to 1) make the "
        "spatial lag Σ_j w_ij x_j the neighbours' mean; binary weights count neighbours. "
        "The built-in contiguity is the 68 land borders of the 31 provinces (Hainan linked "
        "to Guangdong by the island rule); distance weights use the provincial capitals "
        "(great-circle km).",
        "**空间权重** W 规定邻居关系：地区 j 属于地区 i 的邻域时 w_ij > 0。行标准化（每行和为 1）使空间滞后 "
        "Σ_j w_ij x_j 成为邻居的均值；二值权重计数邻居。内置邻接矩阵为 31 个省份的 68 对陆地相邻关系"
        "（海南按孤岛规则与广东相邻）；距离权重按省会之间的大圆距离（千米）计算。",
    ),
    "spa.about.global": (
        "**Global statistics** (z = x − x̄, S0 = Σ w_ij). Moran's I above E[I] = −1/(n−1) "
        "means similar values cluster (positive autocorrelation); below, neighbours differ. "
        "Geary's C below 1 is positive autocorrelation (its z has spdep's sign: positive z "
        "is positive autocorrelation). Getis–Ord G above E[G] means high values cluster. "
        "**p_norm** is the analytic p-value (randomisation or normality), **p_sim** the "
        "permutation p-value (1 + k)/(B + 1).",
        "**全局统计量**（z = x − x̄，S0 = Σ w_ij）。Moran's I 大于 E[I] = −1/(n−1) 表示相似值集聚（正空间自相关），"
        "小于则邻居相异。Geary's C 小于 1 为正自相关（其 z 与 spdep 同号：z 为正即正自相关）。Getis–Ord G 大于 "
        "E[G] 表示高值集聚。**p_norm** 为解析 p 值（随机化或正态假设），**p_sim** 为置换检验 p 值 (1 + k)/(B + 1)。",
    ),
    "spa.about.local": (
        "**Local statistics.** A region's local Moran I_i is positive when it resembles its "
        "neighbours. Its quadrant: **HH** high among high, **LL** low among low (clusters), "
        "**HL** high among low, **LH** low among high (outliers); the map shows the quadrant "
        "where p_sim < α, else *not significant*. Getis–Ord Gi* (Gi with the region itself) "
        "gives **hot spots** (z > 0: high values around the region) and **cold spots** "
        "(z < 0), at 90/95/99 % confidence.",
        "**局部统计量。** 地区的局部 Moran I_i 为正表示与邻居相似。象限：**HH** 高-高、**LL** 低-低（集聚），"
        "**HL** 高-低、**LH** 低-高（异常值）；图中显示 p_sim < α 的象限，其余为*不显著*。Getis–Ord Gi*（含自身的 Gi）"
        "给出**热点**（z > 0：周围为高值）与**冷点**（z < 0），置信度 90/95/99 %。",
    ),
    "spa.about.warnings": (
        "**Warnings.** With few regions (fewer than about 30) the tests have little power "
        "and a local p-value rests on a handful of neighbours; the many local tests are not "
        "corrected for multiple comparisons. Islands (regions without a neighbour, e.g. "
        "Hainan in pure land contiguity) have no spatial lag: link them, use k-nearest "
        "weights, or keep them (their lag is 0, spdep's zero.policy). A panel with part of "
        "the provinces uses the contiguity among those only.",
        "**注意。** 地区较少（少于约 30 个）时检验功效低，局部 p 值只依赖少数邻居；大量局部检验未做多重比较校正。"
        "孤岛（无邻居的地区，如纯陆地邻接下的海南）没有空间滞后：请连接它们、改用 k 近邻权重，或选择保留（滞后为 0，"
        "即 spdep 的 zero.policy）。只含部分省份的面板只使用这些省份之间的邻接关系。",
    ),
    "spa.about.refs": (
        "**References.** Moran, P. A. P. (1950), *Biometrika* 37, 17–23. Cliff, A. D., Ord, "
        "J. K. (1981), *Spatial Processes*, Pion. Getis, A., Ord, J. K. (1992), *Geographical "
        "Analysis* 24, 189–206. Anselin, L. (1995), Local indicators of spatial association — "
        "LISA, *Geographical Analysis* 27, 93–115. Ord, J. K., Getis, A. (1995), *Geographical "
        "Analysis* 27, 286–306. Bivand, R. S., Wong, D. W. S. (2018), *TEST* 27, 716–748 "
        "(spdep). See docs/methods.md §8.1–8.3.",
        "**参考文献。** Moran, P. A. P. (1950), *Biometrika* 37, 17–23. Cliff, A. D., Ord, J. K. (1981), "
        "*Spatial Processes*, Pion. Getis, A., Ord, J. K. (1992), *Geographical Analysis* 24, 189–206. "
        "Anselin, L. (1995), Local indicators of spatial association — LISA, *Geographical Analysis* 27, "
        "93–115. Ord, J. K., Getis, A. (1995), *Geographical Analysis* 27, 286–306. Bivand, R. S., Wong, "
        "D. W. S. (2018), *TEST* 27, 716–748（spdep）。详见 docs/methods.md §8.1–8.3。",
    ),
    "table.spa_moran": ("Moran's I by year", "Moran's I（逐年）"),
    "table.spa_geary": ("Geary's C by year", "Geary's C（逐年）"),
    "table.spa_getis_ord_g": ("Getis–Ord G by year", "Getis–Ord G（逐年）"),
    "table.spa_local_moran": ("Local Moran's I (LISA)", "局部 Moran's I（LISA）"),
    "table.spa_local_g": ("Getis–Ord local G", "Getis–Ord 局部 G"),
    "table.spa_crossval": (
        "Spatial statistics: Python against R",
        "空间统计：Python 与 R 交叉验证",
    ),
    # end of the spatial page
    # inequality page (its texts: keys "ine.*")
    "ine.title": ("Inequality", "不平等分解"),
    "ine.intro": (
        "Theil, generalised entropy and Atkinson indices with their decompositions; Gini variants and the source decomposition by dimension.",
        "泰尔指数、广义熵与阿特金森指数及其分解；基尼系数变体与按维度的来源分解。",
    ),
    "ine.grouping": ("Decompose by", "分解依据"),
    "ine.grouping.none": ("No groups", "不分组"),
    "ine.grouping.help": (
        "Split the regions by a text column of the panel or by the echelons as set on the "
        "Disparity page: Theil/GE into within + between, the Gini into within, overlap and "
        "between (Yitzhaki–Lerman).",
        "按面板中的文本列或差异分析页设定的梯队划分地区：泰尔指数/广义熵分解为组内 + 组间，"
        "基尼系数分解为组内、重叠与组间（Yitzhaki–Lerman）。",
    ),
    "ine.fix_echelons": (
        "The echelon rule on the Disparity page is incomplete (e.g. no cut points): set it "
        "there, or choose a group column.",
        "差异分析页的梯队规则尚不完整（如未给出分界值）：请在该页设定，或改选分组列。",
    ),
    "ine.boot": ("Bootstrap intervals", "Bootstrap 置信区间"),
    "ine.boot.help": (
        "Units are resampled within each year and group; 0 replicates: no intervals.",
        "在各年份、各组内对单元重抽样；次数为 0 时不计算置信区间。",
    ),
    "ine.boot.small": (
        "A group has fewer than 10 units in some year: its bootstrap intervals are unreliable.",
        "某些年份有分组的单元少于 10 个：其 Bootstrap 置信区间不可靠。",
    ),
    "ine.indices": ("Inequality indices by year", "各年不平等指数"),
    "ine.refused": ("{measure} not computed: {reason}", "未计算{measure}：{reason}"),
    "ine.m.theil_T": ("Theil T", "泰尔 T"),
    "ine.m.theil_L": ("Theil L", "泰尔 L"),
    "ine.m.ge": ("GE({alpha})", "广义熵 GE({alpha})"),
    "ine.m.atkinson": ("Atkinson({epsilon})", "阿特金森({epsilon})"),
    "ine.m.gini": ("Gini", "基尼系数"),
    "ine.m.gini_corrected": ("Gini × n/(n−1)", "基尼系数 × n/(n−1)"),
    "ine.m.sgini": ("S-Gini({nu})", "扩展基尼({nu})"),
    "ine.atkinson_no_groups": (
        "The Atkinson index is not additively decomposable: it is shown without groups.",
        "阿特金森指数不可加性分解：此处不分组计算。",
    ),
    "ine.sources_no_groups": (
        "The source decomposition is over all regions: it is shown without groups.",
        "来源分解针对全部地区：此处不分组计算。",
    ),
    "ine.sources.help": (
        "The sources are the dimensions' W_d·D_d (dimension weight × dimension score).",
        "来源为各维度的 W_d·D_d（维度权重 × 维度得分）。",
    ),
    "ine.sources.topsis": (
        "For a TOPSIS index the sum of the W_d·D_d is the linear composite of the dimension "
        "scores, not the closeness itself.",
        "对 TOPSIS 指数，W_d·D_d 之和是维度得分的线性合成，而非贴近度本身。",
    ),
    "ine.term.within": ("within", "组内"),
    "ine.term.overlap": ("overlap", "重叠"),
    "ine.term.between": ("between", "组间"),
    "ine.index": ("index", "指数"),
    "ine.share": ("share of the Gini", "占基尼系数的比例"),
    "ine.chart.indices": ("Inequality of the index by year", "指数的不平等程度（逐年）"),
    "ine.chart.terms": ("Decomposition by year", "分解项（逐年）"),
    "ine.chart.sources": (
        "Share of each dimension in the Gini (Lerman–Yitzhaki)",
        "各维度对基尼系数的贡献率（Lerman–Yitzhaki）",
    ),
    "table.ine_indices": ("Inequality indices by year", "各年不平等指数"),
    "table.ine_overall": ("Inequality measure by year", "不平等指标（逐年）"),
    "table.ine_groups": ("Inequality by group", "分组不平等"),
    "table.ine_sources": ("Gini by dimension (sources)", "基尼系数的维度来源分解"),
    "table.ine_period_mean": ("Period means", "时期均值"),
    "table.ine_intervals": ("Bootstrap intervals", "Bootstrap 置信区间"),
    "ine.about": ("About this method", "方法说明"),
    "ine.about.ge": (
        "**Generalised entropy and Theil.** p_i are the unit shares (weights), μ the mean; "
        "α = 1 is Theil T, α = 0 Theil L (mean log deviation), α = 2 half the squared "
        "coefficient of variation. By group j (population share P_j, income share s_j) "
        "each splits exactly into within + between.",
        "**广义熵与泰尔指数。** p_i 为单元份额（权重），μ 为均值；α = 1 为泰尔 T，α = 0 为"
        "泰尔 L（平均对数偏差），α = 2 为变异系数平方的一半。按组 j（人口份额 P_j、收入份额 "
        "s_j）可精确分解为组内 + 组间。",
    ),
    "ine.about.atkinson": (
        "**Atkinson.** ε is the inequality aversion; the index is 1 − (equally distributed "
        "equivalent)/mean. Not decomposable by group.",
        "**阿特金森指数。** ε 为不平等厌恶参数；指数 = 1 − 均等分配等价值/均值。不可按组分解。",
    ),
    "ine.about.gini": (
        "**Gini and S-Gini.** r is the rank weight (ν = 2: r = 1 − F, the Gini); the "
        "n/(n−1) correction applies to the plain Gini without groups. By group "
        "(Yitzhaki–Lerman): within Σ s_j G_j, overlap Σ s_j G_j (O_j − 1) with O_j the "
        "overlapping index (1: the group spans the whole distribution; small: a stratum) "
        "and between G_B. This is not Dagum's Gw/Gnb/Gt (Disparity page).",
        "**基尼系数与扩展基尼系数。** r 为秩权重（ν = 2 时 r = 1 − F，即基尼系数）；n/(n−1) "
        "修正只适用于不分组的普通基尼系数。按组分解（Yitzhaki–Lerman）：组内 Σ s_j G_j、"
        "重叠 Σ s_j G_j (O_j − 1)（O_j 为重叠指数：1 表示该组覆盖整个分布，越小越分层）与"
        "组间 G_B。它不同于差异分析页的 Dagum Gw/Gnb/Gt。",
    ),
    "ine.about.sources": (
        "**Gini by dimension (Lerman–Yitzhaki).** The sources y_k are the dimensions' "
        "W_d·D_d; S_k is the source's share of the mean, G_k its Gini, R_k its Gini "
        "correlation with the total.",
        "**基尼系数的维度来源分解（Lerman–Yitzhaki）。** 来源 y_k 为各维度的 W_d·D_d；S_k 为"
        "该来源占均值的比例，G_k 为其基尼系数，R_k 为其与总量的基尼相关系数。",
    ),
    "ine.about.outputs": (
        "**Outputs.** *index*: the measure; *within*, *between* (and *overlap*): its terms, "
        "summing to the index; *between_share* = between / index; per group: *GE_j* or "
        "*G_j*, *contribution* (the group's part of the within term); per dimension: "
        "*share* = C_k/G (the shares sum to 1) and *marginal* = the relative change of G "
        "when the dimension rises by 1 %. Theil L, GE(α ≤ 0) and Atkinson ε ≥ 1 need "
        "positive scores; a group needs at least 2 units; bootstrap intervals need about "
        "10 or more units per group.",
        "**输出。** *index*：指标值；*within*、*between*（及 *overlap*）：各分解项，之和等于"
        "指标值；*between_share* = 组间 / 指标值；分组表：*GE_j* 或 *G_j*、*contribution*"
        "（该组在组内项中的贡献）；维度表：*share* = C_k/G（贡献率之和为 1），*marginal* = "
        "该维度增加 1% 时 G 的相对变化。泰尔 L、GE(α ≤ 0) 与阿特金森 ε ≥ 1 需要正的得分；"
        "每组至少 2 个单元；Bootstrap 置信区间每组约需 10 个以上单元。",
    ),
    "ine.about.cite": (
        "Cite: Shorrocks (1980) Econometrica 48, 613–625; Atkinson (1970) J. Econ. Theory 2, "
        "244–263; Yitzhaki (1983) Int. Econ. Rev. 24, 617–628; Yitzhaki & Lerman (1991) Rev. "
        "Income Wealth 37, 313–329; Lerman & Yitzhaki (1985) Rev. Econ. Stat. 67, 151–156 "
        "(nqpf docs/methods.md §9).",
        "引用：Shorrocks (1980) Econometrica 48, 613–625；Atkinson (1970) J. Econ. Theory 2, "
        "244–263；Yitzhaki (1983) Int. Econ. Rev. 24, 617–628；Yitzhaki & Lerman (1991) Rev. "
        "Income Wealth 37, 313–329；Lerman & Yitzhaki (1985) Rev. Econ. Stat. 67, 151–156"
        "（nqpf 文档 docs/methods.md 第 9 节）。",
    ),
    # end of the inequality page
    # coupling page (its texts: keys "cou.*")
    # (and, first, the Index and Compare pages' inputs of the index options that have no
    # generic widget: nqpf.app.index_extras, keys "idx.ahp.*", "idx.points*", "idx.weights.*")
    "idx.weights.given": ("Given weights", "自定义权重"),
    "idx.weights.given.help": (
        "Give each indicator's weight yourself instead of a weighting method (the method "
        "and its options are then not used).",
        "自行给定每个指标的权重，代替赋权方法（此时不使用赋权方法及其参数）。",
    ),
    "idx.weights.help": (
        "A weight per indicator, as you like to write them: the index divides them by "
        "their sum (2, 1, 1 gives 0.5, 0.25, 0.25). The table starts from the last "
        "index run's weights (equal weights before one).",
        "每个指标一个权重，写法随意：指数会除以它们的总和（2、1、1 即 0.5、0.25、0.25）。"
        "表格初始为上次计算指数所得的权重（此前为等权）。",
    ),
    "idx.ahp.missing": (
        "Upload the pairwise-comparison matrix (CSV or XLSX): a first column named e.g. "
        "“indicator” holding the indicator names, one column per indicator, comparisons as "
        "numbers or fractions such as 1/3.",
        "请上传判断矩阵（CSV 或 XLSX）：第一列（列名如 indicator）为指标名，每个指标一列，"
        "比较值写数字或分数（如 1/3）。",
    ),
    "idx.ahp.file": ("AHP matrix: {name}", "判断矩阵：{name}"),
    "idx.ahp.project": (
        "AHP matrix of the project {name} (upload a file to replace it)",
        "判断矩阵来自项目文件 {name}（上传文件可替换）",
    ),
    "idx.ahp.cr.help": (
        "Consistency ratio CR = CI / RI (Saaty): above 0.1 the matrix is refused unless "
        "“Accept CR > 0.1” is ticked.",
        "一致性比率 CR = CI / RI（Saaty）：超过 0.1 时拒绝该矩阵，除非勾选“接受 CR > 0.1”。",
    ),
    "idx.points": ("Given ideal and anti-ideal points", "给定正负理想解"),
    "idx.points.help": (
        "A point per indicator in its own units; an empty cell follows the “Ideal points” rule.",
        "每个指标一个值（指标原单位）；留空的按“理想解”规则取值。",
    ),
    "cou.title": ("Coupling coordination", "耦合协调"),
    "cou.intro": (
        "The coupling coordination degree of two or more subsystems.",
        "两个及以上子系统的耦合协调度。",
    ),
    "cou.systems": ("Subsystems", "子系统"),
    "cou.mode": ("The subsystems are", "子系统取自"),
    "cou.mode.dimensions": ("the index's dimensions", "指数的各维度"),
    "cou.mode.columns": ("score columns", "得分列"),
    "cou.mode.indicators": ("groups of indicators", "指标分组"),
    "cou.mode.help": (
        "Dimensions: each dimension's sub-score of the index. Score columns: the index score, "
        "its dimension scores or panel columns holding other systems' scores in [0, 1]. "
        "Groups of indicators: each group is scored by the entropy-weight TOPSIS "
        "(default options) before the coupling.",
        "维度：指数各维度的分项得分。得分列：指数得分、维度得分或面板中其他系统在 [0, 1] "
        "内的得分列。指标分组：每组指标先用熵权 TOPSIS（默认选项）计算得分，再计算耦合。",
    ),
    "cou.dims": ("Dimensions", "维度"),
    "cou.columns": ("Score columns", "得分列"),
    "cou.n": ("Number of subsystems", "子系统个数"),
    "cou.sys.name": ("Subsystem {i}", "子系统 {i}"),
    "cou.sys.indicators": ("Its indicators", "其指标"),
    "cou.order": ("Systems, in the order of α: {systems}", "子系统（α 的顺序）：{systems}"),
    "cou.no_group": (
        "Groups of indicators are scored without the group column: the means by group are not shown.",
        "指标分组的得分不含分组列：不显示分组均值。",
    ),
    "cou.options": ("Options", "选项"),
    "cou.metric.c": ("Mean C, {year}", "{year} 年 C 均值"),
    "cou.metric.t": ("Mean T, {year}", "{year} 年 T 均值"),
    "cou.metric.d": ("Mean D, {year}", "{year} 年 D 均值"),
    "cou.metric.grade": ("Grade of the mean D", "D 均值的等级"),
    "cou.tab.years": ("By year", "按年份"),
    "cou.tab.regions": ("Regions", "地区"),
    "cou.tab.levels": ("Grades", "等级分布"),
    "cou.tab.grading": ("Grading table", "等级划分标准"),
    "cou.by_group": ("Means by group", "分组均值"),
    "cou.year": ("Year", "年份"),
    "cou.synchronous": ("synchronous", "同步"),
    "cou.about": ("About this method", "方法说明"),
    "cou.about.text": (
        "For the scores U₁ … Uₙ ∈ [0, 1] of n ≥ 2 subsystems in a region-year: the coupling "
        "degree C (how far the systems move together), the comprehensive coordination index "
        "T (their weighted level, weights α summing to 1) and the coupling coordination degree "
        "D = √(C·T), graded into ten levels of width 0.1 (极度失调 … 优质协调). The classic C "
        "is scale-free: two systems at 0.01 and 0.02 couple as well as two at 0.4 and 0.8 "
        "(C = 0.943), so it crowds near 1; the corrected C (Wang et al. 2021) falls with the "
        "gap between the levels and spreads over [0, 1]. Say which you used. The relative "
        "development degree names the lagging system: two systems E = U₁/U₂ (the first lags "
        "when E ≤ the lower bound, the second when E > the upper bound); more systems "
        "Rᵢ = Uᵢ/Ū (system i lags when Rᵢ ≤ the lower bound).",
        "对某地区-年份 n ≥ 2 个子系统的得分 U₁ … Uₙ ∈ [0, 1]：耦合度 C（各系统相互作用的程度）、"
        "综合协调指数 T（以 α 加权的综合水平，α 之和为 1）与耦合协调度 D = √(C·T)，按 0.1 的宽度"
        "分为十个等级（极度失调 … 优质协调）。传统 C 与量纲无关：0.01 与 0.02 两个系统的耦合度与 "
        "0.4 与 0.8 相同（C = 0.943），因而普遍接近 1；修正 C（王淑佳等 2021）随系统水平差距增大而"
        "降低，分布于 [0, 1]。请注明所用公式。相对发展度指出滞后的子系统：两个系统 E = U₁/U₂"
        "（E ≤ 下界时第一个滞后，E > 上界时第二个滞后）；多个系统 Rᵢ = Uᵢ/Ū（Rᵢ ≤ 下界时系统 i 滞后）。",
    ),
    "cou.about.ref": (
        "Cite: Wang Shujia, Kong Wei, Ren Liang, Zhi Dandan and Dai Binting (2021), 国内耦合协调度"
        "模型的误区及修正, 《自然资源学报》 36(3), 793–810, doi:10.31497/zrzyxb.20210319 (the "
        "corrected C); Liao Chongbin (1999), 《热带地理》 19(2), 171–177 (the ten grades). "
        "Formulas: docs/methods.md §10.",
        "引用：王淑佳、孔伟、任亮、治丹丹、戴彬婷（2021）.国内耦合协调度模型的误区及修正.《自然资源"
        "学报》36(3): 793–810, doi:10.31497/zrzyxb.20210319（修正 C）；廖重斌（1999）.环境与经济协调"
        "发展的定量评判及其分类体系.《热带地理》19(2): 171–177（十级划分）。公式见 docs/methods.md §10。",
    ),
    "table.cou_coupling": ("Coupling coordination by region and year", "各地区各年份耦合协调度"),
    "table.cou_by_year": ("Coupling coordination: means by year", "耦合协调度：年度均值"),
    "table.cou_by_group": ("Coupling coordination: means by group", "耦合协调度：分组均值"),
    "table.cou_levels": ("Coupling coordination: regions per grade", "耦合协调度：各等级地区数"),
    "table.cou_grading": ("Coupling coordination grades", "耦合协调度等级划分"),
    # end of the coupling page
    # geodetector page (its texts: keys "geo.*")
    "geo.discretization.empty": (
        "no q: a stratum of this discretization would hold fewer than 2 units, so it is not "
        "a candidate.",
        "无 q 值：该离散化方案中有层少于 2 个单元，不作为候选方案。",
    ),
    "geo.title": ("Geodetector", "地理探测器"),
    "geo.intro": (
        "Factor, interaction, risk and ecological detectors of the index's influencing factors.",
        "指数影响因素的因子、交互、风险与生态探测。",
    ),
    "geo.y": ("Explained variable", "被解释变量"),
    "geo.y.help": (
        "The index score, or one dimension's score.",
        "综合指数得分，或某一维度的得分。",
    ),
    "geo.factors": ("Factors", "探测因子"),
    "geo.factors.help": (
        "Columns of the panel: numeric columns outside the indicator system (discretised "
        "into strata), text columns (strata as they are) or the indicators themselves.",
        "面板中的列：指标体系以外的数值列（离散化为分层）、文本列（直接作为分层）或指标本身。",
    ),
    "geo.kind.numeric": ("numeric", "数值"),
    "geo.kind.text": ("text", "文本"),
    "geo.kind.indicator": ("indicator", "指标"),
    "geo.years": ("Years", "年份"),
    "geo.years.help": (
        "One year: a cross-section of the regions. Several (or none chosen: every year): "
        "the region-years pooled as units.",
        "选一个年份：各地区的截面；选多个（或不选：全部年份）：将地区-年份合并为单元。",
    ),
    "geo.no_factors": ("Choose at least one factor.", "请至少选择一个探测因子。"),
    "geo.run": ("Run the detectors", "运行地理探测器"),
    "geo.press": (
        "Choose the factors and options, then press the button.",
        "选择因子与选项后点击按钮。",
    ),
    "geo.stale": (
        "The choices changed since the run shown below: press the button again.",
        "下方结果运行后选项已更改：请再次点击按钮。",
    ),
    "geo.units": (
        "{units} units; explained variable: {y}.",
        "共 {units} 个单元；被解释变量：{y}。",
    ),
    "geo.factor": ("Factor detector", "因子探测"),
    "geo.interaction": ("Interaction detector", "交互作用探测"),
    "geo.risk": ("Risk detector: mean of y in each stratum", "风险探测：各层的均值"),
    "geo.risk.tests": (
        "Risk detector: t-tests between strata",
        "风险探测：各层之间的 t 检验",
    ),
    "geo.ecological": ("Ecological detector", "生态探测"),
    "geo.discretization": (
        "Optimal discretisation: q of each method × strata",
        "最优离散化：各方法与分级数的 q",
    ),
    "geo.discretization.help": (
        "Empty q: a stratum would hold fewer than 2 units, or the method does not apply.",
        "q 为空：某层单元少于 2 个，或该方法不适用。",
    ),
    "geo.col.factor": ("factor", "因子"),
    "geo.col.method": ("strata by", "分层方法"),
    "geo.chart.q": ("Factor detector: q of each factor", "因子探测：各因子的 q 值"),
    "geo.chart.interaction": ("Interaction detector: q(X1 ∩ X2)", "交互作用探测：q(X1 ∩ X2)"),
    "table.geo_factor": ("Geodetector: factor detector", "地理探测器：因子探测"),
    "table.geo_interaction": ("Geodetector: interaction detector", "地理探测器：交互作用探测"),
    "table.geo_risk_means": ("Geodetector: stratum means", "地理探测器：各层均值"),
    "table.geo_risk": ("Geodetector: risk detector", "地理探测器：风险探测"),
    "table.geo_ecological": ("Geodetector: ecological detector", "地理探测器：生态探测"),
    "table.geo_discretization": ("Geodetector: discretisation grid", "地理探测器：离散化网格"),
    "geo.about": ("About this method", "方法说明"),
    "geo.about.q": (
        "**Factor detector.** A factor X cuts the N units into L strata of N_h units; q is "
        "the share of y's variance its strata explain (0: none, 1: X determines y), tested "
        "with the noncentral F of Wang, Zhang & Fu (2016): *p* small means the strata "
        "differ more than chance would make them.",
        "**因子探测。** 因子 X 把 N 个单元分成 L 层（每层 N_h 个）；q 为其分层所解释的 y 方差"
        "比例（0：无解释力，1：X 完全决定 y），用 Wang、Zhang 与 Fu（2016）的非中心 F 检验：*p* "
        "越小，分层差异越不可能由偶然造成。",
    ),
    "geo.about.interaction": (
        "**Interaction detector.** q12 of the strata two factors form together, against "
        "q1 and q2: nonlinear-weaken (q12 < min), uni-variable weaken (min ≤ q12 ≤ max), "
        "bi-variable enhance (max < q12 < q1 + q2), independent (q12 = q1 + q2), "
        "nonlinear-enhance (q12 > q1 + q2).",
        "**交互作用探测。** 两因子共同形成的分层的 q12 与 q1、q2 比较：非线性减弱（q12 < min）、"
        "单因子非线性减弱（min ≤ q12 ≤ max）、双因子增强（max < q12 < q1 + q2）、独立"
        "（q12 = q1 + q2）、非线性增强（q12 > q1 + q2）。",
    ),
    "geo.about.risk": (
        "**Risk detector:** the mean of y in each stratum and Welch's t-test between every "
        "two strata (*significant*: p below the significance level). **Ecological "
        "detector:** whether two factors explain y differently (F of their within-strata "
        "sums of squares).",
        "**风险探测：** 各层 y 的均值及任意两层之间的 Welch t 检验（*significant*：p 小于显著性"
        "水平）。**生态探测：** 两个因子对 y 的解释力是否有显著差异（两者层内平方和之比的 F 检验）。",
    ),
    "geo.about.discretisation": (
        "**Discretisation.** Numeric factors are cut into strata by equal intervals, natural "
        "breaks, quantiles, geometric intervals or standard deviations; *optimal* tries every "
        "method × number of strata and keeps the largest q among those whose strata all "
        "hold at least 2 units (Song et al. 2020, R package GD). Text factors are strata as "
        "they are.",
        "**离散化。** 数值型因子按等间距、自然断点、分位数、几何间隔或标准差分层；*最优离散化*"
        "尝试每种方法与分级数，在各层均至少含 2 个单元的方案中取 q 最大者（Song 等 2020，R 包 "
        "GD）。文本型因子直接作为分层。",
    ),
    "geo.about.warning": (
        "A stratum of one unit, or a factor with one stratum (a constant column), is "
        "refused. Pooled region-years are not independent draws: read the p-values of a "
        "pooled run as descriptive.",
        "只含一个单元的层、或只有一层的因子（常数列）会被拒绝。合并的地区-年份并非独立样本："
        "合并运行的 p 值仅供描述参考。",
    ),
    "geo.about.cite": (
        "Cite: Wang et al. (2010) IJGIS 24, 107–127; Wang, Zhang & Fu (2016) Ecological "
        "Indicators 67, 250–256; 王劲峰, 徐成东 (2017) 地理学报 72(1), 116–134; Song et al. "
        "(2020) GIScience & Remote Sensing 57, 593–610 (nqpf docs/methods.md §11).",
        "引用：Wang 等 (2010) IJGIS 24, 107–127；Wang, Zhang & Fu (2016) Ecological Indicators "
        "67, 250–256；王劲峰, 徐成东 (2017) 地理学报 72(1), 116–134；Song 等 (2020) GIScience & "
        "Remote Sensing 57, 593–610（nqpf 文档 docs/methods.md 第 11 节）。",
    ),
    # end of the geodetector page
    # robustness page (its texts: keys "rob.*")
    "rob.dagum.empty": (
        "G is the whole Gini, not one of its components: “largest in” does not apply to it.",
        "G 为总体基尼系数而非其分量：“为最大分量的方案数”对其不适用。",
    ),
    "rob.title": ("Robustness", "稳健性"),
    "rob.intro": (
        "The index under a grid of defensible method choices: rank ranges, echelon changes and conclusions that hold in every variant.",
        "在一组合理的方法选择下重算指数：排名区间、梯队变化与在所有方案中都成立的结论。",
    ),
    "rob.grid": ("Grid of choices", "方案网格"),
    "rob.grid.preset": ("Grid", "网格"),
    "rob.grid.default": ("Default grid ({n} variants)", "默认网格（{n} 种方案）"),
    "rob.grid.report": ("The report's grid ({n} variants)", "报告所用网格（{n} 种方案）"),
    "rob.grid.custom": ("Custom", "自定义"),
    "rob.grid.help": (
        "Every combination of the chosen values is one variant of the index; the options "
        "not in the grid stay as on the Index page, and the variant equal to the Index "
        "page's options is the reference. Combinations the options or the panel refuse are "
        "dropped and listed.",
        "所选取值的每种组合即一种指数方案；未列入网格的选项保持“综合指数”页的设置，与该页设置"
        "相同的方案为参照方案。选项或面板不允许的组合会被剔除并列出。",
    ),
    "rob.grid.size": (
        "{n} combinations; the base is the Index page's options.",
        "共 {n} 种组合；基准为“综合指数”页的选项。",
    ),
    "rob.echelons": ("Echelons of each variant", "各方案的梯队"),
    "rob.dagum": ("Dagum shares by", "Dagum 贡献率分组"),
    "rob.dagum.echelons": ("each variant's echelons", "各方案的梯队"),
    "rob.dagum.none": ("no Dagum decomposition", "不做 Dagum 分解"),
    "rob.run": ("Run the robustness analysis", "运行稳健性分析"),
    "rob.press": (
        "Choose the grid, then press “Run the robustness analysis”.",
        "请选择网格，然后点击“运行稳健性分析”。",
    ),
    "rob.stale": (
        "The choices changed since this analysis: press the button to run it again.",
        "设置已更改：请点击按钮重新运行。",
    ),
    "rob.metric.variants": ("Variants run", "已运行方案"),
    "rob.metric.dropped": ("Dropped", "已剔除"),
    "rob.metric.changes": ("Regions changing echelon", "梯队发生变化的地区"),
    "rob.metric.tau": ("Lowest Kendall τ (ranks)", "最低 Kendall τ（排名）"),
    "rob.conclusions": ("Conclusions", "结论"),
    "rob.plot_rows": (
        "The plot shows the {k} regions with the best median rank; the table has all {n}.",
        "图中显示排名中位数最靠前的 {k} 个地区；表中列出全部 {n} 个。",
    ),
    "rob.tab.regions": ("Regions", "地区"),
    "rob.tab.pairs": ("Pairs of variants (τ, ρ)", "方案两两比较（τ、ρ）"),
    "rob.tab.variants": ("Variants", "方案"),
    "rob.tab.dagum": ("Dagum share ranges", "Dagum 贡献率范围"),
    "rob.tab.dropped": ("Dropped", "已剔除"),
    "rob.no_dropped": ("No combination was dropped.", "没有被剔除的组合。"),
    "rob.about": ("About this method", "方法说明"),
    "rob.about.text": (
        "The index is recomputed under every combination of the grid (a multiverse "
        "analysis). Kendall's τ_b and Spearman's ρ compare every two variants, of the "
        "region-year scores and of the period-mean ranks (1 = the same order; below about "
        "0.8 the variants order the regions differently). Each region's rank range is its "
        "best and worst period-mean rank across the variants; its modal echelon is the tier "
        "it is in most often (a tie goes to the higher tier). The share of regions changing "
        "echelon counts those with more than one tier. The Dagum share ranges are the "
        "lowest and highest within (Gw), between (Gnb) and transvariation (Gt) shares of G. "
        "A conclusion is robust when it holds in every variant; report it with the number "
        "of variants it holds in.",
        "在网格的每种组合下重算指数（多元宇宙分析）。Kendall τ_b 与 Spearman ρ 两两比较各方案"
        "的地区-年份得分与平均得分排名（1 表示顺序完全相同；低于约 0.8 说明排序差异明显）。"
        "各地区的排名范围是其在各方案下平均得分排名的最好与最差值；众数梯队是其最常所在的梯队"
        "（并列时取较高梯队）。梯队变化比例统计属于多个梯队的地区。Dagum 贡献率范围是组内（Gw）、"
        "组间净（Gnb）与超变密度（Gt）贡献率的最小与最大值。在所有方案中都成立的结论才是稳健的；"
        "报告时请注明其成立的方案数。",
    ),
    "rob.about.ref": (
        "Cite: Saisana, Saltelli & Tarantola (2005), J. R. Stat. Soc. A 168(2), 307–323; "
        "Steegen, Tuerlinckx, Gelman & Vanpaemel (2016), Perspectives on Psychological "
        "Science 11(5), 702–712; Kendall (1945), Biometrika 33, 239–251. Definitions: "
        "docs/methods.md §2.14.",
        "引用：Saisana, Saltelli & Tarantola (2005), J. R. Stat. Soc. A 168(2): 307–323；"
        "Steegen, Tuerlinckx, Gelman & Vanpaemel (2016), Perspectives on Psychological "
        "Science 11(5): 702–712；Kendall (1945), Biometrika 33: 239–251。定义见 "
        "docs/methods.md §2.14。",
    ),
    "table.rob_variants": ("Robustness: the index variants", "稳健性：指数方案"),
    "table.rob_correlations": (
        "Robustness: τ and ρ of every two variants",
        "稳健性：方案两两的 τ 与 ρ",
    ),
    "table.rob_regions": (
        "Robustness: rank ranges and modal echelons",
        "稳健性：排名范围与众数梯队",
    ),
    "table.rob_dagum": ("Robustness: Dagum share ranges", "稳健性：Dagum 贡献率范围"),
    "table.rob_conclusions": ("Robustness: conclusions", "稳健性：结论"),
    "table.rob_dropped": ("Robustness: dropped combinations", "稳健性：剔除的组合"),
    "table.rob_scores": ("Robustness: scores of every variant", "稳健性：各方案得分"),
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
    "cv.empty": (
        "not available: the R routine or package is missing, or the quantity was not "
        "compared (its note says why).",
        "不可用：缺少该 R 例程或程序包，或该量未作比较（原因见备注）。",
    ),
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
        "This report is for an earlier run or grouping (or another choice of run): press the "
        "button again.",
        "该报告对应较早的结果或分组（或另一个核对对象）：请再次点击按钮。",
    ),
    "cv.target": ("Run to check", "核对对象"),
    "cv.target.index": ("The Index page's run", "“综合指数”页的结果"),
    "cv.target.a": ("Configuration A", "方案 A"),
    "cv.target.b": ("Configuration B", "方案 B"),
    "cv.checked": ("Checked: {run}.", "已核对：{run}。"),
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
    # project file (its texts: keys "prj.*"; nqpf.app.project_state)
    "prj.title": ("Project", "项目"),
    "prj.download": ("Download project", "下载项目文件"),
    "prj.download.help": (
        "The whole analysis as a TOML file: the data's name and fingerprint, the columns, "
        "the spec, every option, the group order and the language. Open it here again, or "
        "run `nqpf run project.toml` to reproduce the report.",
        "整个分析保存为 TOML 文件：数据文件名与指纹、列设置、指标体系、全部选项、分组顺序与语言。"
        "可在此重新打开，或运行 `nqpf run project.toml` 重现报告。",
    ),
    "prj.cannot": ("No project to download yet: {reason}", "暂不能下载项目文件：{reason}"),
    "prj.open": ("Open project", "打开项目文件"),
    "prj.open.help": (
        "A project file saved by Download project (or written by hand): every page then "
        "shows its choices.",
        "由“下载项目文件”保存（或手写）的项目文件：打开后各页面显示其中的设置。",
    ),
    "prj.data": (
        "Upload the project's data file: {name}",
        "请上传项目的数据文件：{name}",
    ),
    "prj.weights": (
        "Upload the project's spatial weights file: {name}",
        "请上传项目的空间权重文件：{name}",
    ),
    "prj.opened": (
        "Project opened on {name}: every page shows its choices; run the index again.",
        "已在 {name} 上打开项目：各页面显示其设置；请重新计算指数。",
    ),
    # end of the project file
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
