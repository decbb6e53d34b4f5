"""Error messages in Chinese: one table of the :class:`nqpf.errors.InputError` messages.

An InputError says *what* is wrong, *where* (file, sheet, row, column) and *what to do*
(its ``hint``), in English. :func:`message` gives the same line in Chinese for a reader
who chose Chinese (the app's 中文 mode; ``nqpf report --lang zh``): the file name and the
user's values are kept, the rest is translated.

The table
    :data:`MESSAGES` maps an English *template* to its Chinese text. A template is the
    text of an ``InputError(...)`` message (or hint) as the code writes it, with ``{}``
    in place of every value the f-string formats in (``f"no column named '{name}'"`` →
    ``"no column named '{}'"``; a literal brace is ``{{``/``}}``). The Chinese text
    takes the same values in the same order with ``{}``, or by position with ``{0}``,
    ``{1}`` … when Chinese word order puts them elsewhere. A message built from parts
    (``"use one of: " + ", ".join(...)``, a conditional suffix) has one template per
    form it can take. ``tests/test_error_translations.py`` reads the message literals of
    the modules that read files, map columns, read the spec, check options and run the
    index, echelons and Dagum decomposition, and fails on a message that has no
    template here: a new message cannot be added untranslated.

Matching
    The ``what`` and the ``hint`` are each matched whole against every template (a
    ``{}`` matches any text, the shortest first); of the templates that match, the one
    with the most fixed text wins. The values found in the English text are put into the
    Chinese one; a value that is itself a whole message (the reader's reason inside
    ``"not a readable CSV table: {}"``) or one of :data:`FRAGMENTS` (``"between 0 and
    1"``) is translated too. The hints of options come from their declaration
    (:attr:`nqpf.options.Option.help` → ``help_zh``).

Fallback
    A text that no template matches is shown as :data:`FALLBACK` (``"（英文原文）"``)
    followed by the English text, so nothing is lost and the reader sees why it is in
    English. The scan test makes that rare: it remains for messages built at run time
    from other text (a library's own error text, quoted in parentheses, stays English
    inside a translated message).

Light module (no polars, no numpy).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from nqpf.errors import _CONTROL, InputError

#: Shown before an English text that no template matches (see the module docstring).
FALLBACK = "（英文原文）"

#: English message template → Chinese text (see the module docstring).
MESSAGES: dict[str, str] = {
    "not a readable CSV table": "无法读取为 CSV 表格",
    "cannot write the file ({})": "无法写入文件（{}）",
    "choose another --out file name or folder": "请为 --out 换一个文件名或文件夹",
    "the file has a header but no data rows": "文件只有表头，没有数据行",
    "separator={} is not one character": "separator={} 不是单个字符",
    "use ',', ';' or a tab": "请使用 ','、';' 或制表符",
    "the separator and the decimal separator are both ','": "分隔符与小数点都是 ','",
    "a decimal-comma CSV is separated by ';'": "以逗号为小数点的 CSV 应以 ';' 分隔",
    "the file is {}, over the {} limit": "文件大小为 {}，超过 {} 的上限",
    "split the panel or raise the limit (max_bytes / server.maxUploadSize)": "请拆分面板数据或提高上限（max_bytes / server.maxUploadSize）",
    "the file is empty": "文件为空",
    "export the panel with a header row": "请导出带表头行的面板数据",
    "the file holds a NUL character, so it is not a text CSV": "文件含有 NUL 字符，不是文本 CSV",
    "save it as CSV UTF-8 (a UTF-16 file needs its byte-order mark)": "请另存为 CSV UTF-8（UTF-16 文件需带字节顺序标记）",
    "the header row is empty": "表头行为空",
    "the first row must name the columns": "第一行必须给出各列的名称",
    "{} cells where the header names {} columns{}": "此行有 {} 个单元格，而表头只有 {} 列{}",
    "remove the extra cells or name the column; the separator is {}": "请删除多余的单元格或为该列命名；分隔符为 {}",
    "every row needs one cell per column (empty cells between separators {})": "每行每列需有一个单元格（空单元格也要用分隔符 {} 隔开）",
    "sheet={} is neither a sheet name nor a number": "sheet={} 既不是工作表名称也不是编号",
    "the sheet is empty": "工作表为空",
    "choose the sheet that holds the panel": "请选择存放面板数据的工作表",
    "cannot write the file (the folder '{}' {})": "无法写入文件（文件夹“{}”{}）",
    "create the folder first or choose another --out": "请先创建该文件夹，或为 --out 另选路径",
    "cannot write '{}' files": "无法写入“{}”类型的文件",
    "give --out a .csv, .xlsx, .json or .parquet file name, or a folder name without a suffix (one CSV per table)": "请为 --out 指定 .csv、.xlsx、.json 或 .parquet 文件名，或不带后缀的文件夹名（每个表一个 CSV）",
    "there is no table to write": "没有可写出的表格",
    "cannot replace this folder with a folder of tables": "不能用表格文件夹替换此文件夹",
    "give a new folder name (or a .csv/.xlsx/.json/.parquet file name)": "请给出新的文件夹名（或 .csv/.xlsx/.json/.parquet 文件名）",
    "is a file, not a folder; a path without a suffix is a folder of CSV files": "是文件而不是文件夹；不带后缀的路径表示 CSV 文件夹",
    "give a file name with a suffix (.csv, .xlsx, .json, .parquet) or a new folder": "请给出带后缀（.csv、.xlsx、.json、.parquet）的文件名或新的文件夹",
    "cannot write the folder (the folder '{}' {})": "无法写入文件夹（文件夹“{}”{}）",
    "the folder exists and holds files that nqpf did not write ({}); they would be lost when the tables replace it": "该文件夹已存在，且含有并非 nqpf 写入的文件（{}）；用表格替换它会丢失这些文件",
    "choose a new --out folder, or move those files away": "请为 --out 另选新文件夹，或先移走这些文件",
    "table '{}' has {} rows and {} columns, more than an XLSX sheet holds ({} rows, {} columns)": "表“{}”有 {} 行 {} 列，超过 XLSX 工作表的容量（{} 行，{} 列）",
    "write CSV or JSON instead": "请改为写出 CSV 或 JSON",
    "a text of {} characters in table '{}' is longer than an XLSX cell holds ({})": "表“{1}”中有一段 {0} 个字符的文本，超过 XLSX 单元格的容量（{2}）",
    "cannot read a table from a {}": "无法从 {} 读取表格",
    "pass a file path or the file's bytes": "请传入文件路径或文件的字节内容",
    "column {} has no name": "第 {} 列没有名称",
    "give every column a header": "请为每一列设置表头",
    "the header names column '{}' twice": "表头中列名“{}”出现了两次",
    "not a readable CSV table: {} (the row starts on line {})": "无法读取为 CSV 表格：{}（该行从第 {} 行开始）",
    "not a readable CSV table: {}": "无法读取为 CSV 表格：{}",
    'close the quote ("…"), or write a quote inside a cell as ""': '请补全引号（"…"），单元格内的引号请写作 ""',
    "the workbook unpacks to {}, over the {} limit": "工作簿解压后为 {}，超过 {} 的上限",
    "not a readable XLSX workbook ({})": "无法读取为 XLSX 工作簿（{}）",
    "the workbook has no sheet number {} (0-based; it has {})": "工作簿中没有编号为 {} 的工作表（从 0 起计；共有 {} 个）",
    "its sheets: {}": "其工作表为：{}",
    "the workbook has no sheet named '{}'": "工作簿中没有名为“{}”的工作表",
    "not a readable worksheet ({})": "无法读取该工作表（{}）",
    "the Parquet file unpacks to {}, over the {} limit": "Parquet 文件解压后为 {}，超过 {} 的上限",
    "split the panel or raise the limit": "请拆分面板数据或提高上限",
    "not a readable Parquet file ({})": "无法读取为 Parquet 文件（{}）",
    "the column holds {} values, not numbers or text": "该列存放的是 {} 类型的值，既不是数字也不是文本",
    "nqpf reads flat tables: flatten or drop the column before saving": "nqpf 只读取平面表格：请在保存前展开或删除该列",
    "a column has no name": "有一列没有名称",
    "cannot write the file (it is a directory, not a file)": "无法写入文件（它是目录而不是文件）",
    "give a file name": "请给出文件名",
    "cannot write the file (it is a device or pipe; nqpf replaces output files whole)": "无法写入文件（它是设备或管道；nqpf 会整体替换输出文件）",
    "unknown file type '{}'": "未知的文件类型“{}”",
    "use .csv, .xlsx or .parquet": "请使用 .csv、.xlsx 或 .parquet",
    "file not found": "找不到文件",
    "check the path": "请检查路径",
    "is a directory, not a file": "是目录而不是文件",
    "the file starts as UTF-16 text but byte {} is not UTF-16": "文件以 UTF-16 文本开头，但第 {} 个字节不是 UTF-16",
    "save it as CSV UTF-8 and upload again": "请另存为 CSV UTF-8 后重新上传",
    "the file is neither UTF-8 nor GBK text (undecodable byte on line {})": "文件既不是 UTF-8 也不是 GBK 文本（第 {} 行有无法解码的字节）",
    "save it as CSV UTF-8 (or GBK) and upload again": "请另存为 CSV UTF-8（或 GBK）后重新上传",
    "not a usable file path ({})": "不是可用的文件路径（{}）",
    "cannot read the file ({})": "无法读取文件（{}）",
    "not a readable XLSX workbook (part '{}': {})": "无法读取为 XLSX 工作簿（部件“{}”：{}）",
    "the workbook's part '{}' unpacks to more than {} from {} (a zip bomb?)": "工作簿的部件“{}”从 {2} 解压后超过 {1}（疑似压缩炸弹）",
    "the workbook's part '{}' unpacks to more than {} from {}, over the {} limit": "工作簿的部件“{0}”从 {2} 解压后超过 {1}，超出 {3} 的上限",
    "the panel has no rows": "面板数据没有任何行",
    "the region and year columns must differ": "地区列与年份列不能相同",
    "the long form needs four different columns": "长表格式需要四个不同的列",
    "region, year, indicator and value must differ": "地区、年份、指标和数值列必须互不相同",
    "a key column holds {} values": "关键列中含有 {} 类型的值",
    "region and indicator names must be text or numbers": "地区和指标名称必须是文本或数字",
    "empty region name": "地区名称为空",
    "every row needs a region": "每一行都需要有地区",
    "years must be integers such as 2015": "年份必须是整数，例如 2015",
    "duplicate region-year: rows {} and {} both hold {} '{}', {} {}": "地区-年份重复：第 {} 行与第 {} 行都是 {}“{}”、{} {}",
    "keep one row per region and year": "每个地区每年只保留一行",
    "empty indicator name": "指标名称为空",
    "indicator name '{}' is also the name of the region or year column": "指标名称“{}”与地区列或年份列同名",
    "rename the indicator (in the long form its name becomes a column)": "请重命名该指标（在长表格式中指标名称会成为列名）",
    "duplicate entry: rows {} and {} both hold {} for {} {}": "重复条目：第 {} 行与第 {} 行都是 {} 在 {} {} 的值",
    "keep one value per region, year and indicator": "每个地区、年份和指标只保留一个值",
    "the indicator spec lists no indicators": "指标说明中没有列出任何指标",
    "the spec has no 'indicator' column": "指标说明中没有“indicator”列",
    "columns: indicator, dimension, direction, label, unit": "列为：indicator、dimension、direction、label、unit",
    "spec file not found": "找不到指标说明文件",
    "check the --spec path": "请检查 --spec 的路径",
    "is a directory, not a spec file": "是目录而不是指标说明文件",
    "the spec file is empty": "指标说明文件为空",
    "the TOML spec has no [[indicator]] tables": "TOML 指标说明中没有 [[indicator]] 表",
    "write one [[indicator]] table per indicator with name, dimension, direction": "请为每个指标写一个 [[indicator]] 表，含 name、dimension、direction",
    "unknown missing-value policy '{}'": "未知的缺失值处理方式“{}”",
    "use one of: {}": "请使用以下之一：{}",
    "{} must be a column name, got {}": "{} 必须是列名，实际为 {}",
    "no column named '{}'": "没有名为“{}”的列",
    "choose the region/year columns (--region/--year); columns are: {}": "请选择地区列/年份列（--region/--year）；现有列为：{}",
    "no column named '{}' (long form)": "没有名为“{}”的列（长表格式）",
    "name the indicator and value columns": "请指定指标列和数值列",
    "indicator '{}' is listed twice in the spec": "指标“{}”在指标说明中出现了两次",
    "an indicator has no name": "有一个指标没有名称",
    "direction '{}' of indicator '{}' is neither '+' nor '-'": "指标“{1}”的方向“{0}”既不是“+”也不是“-”",
    "write + for a benefit indicator, - for a cost indicator": "正向指标写 +，负向指标写 -",
    "not valid TOML ({})": "不是有效的 TOML（{}）",
    "{}={} must be True or False": "{}={} 必须为 True 或 False",
    "{}={} must be a whole number": "{}={} 必须是整数",
    "{}={} must be {}": "{}={} 必须{}",
    "{}={} must be a number": "{}={} 必须是数字",
    "{}={} must be a finite number": "{}={} 必须是有限数",
    "unknown {} {}": "未知的 {} {}",
    "unknown option '{}' of {}": "{1} 没有选项“{0}”",
    "user weights must be numbers": "用户权重必须是数字",
    "name a method (entropy, critic, cv, equal) or give one number per indicator": "请指定一种方法（entropy、critic、cv、equal），或为每个指标给出一个数字",
    "give one number per spec indicator, as a list in spec order or a dict": "请为指标说明中的每个指标给出一个数字：按说明顺序的列表，或字典",
    "weights must be finite and non-negative": "权重必须是有限的非负数",
    "na_values={} is not a list of markers": "na_values={} 不是缺失值标记的列表",
    "give the markers as a list of texts, e.g. na_values=['—', '-']": "请以文本列表给出标记，例如 na_values=['—', '-']",
    "{}={} must be a list of texts": "{}={} 必须是文本列表",
    "e.g. {}=['—']": "例如 {}=['—']",
    "ideal='absolute' needs the min–max scale": "ideal='absolute' 需要最小-最大标准化",
    "use normalization='minmax' with standardization='minmax', or ideal='panel'": "请同时使用 normalization='minmax' 与 standardization='minmax'，或使用 ideal='panel'",
    "missing-value marker {} is not text": "缺失值标记 {} 不是文本",
    "give the markers as text, e.g. na_values=['—', '-']": "请以文本给出标记，例如 na_values=['—', '-']",
    "{}={} must be text": "{}={} 必须是文本",
    "{}() got an unknown keyword '{}'": "{}() 收到未知的关键字参数“{}”",
    "did you mean '{}'? its keywords: {}": "您是否指“{}”？可用的关键字参数：{}",
    "its keywords: {}": "可用的关键字参数：{}",
    "options= must be {} (or a dict of its options), got {}": "options= 必须是 {}（或其选项组成的字典），实际为 {}",
    "e.g. options=nqpf.{}(...)": "例如 options=nqpf.{}(...)",
    "a {}-normalised indicator value is not a finite number": "经 {} 规范化后的指标值不是有限数",
    "rescale the indicators (e.g. divide by 1e6 or take logs)": "请调整指标的量纲（例如除以 1e6 或取对数）",
    "no numeric indicator columns found and no spec given": "未找到数值型指标列，也未给出指标说明",
    "pass a spec (--spec) listing the indicators": "请传入列出各指标的指标说明（--spec）",
    "keep={} must be a list of column names": "keep={} 必须是列名的列表",
    "e.g. keep=['continent']": "例如 keep=['continent']",
    "only {} region{}; weights need at least 2 rows": "只有 {} 个地区{}；计算权重至少需要 2 行",
    "indicator '{}' is constant{}, so its weight is undefined": "指标“{}”取值恒定{}，其权重无定义",
    "drop it from the spec or use scope='panel'": "请将其从指标说明中删除，或使用 scope='panel'",
    "drop it from the spec": "请将其从指标说明中删除",
    "ratio standardisation needs positive values; '{}' has values ≤ 0": "比值标准化需要正值；“{}”含有 ≤ 0 的值",
    "use standardization='minmax'": "请使用 standardization='minmax'",
    "the z-score translation H = shift = {} leaves values ≤ 0{}": "z-score 平移量 H = shift = {} 仍留下 ≤ 0 的值{}",
    "choose shift greater than {}": "请选择大于 {} 的 shift",
    "the TOPSIS distance {} of {} in {} overflows double precision": "TOPSIS 距离 {} 在 {1}（{2}）超出双精度范围",
    "rescale the indicators (e.g. divide by 1e6 or take logs), or use normalization='minmax' or 'vector', which are scale-free": "请调整指标的量纲（例如除以 1e6 或取对数），或使用与量纲无关的 normalization='minmax' 或 'vector'",
    "no column named {} to keep": "没有可保留的列 {}",
    "panel columns: {}": "面板数据的列：{}",
    "the spec lists the region column '{}' as an indicator": "指标说明把地区列“{}”列为指标",
    "the spec lists the year column '{}' as an indicator": "指标说明把年份列“{}”列为指标",
    "one column is named for two roles: drop it from the spec": "同一列承担了两种角色：请将其从指标说明中删除",
    "the weights of dimension '{}' sum to 0, so its score is undefined": "维度“{}”的权重之和为 0，其得分无定义",
    "give at least one of its indicators a positive weight": "请至少为其中一个指标设置正权重",
    "the linear sub-score of dimension '{}' is not a finite number": "维度“{}”的线性分项得分不是有限数",
    "its indicators' weights sum to 0; give them positive weights": "其指标权重之和为 0；请设置正权重",
    "a prepared panel already has its spec, keys and carried columns": "已准备好的面板数据已含有指标说明、关键列和保留列",
    "pass spec/region/year/keep to prepare_index instead": "请改为把 spec/region/year/keep 传给 prepare_index",
    "TOPSIS closeness of {} undefined in {}: every indicator equals its ideal and anti-ideal there (all regions are equal that year)": "{} 在 {} 的 TOPSIS 贴近度无定义：该处每个指标都等于其正、负理想解（当年所有地区相同）",
    "use ideal='panel'": "请使用 ideal='panel'",
    "TOPSIS closeness of {} undefined in {}: every indicator equals its ideal and anti-ideal": "{} 在 {} 的 TOPSIS 贴近度无定义：每个指标都等于其正、负理想解",
    "check that the indicators vary (and their weights are not all 0)": "请检查指标是否有变化（且权重不全为 0）",
    "indicator '{}' has mean 0{}; its coefficient of variation is undefined": "指标“{}”的均值为 0{}；其变异系数无定义",
    "use weights='entropy' or 'critic'": "请使用 weights='entropy' 或 'critic'",
    "unknown standardization '{}'": "未知的标准化方法“{}”",
    "the weights sum to 0": "权重之和为 0",
    "give at least one positive weight": "请至少设置一个正权重",
    "unknown zero_log rule '{}'": "未知的 zero_log 规则“{}”",
    "shift must be a finite number ≥ 0, got {}": "shift 必须是 ≥ 0 的有限数，实际为 {}",
    "weight given for '{}', which is not an indicator of the spec": "为“{}”给出了权重，但它不是指标说明中的指标",
    "give one weight per spec indicator": "请为指标说明中的每个指标给出一个权重",
    "no weight given for indicator '{}'": "没有为指标“{}”给出权重",
    "{} weights given for {} indicators": "为 {1} 个指标给出了 {0} 个权重",
    "give one weight per spec indicator, in spec order": "请按指标说明的顺序为每个指标给出一个权重",
    "the table has no rows": "表格没有任何行",
    "fisher_jenks needs finite values and positive weights of equal length": "fisher_jenks 需要等长的有限数值与正权重",
    "k={} classes but {} distinct values": "k={} 个类别，但只有 {} 个不同的值",
    "labels='{}' is not a label set": "labels='{}' 不是标签集",
    'use None, "en", "zh", a list of k labels (highest tier first) or {{echelon: label}}': '请使用 None、"en"、"zh"、k 个标签的列表（从最高梯队起），或 {{梯队: 标签}}',
    "labels={} is not a label set": "labels={} 不是标签集",
    "labels repeat": "标签有重复",
    "give each tier its own label": "请为每个梯队设置各自的标签",
    "k={} tiers but only {} regions": "k={} 个梯队，但只有 {} 个地区",
    "{} must be a list of numbers, got {}": "{} 必须是数字列表，实际为 {}",
    "{} is empty": "{} 为空",
    "give at least one cut point": "请至少给出一个分割点",
    "{} must be finite, got {}": "{} 必须是有限数，实际为 {}",
    "{} repeat a value: {}": "{} 中有重复的值：{}",
    "give distinct cut points": "请给出互不相同的分割点",
    "the cut points of rule '{}' overflow double precision": "规则“{}”的分割点超出双精度范围",
    "rescale the values (e.g. divide by 1e6)": "请调整数值的量纲（例如除以 1e6）",
    "column '{}' holds a single tier": "列“{}”只有一个梯队",
    "rule='thresholds' needs thresholds=[...]": "rule='thresholds' 需要 thresholds=[...]",
    "e.g. thresholds=[0.45, 0.33]": "例如 thresholds=[0.45, 0.33]",
    "rule '{}' needs {} distinct region averages, found {}": "规则“{}”需要 {} 个不同的地区均值，实际只有 {} 个",
    "use fewer tiers": "请减少梯队数",
    "region '{}' has different '{}' values ({})": "地区“{}”的“{}”取值不一致（{}）",
    "an echelon column must be constant within each region": "梯队列在每个地区内必须保持不变",
    "echelon_sensitivity needs at least 2 rules to compare": "echelon_sensitivity 至少需要 2 条规则进行比较",
    "unbalanced panel: region '{}' has no row for {} {}": "非平衡面板：地区“{}”缺少 {} {} 的行",
    "period averages need the same years for every region; fill or drop them first, or pass one row per region with year=None": "计算时期均值要求每个地区的年份相同；请先补齐或删除，或以 year=None 传入每个地区一行的数据",
    "fisher_jenks needs a 1-D array of numbers (and of weights)": "fisher_jenks 需要一维数值数组（以及权重数组）",
    "labels has no entry for echelon {}": "labels 中没有梯队 {} 的条目",
    "k = {}": "k = {}",
    "{} labels for {} echelons": "{} 个标签对应 {} 个梯队",
    "give one label per tier, highest first": "请为每个梯队给出一个标签，从最高梯队起",
    "name and label are both '{}'": "name 与 label 都是“{}”",
    "give them two names": "请为二者取不同的名称",
    "region '{}' has no echelon": "地区“{}”没有梯队",
    "tier the same regions you join to": "请对要连接的同一批地区划分梯队",
    "k={} but rule '{}' gives {} tiers": "k={}，但规则“{}”给出 {} 个梯队",
    "leave k out or make them agree": "请不指定 k，或使二者一致",
    "{} must be numbers, got {}": "{} 必须是数字，实际为 {}",
    "rule='column' needs column=": "rule='column' 需要 column=",
    "name the column holding the tiers": "请指定存放梯队的列",
    "quantiles must lie strictly between 0 and 1, got {}": "分位数必须严格介于 0 与 1 之间，实际为 {}",
    "rules={} must be a list of rule names or a mapping": "rules={} 必须是规则名称的列表或映射",
    "e.g. rules=['jenks', 'sd'] or {{'study': {{'rule': 'thresholds', ...}}}}": "例如 rules=['jenks', 'sd'] 或 {{'study': {{'rule': 'thresholds', ...}}}}",
    "column '{}' already exists": "列“{}”已存在",
    "pass another name=": "请传入另一个 name=",
    "rule '{}': expected a rule name or a dict of echelons() options, got {}": "规则“{}”：应为规则名称或 echelons() 选项组成的字典，实际为 {}",
    "region column is {} here but {} in the echelons": "此处的地区列为 {}，而梯队结果中为 {}",
    "rule '{}': unknown option '{}'": "规则“{}”：未知的选项“{}”",
    "options are: {}": "可用选项：{}",
    "values must be one-dimensional, got shape {}": "数值必须是一维的，实际形状为 {}",
    "values must be numeric, got dtype {}": "数值必须是数值型，实际类型为 {}",
    "group has shape {} but values have shape {}": "分组的形状为 {}，而数值的形状为 {}",
    "{} unit(s): a Gini needs at least 2": "{} 个单元：基尼系数至少需要 2 个",
    "{} {} is not finite": "{} {} 不是有限数",
    "{} {} is not finite (position {})": "{} {} 不是有限数（位置 {}）",
    "remove or fill the cell": "请删除或填补该单元格",
    "negative {} {}": "{} 为负值：{}",
    "negative {} {} (position {})": "{} 为负值：{}（位置 {}）",
    "all weights are 0{}": "所有权重都为 0{}",
    "give at least one unit a positive weight": "请至少为一个单元设置正权重",
    "progress={} must be a function progress(done, total)": "progress={} 必须是函数 progress(done, total)",
    "missing group label at position {}": "位置 {} 缺少分组标签",
    "give every unit a group": "请为每个单元指定分组",
    "group labels mix types ({})": "分组标签混用了多种类型（{}）",
    "use labels of one type, e.g. all text": "请使用同一类型的标签，例如全部为文本",
    "weights have shape {} but values have shape {}": "权重的形状为 {}，而数值的形状为 {}",
    "weights must be numeric, got dtype {}": "权重必须是数值型，实际类型为 {}",
    "group '{}' has total weight 0{}": "分组“{}”的总权重为 0{}",
    "drop the group or give its units positive weights": "请删除该分组，或为其单元设置正权重",
    "group '{}' has mean {}{}; the Dagum Gini needs every group mean > 0": "分组“{}”的均值为 {}{}；Dagum 基尼系数要求每组均值 > 0",
    "drop the group or use a positive index": "请删除该分组，或使用取值为正的指数",
    "only {} unit in {}; a Gini needs at least 2": "{1} 中只有 {0} 个单元；基尼系数至少需要 2 个",
    "drop that slice": "请删除该切片",
    "cannot read {} from a {}": "无法从 {1} 读取 {0}",
    "missing {}{}": "缺少{}{}",
    "fill or drop the row before this analysis": "请在分析前补齐或删除该行",
    "non-finite {} {}{}": "{} 不是有限数：{}{}",
    "use finite numbers only": "请只使用有限数",
    "year {} is not a finite number": "年份 {} 不是有限数",
    "use years such as 2015": "请使用 2015 这样的年份",
    "{} must be a column name (text), got {} {}": "{} 必须是列名（文本），实际为 {} {}",
    "pass the column's name as a string": "请以字符串传入列名",
    "the pandas frame has two columns named '{}'": "pandas 数据框有两列都名为“{}”",
    "give every column its own name": "请为每一列取不同的名称",
    "the pandas index is named '{}', like a column": "pandas 索引名为“{}”，与某列同名",
    "reset_index(drop=True) or rename the index before passing the frame": "请在传入数据框前执行 reset_index(drop=True) 或重命名索引",
    "a column name ({}) must be text, got {} {}": "列名（{}）必须是文本，实际为 {} {}",
    "a column name must be text, got {} {}": "列名必须是文本，实际为 {} {}",
    "no column '{}' ({}) in the frame": "数据框中没有列“{}”（{}）",
    "no column '{}' in the frame": "数据框中没有列“{}”",
    "the frame has: {}": "数据框中的列：{}",
    "one column is named for two roles": "同一列承担了两种角色",
    "name a different column for each (region, year, value, …)": "请为每种角色（地区、年份、数值……）指定不同的列",
    "non-numeric {} {}{}": "非数值的{} {}{}",
    "column is {}, not numeric": "该列为 {} 类型，不是数值",
    "choose the numeric column that holds the {}s": "请选择存放 {} 的数值列",
    "{} {}{} is not > 0 but {}": "{} {}{} 不大于 0，而 {}",
    "{} {}{} is not > 0": "{} {}{} 不大于 0",
    "use a strictly positive variable (e.g. the score, not a centred value)": "请使用严格为正的变量（例如得分，而非中心化后的值）",
    "negative {} {}{} but {}": "{} 为负值：{}{}，而 {}",
    "negative {} {}{}": "{} 为负值：{}{}",
    "use a non-negative variable": "请使用非负的变量",
    "column is {}, not labels": "该列为 {} 类型，不是标签",
    "a region, year or group column holds texts, numbers or dates": "地区、年份或分组列应存放文本、数字或日期",
    "missing label": "缺少标签",
    "every row needs one": "每一行都需要有",
    "duplicate row for {} (rows {} and {})": "{} 的行重复（第 {} 行与第 {} 行）",
    "keep one row per {}": "每个 {} 只保留一行",
    "year {} is not a number": "年份 {} 不是数字",
    "growth rates need numeric years such as 2015": "计算增长率需要 2015 这样的数字年份",
    "cannot read {} from the mapping ({})": "无法从映射读取 {}（{}）",
    "cannot convert the pandas frame ({})": "无法转换 pandas 数据框（{}）",
    "{} names '{}' twice": "{} 两次列出“{}”",
    "list each group once, in the order to show them": "请按显示顺序将每个分组各列一次",
    "{} names '{}', which is not a group of the data": "{} 列出的“{}”不是数据中的分组",
    "the groups are {}": "数据中的分组为 {}",
    "{} leaves out the group '{}' of the data": "{} 漏掉了数据中的分组“{}”",
    "list every group: {}": "请列出所有分组：{}",
    "the uploaded file is no longer in this session": "上传的文件已不在本次会话中",
    "upload it again": "请重新上传",
    # nqpf.io.number_hint: what to do about a cell that is not a number
    "if '{}' marks a missing value, list it as one (na_values=['{}'], --na-values, or "
    "Missing markers on the Data page); otherwise write a number": (
        "如果“{}”表示缺失值，请将其列为缺失值标记（na_values=['{}']、--na-values，"
        "或数据页的缺失值标记）；否则请填写数字"
    ),
    "a ',' here could be a decimal comma or a thousands separator: pass decimal=',' "
    "(--decimal ,) if commas are decimal points, or write the number without thousands "
    "separators": (
        "此处的 ',' 可能是小数逗号，也可能是千位分隔符：如果逗号表示小数点，请传入 "
        "decimal=','（--decimal ,）；否则请去掉千位分隔符"
    ),
    "decimal=',' is set but this number has a decimal point: write it with a comma": (
        "已设置 decimal=','，但此数字使用了小数点：请改用逗号"
    ),
    "cells must be numbers (with {}); leave a cell empty for a missing value": (
        "单元格必须是数字（使用{}）；缺失值请留空"
    ),
    "a Gini needs non-negative values; shift or transform the index": "基尼系数需要非负值；请平移或变换指数",
    "a quoted cell is never closed": "有一个带引号的单元格没有闭合",
    "choose missing='interpolate' or fill the gaps": "请选择 missing='interpolate' 或补齐缺口",
    "did you mean '{}'? options: {}": "您是否指“{}”？可用选项：{}",
    "does not exist": "不存在",
    "empty year": "年份为空",
    "fill it, or choose missing='drop'": "请补齐，或选择 missing='drop'",
    "fill it, or choose missing='interpolate' or missing='drop'": "请补齐，或选择 missing='interpolate' 或 missing='drop'",
    "fix the spec or the column name; panel columns: {}": "请修改指标说明或列名；面板数据的列：{}",
    "indicator '{}' is constant over the panel, so its weight is undefined": "指标“{}”在整个面板中取值恒定，其权重无定义",
    "indicator '{}' is in the spec but not in the panel": "指标“{}”在指标说明中，但不在面板数据中",
    "indicator '{}' is in the spec but not in the panel (and {} more)": "指标“{}”在指标说明中，但不在面板数据中（另有 {} 个）",
    "indicator cells must be numbers": "指标单元格必须是数字",
    "indicator column has type {}, not numbers": "指标列的类型为 {}，不是数字",
    "is a file, not a folder": "是文件而不是文件夹",
    "missing value of '{}' for {} {}": "“{}”在 {} {} 的值缺失",
    "missing value of '{}' for {} {} cannot be interpolated (it is at the start or end of the region's series)": "“{}”在 {} {} 的缺失值无法插值（它位于该地区序列的开头或末尾）",
    "no region-year row is complete after dropping missing values": "删除缺失值后，没有完整的地区-年份行",
    "non-finite value {}": "非有限值 {}",
    "non-finite value {} of indicator '{}'": "指标“{1}”的非有限值 {0}",
    "non-numeric value '{}'": "非数值“{}”",
    "non-numeric value '{}' of indicator '{}'": "指标“{1}”的非数值“{0}”",
    "open the workbook in Excel and save it again, or export the sheet as CSV": "请在 Excel 中打开工作簿并重新保存，或将工作表导出为 CSV",
    "options: {}": "可用选项：{}",
    "replace it with a number or leave the cell empty": "请替换为数字，或将单元格留空",
    "weights must be non-negative (e.g. population)": "权重必须非负（例如人口）",
    "year '{}' is not a whole number": "年份“{}”不是整数",
    "year '{}' is out of range": "年份“{}”超出范围",
    # the index construction's and the classification's messages (issues 13, 14)
    "column '{}' cannot be used: polars, which nqpf computes with, reads a column named '*' or '^…$' as a pattern of columns": "列“{}”无法使用：nqpf 所用的 polars 会把名为“*”或“^…$”的列当作列的匹配模式",
    "rename the column (e.g. 'star' or 'a.*')": "请重命名该列（例如 'star' 或 'a.*'）",
    "{} of indicator '{}' is not a finite number": "指标“{1}”的 {0} 不是有限数值",
    "write {} as a finite number in the indicator's own units": "请以该指标自身的单位将 {} 写为有限数值",
    "indicator '{}' {}": "指标“{}”{}",
    "{} '{}' of indicator '{}' is not a number": "指标“{2}”的 {0}“{1}”不是数值",
    "write {} as a number in the indicator's own units": "请以该指标自身的单位将 {} 写为数值",
    "direction '{}' of indicator '{}' is neither '+' nor '-' nor one of mid, interval": "指标“{1}”的方向“{0}”既不是“+”或“-”，也不是 mid、interval",
    "write + for a benefit indicator, - for a cost indicator, mid (with target) for a moderate one, interval (with lower, upper) for a range": "正向指标写 +，逆向指标写 -，适度指标写 mid（并给出 target），区间指标写 interval（并给出 lower、upper）",
    "give one α per system, each ≥ 0, summing to 1, e.g. alpha=[0.5, 0.3, 0.2]": "请为每个子系统给出一个 α，均 ≥ 0 且和为 1，例如 alpha=[0.5, 0.3, 0.2]",
    "ahp_matrix={} is not a matrix": "ahp_matrix={} 不是矩阵",
    "give a CSV/XLSX file, a nested mapping or a square array of comparisons": "请给出 CSV/XLSX 文件、嵌套映射或判断矩阵的方阵",
    "combine names a method twice": "combine 中某一方法出现了两次",
    "name each combined method once": "每个组合方法只写一次",
    "{}={} must be a list of numbers": "{}={} 必须是数值列表",
    "e.g. {}=[0.8, 1.2]": "例如 {}=[0.8, 1.2]",
    "{}={} are not strictly increasing": "{}={} 不是严格递增的",
    "list the class bounds from the lowest to the highest, each once": "请从低到高列出各类边界，每个只写一次",
    "alpha={} is not a list of numbers": "alpha={} 不是数值列表",
    "the alpha weights sum to {}, not 1": "alpha 权重之和为 {}，而不是 1",
    "ideal='absolute' takes the ends of the min–max scale, which a base year does not bound (later values fall outside [0, 1])": "ideal='absolute' 取极差标准化的两端，而基期标准化不限定该范围（其后各年的值会落在 [0, 1] 之外）",
    "use ideal='panel' or 'year' with base, or drop base": "使用 base 时请用 ideal='panel' 或 'year'，或不设 base",
    "weights='combined' needs two or more methods in combine, got {}": "weights='combined' 需要在 combine 中给出两种及以上方法，现为 {}",
    "e.g. combine=['entropy', 'critic'] (CLI: --combine entropy,critic)": "例如 combine=['entropy', 'critic']（命令行：--combine entropy,critic）",
    "weights='ahp' needs a pairwise-comparison matrix (ahp_matrix)": "weights='ahp' 需要两两比较判断矩阵（ahp_matrix）",
    "give ahp_matrix= a CSV/XLSX file, a nested mapping or a square array": "请为 ahp_matrix= 给出 CSV/XLSX 文件、嵌套映射或方阵",
    "combine_alpha applies to the linear combination of two methods": "combine_alpha 只用于两种方法的线性组合",
    "drop combine_alpha, or use combine_rule='linear' with two methods": "请去掉 combine_alpha，或以两种方法使用 combine_rule='linear'",
    "{} must map indicators to numbers": "{} 必须把指标映射到数值",
    "e.g. {}={{'gdp': 120000}} or the text gdp=120000": "例如 {}={{'gdp': 120000}}，或文本 gdp=120000",
    "{} of '{}' is not a finite number": "“{1}”的 {0} 不是有限数值",
    "give the point in the indicator's own units": "请以该指标自身的单位给出该点",
    "combine names '{}', which is not a weight method to combine": "combine 中的“{}”不是可组合的赋权方法",
    "use two or more of: {}": "请从以下方法中选择两种及以上：{}",
    "cut-offs are fixed bounds, classes='year' cuts each year by its quantiles": "cut-offs 是固定边界，而 classes='year' 按各年分位数划分",
    "use classes='pooled' (or 'relative') with cutoffs=, or drop cutoffs=": "使用 cutoffs= 时请用 classes='pooled'（或 'relative'），或不设 cutoffs=",
    "given state labels are the states: they take no cut-offs or class rule": "给定的状态标签即为状态，不再使用 cut-offs 或分类规则",
    "drop cutoffs=/classes= when passing state_labels=": "传入 state_labels= 时请去掉 cutoffs=/classes=",
    "state_labels names one state ({}): a chain needs 2": "state_labels 只给出一个状态（{}）：马尔可夫链至少需要 2 个",
    "list every state, lowest first, e.g. state_labels=['low', 'high']": "请从最低开始列出每个状态，例如 state_labels=['low', 'high']",
    "state_labels names a label twice": "state_labels 中某一标签出现了两次",
    "list each state once, lowest first": "每个状态只写一次，从最低开始",
    "{} holds {}, not a finite number": "{} 中含有 {}，不是有限数值",
    "alpha value {} must be a finite number ≥ 0": "alpha 值 {} 必须是 ≥ 0 的有限数值",
    "min_breaks={} exceeds max_breaks={}": "min_breaks={} 大于 max_breaks={}",
    "give min_breaks ≤ max_breaks": "请使 min_breaks ≤ max_breaks",
    "{} of '{}' is not a number ({})": "“{1}”的 {0} 不是数值（{2}）",
    "ahp_matrix as a mapping must map each indicator to a mapping of its comparisons": "以映射给出的 ahp_matrix 必须把每个指标映射到其比较值的映射",
    "e.g. {{'gdp': {{'gdp': 1, 'rd': 3}}, 'rd': {{'gdp': 1/3, 'rd': 1}}}}": "例如 {{'gdp': {{'gdp': 1, 'rd': 3}}, 'rd': {{'gdp': 1/3, 'rd': 1}}}}",
    "{} holds {}, which is not a number": "{} 中含有 {}，不是数值",
    "methods= is empty": "methods= 为空",
    "e.g. methods=['natural', 'quantile']": "例如 methods=['natural', 'quantile']",
    "{}: '{}' is not indicator=value": "{}：“{}”不是“指标=数值”的形式",
    "e.g. {}=gdp=120000,energy=0.3": "例如 {}=gdp=120000,energy=0.3",
    "alpha value {} is not a number": "alpha 值 {} 不是数值",
    "weights='{}' needs {} raw values; indicator '{}' has values {}{}": "weights='{}' 需要{}的原始值；指标“{}”含有{}的值{}",
    "rescale or shift that indicator, or use weights='entropy' or 'critic'": "请对该指标重新缩放或平移，或改用 weights='entropy' 或 'critic'",
    "weights='{}' gives indicator '{}' a negative weight{} (its indicators pull in opposite directions)": "weights='{}' 给指标“{}”赋予了负权重{}（各指标方向相反）",
    "check the indicators' directions, or use weights='entropy' or 'critic'": "请检查各指标的方向，或改用 weights='entropy' 或 'critic'",
    "AHP comparison {} is {}, not a number": "AHP 比较值 {} 为 {}，不是数值",
    "write each comparison as a number or a fraction such as 1/3": "请把每个比较值写为数字或分数（如 1/3）",
    "diagonal entry": "对角线元素",
    "matrix is not reciprocal": "矩阵不满足互反性",
    "base year {} has {} region(s) in the panel; its range needs at least 2": "基期 {} 在面板中只有 {} 个地区；其取值范围至少需要 2 个",
    "choose a year of the panel ({}–{})": "请选择面板中的年份（{}–{}）",
    "ratio standardisation needs values ≥ 0; '{}' (after its type transformation) has negative values{}": "比值法需要 ≥ 0 的值；“{}”（按指标类型变换后）含有负值{}",
    "ratio standardisation needs values ≥ 0; '{}' (after its type transformation) has values ≤ 0{}": "比值法需要 ≥ 0 的值；“{}”（按指标类型变换后）含有 ≤ 0 的值{}",
    "ratio standardisation needs values ≥ 0; '{}' has negative values{}": "比值法需要 ≥ 0 的值；“{}”含有负值{}",
    "ratio standardisation needs values ≥ 0; '{}' has values ≤ 0{}": "比值法需要 ≥ 0 的值；“{}”含有 ≤ 0 的值{}",
    "ratio standardisation needs positive values; '{}' (after its type transformation) has negative values{}": "比值法需要正值；“{}”（按指标类型变换后）含有负值{}",
    "ratio standardisation needs positive values; '{}' (after its type transformation) has values ≤ 0{}": "比值法需要正值；“{}”（按指标类型变换后）含有 ≤ 0 的值{}",
    "ratio standardisation needs positive values; '{}' has negative values{}": "比值法需要正值；“{}”含有负值{}",
    "ratio standardisation needs positive values; '{}' has values ≤ 0{}": "比值法需要正值；“{}”含有 ≤ 0 的值{}",
    "indicator '{}' cannot be transformed{}: every value of its reference rows equals its target, so its spread M is 0": "指标“{}”无法变换{}：其参照行的每个值都等于目标值，离差 M 为 0",
    "drop it from the spec, or choose another base year": "请将其从指标体系中删除，或选择其他基期",
    "indicator '{}' falls below its base-year range{} (x' = {}), and shift = {} leaves x'' < 0": "指标“{}”低于其基期取值范围{}（x' = {}），平移量 shift = {} 使 x'' < 0",
    "choose shift of at least {}, or another base year": "请把平移量 shift 设为至少 {}，或选择其他基期",
    "weights='{}' is not determined by these data{}: {}": "weights='{}' 在这些数据下无法确定{}：{}",
    "check the indicators' directions, or use weights='entropy' or 'merec'": "请检查各指标的方向，或改用 weights='entropy' 或 'merec'",
    "the AHP matrix has {} rows and {} columns": "AHP 判断矩阵有 {} 行 {} 列",
    "give a square matrix, one row and one column per indicator": "请给出方阵，每个指标一行一列",
    "the AHP matrix must be {} × {} (one row and column per indicator, in spec order)": "AHP 判断矩阵必须为 {} × {}（每个指标一行一列，按指标体系顺序）",
    "give a square matrix of the spec's indicators: {}": "请给出指标体系各指标的方阵：{}",
    "AHP comparison ({}, {}) = {} is not a positive number": "AHP 比较值 ({}, {}) = {} 不是正数",
    "use Saaty's scale 1/9 … 9 (1 on the diagonal)": "请使用 Saaty 的 1/9 … 9 标度（对角线为 1）",
    "the AHP {}: ({}, {}) = {} but ({}, {}) = {}": "AHP {}：({}, {}) = {}，但 ({}, {}) = {}",
    "set a_ji = 1/a_ij (and 1 on the diagonal); write 1/3 rather than 0.33": "请令 a_ji = 1/a_ij（对角线为 1）；写 1/3 而不是 0.33",
    "AHP with {} indicators: Saaty's random index is tabulated up to {}": "AHP 含 {} 个指标：Saaty 的随机一致性指标只列到 {} 阶",
    "compare at most 15 indicators, or weigh dimensions separately": "请最多比较 15 个指标，或按维度分别赋权",
    "the AHP matrix is inconsistent: CR = {} > {} (λmax = {}, CI = {})": "AHP 判断矩阵不满足一致性：CR = {} > {}（λmax = {}，CI = {}）",
    "revise the comparisons, or pass ahp_allow_inconsistent=True (--ahp-allow-inconsistent)": "请修改比较值，或传入 ahp_allow_inconsistent=True（--ahp-allow-inconsistent）",
    "target {} of moderate indicator '{}' lies outside its data's range [{}, {}]": "适度指标“{1}”的目标值 {0} 超出其数据范围 [{2}, {3}]",
    "give a target in the indicator's own units, inside its range": "请以该指标自身的单位在其数据范围内给出目标值",
    "cost='reciprocal' takes 1/x, but cost indicator '{}' has values ≤ 0": "cost='reciprocal' 取 1/x，但逆向指标“{}”含有 ≤ 0 的值",
    "use cost='difference' or 'reverse'": "请改用 cost='difference' 或 'reverse'",
    "indicator '{}' is constant{} once its type is applied, so its weight is undefined": "指标“{}”按其类型变换后为常数{}，权重无法确定",
    "the AHP matrix has no row for indicator '{}'": "AHP 判断矩阵没有指标“{}”的行",
    "the AHP matrix has no row for indicator '{}', which the spec lacks": "AHP 判断矩阵没有指标“{}”的行，而指标体系中没有它",
    "the AHP matrix has a row for indicator '{}'": "AHP 判断矩阵有指标“{}”的行",
    "the AHP matrix has a row for indicator '{}', which the spec lacks": "AHP 判断矩阵有指标“{}”的行，而指标体系中没有该指标",
    "give one row and one column per spec indicator: {}": "请为指标体系中的每个指标给出一行一列：{}",
    "{}_point names '{}', which is not an indicator of the spec": "{}_point 中的“{}”不是指标体系中的指标",
    "indicators: {}": "指标：{}",
    "the ideal point of indicator '{}' is not better than its anti-ideal point (given, or taken from the data)": "指标“{}”的正理想解不优于其负理想解（给定的，或由数据得到的）",
    "the ideal must be the better end: larger for a benefit indicator, smaller for a cost one, nearer the target for a moderate one": "正理想解必须是较优的一端：正向指标取较大者，逆向指标取较小者，适度指标取更接近目标者",
    "the grey relational grade of {} is undefined: every value equals its ideal point (Δmax = 0), or a value overflows": "{}的灰色关联度无法确定：每个值都等于其理想点（Δmax = 0），或有值溢出",
    "check that the indicators vary, or rescale them": "请检查各指标是否有变化，或重新缩放",
    "the AHP matrix has no comparison of '{}' with '{}'": "AHP 判断矩阵缺少“{}”与“{}”的比较",
    "give one column per spec indicator: {}": "请为指标体系中的每个指标给出一列：{}",
    "rule '{}' found {} non-empty tiers, not {}": "规则“{}”得到 {} 个非空梯队，而不是 {}",
    "rule '{}' needs mapclassify": "规则“{}”需要 mapclassify",
    "pip install 'nqpf[spatial]'": "请运行 pip install 'nqpf[spatial]'",
    # dynamics: sigma, beta, markov, markov_variants, ergodic, clubs, kde, stochastic_kernel, obstacle (issue 15: the dynamics page's modules)
    # end of dynamics: sigma, beta, markov, markov_variants, ergodic, clubs, kde, stochastic_kernel, obstacle
    # spatial: nqpf.spatial.* (issue 15: the spatial page's modules)
    # end of spatial: nqpf.spatial.*
    # inequality, geodetect (issue 15: the inequality and geodetector page's modules)
    # end of inequality, geodetect
    # coupling, multiverse (issue 15: the coupling and robustness page's modules)
    # end of coupling, multiverse
    # project (the project file) (issue 15: the project page's modules)
    # end of project (the project file)
    # report (issue 15: the report page's modules)
    "render: {} is no chart of nqpf.report.charts; use one of {}": "render：{} 不是 nqpf.report.charts 的图表；请使用 {} 之一",
    "no column '{}' among the scores or the indicators": "得分与指标中没有名为“{}”的列",
    "carry it with keep=[...] in entropy_topsis, or name an indicator": "请在 entropy_topsis 中用 keep=[...] 带上该列，或给出一个指标名",
    "cannot write '{}' documents": "无法写出“{}”格式的文档",
    "give a .tex, .md, .html or .docx file name": "请给出 .tex、.md、.html 或 .docx 文件名",
    "cannot write the report ({})": "无法写出报告（{}）",
    "choose another --out folder": "请选择另一个 --out 文件夹",
    "no report folder given": "未给出报告文件夹",
    "give --out a folder name": "请为 --out 给出文件夹名",
    "is a file, not a folder; the report is a folder of files": "是文件而不是文件夹；报告是一个包含多个文件的文件夹",
    "give --out a new folder name": "请为 --out 给出一个新的文件夹名",
    "the folder '{}' does not exist": "文件夹“{}”不存在",
    "create it first or choose another --out": "请先创建该文件夹，或选择另一个 --out",
    "cannot replace a root folder with a report": "不能用报告替换根文件夹",
    "the folder exists and holds files that are not an nqpf report ({}); they would be lost when the report replaces it": "该文件夹已存在且含有不属于 nqpf 报告的文件（{}）；报告替换该文件夹时它们会丢失",
    "cannot read the folder ({})": "无法读取该文件夹（{}）",
    "unknown language '{}'": "未知语言“{}”",
    "choose {}": "请选择 {}",
    "weights must be nqpf.spatial.SpatialWeights, got {}": "weights 必须是 nqpf.spatial.SpatialWeights，而不是 {}",
    "e.g. weights=nqpf.spatial.contiguity('china-provinces')": "例如 weights=nqpf.spatial.contiguity('china-provinces')",
    "markov_k={} and markov_options k={} disagree": "markov_k={} 与 markov_options 的 k={} 不一致",
    "give the number of Markov states once, in markov_options": "请只在 markov_options 中给出一次马尔可夫状态数",
    "geodetector_factors must be column names": "geodetector_factors 必须是列名",
    "e.g. geodetector_factors=['x1']": "例如 geodetector_factors=['x1']",
    "no column named '{}' in the scores": "得分中没有名为“{}”的列",
    "carry it from the panel with keep=[...] in entropy_topsis": "请在 entropy_topsis 中用 keep=[...] 从面板带上该列",
    "group_order is given but the report has no group column": "给出了 group_order，但报告没有分组列",
    "name the group column (group=..., --group) or leave group_order out": "请指定分组列（group=...、--group），或去掉 group_order",
    # end of report
}

#: Parts of a message that are values of another (a range in a check's message):
#: translated only inside a message, never as a whole message.
FRAGMENTS: dict[str, str] = {
    "between {} and {}": "介于 {} 与 {} 之间",
    "{} and {}": "{} 且 {}",
    "a decimal point": "小数点",
    "a decimal comma": "小数逗号",
}


#: The R check's notes and skip reasons (:mod:`nqpf.crossval`'s ``note`` column, and the
#: ``reason`` of :func:`nqpf.rbridge.routines`), shown translated in the app's Chinese mode
#: (the data keep the English text, as the report's tables keep their keys).
NOTES: dict[str, str] = {
    "R package '{}' is not installed (CRAN only: Rscript r/install.R, or build it from "
    "source into a private library and set {}; see DEVELOPERS.md)": (
        "未安装 R 包“{}”（仅 CRAN 提供：运行 Rscript r/install.R，或从源码构建到私有库并设置 {}；"
        "见 DEVELOPERS.md）"
    ),
    "R package '{}' is not installed (Debian: apt-get install r-cran-{})": (
        "未安装 R 包“{}”（Debian：apt-get install r-cran-{}）"
    ),
    "R package '{}' is not installed (it ships with R: reinstall R)": (
        "未安装 R 包“{}”（R 自带此包：请重新安装 R）"
    ),
    "{} not found in {}: reinstall nqpf": "在 {1} 中找不到 {0}：请重新安装 nqpf",
    "not requested": "未请求",
    "NaN on one side": "一侧为 NaN",
    "groups of at least 2 units": "至少含 2 个单元的分组",
    "Hmisc's n(n−1) mean difference × (n−1)/n vs nqpf's {}": (
        "Hmisc 的 n(n−1) 平均差 × (n−1)/n 对比 nqpf 的 {}"
    ),
    "laeken's Gini of the group means weighted by group size": (
        "laeken 按组规模加权的组均值基尼系数"
    ),
    "Σ Gjj·pj·sj from laeken's Gjj": "由 laeken 的 Gjj 计算 Σ Gjj·pj·sj",
    "G − Gw − Gnb from laeken's Ginis": "由 laeken 的基尼系数计算 G − Gw − Gnb",
    "no spatial weights given (pass spatial_weights=, a nqpf.spatial.SpatialWeights)": (
        "未给出空间权重（请传入 spatial_weights=，即 nqpf.spatial.SpatialWeights）"
    ),
    "{}={} (p + 1e-12) has no R reference: R uses 0·ln 0 = 0": (
        "{}={}（p + 1e-12）没有 R 参照：R 采用 0·ln 0 = 0"
    ),
    "{}={} (Σ w·x') has no R reference; its weights and x'' are compared": (
        "{}={}（Σ w·x'）没有 R 参照；只比较其权重和 x''"
    ),
    "scope='year' with normalization='vector' and ideal='panel' (per-year norms, panel "
    "ideals) has no R reference call": (
        "scope='year' 与 normalization='vector'、ideal='panel' 的组合（逐年范数、面板理想解）"
        "没有对应的 R 参照调用"
    ),
    "TOPSIS given nqpf's weights (zero_log={})": "TOPSIS 使用 nqpf 的权重（zero_log={}）",
    "TOPSIS given nqpf's {} weights (no R reference for them)": (
        "TOPSIS 使用 nqpf 的 {} 权重（这些权重没有 R 参照）"
    ),
    "per-year weights: R called year by year with the panel's ideal and anti-ideal rows "
    "appended, so that its ideals are the panel's": (
        "逐年权重：逐年调用 R，并附加面板的正、负理想解行，使其理想解与面板一致"
    ),
    "nqpf re-run with scope='year', normalization='vector', topsis='matrix', ideal='year' "
    "and the index's pooled weights": (
        "nqpf 以 scope='year'、normalization='vector'、topsis='matrix'、ideal='year' "
        "和指数的混合权重重新计算"
    ),
    "nqpf re-run with normalization='vector', topsis='matrix', ideal='year' and the "
    "index's per-year weights": (
        "nqpf 以 normalization='vector'、topsis='matrix'、ideal='year' 和指数的逐年权重重新计算"
    ),
}


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression of ``template``: ``{}`` → a lazy group, ``{{``/``}}`` →
    a literal brace, everything else literal."""
    parts = template.replace("{{", "\x00").replace("}}", "\x01").split("{}")
    fixed = [re.escape(p.replace("\x00", "{").replace("\x01", "}")) for p in parts]
    return re.compile("(.*?)".join(fixed), re.DOTALL)


def _fixed_length(template: str) -> int:
    return len(template.replace("{{", "{").replace("}}", "}").replace("{}", ""))


@cache
def _compiled(table: str) -> tuple[tuple[re.Pattern[str], str, int], ...]:
    """(pattern, Chinese, fixed length) of every template of ``table``, most fixed
    text first (the first whole match is the most specific)."""
    chosen = {"messages": _messages(), "fragments": FRAGMENTS, "notes": NOTES}[table]
    rows = [(_pattern(en), zh, _fixed_length(en)) for en, zh in chosen.items()]
    return tuple(sorted(rows, key=lambda row: -row[2]))


def _messages() -> dict[str, str]:
    """:data:`MESSAGES` and the declared options' help texts (an option's check uses
    its help as the hint)."""
    from nqpf.options import FAMILIES

    out = dict(MESSAGES)
    for family in FAMILIES.values():
        for info in family.describe():
            if info.help and info.help_zh:
                escaped = info.help.replace("{", "{{").replace("}", "}}")
                out.setdefault(escaped, info.help_zh.replace("{", "{{").replace("}", "}}"))
    return out


def _format(chinese: str, values: list[str]) -> str:
    # the values are user text: put in by position, never parsed as a format string
    out, auto = [], 0
    for piece in re.split(r"(\{\{|\}\}|\{\d*\})", chinese):
        if piece == "{{":
            out.append("{")
        elif piece == "}}":
            out.append("}")
        elif re.fullmatch(r"\{\d*\}", piece):
            index = int(piece[1:-1]) if piece[1:-1] else auto
            auto += 1
            out.append(values[index])
        else:
            out.append(piece)
    return "".join(out)


def _match(text: str, table: str, depth: int) -> str | None:
    for pattern, chinese, _ in _compiled(table):
        found = pattern.fullmatch(text)
        if found is not None:
            values = [_value(v, depth + 1) for v in found.groups()]
            return _format(chinese, values)
    return None


def _value(value: str, depth: int) -> str:
    """A value found in a message: itself translated when it is a whole message or a
    fragment (two levels deep at most), else as it is."""
    if depth > 2 or not value.strip():
        return value
    for table in ("messages", "fragments"):
        found = _match(value, table, depth)
        if found is not None:
            return found
    return value


def template_of(text: str) -> str | None:
    """The template of :data:`MESSAGES` (or an option's help) that ``text`` matches, or
    None (for the tests)."""
    templates = list(_messages())
    for pattern, _, _ in _compiled("messages"):
        if pattern.fullmatch(text):
            return next(t for t in templates if _pattern(t).pattern == pattern.pattern)
    return None


def translate(text: str, language: str = "zh") -> str:
    """One part of a message (a ``what`` or a ``hint``) in ``language``: as it is in
    English, the template's Chinese in ``"zh"``, or :data:`FALLBACK` + the English text
    when no template matches."""
    if language != "zh" or not text:
        return text
    found = _match(text, "messages", 0)
    return FALLBACK + text if found is None else found


def note(text: str | None, language: str = "zh") -> str | None:
    """An R check note (``"; "``-separated parts, :data:`NOTES`) in ``language``; a part
    that no template matches (an R warning) gets :data:`FALLBACK`."""
    if language != "zh" or not text:
        return text
    whole = _match(text, "notes", 0)  # a reason may hold "; " itself
    if whole is not None:
        return whole
    parts = []
    for part in text.split("; "):
        found = _match(part, "notes", 0)
        parts.append(FALLBACK + part if found is None else found)
    return "；".join(parts)


def where(error: InputError, language: str = "zh") -> str:
    """Where the error is (file, sheet, row, column) in ``language``; the file name and
    the sheet and column names as they are."""
    if language != "zh":
        return error.where
    parts = []
    if error.file:
        parts.append(str(error.file))
    if error.sheet is not None:
        parts.append(f"工作表“{error.sheet}”")
    if error.row is not None:
        parts.append(f"第 {error.row} 行")
    if error.column is not None:
        parts.append(f"列“{error.column}”")
    return "，".join(parts)


def message(error: Any, language: str = "en") -> str:
    """The one-line message of ``error`` in ``language``: ``error.message`` in English;
    in Chinese ``<where>：<what>——<hint>`` translated (see the module docstring). An
    error that is not an InputError gives its text as it is."""
    if language != "zh" or not isinstance(error, InputError):
        return error.message if isinstance(error, InputError) else str(error)
    place = where(error, language)
    what = translate(error.what, language)
    text = f"{place}：{what}" if place else what
    if error.hint:
        text += f"——{translate(error.hint, language)}"
    # one line, as the English message (errors.InputError.message)
    return _CONTROL.sub(" ", text)


__all__ = [
    "FALLBACK",
    "FRAGMENTS",
    "MESSAGES",
    "NOTES",
    "message",
    "note",
    "template_of",
    "translate",
    "where",
]
