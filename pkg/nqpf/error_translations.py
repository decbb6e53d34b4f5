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
    "the weight of indicator '{}' is {}: weights must be finite and non-negative": "指标“{}”的权重为 {}：权重必须是有限的非负数",
    "weight {} (in spec order) is {}: weights must be finite and non-negative": "第 {} 个权重（按指标说明的顺序）为 {}：权重必须是有限的非负数",
    "give every indicator a weight ≥ 0": "请为每个指标给出 ≥ 0 的权重",
    "weights={} names a method, not user-given weights": "weights={} 是赋权方法，而非用户给定的权重",
    "give weights= a mapping indicator → weight or a list in spec order": "请为 weights= 给出“指标 → 权重”的映射，或按指标说明顺序的列表",
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
    "if '{}' marks a missing value, list it as one (na_values=['{}'] or --na-values); "
    "otherwise write a number": (
        "如果“{}”表示缺失值，请将其列为缺失值标记（na_values=['{}'] 或 --na-values）；否则请填写数字"
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
    "form='{}' has no template": "form='{}' 没有模板",
    "use form='wide' or 'long'": "请使用 form='wide' 或 'long'",
    "no region is left after excluding {}": "排除 {} 后没有剩余地区",
    "exclude only the total rows": "请只排除合计行",
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
    # sigma
    "the frame has no rows": "数据表没有行",
    "pass the panel with its values": "请传入含数值的面板数据",
    "the mean of '{}' is 0 for {}, so cv and Gini are undefined": "'{}' 在 {} 的均值为 0，变异系数与基尼系数无定义",
    "use a variable with a positive mean": "请使用均值为正的变量",
    "all rows have the same year": "所有行的年份相同",
    "a trend needs several years": "趋势检验需要多个年份",
    "measures={} must be a list of column names": "measures={} 必须是列名列表",
    "the trend of {} needs at least 3 years, got {}": "{} 的趋势检验至少需要 3 个年份，实际为 {}",
    "use a longer panel": "请使用更长的面板",
    # beta
    "the growth regression overflows double precision (values or years too large)": "增长率回归超出双精度范围（数值或年份过大）",
    "rescale the controls or the years (e.g. divide by 1e6)": "请缩放控制变量或年份（如除以 1e6）",
    "regressor '{}' is collinear with the others": "回归变量 '{}' 与其他变量共线",
    "a control is collinear with the year effects": "某个控制变量与年份效应共线",
    "controls={} must be a list of column names": "controls={} 必须是列名列表",
    "effects={} needs the annual panel: the cross-section has one row per region": "effects={} 需要年度面板：截面回归每个地区只有一行",
    "pass horizon='annual' (or effects='none')": "请设 horizon='annual'（或 effects='none'）",
    "controls must be distinct and must not include the value column": "控制变量不得重复，且不得包含被解释变量列",
    "β-convergence needs at least 2 years, the panel has {}": "β 收敛至少需要 2 个年份，面板只有 {} 个",
    "growth is measured between years": "增长率在年份之间计算",
    "start={} must come before end={}": "start={} 必须早于 end={}",
    "the years are not equally spaced (steps {})": "年份间隔不相等（间隔 {}）",
    "the annual panel needs a regular year grid; use the cross-section instead": "年度面板需要等间隔的年份；请改用截面回归",
    "no region is observed in two consecutive years": "没有地区在相邻两年都有观测",
    "check the panel": "请检查面板数据",
    "{} {} are too few for {} coefficients": "{} 个{}不足以估计 {} 个系数",
    "use more regions or years, or fewer controls": "请增加地区或年份，或减少控制变量",
    "drop that control": "请去掉该控制变量",
    "{} growth observations in {} regions are too few for this model": "{} 个增长率观测（{} 个地区）不足以估计该模型",
    "{}={} is not a year of the panel": "{}={} 不是面板中的年份",
    "region {} has no value in {}": "地区 {} 在 {} 年没有数值",
    "the cross-section needs every region in the first and last year; drop it or choose start=/end=": "截面回归要求每个地区在首年和末年都有数值；请删去该地区或另选 start=/end=",
    # markov
    "column '{}' ÷ its year's mean": "列 '{}' ÷ 当年均值",
    "column '{}'": "列 '{}'",
    "the class bounds (quantiles) overflow double precision": "类型边界（分位数）超出双精度范围",
    "rescale the values (e.g. divide by 1e6 or take logs)": "请缩放数值（如除以 1e6 或取对数）",
    "give the neighbours either as neighbours= or as w=, not both": "邻居请以 neighbours= 或 w= 之一给出，不能同时给出",
    "the values of year {} have mean 0: relative values are undefined": "{} 年数值的均值为 0：相对值无定义",
    "use classes='pooled' or shift the values": "请使用 classes='pooled' 或平移数值",
    "a Markov chain needs at least 2 years": "马尔可夫链至少需要 2 个年份",
    "transitions link years": "转移发生在年份之间",
    "state label {} is not among the declared states ({})": "状态标签 {} 不在声明的状态（{}）之中",
    "add it to state_labels= in its place, or correct the cell": "请将其按位置加入 state_labels=，或更正该单元格",
    "region {} is listed as its own neighbour": "地区 {} 被列为自己的邻居",
    "the spatial lag is the mean of the other regions": "空间滞后是其他地区的均值",
    "region {} has no neighbours in the neighbour list": "地区 {} 在邻居列表中没有邻居",
    "give every region at least one neighbour (an island: its nearest region)": "请为每个地区至少指定一个邻居（岛屿：指定最近的地区）",
    "this chain has no spatial part": "该马尔可夫链没有空间部分",
    "pass neighbours=": "请传入 neighbours=",
    "the spatial Markov chain averages the neighbours' values: given state labels have none": "空间马尔可夫链对邻居数值求平均：给定的状态标签没有数值",
    "pass numeric values (cut into classes) for the spatial chain": "空间马尔可夫链请传入数值（按类型划分）",
    "a state label is missing": "缺少一个状态标签",
    "fill the cell": "请填写该单元格",
    "{} {} lies outside the values of {} ({} to {}): a class would be empty": "{} {} 超出 {} 的取值范围（{} 至 {}）：将有一个类型为空",
    "give {} between the smallest and the largest value": "请在最小值与最大值之间给出 {}",
    "the neighbour frame needs the columns '{}' and 'neighbour', it has {}": "邻居表需要列 '{}' 与 'neighbour'，实际列为 {}",
    "one row per (region, neighbour) pair": "每个（地区, 邻居）对一行",
    "the neighbour list's region names do not match the type of '{}'": "邻居列表的地区名称与 '{}' 的类型不符",
    "the neighbour list names region {}, which is not in the panel's '{}' column": "邻居列表中的地区 {} 不在面板的 '{}' 列中",
    "check its spelling or drop it from the neighbour list": "请检查其拼写，或将其从邻居列表中删除",
    "the neighbours of {} must be a list of regions, not {}": "{} 的邻居必须是地区列表，而不是 {}",
    "e.g. {{'Beijing': ['Tianjin', 'Hebei'], ...}}": "如 {{'Beijing': ['Tianjin', 'Hebei'], ...}}",
    # markov_variants
    "{} needs at least 2 years": "{}至少需要 2 个年份",
    "{} needs a balanced panel: {} regions × {} years but {} rows": "{}需要平衡面板：{} 个地区 × {} 个年份，但有 {} 行",
    "give every region a value in every year (or drop the incomplete ones)": "请让每个地区每年都有数值（或删去不完整的地区）",
    "unknown kind {} — use one of: full, geo": "未知类型 {}——请使用 full 或 geo",
    "a LISA Markov chain needs at least 2 years": "LISA 马尔可夫链至少需要 2 个年份",
    "name the regimes by by=<column> or by periods=[<first year>, …]": "请以 by=<列> 或 periods=[<起始年>, …] 指定分组",
    "one of them": "二者之一",
    "a homogeneity test needs at least 2 regimes": "同质性检验至少需要 2 个分组",
    "give by= a column with 2 or more groups, or periods= a year inside the panel": "请为 by= 指定含 2 个及以上组的列，或为 periods= 指定面板内的年份",
    "regime {} has no transition (a period needs at least 2 years)": "分组 {} 没有转移（一个时段至少需要 2 个年份）",
    "choose regimes that each span two consecutive years": "请选择每组都跨越相邻两年的分组",
    "periods {} must lie inside the panel's years ({} to {}]": "periods {} 必须位于面板年份（{} 至 {}]之内",
    "give the first year of each later sub-period": "请给出之后每个子时段的起始年",
    "year {} has other regions than year {}": "{} 年的地区与 {} 年不同",
    "a LISA Markov chain needs a balanced panel (every region every year)": "LISA 马尔可夫链需要平衡面板（每个地区每年都有数值）",
    "column '{}' has missing regimes": "列 '{}' 的分组有缺失",
    "fill them": "请补全",
    # clubs
    "hp_lambda=None: no filter to apply": "hp_lambda=None：没有可用的滤波",
    "use e.g. 400 for annual data": "年度数据可用如 400",
    "the Hodrick–Prescott filter needs at least 3 periods, not {}": "HP 滤波至少需要 3 期，而不是 {}",
    "use a longer panel or hp_lambda=None": "请使用更长的面板或 hp_lambda=None",
    "trim={} leaves out no year of {} (round({}·{}) = 0), and log(log t) is undefined at t = 1": "trim={} 在 {} 个年份中没有舍去任何年份（round({}·{}) = 0），而 log(log t) 在 t = 1 处无定义",
    "too few years for the log-t regression: {} years leave {} after trimming the first {}, and it needs at least {}": "log t 回归的年份太少：{0} 个年份舍去前 {2} 个后剩 {1} 个，至少需要 {3} 个",
    "use a panel of at least {} years with trim={}, or another trim": "trim={1} 时请使用至少 {0} 个年份的面板，或换一个截取比例",
    "pass one row per region-year": "请每个地区-年份一行",
    "club convergence needs at least 2 regions, the frame has {}": "俱乐部收敛至少需要 2 个地区，数据只有 {} 个",
    "pass the whole panel, one row per region-year": "请传入完整面板，每个地区-年份一行",
    "region {} has no row for year {} ({} of {} years missing)": "地区 {0} 缺少 {1} 年的行（{3} 个年份中缺 {2} 个）",
    "the log-t test needs a balanced panel: add the years (e.g. interpolated) or drop the region": "log t 检验需要平衡面板：请补齐年份（如插值）或删去该地区",
    "the tested series overflows double precision (values near ±1e308)": "检验序列超出双精度范围（数值接近 ±1e308）",
    "rescale the variable (e.g. divide by 1e6), or pass log=True": "请缩放变量（如除以 1e6），或设 log=True",
    "the tested series is not of one sign across regions in year {} ({}: {}, {}: {}), so the relative transition paths h = x / mean(x) are undefined": "{} 年各地区的检验序列符号不一致（{}: {}，{}: {}），相对转移路径 h = x / mean(x) 无定义",
    "rescale the variable so that its logs share one sign (e.g. multiply by 100), or pass log=True for a positive variable": "请缩放变量使其对数同号（如乘以 100），正值变量可设 log=True",
    "the cross-sectional variance H_t is 0 in period {}, so log(H_1/H_t) is undefined": "第 {} 期截面方差 H_t 为 0，log(H_1/H_t) 无定义",
    "the units must not all be equal in a period the test uses": "检验所用各期中，各单位的值不能全部相等",
    "regions {}{} have equal values in year {}, so their cross-sectional variance H_t is 0 and the log-t regression log(H_1/H_t) is undefined": "地区 {}{} 在 {} 年的值相等，截面方差 H_t 为 0，log t 回归中的 log(H_1/H_t) 无定义",
    "drop a duplicated region, do not normalise all regions to a common base year, or use the HP filter (hp_lambda)": "请删去重复的地区，不要将所有地区标准化到同一基年，或使用 HP 滤波（hp_lambda）",
    # kde
    "give bounds=(low, high), e.g. (0, 1) for a score, or None for no bound": "请给出 bounds=(下界, 上界)，如得分用 (0, 1)，或 None 表示无边界",
    "unknown bandwidth rule {}": "未知带宽规则 {}",
    "use 'silverman', 'scott' or a number": "请使用 'silverman'、'scott' 或一个数",
    "the {} bandwidth needs at least 2 observations, got {}": "{} 带宽至少需要 2 个观测，实际为 {}",
    "give a numeric bw= or pool more observations": "请给出数值 bw=，或合并更多观测",
    "bounds={} is not a pair (low, high)": "bounds={} 不是（下界, 上界）二元组",
    "bounds={}: the lower bound must be below the upper": "bounds={}：下界必须小于上界",
    "{} value(s) of '{}' lie outside the bounds [{}, {}], e.g. {}": "'{1}' 有 {0} 个值超出边界 [{2}, {3}]，如 {4}",
    "widen the bounds or leave them out (bounds=None)": "请放宽边界或不设边界（bounds=None）",
    "the bandwidth or the density grid overflows double precision": "带宽或密度网格超出双精度范围",
    "the grid must be a non-empty array of finite numbers": "网格必须是非空的有限数数组",
    "bandwidth {} is not a positive number": "带宽 {} 不是正数",
    "use e.g. 0.05": "可用如 0.05",
    "the density grid or bandwidth overflows double precision": "密度网格或带宽超出双精度范围",
    "unknown grid {}": "未知网格 {}",
    "use 'common', 'own' or an array": "请使用 'common'、'own' 或数组",
    "{} (curve {})": "{}（曲线 {}）",
    "the {} bandwidth is 0: the interquartile range or the SD of the values is 0": "{} 带宽为 0：这些值的四分位距或标准差为 0",
    "use bw='silverman' (R's bw.nrd0 falls back then) or a positive number": "请使用 bw='silverman'（此时 R 的 bw.nrd0 会改用备选值）或一个正数",
    # stochastic_kernel
    "bounds= and relative=True do not go together: relative values have no fixed bounds": "bounds= 与 relative=True 不能同时使用：相对值没有固定边界",
    "drop bounds, or use relative=False": "请去掉 bounds，或设 relative=False",
    "only {} region-year pair(s) {} year(s) apart": "相隔 {1} 年的地区-年份对只有 {0} 个",
    "use a smaller lag or a panel with more years": "请使用更小的间隔或年份更多的面板",
    "the mean of '{}' is 0 in {} {}, so relative values are undefined": "'{}' 在 {} {} 的均值为 0，相对值无定义",
    "use relative=False": "请设 relative=False",
    # obstacle
    "no weights given": "未给出权重",
    "pass weights (indicator → weight), or an index result alone": "请传入权重（指标 → 权重），或只传入指数结果",
    "keys={} must be a list of column names": "keys={} 必须是列名列表",
    "e.g. ['region', 'year']": "如 ['region', 'year']",
    "the weights have a column '{}' that is not a key of the frame": "权重表的列 '{}' 不是数据表的键列",
    "year-specific weights need the same year column in both": "分年份权重需要两表有相同的年份列",
    "pass the standardised indicators": "请传入标准化后的指标",
    "no weight for indicator '{}' in {}": "指标 '{}' 在 {} 没有权重",
    "give weights for every year of the frame": "请为数据表的每个年份给出权重",
    "the obstacle degree needs min–max standardised values, the index used standardization='{}'": "障碍度需要极差标准化的数值，而该指数使用了 standardization='{}'",
    "run the index with standardization='minmax'": "请以 standardization='minmax' 计算指数",
    "one weight per indicator": "每个指标一个权重",
    "weight {} of indicator '{}' is not a non-negative number": "指标 '{1}' 的权重 {0} 不是非负数",
    "weights must be >= 0": "权重必须 >= 0",
    "spec_dimensions={} must map each indicator to its dimension": "spec_dimensions={} 必须将每个指标对应到其维度",
    "e.g. {{'gdp': 'economy', 'co2': 'green'}}": "如 {{'gdp': 'economy', 'co2': 'green'}}",
    "indicator '{}' has two weights": "指标 '{}' 有两个权重",
    "one weight per indicator (per year)": "每个指标（每年）一个权重",
    "all weights are 0": "所有权重均为 0",
    "at least one weight must be > 0": "至少一个权重必须 > 0",
    "standardised value {} is outside [0, 1]": "标准化值 {} 超出 [0, 1]",
    "pass min–max standardised values (1 = best), without the entropy shift": "请传入极差标准化值（1 为最优），不加熵值法平移",
    "indicator '{}' has no dimension": "指标 '{}' 没有维度",
    "give every weighted indicator a dimension in spec_dimensions": "请在 spec_dimensions 中为每个有权重的指标指定维度",
    "no dimensions given": "未给出维度",
    "pass spec_dimensions (indicator → dimension) or a 'dimension' column in weights": "请传入 spec_dimensions（指标 → 维度），或在权重表中给出 'dimension' 列",
    "the weights' '{}' values do not read as the frame's '{}' ({})": "权重表 '{}' 的值无法按数据表的 '{}' 读取（{}）",
    "weights must be numbers": "权重必须是数值",
    "a mapping indicator → weight": "指标 → 权重的映射",
    # end of dynamics: sigma, beta, markov, markov_variants, ergodic, clubs, kde, stochastic_kernel, obstacle
    # spatial: nqpf.spatial.* (issue 15: the spatial page's modules)
    "spatial weights need at least {} regions, got {}": "空间权重至少需要 {} 个地区，实际为 {} 个",
    "a spatial statistic compares a region with its neighbours: use more regions": "空间统计量比较地区与其邻居：请使用更多地区",
    "the region ids of the matrix rows are not given": "未给出矩阵各行的地区名称",
    "give ids= (one per row)": "请给出 ids=（每行一个）",
    "region ids repeat in the weights: {}": "权重中地区名称重复：{}",
    "give each region once": "每个地区只能出现一次",
    "the weights matrix must be square, got shape {}": "权重矩阵必须是方阵，实际形状为 {}",
    "give an n × n matrix": "请给出 n × n 矩阵",
    "the weights matrix is {} × {} but {} region ids were given": "权重矩阵为 {} × {}，但给出了 {} 个地区名称",
    "give one id per row of the matrix": "请为矩阵的每一行给出一个地区名称",
    "the weights matrix has a missing or infinite weight": "权重矩阵含缺失或无穷大的权重",
    "give finite weights": "请给出有限的权重",
    "negative weight {} between {} and {}": "{1} 与 {2} 之间的权重为负值 {0}",
    "spatial weights are non-negative": "空间权重必须非负",
    "a region is its own neighbour: {}": "地区以自身为邻居：{}",
    "set the diagonal of the weights matrix to 0": "请将权重矩阵的对角线设为 0",
    "unknown weights style {}": "未知的权重标准化方式 {}",
    "choose one of {}": "请选择以下之一：{}",
    "the id column name {} is also a region id": "地区名称列的列名 {} 同时也是一个地区名称",
    "choose another id=": "请另选 id=",
    "{} region(s) of {} are not in the spatial weights: {}": "{1}中有 {0} 个地区不在空间权重中：{2}",
    "check their spelling against the weights' ids, or give weights that cover them": "请对照权重中的地区名称检查拼写，或使用包含这些地区的权重",
    "regions of {} name the same region of the weights twice: {}": "{}中有地区两次指向权重中的同一地区：{}",
    "{} region(s) of the spatial weights have no rows in {}: {}": "空间权重中有 {0} 个地区在{1}中没有数据行：{2}",
    "give data for every region of the weights, or keep only the regions you have with w.subset(regions) (their links to the others are dropped)": "请为权重中的每个地区提供数据，或用 w.subset(regions) 只保留已有数据的地区（与其他地区的邻接关系将被删除）",
    "{} region(s) have no neighbour in the spatial weights, so {} is undefined for them: {}": "有 {0} 个地区在空间权重中没有邻居，{1}对它们无定义：{2}",
    "link each island to its nearest region (link_islands=True of contiguity or from_file, or from_neighbours with the link added), use knn weights, or leave the islands out of the data and the weights (w.subset)": "请将每个孤岛与最近的地区相连（contiguity 或 from_file 的 link_islands=True，或在 from_neighbours 中加上该邻接），改用 k 近邻权重，或将孤岛从数据与权重中移除（w.subset）；在应用中也可将“孤岛处理”设为保留",
    "the alias {} of region {} is itself a region id of the weights": "地区 {1} 的别名 {0} 本身是权重中的另一个地区名称",
    "remove that alias: an alias must not name another region": "请删除该别名：别名不能指向另一个地区",
    "the weights frame has no id column {} (columns: {})": "权重表没有地区名称列 {}（现有列：{}）",
    "name the column of region ids with id=, or give ids=": "请用 id= 指定地区名称列，或给出 ids=",
    "the weights frame's columns and rows name different regions: columns not among the rows {}; rows without a column {}": "权重表的列与行对应的地区不同：不在行中的列 {}；没有对应列的行 {}",
    "the weights frame's columns and rows name different regions: columns not among the rows {}; ": "权重表的列与行对应的地区不同：不在行中的列 {}；",
    "the weights frame's columns and rows name different regions: columns not among the rows {}rows without a column {}": "权重表的列与行对应的地区不同：不在行中的列 {}没有对应列的行 {}",
    "the weights frame's columns and rows name different regions: columns not among the rows {}": "权重表的列与行对应的地区不同：不在行中的列 {}",
    "the weights frame's columns and rows name different regions: ; rows without a column {}": "权重表的列与行对应的地区不同：；没有对应列的行 {}",
    "the weights frame's columns and rows name different regions: ; ": "权重表的列与行对应的地区不同：；",
    "the weights frame's columns and rows name different regions: rows without a column {}": "权重表的列与行对应的地区不同：没有对应列的行 {}",
    "the weights frame's columns and rows name different regions: ": "权重表的列与行对应的地区不同：",
    "give one column per region of the rows": "请为每一行的地区给出一列",
    "the neighbours of {} must be a list, got the text {}": "{} 的邻居必须是列表，实际为文本 {}",
    "write [..]": "请写成 [..]",
    "{} has {} neighbours but {} weights": "{} 有 {} 个邻居，但有 {} 个权重",
    "give one weight each": "请为每个邻居给出一个权重",
    "{} is listed as its own neighbour": "{} 被列为自身的邻居",
    "remove it from its own list": "请将其从自身的邻居列表中删除",
    "the weights matrix has a cell that is not a number": "权重矩阵有非数值单元格",
    "give numbers only": "请只填写数字",
    "the weights matrix has a cell that is not a number, or rows of unequal length": "权重矩阵有非数值单元格，或各行长度不等",
    "give an n × n matrix of numbers": "请给出 n × n 的数值矩阵",
    "the coordinates frame has no {} column ({})": "坐标表没有 {} 列（{}）",
    "name it with {}=": "请用 {}= 指定",
    "the capitals of {}": "{} 的省会",
    "regions {} and {} have the same coordinates, so their inverse distance is infinite": "地区 {} 与 {} 坐标相同，其距离倒数为无穷大",
    "correct the coordinates, or use binary weights (knn, distance_band)": "请更正坐标，或改用二值权重（knn、distance_band）",
    "{} has no column {} (columns: {})": "{}没有列 {}（现有列：{}）",
    "name the column with the matching keyword": "请用相应的关键字参数指定该列",
    "unknown metric {}": "未知的距离度量 {}",
    "region ids repeat in the coordinates: {}": "坐标中地区名称重复：{}",
    "the coordinates of {} are not a pair of numbers: {}": "{} 的坐标不是一对数字：{}",
    "give each region (x, y) as two numbers": "请为每个地区给出两个数字 (x, y)",
    "missing or infinite coordinates for {}": "{} 的坐标缺失或为无穷大",
    "give every region finite coordinates": "请为每个地区给出有限的坐标",
    "k must be a whole number from 1 to {} (one less than the regions), got {}": "k 必须是 1 到 {}（地区数减 1）之间的整数，实际为 {}",
    "choose fewer neighbours": "请选择更少的近邻数",
    "{} must be a positive number, got {}": "{} 必须是正数，实际为 {}",
    "a distance band of {}{} leaves {} region(s) without a neighbour: {}": "距离阈值 {}{} 使 {} 个地区没有邻居：{}",
    "use a threshold of at least {}{} (every region then has a neighbour), knn weights, or allow_islands=True": "请使用不小于 {}{} 的阈值（这样每个地区都有邻居）、改用 k 近邻权重，或设 allow_islands=True",
    "missing or infinite values for {}": "{} 的数值缺失或为无穷大",
    "give every region a finite value (e.g. its mean per-capita GDP over the period)": "请为每个地区给出有限的数值（如研究期内人均 GDP 的均值）",
    "the values and the coordinates name different regions: no value for {}; no coordinates for {}": "数值与坐标对应的地区不同：缺少数值的地区 {}；缺少坐标的地区 {}",
    "the values and the coordinates name different regions: no value for {}; ": "数值与坐标对应的地区不同：缺少数值的地区 {}；",
    "the values and the coordinates name different regions: no value for {}no coordinates for {}": "数值与坐标对应的地区不同：缺少数值的地区 {}缺少坐标的地区 {}",
    "the values and the coordinates name different regions: no value for {}": "数值与坐标对应的地区不同：缺少数值的地区 {}",
    "the values and the coordinates name different regions: ; no coordinates for {}": "数值与坐标对应的地区不同：；缺少坐标的地区 {}",
    "the values and the coordinates name different regions: ; ": "数值与坐标对应的地区不同：；",
    "the values and the coordinates name different regions: no coordinates for {}": "数值与坐标对应的地区不同：缺少坐标的地区 {}",
    "the values and the coordinates name different regions: ": "数值与坐标对应的地区不同：",
    "give one value for each region of the coordinates": "请为坐标中的每个地区给出一个数值",
    "regions {} and {} have the same value {}, so their economic distance weight 1/|ȳ_i − ȳ_j| is infinite": "地区 {} 与 {} 的数值相同（{}），其经济距离权重 1/|ȳ_i − ȳ_j| 为无穷大",
    "use values with more digits or a longer period's mean; regions with equal values cannot be weighted this way": "请使用更多位数的数值或更长时期的均值；数值相等的地区无法这样赋权",
    "phi must be between 0 and 1, got {}": "phi 必须介于 0 与 1 之间，实际为 {}",
    "φ is the geographic share": "φ 为地理距离所占的比重",
    "the edge list names regions not in ids: {}": "边列表中有不在 ids 中的地区：{}",
    "add them to ids": "请将它们加入 ids",
    "the link {} → {} is listed again (first in data row {})": "邻接关系 {} → {} 重复出现（首次出现在第 {} 个数据行）",
    "list each link once": "每个邻接关系只列一次",
    "a region id is missing": "缺少地区名称",
    "fill in every id": "请填写每个地区名称",
    "unknown contiguity rule {}": "未知的邻接规则 {}",
    "choose 'queen' or 'rook'": "请选择 'queen' 或 'rook'",
    "region ids repeat: {}": "地区名称重复：{}",
    "regions without a geometry: {}": "没有几何图形的地区：{}",
    "give each region its polygon": "请为每个地区给出其多边形",
    "the file holds no polygons": "文件中没有多边形",
    "the geometry frame holds no polygons": "几何表中没有多边形",
    "contiguity needs region polygons": "邻接权重需要地区的多边形",
    "no spatial weights given": "未给出空间权重",
    "give a built-in name ({}) or a file": "请给出内置名称（{}）或文件",
    "no spatial weights named '{}': not a built-in name and no such file": "没有名为“{}”的空间权重：既不是内置名称，也没有该文件",
    "give {}, a polygon file (.geojson, .shp, .gpkg) or an edge list (.csv: focal,neighbour[,weight])": "请给出 {}、面要素文件（.geojson、.shp、.gpkg）或边列表（.csv：focal,neighbour[,weight]）",
    "which column of the polygon file holds the region ids?": "面要素文件的哪一列是地区名称？",
    "name it (--weights-id COL on the command line, id= in Python)": "请指定该列（命令行用 --weights-id COL，Python 中用 id=；应用中填写“地区名称列”）",
    "the weights file has no name": "权重文件没有文件名",
    "give name= (its suffix says how to read it)": "请给出 name=（由后缀决定读取方式）",
    "unknown built-in weights {}": "未知的内置权重 {}",
    "the metric of {} is not known": "{} 的距离度量未知",
    "say metric='haversine' for (lon, lat) in degrees or metric='euclidean' for projected coordinates": "经纬度（度）请用 metric='haversine'，投影坐标请用 metric='euclidean'",
    "coordinates out of the range of degrees (lon, lat) for {}": "{} 的坐标超出经纬度（度）的范围",
    "give (lon, lat) in degrees, or metric='euclidean' for projected coordinates": "请以度为单位给出（经度，纬度），投影坐标请用 metric='euclidean'",
    "give the values as a mapping id → value, or a list with ids=, not both": "请以映射 id → 数值给出，或以列表加 ids= 给出，不要两者同时使用",
    "values given as a list need ids= (one region id per value)": "以列表给出的数值需要 ids=（每个数值一个地区名称）",
    "{} values but {} ids": "{} 个数值，但有 {} 个地区名称",
    "give one id per value": "请为每个数值给出一个地区名称",
    "a value is not a number": "有数值不是数字",
    "give one number per region": "请为每个地区给出一个数字",
    "missing or infinite weight": "权重缺失或为无穷大",
    "cannot read the file as geometry ({})": "无法将文件读取为几何数据（{}）",
    "give a GeoJSON, Shapefile (.shp with its .shx/.dbf) or GeoPackage": "请给出 GeoJSON、Shapefile（.shp 及其 .shx/.dbf）或 GeoPackage",
    "cannot read coordinates from a {}": "无法从 {} 读取坐标",
    "give a mapping id → (x, y), a frame with id/x/y columns, or {}": "请给出映射 id → (x, y)、含 id/x/y 列的表，或 {}",
    "a weight is not a number": "有权重不是数字",
    "the edge list has no column '{}'": "边列表没有“{}”列",
    "an edge list has the columns focal,neighbour[,weight] (a matrix: the region names down the first column and as the other columns' names); its columns: {}": "边列表应有 focal、neighbour[、weight] 列（矩阵则第一列为地区名，其余各列以地区名为列名）；现有列：{}",
    "unknown built-in regions {}": "未知的内置地区集 {}",
    "choose one of {}, or build the weights from a file (from_file) or coordinates (knn)": "请选择 {} 之一，或由文件（from_file）或坐标（knn）构建权重",
    "unknown names {}": "未知的名称类型 {}",
    "choose 'en' (NBS English) or 'zh' (Chinese)": "请选择 'en'（国家统计局英文名）或 'zh'（中文名）",
    "'{}' is constant{} ({} for every region), so {} is undefined": "“{}”为常数{}（每个地区均为 {}），{}无定义",
    "spatial autocorrelation needs values that vary across regions": "空间自相关需要在地区间有变化的数值",
    "{} needs at least {} regions with a neighbour{}, got {}": "{}至少需要 {} 个有邻居的地区{}，实际为 {} 个",
    "its variance divides by (n − 1)(n − 2)(n − 3): use more regions": "其方差的分母为 (n − 1)(n − 2)(n − 3)：请使用更多地区",
    "quadrants: {} values for weights over {} regions": "象限：有 {} 个数值，而权重覆盖 {} 个地区",
    "give one value per region of the weights, in their order": "请按权重中的地区顺序为每个地区给出一个数值",
    "{} {}(s) of the data are not in the map {}: {}": "数据中有 {0} 个{1}不在地图 {2} 中：{3}",
    "use the map's names (e.g. {}, or in Chinese), or pass geometry= a file that has them": "请使用地图中的名称（如 {}，或中文名），或用 geometry= 指定包含这些地区的地图文件",
    "{} and {} are both the map's region {}": "{} 与 {} 都对应地图中的地区 {}",
    "give each region one name in the data": "数据中每个地区请只用一个名称",
    "map file {} does not exist": "地图文件 {} 不存在",
    "give a GeoJSON, Shapefile or GeoPackage path": "请给出 GeoJSON、Shapefile 或 GeoPackage 的路径",
    "map {} has no column {} to name its regions": "地图 {} 没有用于命名地区的列 {}",
    "pass geometry_id= one of its columns: {}": "请用 geometry_id= 指定其中一列：{}",
    "map {} has regions without an area (no polygon): {}": "地图 {} 中有没有面积（非多边形）的地区：{}",
    "a map draws polygons: use a boundary file, not points or lines": "地图绘制多边形：请使用边界文件，而不是点或线",
    "projection={} is unknown": "未知的投影 projection={}",
    "use one of {}": "请使用以下之一：{}",
    "map {} names {} twice": "地图 {} 中 {} 出现两次",
    "give each region one row (dissolve its parts) or choose another geometry_id=": "每个地区请只占一行（合并其各部分），或另选 geometry_id=",
    "map data has no column {}": "地图数据没有列 {}",
    "name the columns with region=, year= and the value argument; it has {}": "请用 region=、year= 与数值参数指定列；现有列：{}",
    "a row of the map data has no region": "地图数据中有一行没有地区",
    "name the region of every row, or drop the row": "请为每行给出地区，或删除该行",
    "{} panels to draw; a map holds 1 to {}": "需要绘制 {} 个分图；一张地图可容纳 1 到 {} 个",
    "choose the years with years=[...]": "请用 years=[...] 选择年份",
    "lang={} is not a map language": "lang={} 不是地图支持的语言",
    "column {} holds {}, not a number": "列 {} 含有 {}，不是数字",
    "a choropleth draws numbers; draw categories with echelon_map": "分级设色图绘制数值；类别请用 echelon_map 绘制",
    "column {} holds {}": "列 {} 含有 {}",
    "map finite values only": "只能绘制有限数值",
    "the map data has no value to classify": "地图数据没有可分级的数值",
    "give at least one non-null value": "请至少给出一个非空数值",
    "scheme={} is unknown": "未知的分级方法 scheme={}",
    "use one of {} or bins=": "请使用 {} 之一或 bins=",
    "k={} classes of {} distinct value(s)": "k={} 个分级，但只有 {} 个不同的值",
    "use 2 <= k <= {}": "请使用 2 <= k <= {}",
    "a map of classes needs two distinct values": "分级地图至少需要两个不同的值",
    "categories {} of column {} are not in order=": "列 {1} 的类别 {0} 不在 order= 中",
    "list every category in order=": "请在 order= 中列出每个类别",
    "colours= holds {}, not colours": "colours= 含有 {}，不是颜色",
    "use names or #rrggbb": "请使用颜色名或 #rrggbb",
    "column {} holds {}, not a LISA cluster": "列 {} 含有 {}，不是 LISA 集聚类型",
    "use HH, LH, LL, HL or ns (not significant), or esda's codes 1-4 and 0": "请使用 HH、LH、LL、HL 或 ns（不显著），或 esda 的编码 1-4 与 0",
    "reading a map file needs geopandas": "读取地图文件需要 geopandas",
    "cannot read map file {} ({})": "无法读取地图文件 {}（{}）",
    "map {} has projected coordinates and no CRS, so it cannot be re-projected": "地图 {} 为投影坐标且没有坐标参考系，无法重新投影",
    "pass projection='none' to draw it as it is, or give the file its CRS (.prj)": "请用 projection='none' 按原样绘制，或为文件提供坐标参考系（.prj）",
    "geometry={} is no built-in map": "geometry={} 不是内置地图",
    "use one of {} or a GeoJSON/Shapefile/GeoPackage path": "请使用 {} 之一，或 GeoJSON/Shapefile/GeoPackage 的路径",
    "geometry= cannot be a {}": "geometry= 不能是 {}",
    "give a built-in map name, a map file path or a geopandas GeoDataFrame": "请给出内置地图名、地图文件路径或 geopandas GeoDataFrame",
    "year(s) {} are not in column {}": "年份 {} 不在列 {} 中",
    "choose among {}": "请从以下选择：{}",
    "region {} has two rows{}": "地区 {} 有两行{}",
    "give one row per region (and per year with year=)": "每个地区（给出 year= 时每个地区每年）只能有一行",
    "format {} is not a map format": "{} 不是地图格式",
    "use svg, png or pdf": "请使用 svg、png 或 pdf",
    "bins={} are not finite numbers": "bins={} 不是有限数值",
    "give increasing upper bounds": "请给出递增的上界",
    "cmap={} is no matplotlib colormap": "cmap={} 不是 matplotlib 色带",
    "e.g. YlOrRd, Blues, viridis": "例如 YlOrRd、Blues、viridis",
    "colours= has no colour for {}": "colours= 中没有 {} 的颜色",
    "give every category a colour": "请为每个类别给出颜色",
    "colours= has {} colours for {} categories": "colours= 有 {} 种颜色，但有 {} 个类别",
    "give one colour per category of order=": "请为 order= 中的每个类别给出一种颜色",
    "w must be nqpf.spatial.SpatialWeights, got {}": "w 必须是 nqpf.spatial.SpatialWeights，实际为 {}",
    "build it with nqpf.spatial.contiguity(...), from_neighbours(...) or from_file(...)": "请用 nqpf.spatial.contiguity(...)、from_neighbours(...) 或 from_file(...) 构建",
    "the first line of a GeoDa weights file is not its header": "GeoDa 权重文件的第一行不是文件头",
    "a .gal/.gwt file starts with the number of regions (or '0 n shapefile id')": ".gal/.gwt 文件以地区数开头（或 '0 n shapefile id'）",
    "a .gal region line must be 'id k' (the region and its number of neighbours)": ".gal 文件的地区行必须是 'id k'（地区及其邻居数）",
    "check the file: each region has a line 'id k', then a line of its k neighbours": "请检查文件：每个地区先有一行 'id k'，再有一行列出其 k 个邻居",
    "the header says {} regions but the file lists {}": "文件头为 {} 个地区，但文件列出了 {} 个",
    "give each region its two lines": "请为每个地区给出其两行",
    "region '{}' has {} neighbours in its line but {} are listed": "地区“{}”所在行写有 {} 个邻居，但列出了 {} 个",
    "list the k neighbours on the line after 'id k'": "请在 'id k' 的下一行列出 k 个邻居",
    "a .gwt line must be 'focal neighbour weight'": ".gwt 文件的每行必须是 'focal neighbour weight'",
    "one link a line: the two region ids and a number": "每行一个邻接关系：两个地区名称和一个数值",
    # end of spatial: nqpf.spatial.*
    # inequality, geodetect (issue 15: the inequality and geodetector page's modules)
    "only {} unit(s){}; this measure needs at least {}": "只有 {} 个单元{}；该指标至少需要 {} 个",
    "drop that year or add units": "请删去该年份或增加单元",
    "the mean is 0{}": "均值为 0{}",
    "inequality needs a mean > 0": "不平等指标需要均值 > 0",
    "the n/(n − 1) correction applies to the plain Gini (nu = 2, no group)": "n/(n − 1) 修正只适用于普通基尼系数（nu = 2、不分组）",
    "drop correction, or nu and group": "请取消修正，或取消 nu 与分组",
    "components must be a list of at least 2 column names": "分项必须是至少 2 个列名的列表",
    "e.g. components=['economy', 'society']": "例如 components=['economy', 'society']",
    "a source decomposition needs at least 2 components": "来源分解至少需要 2 个分项",
    "measure {} takes one value column": "指标 {} 只接受一个数值列",
    "e.g. --value score": "例如 --value score",
    "{} needs positive values, but {} has {}": "{} 需要正值，但{}的值为 {}",
    "drop or replace that value, shift the index (e.g. score + 0.01), or use a measure that admits zeros (Theil T, GE(α > 0), Atkinson ε < 1, Gini)": "请删除或替换该值、平移指数（如 score + 0.01），或改用允许零值的指标（泰尔 T、GE(α > 0)、阿特金森 ε < 1、基尼系数）",
    "group '{}' has one unit{}; a within-group measure needs at least 2": "分组“{}”只有一个单元{}；组内指标至少需要 2 个",
    "merge the group with another or drop it": "请将该组与其他组合并或删去",
    "group '{}' has mean 0 or total weight 0{}": "分组“{}”的均值或总权重为 0{}",
    "drop the group or give its units positive values and weights": "请删去该组，或为其单元给出正的数值与权重",
    "a decomposition by dimension needs at least 2 dimensions; the index has {}": "按维度分解至少需要 2 个维度；该指数只有 {} 个",
    "give the indicators two or more dimensions in the spec": "请在指标体系中为指标设置两个或更多维度",
    "the sd method cannot place {} strata": "标准差法无法划分 {} 个层",
    "natural breaks need {} distinct values": "自然断点法需要 {} 个不同的值",
    "geometric intervals need values ≥ 0": "几何间隔法需要 ≥ 0 的值",
    "unknown discretisation method {}": "未知的离散化方法 {}",
    "use {}": "请使用 {}",
    "factor '{}': no discretisation gives strata of ≥ 2 units each": "因子“{}”：没有一种离散化能使每层至少含 2 个单元",
    "use fewer breaks (min_breaks=2) or declare it categorical": "请减少分级数（最小分级数 2）或将其设为类别型因子",
    "factor '{}' has fewer than 2 strata": "因子“{}”的层数少于 2（取值为常数）",
    "a factor must split the units into at least 2 strata": "因子必须把单元分成至少 2 层",
    "factor '{}': stratum '{}' holds one unit": "因子“{}”：层“{}”只含一个单元",
    "merge it with a neighbouring stratum, or use fewer breaks": "请将其与相邻层合并，或减少分级数",
    "factors= must name at least one column": "factors= 必须至少给出一列",
    "e.g. factors=['x1', 'x2']": "例如 factors=['x1', 'x2']",
    "factors= repeat a column or include y": "factors= 中有重复的列或包含了 y",
    "name each factor once": "每个因子只列一次",
    "factor '{}' has missing values": "因子“{}”有缺失值",
    "y '{}' is constant over the {} units": "因变量“{}”在 {} 个单元上为常数",
    "the geodetector needs at least 3 units, got {}": "地理探测器至少需要 3 个单元，实际只有 {} 个",
    "q compares y's variance within strata with its total variance": "q 比较的是因变量层内方差与总方差",
    "at= needs year=": "at= 需要同时给出 year=",
    "name the year column": "请指定年份列",
    "no rows with {} = {}": "没有 {} = {} 的行",
    "at={} cannot be compared with column '{}'": "at={} 无法与列“{}”比较",
    "give at= a value of the year column's type": "请为 at= 给出与年份列类型一致的值",
    "factor '{}': {}": "因子“{}”：{}",
    "use another discretization or fewer breaks": "请换一种离散化方法或减少分级数",
    # end of inequality, geodetect
    # coupling, multiverse (issue 15: the coupling and robustness page's modules)
    "systems= must be a list of column names (or a mapping system → indicators)": "systems= 必须是列名列表（或子系统 → 指标的映射）",
    "e.g. systems=['nqpf', 'digital', 'green']": "例如 systems=['nqpf', 'digital', 'green']",
    "alpha names an unknown system {}": "alpha 指定了不存在的子系统 {}",
    "alpha gives no weight to system {}": "alpha 未给子系统 {} 指定权重",
    "alpha has {} values for {} systems": "alpha 有 {} 个值，而子系统有 {} 个",
    "give one α per system, in order: {}": "请按顺序为每个子系统给出一个 α：{}",
    "give one α per system: {}": "请为每个子系统给出一个 α：{}",
    "every system is 0 for {}={}, {}={} ({} region-year(s)), so C = 0/0 is undefined": "{}={}、{}={} 的所有子系统均为 0（共 {} 个地区-年份），C = 0/0 无定义",
    "drop those rows, shift the scores above 0 (the index's shift a), or pass zeros='zero' to count them as C = D = 0": "请删除这些行、把得分平移到 0 以上（指数的平移量 a），或选择 zeros='zero' 记为 C = D = 0",
    "coupling needs at least 2 systems, got {}": "耦合至少需要 2 个子系统，当前为 {} 个",
    "name ≥ 2 score columns: systems=['a', 'b']": "请指定至少 2 个得分列：systems=['a', 'b']",
    "a system is named twice": "某个子系统被指定了两次",
    "name each system's column once": "每个子系统的列只能指定一次",
    "pass the systems' scores": "请传入各子系统的得分",
    "the index has {} dimension, so there is nothing to couple": "指数只有 {} 个维度，无可耦合的子系统",
    "give the index a spec with ≥ 2 dimensions, or name systems=[...]": "请给指数至少 2 个维度的指标体系，或指定 systems=[...]",
    "subsystem '{}' has {} indicator ('{}')": "子系统“{}”只有 {} 个指标（“{}”）",
    "subsystem '{}' has {} indicator": "子系统“{}”只有 {} 个指标",
    "an index of one indicator is only its rescaled value: give the subsystem ≥ 2 indicators, or pass its score as a column in systems=[...]": "单一指标的指数只是该指标的缩放值：请给该子系统至少 2 个指标，或把其得分作为一列传入 systems=[...]",
    "score {} of system '{}' is outside [0, 1]": "子系统“{1}”的得分 {0} 超出 [0, 1]",
    "coupling needs subsystem scores in [0, 1]: use index scores or min–max standardise the column": "耦合需要 [0, 1] 内的子系统得分：请使用指数得分，或对该列做极差标准化",
    "an index result has its own region and year columns": "指数结果自带地区与年份列",
    "leave region= and year= out": "请不要指定 region= 与 year=",
    "no systems given": "未指定子系统",
    "system '{}' has the name of a key column": "子系统“{}”与键列同名",
    "rename the system or the region/year/group column": "请重命名该子系统或地区/年份/分组列",
    "kendall_tau_matrix needs a 2-D array, got shape {}": "kendall_tau_matrix 需要二维数组，当前形状为 {}",
    "kendall_tau_matrix takes at most 2**24 rows, got {}": "kendall_tau_matrix 最多接受 2**24 行，当前为 {}",
    "spearman_rho_matrix needs a 2-D array, got shape {}": "spearman_rho_matrix 需要二维数组，当前形状为 {}",
    "grid key {} must be an option name": "方案网格的键 {} 必须是选项名",
    "e.g. grid={{'weights': ['entropy', 'critic']}}": "例如 grid={{'weights': ['entropy', 'critic']}}",
    "grid option '{}' cannot vary: {}": "方案网格中的选项“{}”不能变化：{}",
    "give {}= as an option of the call instead": "请改为在调用中给出 {}=",
    "grid option '{}' has no values": "方案网格中的选项“{}”没有取值",
    "give at least one, e.g. {}=[{}], or leave it out": "请至少给出一个取值，如 {}=[{}]，或不列出该选项",
    "grid must be a mapping option name → list of values, got {}": "方案网格必须是“选项名 → 取值列表”的映射，当前为 {}",
    "e.g. grid={{'weights': ['entropy', 'critic'], 'scope': ['panel', 'year']}}": "例如 grid={{'weights': ['entropy', 'critic'], 'scope': ['panel', 'year']}}",
    "no variant of the grid can be run on this panel (first refusal: {})": "方案网格中没有可在此面板上运行的方案（第一个被拒的原因：{}）",
    "choose other grid values": "请选择其他网格取值",
    "the group column '{}' has missing values": "分组列“{}”有缺失值",
    "give every region a group": "请为每个地区指定分组",
    "dagum={} is not a column of the panel": "dagum={} 不是面板中的列",
    "give True (by echelons), False, or the name of a group column": "请给出 True（按梯队）、False 或分组列的名称",
    "grid option '{}': {}": "方案网格选项“{}”：{}",
    # end of coupling, multiverse
    # project (the project file) (issue 15: the project page's modules)
    "a project file cannot hold a {} value": "项目文件不能保存 {} 类型的值",
    "[data] exclude must be a list of region names": "[data] exclude 必须是地区名称的列表",
    'e.g. exclude = ["全国"]': '例如 exclude = ["全国"]',
    "give texts, numbers, true/false, lists or tables": "请给出文本、数字、true/false、列表或表",
    "is a directory, not a project file": "是文件夹，不是项目文件",
    "project file not found": "找不到项目文件",
    "give the path of a project .toml file": "请给出项目 .toml 文件的路径",
    "the key {} is not text": "键 {} 不是文本",
    "name every entry with a text": "请用文本命名每一项",
    "a project file cannot hold an empty value (None) inside a list or table": (
        "项目文件的列表或表中不能有空值（None）"
    ),
    "give every entry a value": "请为每一项给出值",
    "unknown options family [options.{}]": "未知的选项类别 [options.{}]",
    "did you mean [options.{}]? families: {}": "是否想写 [options.{}]？可用类别：{}",
    "families: {}": "可用类别：{}",
    "[{}] {}={} must be a non-empty text": "[{}] 中 {}={} 必须是非空文本",
    'e.g. {} = "name"': '如 {} = "name"',
    "[{}] must be a table": "[{}] 必须是表",
    "write it as a [{}] section": "请写成 [{}] 节",
    "[options.{}] must be a table": "[options.{}] 必须是表",
    "write it as an [options.{}] section": "请写成 [options.{}] 节",
    "nqpf={} must be a version text": "nqpf={} 必须是版本号文本",
    'e.g. nqpf = "0.1.0"': '如 nqpf = "0.1.0"',
    "format={} is not a project format number": "format={} 不是项目文件格式编号",
    "format = 1": "请写 format = 1",
    "the project file has format {}, newer than this nqpf reads ({})": (
        "项目文件的格式为 {}，比当前 nqpf 能读取的格式（{}）更新"
    ),
    "upgrade nqpf (pip install -U nqpf)": "请升级 nqpf（pip install -U nqpf）",
    "the project file has no [data] section": "项目文件缺少 [data] 节",
    "name the data's file": "请写明数据文件名",
    "[data] has no file": "[data] 中缺少 file",
    'name the data file, e.g. file = "panel.csv"': '请写明数据文件，如 file = "panel.csv"',
    "the project file has no [[indicator]] tables": "项目文件中没有 [[indicator]] 表",
    "indicator must be [[indicator]] tables": "indicator 必须是 [[indicator]] 表",
    "the whole number {} is too large for a project file": "整数 {} 太大，项目文件无法保存",
    "use a number below 2^63": "请使用小于 2^63 的数",
    "[data] builtin={} must be true or false": "[data] 中 builtin={} 必须是 true 或 false",
    "[data] sha256={} is not a SHA-256 fingerprint": "[data] 中 sha256={} 不是 SHA-256 指纹",
    "64 lowercase hexadecimal digits, as the project was saved with (or leave sha256 out "
    "to read the data unchecked)": (
        "应为保存项目时写入的 64 位小写十六进制数字（或删去 sha256，不检查数据）"
    ),
    "[run] rule={} is not a contiguity rule": "[run] 中 rule={} 不是邻接规则",
    "use queen or rook": "请使用 queen 或 rook",
    "[run] geodetector_factors must be a list of column names": (
        "[run] 中 geodetector_factors 必须是列名的列表"
    ),
    'e.g. geodetector_factors = ["gdp", "rd"]': '如 geodetector_factors = ["gdp", "rd"]',
    "[run] validate={} must be true or false": "[run] 中 validate={} 必须是 true 或 false",
    "a project file must end in .toml": "项目文件名必须以 .toml 结尾",
    "e.g. project.toml": "如 project.toml",
    "cannot write the project file ({})": "无法写入项目文件（{}）",
    "the data file has changed since the project was saved (its SHA-256 fingerprint "
    "differs)": "数据文件在保存项目之后已被修改（其 SHA-256 指纹不同）",
    "give the file the project was saved with (--data FILE), or run with "
    "--allow-changed-data to use this one (then save the project again)": (
        "请给出保存项目时所用的文件（--data FILE），或加 --allow-changed-data 使用此文件"
        "（之后请重新保存项目）"
    ),
    "this nqpf ships other default data: save the project again": (
        "当前 nqpf 自带的默认数据已不同：请重新保存项目"
    ),
    "upload the file the project was saved with, or open the file on the Data page and "
    "save a new project": "请上传保存项目时所用的文件，或在“数据”页打开该文件并保存新的项目",
    "the project's data file was not found": "找不到项目的数据文件",
    "put it beside the project file as [data] file names it, or give its path with "
    "--data FILE": "请按 [data] 中 file 的名称将其放在项目文件旁，或用 --data FILE 给出路径",
    "option {} of [options.{}] is a random generator, which a project file cannot hold": (
        "[options.{1}] 的选项 {0} 是随机数生成器，项目文件无法保存"
    ),
    "give a whole-number seed instead": "请改为给出整数种子",
    "unknown key '{}' in [{}]": "[{1}] 中有未知的键“{0}”",
    "did you mean '{}'? keys: {}": "是否想写“{}”？可用的键：{}",
    "keys: {}": "可用的键：{}",
    "unknown section or key '{}' at the top of the project file": "项目文件顶层有未知的节或键“{}”",
    "a project file has: nqpf, format, [data], [run], [options.<family>], [app] and "
    "[[indicator]]": "项目文件包含：nqpf、format、[data]、[run]、[options.<类别>]、[app] 与 [[indicator]]",
    "[data] {}": "[data] 节：{}",
    "[options.{}] {}": "[options.{}] 节：{}",
    "the text {} holds a lone surrogate, which a project file cannot hold": (
        "文本 {} 含有孤立的代理字符，项目文件无法保存"
    ),
    "remove the broken character from the name": "请从名称中删去损坏的字符",
    "there is no data to save yet": "还没有可保存的数据",
    "[run] weights_sha256={} is not a SHA-256 fingerprint": "[run] weights_sha256={} 不是 SHA-256 指纹",
    "64 lowercase hexadecimal digits (or leave weights_sha256 out to read the weights file "
    "unchecked)": "应为 64 位小写十六进制数字（或删去 weights_sha256，不校验权重文件）",
    "[run] weights_k={} must be a whole number of at least 1": "[run] weights_k={} 必须是不小于 1 的整数",
    "the number of nearest neighbours, e.g. weights_k = 4": "即最近邻个数，如 weights_k = 4",
    "the spatial weights file has changed since the project was saved (its SHA-256 "
    "fingerprint differs)": "空间权重文件在保存项目之后已被修改（其 SHA-256 指纹不同）",
    "give the weights file the project was saved with, or run with --allow-changed-data to "
    "use this one (then save the project again)": (
        "请给出保存项目时所用的权重文件，或加 --allow-changed-data 使用此文件（之后请重新保存项目）"
    ),
    "upload the weights file the project was saved with, or upload another one on the "
    "Spatial page and save a new project": (
        "请上传保存项目时所用的权重文件，或在“空间”页上传其他文件并保存新的项目"
    ),
    "[run] {}={} must be true or false": "[run] {}={} 必须为 true 或 false",
    "[run] weights_kind={} is not a built-in weights kind": "[run] weights_kind={} 不是内置权重的类型",
    "[run] weights_kind needs spatial_weights (the built-in regions)": (
        "[run] weights_kind 需要 spatial_weights（内置区域）"
    ),
    'e.g. spatial_weights = "china-provinces"': '如 spatial_weights = "china-provinces"',
    "[run] {}={} must be a positive number": "[run] {}={} 必须为正数",
    "e.g. {} = 1.0": "如 {} = 1.0",
    "e.g. {} = 1500.0": "如 {} = 1500.0",
    "[run] weights_kind builds built-in weights, but spatial_weights names the file '{}'": (
        "[run] weights_kind 用于构建内置权重，但 spatial_weights 指向文件“{}”"
    ),
    "name the built-in regions ({}) or drop weights_kind": "请写内置区域（{}），或删去 weights_kind",
    "the project's spatial weights file was not found": "找不到项目的空间权重文件",
    "put it beside the project file as [run] spatial_weights names it": (
        "请按 [run] 中 spatial_weights 的名称将其放在项目文件旁"
    ),
    "choose the data on the Data page": "请在“数据”页选择数据",
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
    # spatial: what the weights' alignment names (the data, the subset)
    "the data": "数据",
    "the subset": "子集",
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
    # crossval/routines/density.py (stats::density)
    "curves by {} (one density() each)": "按 {} 分的各条曲线（每条调用一次 density()）",
    "reflected at [{}, {}]: R's density of c(x, 2a − x, 2b − x), weights 1/n, on [a, b]": (
        "在 [{}, {}] 处反射：R 对 c(x, 2a − x, 2b − x)（权重 1/n）求 density，限于 [a, b]"
    ),
    "R's bandwidth: {} on each curve": "R 的带宽：各曲线分别用 {}",
    "{} grid": "网格：{}",
    "not applicable: the given grid is not evenly spaced (R's density() evaluates on "
    "seq(from, to, length.out = n) only)": (
        "不适用：给定网格不等距（R 的 density() 只在 seq(from, to, length.out = n) 上求值）"
    ),
    "tolerance pointwise: 2·((n + 3)ε + (nεκ)² + 6ε·max|x|/IQR + 4ε) of h": (
        "逐点容差：h 的 2·((n + 3)ε + (nεκ)² + 6ε·max|x|/IQR + 4ε)"
    ),
    "tolerance pointwise: 4ε·max|g| + 2ε(max|x| + 2cut·h) + cut·(h's bound)": (
        "逐点容差：4ε·max|g| + 2ε(max|x| + 2cut·h) + cut·（h 的误差界）"
    ),
    "tolerance pointwise: R's linear binning and interpolation δ²/8·Σw·sup|K''| each, its "
    "kernel grid's scale, the copies it drops, FFT rounding (from h, δ and n)": (
        "逐点容差：R 的线性分箱与线性插值各 δ²/8·Σw·sup|K''|、其核网格的比例、"
        "超出分箱范围的副本、FFT 舍入误差（由 h、δ 与 n 计算）"
    ),
    "tolerance pointwise: 2Σwφ(u)(3ε|u|(|g| + |x'|)/h + 2ε) + 2(N + 2)ε·f̂ + (h's bound)·|∂f̂/∂h|": (
        "逐点容差：2Σwφ(u)(3ε|u|(|g| + |x'|)/h + 2ε) + 2(N + 2)ε·f̂ + （h 的误差界）·|∂f̂/∂h|"
    ),
    # end of crossval/routines/density.py
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
