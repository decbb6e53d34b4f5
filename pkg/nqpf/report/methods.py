"""The methods appendix of a report, generated from the options actually used.

:func:`methods_steps` turns the options of each analysis a report ran — the index
(:class:`~nqpf.options.IndexOptions`: standardisation, shift, weights, scope, TOPSIS
normalisation, ideal points, weighting), the echelons (:class:`~nqpf.options.EchelonOptions`),
the Dagum decomposition (:class:`~nqpf.options.DagumOptions`), σ- and β-convergence, the
Markov chain (:class:`~nqpf.options.MarkovOptions`), the Phillips–Sul clubs
(:class:`~nqpf.options.ClubOptions`), the kernel density and the obstacle degree — into
:class:`Step` items: the step, the variant chosen (with its parameters), its formulas
(each as LaTeX math and as plain Unicode) and the reference, in English or Chinese.
The writers: :func:`methods_text` (plain Unicode, for Markdown and HTML),
:func:`methods_latex` (a LaTeX fragment with the formulas in math mode) and
:func:`methods_frame` (a table, one row per step, for every table format).

The formulas are those of docs/methods.md (§1 Dagum, §2 index, §3 echelons, §4 dynamics,
§5 obstacle degree) and of the modules' docstrings; the references are the list at the
end of docs/methods.md. Nothing here computes: a step describes an option's value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from nqpf.errors import InputError
from nqpf.formats import latex_escape
from nqpf.options import (
    ClubOptions,
    CouplingOptions,
    DagumOptions,
    EchelonOptions,
    IndexOptions,
    MarkovOptions,
    Options,
    SpatialOptions,
)
from nqpf.translations import LANGUAGES as LANGUAGES  # the report's (one declaration)


@dataclass(frozen=True)
class Formula:
    """One formula, as LaTeX math (without ``$``) and as plain Unicode text."""

    latex: str
    text: str


@dataclass(frozen=True)
class Step:
    """One step of the methods: what is done, the variant chosen, its formulas and the
    reference (all in one language)."""

    step: str
    method: str
    formulas: tuple[Formula, ...]
    reference: str = ""


#: The references cited, as in the list of docs/methods.md.
REFERENCES: dict[str, str] = {
    "bickenbach2003": "Bickenbach, F. and Bode, E. (2003). Evaluating the Markov property in "
    "studies of economic convergence. International Regional Science Review 26(3), 363–392.",
    "croissant2008": "Croissant, Y. and Millo, G. (2008). Panel data econometrics in R: the "
    "plm package. Journal of Statistical Software 27(2), 1–43.",
    "kullback1962": "Kullback, S., Kupperman, M. and Ku, H. H. (1962). Tests for contingency "
    "tables and Markov chains. Technometrics 4(4), 573–608.",
    "rey2014": "Rey, S. J. (2014). Rank-based Markov chains for regional income distribution "
    "dynamics. Journal of Geographical Systems 16(2), 115–137.",
    "andrews1991": "Andrews, D. W. K. (1991). Heteroskedasticity and autocorrelation "
    "consistent covariance matrix estimation. Econometrica 59(3), 817–858.",
    "barro1992": "Barro, R. J. and Sala-i-Martin, X. (1992). Convergence. Journal of "
    "Political Economy 100(2), 223–251.",
    "barro2004": "Barro, R. J. and Sala-i-Martin, X. (2004). Economic Growth, 2nd ed. "
    "MIT Press, ch. 11.",
    "cameron2015": "Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to "
    "cluster-robust inference. Journal of Human Resources 50(2), 317–372.",
    "dagum1997": "Dagum, C. (1997). A new approach to the decomposition of the Gini income "
    "inequality ratio. Empirical Economics 22(4), 515–531.",
    "diakoulaki1995": "Diakoulaki, D., Mavrotas, G. and Papayannakis, L. (1995). Determining "
    "objective weights in multiple criteria problems: the CRITIC method. Computers & "
    "Operations Research 22(7), 763–770.",
    "efron1993": "Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap. "
    "Chapman & Hall, ch. 13.",
    "fisher1958": "Fisher, W. D. (1958). On grouping for maximum homogeneity. Journal of the "
    "American Statistical Association 53(284), 789–798.",
    "guo1998": "Guo Xianguang 郭显光 (1998). 改进的熵值法及其在经济效益评价中的应用. "
    "《系统工程理论与实践》 18(12), 98–102.",
    "hodrick1997": "Hodrick, R. J. and Prescott, E. C. (1997). Postwar U.S. business cycles: "
    "an empirical investigation. Journal of Money, Credit and Banking 29(1), 1–16.",
    "theil1967": "Theil, H. (1967). Economics and Information Theory. North-Holland.",
    "shorrocks1980": "Shorrocks, A. F. (1980). The class of additively decomposable "
    "inequality measures. Econometrica 48(3), 613–625.",
    "lerman1985": "Lerman, R. I. and Yitzhaki, S. (1985). Income inequality effects by "
    "income source: a new approach and applications to the United States. Review of "
    "Economics and Statistics 67(1), 151–156.",
    "wang2010gd": "Wang, J.-F., Li, X.-H., Christakos, G., Liao, Y.-L., Zhang, T., Gu, X. "
    "and Zheng, X.-Y. (2010). Geographical detectors-based health risk assessment and its "
    "application in the neural tube defects study of the Heshun Region, China. "
    "International Journal of Geographical Information Science 24(1), 107–127.",
    "wang2016gd": "Wang, J.-F., Zhang, T.-L. and Fu, B.-J. (2016). A measure of spatial "
    "stratified heterogeneity. Ecological Indicators 67, 250–256.",
    "quah1997": "Quah, D. T. (1997). Empirics for growth and distribution: stratification, "
    "polarization, and convergence clubs. Journal of Economic Growth 2(1), 27–59.",
    "hyndman1996cde": "Hyndman, R. J., Bashtannyk, D. M. and Grunwald, G. K. (1996). "
    "Estimating and visualizing conditional densities. Journal of Computational and "
    "Graphical Statistics 5(4), 315–336.",
    "deng1982": "Deng Julong (1982). Control problems of grey systems. Systems & Control "
    "Letters 1(5), 288–294.",
    "sun2005": "Sun Xiaodong 孙晓东, Jiao Yue 焦玥 and Hu Jinsong 胡劲松 (2005). "
    "基于灰色关联度和理想解法的决策方法研究. 《中国管理科学》 13(4), 63–68.",
    "hwang1981": "Hwang, C.-L. and Yoon, K. (1981). Multiple Attribute Decision Making: "
    "Methods and Applications. Springer.",
    "hyndman1996": "Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical "
    "packages. The American Statistician 50(4), 361–365.",
    "islam1995": "Islam, N. (1995). Growth empirics: a panel data approach. Quarterly "
    "Journal of Economics 110(4), 1127–1170.",
    "jenks1971": "Jenks, G. F. and Caspall, F. C. (1971). Error on choroplethic maps: "
    "definition, measurement, reduction. Annals of the Association of American Geographers "
    "61(2), 217–244.",
    "jiang2013": "Jiang, B. (2013). Head/tail breaks: a new classification scheme for data "
    "with a heavy-tailed distribution. The Professional Geographer 65(3), 482–494.",
    "jenks1977": "Jenks, G. F. (1977). Optimal Data Classification for Choropleth Maps. "
    "Occasional Paper No. 2, Department of Geography, University of Kansas.",
    "anselin1995": "Anselin, L. (1995). Local indicators of spatial association — LISA. "
    "Geographical Analysis 27(2), 93–115.",
    "lloyd1982": "Lloyd, S. P. (1982). Least squares quantization in PCM. IEEE Transactions "
    "on Information Theory 28(2), 129–137.",
    "moran1950": "Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. "
    "Biometrika 37(1–2), 17–23.",
    "phillips2007": "Phillips, P. C. B. and Sul, D. (2007). Transition modeling and "
    "econometric convergence tests. Econometrica 75(6), 1771–1855.",
    "phillips2009": "Phillips, P. C. B. and Sul, D. (2009). Economic transition and growth. "
    "Journal of Applied Econometrics 24(7), 1153–1185.",
    "quah1993": "Quah, D. (1993). Empirical cross-section dynamics in economic growth. "
    "European Economic Review 37(2–3), 426–434.",
    "rey2001": "Rey, S. J. (2001). Spatial empirics for economic growth and convergence. "
    "Geographical Analysis 33(3), 195–214.",
    "sala1996": "Sala-i-Martin, X. (1996). The classical approach to convergence analysis. "
    "The Economic Journal 106(437), 1019–1036.",
    "shannon1948": "Shannon, C. E. (1948). A mathematical theory of communication. Bell "
    "System Technical Journal 27, 379–423 and 623–656.",
    "sichera2019": "Sichera, R. and Pizzuto, P. (2019). ConvergenceClubs: a package for "
    "performing the Phillips and Sul's club convergence clustering procedure. The R "
    "Journal 11(2), 142–151.",
    "vonlyncker2017": "von Lyncker, K. and Thoennessen, R. (2017). Regional club "
    "convergence in the EU: evidence from a panel data analysis. Empirical Economics "
    "52(2), 525–553.",
    "schuster1985": "Schuster, E. F. (1985). Incorporating support constraints into "
    "nonparametric estimators of densities. Communications in Statistics — Theory and "
    "Methods 14(5), 1123–1136.",
    "silverman1986": "Silverman, B. W. (1986). Density Estimation for Statistics and Data "
    "Analysis. Chapman & Hall, ch. 2–3.",
    "liao1999": "Liao Chongbin 廖重斌 (1999). 环境与经济协调发展的定量评判及其分类体系——"
    "以珠江三角洲城市群为例. 《热带地理》 19(2), 171–177.",
    "wang2021": "Wang Shujia 王淑佳, Kong Wei 孔伟, Ren Liang 任亮, Zhi Dandan 治丹丹 and "
    "Dai Binting 戴彬婷 (2021). 国内耦合协调度模型的误区及修正. 《自然资源学报》 36(3), "
    "793–810.",
    "yang2015": "Yang Li 杨丽 and Sun Zhichun 孙之淳 (2015). 基于熵值法的西部新型城镇化"
    "发展水平测评. 《经济问题》.",
    # the weighting families (issue 13; nqpf.weights)
    "wang2010": "Wang, Y.-M. and Luo, Y. (2010). Integration of correlations with standard "
    "deviations for determining attribute weights in multiple attribute decision making. "
    "Mathematical and Computer Modelling 51(1–2), 1–12.",
    "keshavarz2021": "Keshavarz-Ghorabaee, M., Amiri, M., Zavadskas, E. K., Turskis, Z. and "
    "Antucheviciene, J. (2021). Determination of objective weights using a new method based "
    "on the removal effects of criteria (MEREC). Symmetry 13(4), 525.",
    "zavadskas2016": "Zavadskas, E. K. and Podvezko, V. (2016). Integrated determination of "
    "objective criteria weights in MCDM. International Journal of Information Technology & "
    "Decision Making 15(2), 267–283.",
    "baczkiewicz2021": "Bączkiewicz, A., Wątróbski, J., Kizielewicz, B. and Sałabun, W. "
    "(2021). Towards reliable results — a comparative analysis of selected MCDA techniques "
    "in the camera selection problem. In Information Technology for Management: Business "
    "and Social Issues, Springer LNBIP 442, 143–165.",
    "shuai2012": "Shuai, D., Zongzhun, Z., Yongji, W. and Lei, L. (2012). A new angular "
    "method to determine the objective weights. 24th Chinese Control and Decision "
    "Conference (CCDC), 3889–3892.",
    "guo2002": "Guo Yajun 郭亚军 (2002). 一种新的动态综合评价方法. 《管理科学学报》 5(2), 49–54.",
    "saaty1977": "Saaty, T. L. (1977). A scaling method for priorities in hierarchical "
    "structures. Journal of Mathematical Psychology 15(3), 234–281.",
}

# A text in both languages: (English, Chinese).
Pair = tuple[str, str]


def _f(latex: str, text: str) -> Formula:
    return Formula(latex, text)


#: Standardisation (docs/methods.md §2.2), by `standardization`.
_STANDARDISATION: dict[str, tuple[Pair, tuple[Formula, ...], str]] = {
    "minmax": (
        ("min–max (range) standardisation", "极差标准化"),
        (
            _f(
                r"x'_{rj}=\frac{x_{rj}-\min_j}{\max_j-\min_j}\ (+),\qquad "
                r"x'_{rj}=\frac{\max_j-x_{rj}}{\max_j-\min_j}\ (-)",
                "x′_rj = (x_rj − min_j)/(max_j − min_j) (+); "
                "x′_rj = (max_j − x_rj)/(max_j − min_j) (−)",
            ),
        ),
        "",
    ),
    "ratio": (
        ("ratio standardisation", "比值法标准化"),
        (
            _f(
                r"x'_{rj}=\frac{x_{rj}}{\max_j}\ (+),\qquad x'_{rj}=\frac{\min_j}{x_{rj}}\ (-)",
                "x′_rj = x_rj / max_j (+); x′_rj = min_j / x_rj (−)",
            ),
        ),
        "",
    ),
    "zscore": (
        ("z-score standardisation (improved entropy method)", "Z 分数标准化（改进熵值法）"),
        (
            _f(
                r"x'_{rj}=\frac{x_{rj}-\bar{x}_j}{s_j}\ (+),\qquad "
                r"x'_{rj}=\frac{\bar{x}_j-x_{rj}}{s_j}\ (-)",
                "x′_rj = (x_rj − x̄_j)/s_j (+); x′_rj = (x̄_j − x_rj)/s_j (−)",
            ),
        ),
        "guo1998",
    ),
}

#: Weights (docs/methods.md §2.4–2.5), by the weight method.
_WEIGHTS: dict[str, tuple[Pair, tuple[Formula, ...], str]] = {
    "entropy": (
        ("entropy weights", "熵值法赋权"),
        (
            _f(
                r"p_{rj}=\frac{x''_{rj}}{\sum_r x''_{rj}},\quad "
                r"e_j=-\frac{1}{\ln R}\sum_r p_{rj}\ln p_{rj},\quad d_j=1-e_j,\quad "
                r"w_j=\frac{d_j}{\sum_k d_k}",
                "p_rj = x″_rj / Σ_r x″_rj; e_j = −(1/ln R) Σ_r p_rj ln p_rj; "
                "d_j = 1 − e_j; w_j = d_j / Σ_k d_k",
            ),
        ),
        "shannon1948",
    ),
    "critic": (
        ("CRITIC weights", "CRITIC 法赋权"),
        (
            _f(
                r"C_j=\sigma_j\sum_k\left(1-r_{jk}\right),\quad w_j=\frac{C_j}{\sum_k C_k}",
                "C_j = σ_j Σ_k (1 − r_jk); w_j = C_j / Σ_k C_k",
            ),
        ),
        "diakoulaki1995",
    ),
    "cv": (
        ("coefficient-of-variation weights", "变异系数法赋权"),
        (
            _f(
                r"v_j=\frac{s_j}{|\bar{x}_j|},\quad w_j=\frac{v_j}{\sum_k v_k}",
                "v_j = s_j / |x̄_j|; w_j = v_j / Σ_k v_k",
            ),
        ),
        "",
    ),
    "equal": (("equal weights", "等权"), (_f(r"w_j=\frac{1}{m}", "w_j = 1/m"),), ""),
    "sd": (
        ("standard-deviation weights", "标准离差法赋权"),
        (_f(r"w_j=\frac{\sigma_j}{\sum_k\sigma_k}", "w_j = σ_j / Σ_k σ_k (of x′)"),),
        "wang2010",
    ),
    "merec": (
        ("MEREC weights (removal effects of criteria)", "MEREC 法赋权（剔除准则效应）"),
        (
            _f(
                r"S_r=\ln\Bigl(1+\tfrac{1}{m}\sum_j|\ln n_{rj}|\Bigr),\quad "
                r"E_j=\sum_r|S'_{rj}-S_r|,\quad w_j=\frac{E_j}{\sum_k E_k}",
                "S_r = ln(1 + (1/m) Σ_j |ln n_rj|); E_j = Σ_r |S′_rj − S_r|; w_j = E_j / Σ_k E_k",
            ),
        ),
        "keshavarz2021",
    ),
    "cilos": (
        ("CILOS weights (criterion impact loss)", "CILOS 法赋权（准则影响损失）"),
        (
            _f(
                r"p_{kj}=\frac{a_{jj}-a_{kj}}{a_{jj}},\quad F q=0,\quad \sum_j q_j=1",
                "p_kj = (a_jj − a_kj)/a_jj; F q = 0; Σ_j q_j = 1",
            ),
        ),
        "zavadskas2016",
    ),
    "idocriw": (
        ("IDOCRIW weights (entropy × CILOS)", "IDOCRIW 法赋权（熵权 × CILOS）"),
        (_f(r"w_j=\frac{q_j W_j}{\sum_k q_k W_k}", "w_j = q_j W_j / Σ_k q_k W_k"),),
        "zavadskas2016",
    ),
    "gini": (
        ("Gini-coefficient weights", "基尼系数法赋权"),
        (
            _f(
                r"G_j=\frac{\sum_r\sum_s|x_{rj}-x_{sj}|}{2R^2\bar{x}_j},\quad "
                r"w_j=\frac{G_j}{\sum_k G_k}",
                "G_j = Σ_r Σ_s |x_rj − x_sj| / (2R² x̄_j); w_j = G_j / Σ_k G_k",
            ),
        ),
        "baczkiewicz2021",
    ),
    "angle": (
        ("angle weights", "角度法赋权"),
        (
            _f(
                r"u_j=\arccos\frac{1}{\sqrt{R}\,\lVert p_j\rVert},\quad "
                r"w_j=\frac{u_j}{\sum_k u_k}",
                "u_j = arccos(1 / (√R ‖p_j‖)); w_j = u_j / Σ_k u_k",
            ),
        ),
        "shuai2012",
    ),
    "scatter": (
        ("vertical and horizontal scatter degree weights", "纵横向拉开档次法赋权"),
        (
            _f(
                r"H=\sum_t X_t^{\top}X_t,\quad Hw=\lambda_{\max}w,\quad \sum_j w_j=1",
                "H = Σ_t X_tᵀ X_t (z-scores); H w = λmax w; Σ_j w_j = 1",
            ),
        ),
        "guo2002",
    ),
    "ahp": (
        ("AHP weights from a pairwise-comparison matrix", "层次分析法（判断矩阵）赋权"),
        (
            _f(
                r"Aw=\lambda_{\max}w,\quad CI=\frac{\lambda_{\max}-n}{n-1},\quad "
                r"CR=\frac{CI}{RI}",
                "A w = λmax w; CI = (λmax − n)/(n − 1); CR = CI / RI",
            ),
        ),
        "saaty1977",
    ),
    "combined": (
        ("combination weights", "组合赋权"),
        (
            _f(
                r"w=\sum_k\alpha_k w_k\ \text{or}\ w_j\propto\prod_k w_{kj}",
                "w = Σ_k α_k w_k, or w_j ∝ Π_k w_kj",
            ),
        ),
        "",
    ),
    "user": (
        ("weights given by the user, normalised", "给定权重（归一化）"),
        (_f(r"w_j=\frac{u_j}{\sum_k u_k}", "w_j = u_j / Σ_k u_k"),),
        "",
    ),
}

#: TOPSIS input (docs/methods.md §2.7), by `normalization`.
_NORMALISATION: dict[str, tuple[Pair, Formula]] = {
    "minmax": (
        ("the shifted standardised matrix", "平移后的标准化矩阵"),
        _f(r"M_{rj}=x''_{rj}", "M_rj = x″_rj"),
    ),
    "vector": (
        ("vector normalisation of the raw values", "原始值的向量规范化"),
        _f(r"M_{rj}=\frac{x_{rj}}{\sqrt{\sum_r x_{rj}^2}}", "M_rj = x_rj / √(Σ_r x_rj²)"),
    ),
    "none": (("the raw values", "原始值"), _f(r"M_{rj}=x_{rj}", "M_rj = x_rj")),
}

#: Ideal and anti-ideal points (docs/methods.md §2.8), by `ideal`.
_IDEAL: dict[str, tuple[Pair, Formula]] = {
    "panel": (
        ("over all region-years (global TOPSIS)", "全样本（全局 TOPSIS）"),
        _f(
            r"M^{+}_j=\max_{r}M_{rj},\quad M^{-}_j=\min_{r}M_{rj}",
            "M⁺_j = max_r M_rj, M⁻_j = min_r M_rj (all region-years)",
        ),
    ),
    "year": (
        ("within each year", "逐年"),
        _f(
            r"M^{+}_{j,t}=\max_{r\in t}M_{rj},\quad M^{-}_{j,t}=\min_{r\in t}M_{rj}",
            "M⁺_jt = max_{r∈t} M_rj, M⁻_jt = min_{r∈t} M_rj",
        ),
    ),
    "absolute": (
        ("the ends of the min–max scale", "极差标准化区间端点"),
        _f(r"M^{+}_j=1+a,\quad M^{-}_j=a", "M⁺_j = 1 + a, M⁻_j = a"),
    ),
}

#: How the weights enter TOPSIS (docs/methods.md §2.9), by `topsis`.
_TOPSIS: dict[str, tuple[Pair, Formula]] = {
    "matrix": (
        ("weighted normalised matrix", "加权规范化矩阵"),
        _f(
            r"D^{\pm}_r=\sqrt{\sum_j\left(w_j\,(M_{rj}-M^{\pm}_j)\right)^2}",
            "D±_r = √(Σ_j (w_j (M_rj − M±_j))²)",
        ),
    ),
    "distance": (
        ("weighted Euclidean distance", "加权欧氏距离"),
        _f(
            r"D^{\pm}_r=\sqrt{\sum_j w_j\,(M_{rj}-M^{\pm}_j)^2}",
            "D±_r = √(Σ_j w_j (M_rj − M±_j)²)",
        ),
    ),
}

_CLOSENESS = _f(r"C_r=\frac{D^{-}_r}{D^{+}_r+D^{-}_r}", "C_r = D⁻_r / (D⁺_r + D⁻_r)")

#: Echelon rules (docs/methods.md §3), by `rule`.
_ECHELONS: dict[str, tuple[Pair, tuple[Formula, ...], tuple[str, ...]]] = {
    "jenks": (
        ("Fisher's exact natural breaks", "Fisher 精确自然断点法"),
        (
            _f(
                r"\min\ \mathrm{SSW}=\sum_{c=1}^{k}\sum_{i\in c}\left(\bar{x}_i-\bar{x}_c\right)^2",
                "min SSW = Σ_{c=1..k} Σ_{i∈c} (x̄_i − x̄_c)²",
            ),
        ),
        ("fisher1958", "jenks1977"),
    ),
    "quantiles": (
        ("equal-frequency quantiles (type 7)", "等频分位数（第 7 类）"),
        (
            _f(
                r"Q(p)=x_{(\lfloor h\rfloor)}+\left(h-\lfloor h\rfloor\right)"
                r"\left(x_{(\lfloor h\rfloor+1)}-x_{(\lfloor h\rfloor)}\right),\quad h=(n-1)p",
                "Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), h = (n − 1)p",
            ),
        ),
        ("hyndman1996",),
    ),
    "sd": (
        ("mean ± c·SD", "均值 ± c 倍标准差"),
        (_f(r"b=m\pm c\,s", "b = m ± c·s"),),
        (),
    ),
    "kmeans": (
        ("k-means (Lloyd's algorithm with restarts)", "k-means 聚类（Lloyd 算法，多次初始化）"),
        (
            _f(
                r"\min\ \mathrm{SSW}=\sum_{c=1}^{k}\sum_{i\in c}\left(\bar{x}_i-\bar{x}_c\right)^2",
                "min SSW = Σ_{c=1..k} Σ_{i∈c} (x̄_i − x̄_c)²",
            ),
        ),
        ("lloyd1982",),
    ),
    "thresholds": (
        ("given cut points", "给定阈值"),
        (_f(r"\bar{x}_i\ge b_1>b_2>\dots", "x̄_i ≥ b₁ > b₂ > …"),),
        (),
    ),
    "column": (("tiers given by a column", "给定分组列"), (), ()),
    "equal": (
        ("equal intervals", "等间距分级"),
        (_f(r"b_j=\min+j\,\frac{\max-\min}{k}", "b_j = min + j·(max − min)/k"),),
        (),
    ),
    "max_breaks": (
        ("maximum breaks (the k − 1 widest gaps)", "最大间隔分级（k − 1 个最大间隔）"),
        (),
        (),
    ),
    "jenks_caspall": (
        ("Jenks–Caspall iterations from the quantile classes", "Jenks–Caspall 迭代分级"),
        (),
        ("jenks1971",),
    ),
    "head_tail": (
        ("head/tail breaks at successive means", "头尾断裂分级（逐次均值）"),
        (),
        ("jiang2013",),
    ),
}

_AVERAGE = _f(r"\bar{x}_i=\frac{1}{T}\sum_t y_{it}", "x̄_i = (1/T) Σ_t y_it")
_GVF = _f(
    r"\mathrm{GVF}=1-\frac{\mathrm{SSW}}{\mathrm{SST}}",
    "GVF = 1 − SSW/SST",
)

#: The Dagum decomposition (docs/methods.md §1.2).
_DAGUM = (
    _f(
        r"G=\frac{\sum_i\sum_r|y_i-y_r|}{2n^2\mu},\quad "
        r"G_{jj}=\frac{\sum_{i\in j}\sum_{r\in j}|y_i-y_r|}{2n_j^2\mu_j},\quad "
        r"G_{jh}=\frac{\sum_{i\in j}\sum_{r\in h}|y_i-y_r|}{n_jn_h(\mu_j+\mu_h)}",
        "G = Σ_i Σ_r |y_i − y_r| / (2n²μ); G_jj = Σ_{i∈j} Σ_{r∈j} |y_i − y_r| / (2n_j²μ_j); "
        "G_jh = Σ_{i∈j} Σ_{r∈h} |y_i − y_r| / (n_j n_h (μ_j + μ_h))",
    ),
    _f(
        r"G_w=\sum_j G_{jj}p_js_j,\quad G_{nb}=\sum_{j>h}G_{jh}(p_js_h+p_hs_j)D_{jh},\quad "
        r"G_t=\sum_{j>h}G_{jh}(p_js_h+p_hs_j)(1-D_{jh})",
        "G_w = Σ_j G_jj p_j s_j; G_nb = Σ_{j>h} G_jh (p_j s_h + p_h s_j) D_jh; "
        "G_t = Σ_{j>h} G_jh (p_j s_h + p_h s_j)(1 − D_jh)",
    ),
    _f(
        r"G=G_w+G_{nb}+G_t,\quad D_{jh}=\frac{d_{jh}-p_{jh}}{d_{jh}+p_{jh}},\quad "
        r"p_j=\frac{n_j}{n},\ s_j=\frac{p_j\mu_j}{\mu}",
        "G = G_w + G_nb + G_t; D_jh = (d_jh − p_jh)/(d_jh + p_jh); p_j = n_j/n, s_j = p_j μ_j/μ",
    ),
)

#: σ-convergence (docs/methods.md §4.1).
_SIGMA = (
    _f(
        r"\sigma_t=\sqrt{\frac{1}{n}\sum_i\left(x_{it}-\bar{x}_t\right)^2},\quad "
        r"\mathrm{CV}_t=\frac{\sigma_t}{\bar{x}_t}",
        "σ_t = √((1/n) Σ_i (x_it − x̄_t)²); CV_t = σ_t / x̄_t",
    ),
    _f(r"m_t=a+b\,t+e_t", "m_t = a + b·t + e_t"),
)

#: β-convergence models (docs/methods.md §4.2), by `effects`.
_BETA: dict[str, tuple[Pair, Formula, tuple[str, ...]]] = {
    "none": (
        ("absolute β, cross-section, HC1 standard errors", "绝对 β 收敛（截面，HC1 稳健标准误）"),
        _f(
            r"\frac{\ln x_{i,T}-\ln x_{i,t_0}}{\tau}=\alpha+\beta\ln x_{i,t_0}+\varepsilon_i",
            "(ln x_iT − ln x_it₀)/τ = α + β ln x_it₀ + ε_i",
        ),
        ("barro1992",),
    ),
    "region": (
        ("region fixed effects, clustered by region", "地区固定效应（按地区聚类标准误）"),
        _f(
            r"\frac{\ln(x_{i,t+\tau}/x_{i,t})}{\tau}=\beta\ln x_{i,t}+\mu_i+\varepsilon_{i,t}",
            "ln(x_i,t+τ / x_it)/τ = β ln x_it + μ_i + ε_it",
        ),
        ("islam1995", "cameron2015"),
    ),
    "twoway": (
        ("two-way fixed effects, clustered by region", "双向固定效应（按地区聚类标准误）"),
        _f(
            r"\frac{\ln(x_{i,t+\tau}/x_{i,t})}{\tau}=\beta\ln x_{i,t}+\mu_i+\lambda_t"
            r"+\varepsilon_{i,t}",
            "ln(x_i,t+τ / x_it)/τ = β ln x_it + μ_i + λ_t + ε_it",
        ),
        ("islam1995", "cameron2015"),
    ),
}

_SPEED = _f(
    r"\theta=-\frac{\ln(1+\beta\tau)}{\tau},\quad t_{1/2}=\frac{\ln 2}{\theta}",
    "θ = −ln(1 + βτ)/τ; half-life = ln 2 / θ",
)

_MARKOV = _f(r"P_{ij}=\frac{n_{ij}}{n_i}", "P_ij = n_ij / n_i")

_MORAN = (
    _f(
        r"I=\frac{n}{S_0}\,\frac{\sum_i\sum_j w_{ij}z_iz_j}{\sum_i z_i^2},\quad "
        r"S_0=\sum_i\sum_j w_{ij},\quad z_i=x_i-\bar{x}",
        "I = n/S0 · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i², S0 = Σ_i Σ_j w_ij, z_i = x_i − x̄",
    ),
    _f(
        r"E[I]=-\frac{1}{n-1},\quad Z=\frac{I-E[I]}{\sqrt{\mathrm{Var}[I]}}",
        "E[I] = −1/(n − 1), Z = (I − E[I]) / √Var[I]",
    ),
)

_LISA = (
    _f(
        r"I_i=\frac{z_i}{m_2}\sum_j w_{ij}z_j,\quad m_2=\frac{1}{n}\sum_i z_i^2",
        "I_i = (z_i / m₂) Σ_j w_ij z_j, m₂ = (1/n) Σ_i z_i²",
    ),
)

_CLUBS = (
    _f(
        r"h_{it}=\frac{x_{it}}{\frac{1}{N}\sum_j x_{jt}},\quad "
        r"H_t=\frac{1}{N}\sum_i\left(h_{it}-1\right)^2",
        "h_it = x_it / ((1/N) Σ_j x_jt); H_t = (1/N) Σ_i (h_it − 1)²",
    ),
    _f(
        r"\log\frac{H_1}{H_t}-2\log(\log t)=a+b\log t+u_t",
        "log(H₁/H_t) − 2 log(log t) = a + b log t + u_t",
    ),
)

_DENSITY = (
    _f(
        r"\hat{f}(x)=\frac{1}{nh}\sum_i\phi\left(\frac{x-X_i}{h}\right)",
        "f̂(x) = (1/(nh)) Σ_i φ((x − X_i)/h)",
    ),
)

_REFLECTION = _f(
    r"\hat{f}_{[a,b]}(x)=\frac{1}{nh}\sum_i\left[\phi\left(\frac{x-X_i}{h}\right)"
    r"+\phi\left(\frac{x+X_i-2a}{h}\right)+\phi\left(\frac{x+X_i-2b}{h}\right)\right]",
    "f̂(x) = (1/(nh)) Σ_i [φ((x − X_i)/h) + φ((x + X_i − 2a)/h) + φ((x + X_i − 2b)/h)], a ≤ x ≤ b",
)

_BANDWIDTH: dict[str, tuple[Pair, Formula]] = {
    "silverman": (
        ("Silverman's rule of thumb", "Silverman 经验带宽"),
        _f(
            r"h=0.9\min\left(s,\frac{\mathrm{IQR}}{1.34}\right)n^{-1/5}",
            "h = 0.9 min(s, IQR/1.34) n^(−1/5)",
        ),
    ),
    "scott": (
        ("Scott's rule", "Scott 带宽"),
        _f(
            r"h=1.06\min\left(s,\frac{\mathrm{IQR}}{1.34}\right)n^{-1/5}",
            "h = 1.06 min(s, IQR/1.34) n^(−1/5)",
        ),
    ),
}

_OBSTACLE = (
    _f(
        r"O_{rj}=\frac{w_j\,(1-x'_{rj})}{\sum_k w_k\,(1-x'_{rk})}\times 100\%",
        "O_rj = w_j (1 − x′_rj) / Σ_k w_k (1 − x′_rk) × 100%",
    ),
)

#: The coupling degree C (docs/methods.md, coupling coordination), by `formula`.
_COUPLING: dict[str, tuple[Pair, Formula, tuple[str, ...]]] = {
    "classic": (
        ("classic coupling degree", "传统耦合度模型"),
        _f(
            r"C=n\left[\frac{\prod_{i=1}^{n}U_i}{\left(\sum_{i=1}^{n}U_i\right)^{n}}\right]^{1/n}",
            "C = n·[Π_i U_i / (Σ_i U_i)^n]^(1/n)",
        ),
        ("liao1999", "wang2021"),
    ),
    "corrected": (
        ("corrected coupling degree", "修正耦合度模型"),
        _f(
            r"C=\sqrt{\left[1-\frac{\sum_{i>j}\sqrt{(U_i-U_j)^2}}{\sum_{m=1}^{n-1}m}\right]"
            r"\left(\prod_{i=1}^{n}\frac{U_i}{\max_i U_i}\right)^{\frac{1}{n-1}}}",
            "C = √{[1 − Σ_{i>j} √((U_i − U_j)²) / Σ_{m=1}^{n−1} m] · (Π_i U_i / max U)^(1/(n−1))}",
        ),
        ("wang2021",),
    ),
}
_COORDINATION = _f(
    r"T=\sum_{i=1}^{n}\alpha_i U_i,\quad D=\sqrt{C\cdot T}", "T = Σ_i α_i U_i, D = √(C·T)"
)

#: The step names, (English, Chinese).
_STEP: dict[str, Pair] = {
    "standardization": ("Standardisation", "无量纲化"),
    "shift": ("Shift", "平移"),
    "weights": ("Weights", "赋权"),
    "topsis_input": ("TOPSIS matrix", "TOPSIS 决策矩阵"),
    "ideal": ("Ideal and anti-ideal points", "正负理想解"),
    "distance": ("Distances and relative closeness", "距离与相对贴近度"),
    "linear": ("Linear score", "线性加权得分"),
    "grey": ("Grey relational grade", "灰色关联度"),
    "grey_topsis": ("Grey relational TOPSIS", "灰色关联 TOPSIS"),
    "echelons": ("Echelons", "梯队划分"),
    "dagum": ("Dagum Gini decomposition", "Dagum 基尼系数分解"),
    "bootstrap": ("Bootstrap intervals", "自助法置信区间"),
    "sigma": ("σ-convergence", "σ 收敛"),
    "beta": ("β-convergence", "β 收敛"),
    "markov": ("Markov chain", "马尔可夫链"),
    "moran": ("Global spatial autocorrelation", "全局空间自相关"),
    "lisa": ("Local spatial autocorrelation", "局部空间自相关"),
    "spatial_markov": ("Spatial Markov chain", "空间马尔可夫链"),
    "markov_homogeneity": ("Markov homogeneity tests", "马尔可夫链同质性检验"),
    "rank_markov": ("Rank Markov chains", "秩马尔可夫链"),
    "lisa_markov": ("LISA Markov chain", "LISA 马尔可夫链"),
    "clubs": ("Club convergence", "俱乐部收敛"),
    "density": ("Kernel density", "核密度估计"),
    "obstacles": ("Obstacle degree", "障碍度模型"),
    "coupling": ("Coupling coordination degree", "耦合协调度模型"),
    "theil": ("Theil index", "泰尔指数"),
    "gini_sources": ("Gini decomposition by dimension", "基尼系数分项来源分解"),
    "geodetector": ("Geographical detector", "地理探测器"),
    "conditional": ("Conditional kernel density", "条件核密度估计"),
}


def _check_language(language: str) -> int:
    if language not in LANGUAGES:
        raise InputError(f"unknown language '{language}'", hint="choose " + " or ".join(LANGUAGES))
    return LANGUAGES.index(language)


_COMMA: Pair = (", ", "，")
_SEMICOLON: Pair = ("; ", "；")
_STOP: Pair = (".", "。")


def _paren(details: Sequence[str], lang: int) -> str:
    """`` (a, b)`` in English, ``（a，b）`` in Chinese."""
    inner = _COMMA[lang].join(details)
    return f" ({inner})" if lang == 0 else f"（{inner}）"


def _cite(keys: Iterable[str]) -> str:
    return " ".join(REFERENCES[key] for key in keys if key)


def _options(family: type[Options], given: Any) -> Any:
    """``given`` (an object of ``family``, a mapping of its options, or None) as an
    object of the family; None stays None (the analysis did not run)."""
    if given is None or isinstance(given, family):
        return given
    return family.resolve({k: v for k, v in dict(given).items() if k in family.names()})


def methods_steps(
    index: IndexOptions | Mapping[str, Any] | None = None,
    *,
    echelons: EchelonOptions | Mapping[str, Any] | None = None,
    dagum: DagumOptions | Mapping[str, Any] | None = None,
    sigma: bool = False,
    beta: Sequence[str] = (),
    markov: MarkovOptions | Mapping[str, Any] | None = None,
    clubs: ClubOptions | Mapping[str, Any] | None = None,
    density: str | None = None,
    density_bounds: tuple[float, float] | None = None,
    obstacles: bool = False,
    spatial: SpatialOptions | Mapping[str, Any] | None = None,
    lisa: bool = False,
    spatial_markov: MarkovOptions | Mapping[str, Any] | None = None,
    coupling: CouplingOptions | Mapping[str, Any] | None = None,
    theil: bool = False,
    gini_sources: bool = False,
    geodetector: Any = None,
    conditional: bool = False,
    small_sample: str = "stata",
    markov_homogeneity: bool = False,
    rank_markov: bool = False,
    lisa_markov: bool = False,
    language: str = "en",
) -> tuple[Step, ...]:
    """The steps of the methods, for the analyses given (None / False / empty: not run).

    ``index``, ``echelons``, ``dagum``, ``markov``, ``clubs``: the options used (an
    options object or a mapping of its options); ``sigma`` and ``obstacles``: whether
    σ-convergence (with its trend) and the obstacle degree ran; ``beta``: the
    β-convergence models run, by ``effects`` (``"none"``, ``"region"``, ``"twoway"``);
    ``density``: the kernel density's bandwidth rule (``"silverman"``, ``"scott"``) or
    a number, None when not run; ``density_bounds``: the support it was reflected at
    (``bounds=`` of :func:`nqpf.kernel_density`), None for the plain estimate. ``spatial``: the options of the global Moran's I
    (:class:`~nqpf.options.SpatialOptions`), ``lisa``: whether the local Moran's I ran,
    ``spatial_markov``: the Markov options of the spatial Markov chain.
    ``coupling``: the options of the coupling coordination of the dimensions
    (:class:`~nqpf.options.CouplingOptions`). ``small_sample``: the small-sample
    factor of the clustered β standard errors (``"stata"`` or ``"plm"``,
    :func:`nqpf.beta_convergence`); ``markov_homogeneity``, ``rank_markov``,
    ``lisa_markov``: whether the homogeneity tests of the Markov chain, the full- and
    geo-rank chains and the LISA Markov chain ran. ``language``: ``"en"`` or ``"zh"``.
    """
    lang = _check_language(language)
    steps: list[Step] = []
    index_options = _options(IndexOptions, index)
    if index_options is not None:
        steps += _index_steps(index_options, lang)
    echelon_options = _options(EchelonOptions, echelons)
    if echelon_options is not None:
        steps.append(_echelon_step(echelon_options, lang))
    dagum_options = _options(DagumOptions, dagum)
    if dagum_options is not None:
        steps += _dagum_steps(dagum_options, lang)
    markov_options = _options(MarkovOptions, markov)
    steps += _dynamics_steps(sigma, beta, markov_options, lang, small_sample)
    steps += _markov_variant_steps(markov_homogeneity, rank_markov, lang)
    club_options = _options(ClubOptions, clubs)
    if club_options is not None:
        steps.append(_club_step(club_options, lang))
    if density is not None:
        steps.append(_density_step(density, lang, density_bounds))
    if obstacles:
        what = ("obstacle degree of each indicator, in percent", "各指标障碍度（%）")
        steps.append(Step(_STEP["obstacles"][lang], what[lang], _OBSTACLE))
    steps += _spatial_steps(
        _options(SpatialOptions, spatial), lisa, _options(MarkovOptions, spatial_markov), lang
    )
    if lisa_markov:
        steps.append(_lisa_markov_step(lang))
    coupling_options = _options(CouplingOptions, coupling)
    if coupling_options is not None:
        steps.append(_coupling_step(coupling_options, lang))
    steps += _more_steps(theil, gini_sources, geodetector, conditional, lang)
    return tuple(steps)


_THEIL = (
    _f(
        r"T=\frac{1}{n}\sum_i\frac{x_i}{\mu}\ln\frac{x_i}{\mu},\quad "
        r"L=\frac{1}{n}\sum_i\ln\frac{\mu}{x_i}",
        "T = (1/n) Σ_i (x_i/μ) ln(x_i/μ), L = (1/n) Σ_i ln(μ/x_i)",
    ),
    _f(
        r"T=\sum_g\frac{n_g\mu_g}{n\mu}T_g+\sum_g\frac{n_g\mu_g}{n\mu}\ln\frac{\mu_g}{\mu}",
        "T = Σ_g (n_g μ_g/(n μ)) T_g + Σ_g (n_g μ_g/(n μ)) ln(μ_g/μ)  (within + between)",
    ),
)
_GINI_SOURCES = _f(
    r"G=\sum_k S_k\,G_k\,R_k,\quad R_k=\frac{\mathrm{cov}(x_k,F)}{\mathrm{cov}(x_k,F_k)}",
    "G = Σ_k S_k G_k R_k, R_k = cov(x_k, F)/cov(x_k, F_k)",
)
_GEODETECTOR = _f(
    r"q=1-\frac{\sum_h N_h\sigma_h^2}{N\sigma^2}",
    "q = 1 − Σ_h N_h σ_h² / (N σ²)",
)
_CONDITIONAL = _f(
    r"\hat f(y\mid x)=\frac{\hat f(x,y)}{\hat f(x)}",
    "f̂(y | x) = f̂(x, y) / f̂(x)",
)


def _more_steps(
    theil: bool, gini_sources: bool, geodetector: Any, conditional: bool, lang: int
) -> list[Step]:
    """The steps of the inequality, geodetector and conditional-density sections."""
    steps = []
    if theil:
        what = (
            "Theil T and L by year, decomposed into within and between the groups",
            "逐年泰尔指数 T 与 L，分解为组内与组间差异",
        )
        steps.append(
            Step(_STEP["theil"][lang], what[lang], _THEIL, _cite(["theil1967", "shorrocks1980"]))
        )
    if gini_sources:
        what = (
            "Lerman–Yitzhaki: each dimension's share S_k G_k R_k / G of the index's Gini",
            "Lerman–Yitzhaki 分解：各维度对综合指数基尼系数的贡献 S_k G_k R_k / G",
        )
        steps.append(
            Step(_STEP["gini_sources"][lang], what[lang], (_GINI_SOURCES,), _cite(["lerman1985"]))
        )
    if geodetector is not None:
        from nqpf.options import GeodetectorOptions

        options = _options(GeodetectorOptions, geodetector)
        label = GeodetectorOptions.info("discretization").choice_title(
            options.discretization, LANGUAGES[lang]
        )
        what = (
            f"factor detector q with its noncentral-F p-value; interaction detector; "
            f"discretisation: {label}",
            f"因子探测 q 值及非中心 F 检验 p 值；交互探测；离散化：{label}",
        )
        steps.append(
            Step(
                _STEP["geodetector"][lang],
                what[lang],
                (_GEODETECTOR,),
                _cite(["wang2010gd", "wang2016gd"]),
            )
        )
    if conditional:
        what = (
            "Gaussian product kernel, score in year t + 1 given year t "
            "(and given the neighbours' mean, with spatial weights)",
            "高斯乘积核：t + 1 年得分在 t 年得分条件下的密度（有空间权重时另以相邻地区均值为条件）",
        )
        steps.append(
            Step(
                _STEP["conditional"][lang],
                what[lang],
                (_CONDITIONAL,),
                _cite(["quah1997", "hyndman1996cde"]),
            )
        )
    return steps


#: The labels of the weighting families' parameters in the methods text.
_CRITIC_DETAILS: dict[str, Pair] = {
    "spearman": ("Spearman ρ", "Spearman 相关系数"),
    "kendall": ("Kendall τ-b", "Kendall 相关系数"),
    "raw": ("on the raw values", "基于原始值"),
    "entropy": ("entropy divergence 1 − e_j for σ_j", "以熵值差异系数 1 − e_j 代替 σ_j"),
}
_COMBINE_RULES: dict[str, Pair] = {
    "linear": ("linear", "线性加权"),
    "multiplicative": ("multiplicative", "乘法合成"),
    "game": ("game-theory coefficients", "博弈论组合系数"),
}


def _weight_family_details(options: IndexOptions, lang: int) -> str:
    """`` (…)`` naming a CRITIC variant's or a combination's parameters, or ""."""
    details = []
    if "critic" in options.weight_methods_used:
        for value in (options.critic_correlation, options.critic_input, options.critic_contrast):
            if value in _CRITIC_DETAILS:
                details.append(_CRITIC_DETAILS[value][lang])
    if options.weight_method == "combined":
        details.append(" + ".join(_WEIGHTS[m][0][lang] for m in options.combine))
        details.append(_COMBINE_RULES[options.combine_rule][lang])
        if options.combine_rule == "linear" and options.combine_alpha is not None:
            details.append(f"α = {options.combine_alpha:g}")
    return _paren(details, lang) if details else ""


def _coupling_step(options: CouplingOptions, lang: int) -> Step:
    """The coupling coordination of the dimensions (:mod:`nqpf.coupling`): C by the
    formula used, T with its α, D, and the ten grades of D."""
    name, formula, refs = _COUPLING[options.formula]
    alpha = (
        ("equal α", "等权 α")[lang]
        if options.alpha is None
        else "α = " + ", ".join(f"{a:g}" for a in _alpha_list(options.alpha))
    )
    grades = ("ten grades of D in steps of 0.1", "D 按 0.1 分为十个等级")[lang]
    text = name[lang] + _SEMICOLON[lang] + alpha + _SEMICOLON[lang] + grades
    return Step(_STEP["coupling"][lang], text, (formula, _COORDINATION), _cite(refs))


def _alpha_list(alpha: Any) -> list[float]:
    return list(alpha.values()) if isinstance(alpha, Mapping) else list(alpha)


def _index_steps(options: IndexOptions, lang: int) -> list[Step]:
    """The index's steps (docs/methods.md §2): standardisation, shift, weights, scoring."""
    block = (
        ("pooled over all region-years (scope = panel)", "全样本统一标准化与赋权（scope = panel）")
        if options.scope == "panel"
        else ("within each year (scope = year)", "逐年计算（scope = year）")
    )[lang]
    name, formulas, ref = _STANDARDISATION[options.standardization]
    text = name[lang] + _SEMICOLON[lang] + block
    steps = [Step(_STEP["standardization"][lang], text, formulas, _cite([ref]))]
    symbol = "H" if options.standardization == "zscore" else "a"
    steps.append(
        Step(
            _STEP["shift"][lang],
            f"{symbol} = {options.shift:g}",
            (_f(rf"x''_{{rj}}=x'_{{rj}}+{symbol}", f"x″_rj = x′_rj + {symbol}"),),
        )
    )
    name, formulas, ref = _WEIGHTS[options.weight_method]
    variant = name[lang]
    if options.weight_method == "entropy":
        rows = ["R = N·T" if options.scope == "panel" else "R = N_t"]
        if options.zero_log == "epsilon":
            rows.append("p + 10⁻¹²")
        variant += _paren(rows, lang)
    variant += _weight_family_details(options, lang)
    if options.weight_method == "combined":
        ref = " ".join(_WEIGHTS[m][2] for m in options.combine if _WEIGHTS[m][2])
    # the pooled entropy over all region-years is the "improved" (panel) entropy method
    pooled = options.scope == "panel" and options.weight_method == "entropy"
    refs = [*ref.split(" "), "yang2015" if pooled else ""]
    steps.append(Step(_STEP["weights"][lang], variant, formulas, _cite(refs)))
    if options.method == "linear":
        steps.append(
            Step(
                _STEP["linear"][lang],
                ("weighted sum of x′", "x′ 的加权和")[lang],
                (_f(r"S_r=\sum_j w_j\,x'_{rj}", "S_r = Σ_j w_j x′_rj"),),
            )
        )
        return steps
    hwang = _cite(["hwang1981"])
    name, formula = _NORMALISATION[options.normalization]
    steps.append(Step(_STEP["topsis_input"][lang], name[lang], (formula,), hwang))
    name, formula = _IDEAL[options.ideal]
    steps.append(Step(_STEP["ideal"][lang], name[lang], (formula,), hwang))
    if options.method == "grey":
        steps.append(_grey_step(options, lang))
        return steps
    name, formula = _TOPSIS[options.topsis]
    if options.distance != "euclidean":
        info = IndexOptions.info("distance")
        shown = [info.choice_title(options.distance, language) for language in ("en", "zh")]
        if options.distance == "minkowski":
            # the label names its parameter ("Minkowski (p)"): give its value instead
            shown = [
                text.removesuffix(" (p)").removesuffix("（p）") + f", p = {options.p:g}"
                for text in shown
            ]
        name = (f"{name[0]} ({shown[0]})", f"{name[1]}（{shown[1]}）")
    steps.append(Step(_STEP["distance"][lang], name[lang], (formula, _CLOSENESS), hwang))
    if options.method == "grey_topsis":
        steps.append(_grey_step(options, lang))
    return steps


_GREY = _f(
    r"\xi_{rj}=\frac{\Delta_{\min}+\rho\Delta_{\max}}{\Delta_{rj}+\rho\Delta_{\max}},"
    r"\quad \gamma_r=\frac{\sum_j w_j\xi_{rj}}{\sum_j w_j}",
    "ξ_rj = (Δmin + ρ Δmax)/(Δ_rj + ρ Δmax), γ_r = Σ_j w_j ξ_rj / Σ_j w_j",
)
_GREY_TOPSIS = _f(
    r"S^{+}_r=(1-\beta)\tilde D^{-}_r+\beta\tilde R^{+}_r,\quad "
    r"S^{-}_r=(1-\beta)\tilde D^{+}_r+\beta\tilde R^{-}_r,\quad C_r=\frac{S^{+}_r}{S^{+}_r+S^{-}_r}",
    "S⁺ = (1 − β) D̃⁻ + β R̃⁺, S⁻ = (1 − β) D̃⁺ + β R̃⁻, C = S⁺/(S⁺ + S⁻)",
)


def _grey_step(options: IndexOptions, lang: int) -> Step:
    """Grey relational analysis (``method="grey"``) or grey relational TOPSIS
    (``"grey_topsis"``), docs/methods.md §2."""
    if options.method == "grey":
        variant = (
            f"grade to the ideal point, ρ = {options.rho:g}",
            f"与正理想解的灰色关联度，分辨系数 ρ = {options.rho:g}",
        )[lang]
        return Step(_STEP["grey"][lang], variant, (_GREY,), _cite(["deng1982"]))
    variant = (
        f"grey grades R± to the ideal and anti-ideal and distances D±, each over its "
        f"largest value; ρ = {options.rho:g}, β = {options.grey_share:g}",
        f"与正负理想解的灰色关联度 R± 与距离 D±（各除以其最大值）；ρ = {options.rho:g}，"
        f"β = {options.grey_share:g}",
    )[lang]
    return Step(
        _STEP["grey_topsis"][lang], variant, (_GREY, _GREY_TOPSIS), _cite(["deng1982", "sun2005"])
    )


def _echelon_step(options: EchelonOptions, lang: int) -> Step:
    """Echelons of the period averages (docs/methods.md §3)."""
    name, formulas, refs = _ECHELONS[options.rule]
    k = 3 if options.k is None else options.k
    # head/tail breaks choose their number of classes
    details = [] if options.rule == "head_tail" else [f"k = {k}"]
    if options.rule == "sd":
        details.append(f"c = {options.sd_multiplier:g}")
    if options.rule == "kmeans":
        details.append(f"{options.n_init} starts, seed {options.seed}")
    details.append(("1 = highest", "1 为最高梯队")[lang])
    variant = name[lang] + _paren(details, lang)
    return Step(_STEP["echelons"][lang], variant, (_AVERAGE, *formulas, _GVF), _cite(refs))


def _dagum_steps(options: DagumOptions, lang: int) -> list[Step]:
    """The Dagum decomposition (docs/methods.md §1) and its bootstrap (§1.8)."""
    what = (
        "within, net between and transvariation; contribution rates G_w/G, G_nb/G, G_t/G",
        "组内差异、组间净差异与超变密度；贡献率 G_w/G、G_nb/G、G_t/G",
    )
    steps = [Step(_STEP["dagum"][lang], what[lang], _DAGUM, _cite(["dagum1997"]))]
    if options.bootstrap > 0:
        variant = (
            f"stratified bootstrap, B = {options.bootstrap}, percentile interval at "
            f"{options.level:.0%}",
            f"分层自助法，B = {options.bootstrap}，{options.level:.0%} 百分位置信区间",
        )
        formula = _f(
            r"\left[\hat{G}^{*}_{(\alpha/2)},\ \hat{G}^{*}_{(1-\alpha/2)}\right]",
            "[G*_(α/2), G*_(1−α/2)]",
        )
        steps.append(
            Step(_STEP["bootstrap"][lang], variant[lang], (formula,), _cite(["efron1993"]))
        )
    return steps


def _dynamics_steps(
    sigma: bool,
    beta: Sequence[str],
    markov: MarkovOptions | None,
    lang: int,
    small_sample: str = "stata",
) -> list[Step]:
    """σ- and β-convergence and the Markov chain (docs/methods.md §4.1–4.3)."""
    steps = []
    if sigma:
        what = (
            "SD, CV, SD of logs and Gini by year; OLS trend of each measure",
            "逐年标准差、变异系数、对数标准差与基尼系数；各指标对年份的 OLS 趋势",
        )
        steps.append(
            Step(_STEP["sigma"][lang], what[lang], _SIGMA, _cite(["sala1996", "barro2004"]))
        )
    for effects in beta:
        name, formula, refs = _BETA[effects]
        variant, formulas = name[lang], (formula, _SPEED)
        if effects != "none":  # the clustered panels: their small-sample factor
            variant += _paren([_SMALL_SAMPLE[small_sample][lang]], lang)
            formulas = (formula, _CLUSTER_FACTOR, _SPEED)
            refs = (*refs, "croissant2008") if small_sample == "plm" else refs
        steps.append(Step(_STEP["beta"][lang], variant, formulas, _cite(refs)))
    if markov is not None:
        variant = f"k = {markov.n_states} {('states', '个状态')[lang]}{_COMMA[lang]}"
        variant += _markov_bounds(markov, lang)
        formulas: tuple[Formula, ...] = (_MARKOV,)
        if markov.classes == "relative":
            formulas += (_RELATIVE,)
        steps.append(Step(_STEP["markov"][lang], variant, formulas, _cite(["quah1993"])))
    return steps


#: The small-sample factor of the clustered β standard errors, by ``small_sample``.
_SMALL_SAMPLE: dict[str, Pair] = {
    "stata": (
        "Stata's small-sample factor: K counts the slopes, the year dummies and a constant",
        "Stata 小样本校正：K 计斜率、年份虚拟变量与常数项",
    ),
    "plm": (
        "plm's small-sample factor (vcovHC type sss): K counts the columns left after the "
        "within transformation",
        "plm 小样本校正（vcovHC type sss）：K 计组内变换后余下的列",
    ),
}

_CLUSTER_FACTOR = _f(r"c=\frac{G}{G-1}\cdot\frac{N-1}{N-K}", "c = G/(G − 1) · (N − 1)/(N − K)")

_RELATIVE = _f(r"\tilde{x}_{it}=\frac{x_{it}}{\bar{x}_t}", "x̃_it = x_it / x̄_t")


def _markov_bounds(markov: MarkovOptions, lang: int) -> str:
    """How the Markov states are bounded, in words: quantiles (pooled, by year, of the
    relative values) or given cut-offs, and the spatial lag's classes where they differ."""
    relative = markov.classes == "relative"
    if markov.cutoffs:
        cutoffs = ", ".join(f"{c:g}" for c in markov.cutoffs)
        text = (
            (
                f"values relative to the year's mean, cut at {cutoffs}",
                f"相对值（除以当年均值）以 {cutoffs} 为界",
            )
            if relative
            else (f"fixed cut-offs {cutoffs}", f"固定分界值 {cutoffs}")
        )[lang]
    else:
        text = {
            "pooled": ("pooled quantiles of all region-years", "全部年份的分位数"),
            "year": ("each year's quantiles", "逐年分位数"),
            "relative": (
                "pooled quantiles of the values relative to the year's mean (Rey's relative incomes)",
                "相对值（除以当年均值）的全部年份分位数",
            ),
        }[markov.classes][lang]
    return text


def _lag_bounds(markov: MarkovOptions, lang: int) -> str:
    """The spatial lag's classes: m and their bounds (quantiles or given cut-offs)."""
    m = markov.n_lag_states
    if markov.lag_cutoffs:
        cutoffs = ", ".join(f"{c:g}" for c in markov.lag_cutoffs)
        return (f"m = {m} lag classes cut at {cutoffs}", f"m = {m} 个滞后类型，以 {cutoffs} 为界")[
            lang
        ]
    return (f"m = {m} quantile classes of the lag", f"m = {m} 个滞后分位数类型")[lang]


_HOMOGENEITY = (
    _f(
        r"Q=\sum_{l}\sum_{i}\sum_{j}n_{l,i}\frac{\left(p_{l,ij}-p_{ij}\right)^2}{p_{ij}},"
        r"\quad LR=2\sum_{l}\sum_{i}\sum_{j}n_{l,ij}\ln\frac{p_{l,ij}}{p_{ij}}",
        "Q = Σ_l Σ_i Σ_j n_l,i (p_l,ij − p_ij)² / p_ij; LR = 2 Σ_l Σ_i Σ_j n_l,ij ln(p_l,ij / p_ij)",
    ),
)

_RANK = _f(
    r"P_{ij}=\frac{\#\{(r,t):\ \mathrm{rank}_{r,t}=i,\ \mathrm{rank}_{r,t+1}=j\}}"
    r"{\#\{(r,t):\ \mathrm{rank}_{r,t}=i\}}",
    "P_ij = #{(r, t): rank_rt = i, rank_r,t+1 = j} / #{(r, t): rank_rt = i}",
)


def _markov_variant_steps(homogeneity: bool, rank: bool, lang: int) -> list[Step]:
    """The homogeneity tests of the Markov chain and the rank chains (docs/methods.md §4.3)."""
    steps = []
    if homogeneity:
        what = (
            "Q and LR (degrees of freedom corrected for empty cells) and Kullback's test, "
            "across the groups and the two halves of the period",
            "Q、LR 检验（自由度按空单元格修正）与 Kullback 检验，按分组与前后两个时段",
        )[lang]
        steps.append(
            Step(
                _STEP["markov_homogeneity"][lang],
                what,
                _HOMOGENEITY,
                _cite(["bickenbach2003", "kullback1962"]),
            )
        )
    if rank:
        what = (
            "full rank (states: ranks, 1 = highest) and geo rank (states: regions); "
            "P(stay) = P_ii, sojourn time 1/(1 − P_ii)",
            "全秩（状态为排名，1 为最高）与地理秩（状态为地区）；保持概率 P_ii，平均停留时间 1/(1 − P_ii)",
        )[lang]
        steps.append(Step(_STEP["rank_markov"][lang], what, (_RANK,), _cite(["rey2014"])))
    return steps


def _lisa_markov_step(lang: int) -> Step:
    """The LISA Markov chain of the Moran scatterplot quadrants (docs/methods.md §4.3)."""
    what = (
        "states HH, LH, LL, HL of each region-year (own value and neighbours' mean against "
        "the year's mean); χ² test of independent own and neighbourhood moves",
        "状态为各地区-年份所处象限 HH、LH、LL、HL（自身值与邻域均值相对当年均值）；"
        "自身与邻域转移独立性的 χ² 检验",
    )[lang]
    return Step(_STEP["lisa_markov"][lang], what, (_MARKOV,), _cite(["rey2001"]))


def _spatial_steps(
    options: SpatialOptions | None, lisa: bool, markov: MarkovOptions | None, lang: int
) -> list[Step]:
    """Global Moran's I, the LISA and the spatial Markov chain (docs/methods.md, spatial
    statistics; :mod:`nqpf.spatial.autocorrelation`, :mod:`nqpf.spatial.local`)."""
    steps: list[Step] = []
    if options is not None:
        style = SpatialOptions.info("style")
        # the report's Moran uses the statistic's own default where the option is None
        weights = style.choice_title(options.style or "r", ("en", "zh")[lang])
        details = [
            weights,
            ("randomisation variance", "随机化方差")[lang]
            if options.randomisation
            else ("normality variance", "正态方差")[lang],
            f"{options.permutations} " + ("permutations", "次置换")[lang],
        ]
        what = ("Moran's I by year", "逐年 Moran's I 指数")[lang] + _paren(details, lang)
        steps.append(Step(_STEP["moran"][lang], what, _MORAN, _cite(["moran1950"])))
        if lisa:
            what = (
                f"local Moran's I, clusters HH/LH/LL/HL at p < {options.alpha:g} "
                "(conditional permutations)",
                f"局部 Moran's I 指数，集聚类型 HH/LH/LL/HL，p < {options.alpha:g}（条件置换检验）",
            )[lang]
            steps.append(Step(_STEP["lisa"][lang], what, _LISA, _cite(["anselin1995"])))
    if markov is not None:
        what = (
            f"k = {markov.n_states} states, conditioned on the neighbours' state (spatial lag)",
            f"k = {markov.n_states} 个状态，以邻域状态（空间滞后）为条件",
        )[lang]
        what += _paren([_markov_bounds(markov, lang), _lag_bounds(markov, lang)], lang)
        steps.append(Step(_STEP["spatial_markov"][lang], what, (_MARKOV,), _cite(["rey2001"])))
    return steps


def _club_step(options: ClubOptions, lang: int) -> Step:
    """Phillips–Sul log t test and clubs (docs/methods.md §4.4)."""
    details = [f"r = {options.trim:.3g}", f"c* = {options.cstar:g}"]
    refs = ["phillips2007", "phillips2009", "andrews1991", "sichera2019"]
    if options.hp_lambda is not None:
        details.insert(0, f"HP λ = {options.hp_lambda:g}")
        refs.insert(2, "hodrick1997")
    if options.log:
        details.insert(0, ("logs", "取对数")[lang])
    if options.cstar_method == "incremental":
        details.append(
            (
                f"c* raised by {options.cstar_increment:g} up to {options.cstar_cap:g}",
                f"c* 按 {options.cstar_increment:g} 递增至 {options.cstar_cap:g}",
            )[lang]
        )
    if options.hac == "aqsb":
        details.append(("Andrews automatic bandwidth", "Andrews 自动带宽")[lang])
    if options.merge and options.merge_method == "vlt":
        details.append(("clubs merged (von Lyncker–Thoennessen)", "合并俱乐部（vLT 法）")[lang])
        refs.append("vonlyncker2017")
    elif options.merge:
        details.append(("clubs merged", "合并俱乐部")[lang])
    if options.merge_divergent:
        details.append(
            (
                f"divergent regions merged (e* = {options.estar:g})",
                f"合并发散地区（e* = {options.estar:g}）",
            )[lang]
        )
    variant = ("Phillips–Sul log t test", "Phillips–Sul log t 检验")[lang]
    return Step(_STEP["clubs"][lang], variant + _paren(details, lang), _CLUBS, _cite(refs))


def _density_step(bandwidth: Any, lang: int, bounds: tuple[float, float] | None = None) -> Step:
    """The Gaussian kernel density (docs/methods.md §4.5), reflected at ``bounds``."""
    refs = ["silverman1986"]
    if isinstance(bandwidth, str):
        name, formula = _BANDWIDTH[bandwidth]
        variant = ("Gaussian kernel, ", "高斯核，")[lang] + name[lang]
        formulas: tuple[Formula, ...] = (*_DENSITY, formula)
    else:
        variant = ("Gaussian kernel, h = ", "高斯核，h = ")[lang] + f"{float(bandwidth):g}"
        formulas = _DENSITY
    if bounds is not None:
        low, high = (f"{b:g}" for b in bounds)
        variant += (
            f"; reflected at {low} and {high} (the score's bounds)",
            f"；在 {low} 与 {high} 处反射（得分的取值边界）",
        )[lang]
        formulas = (*formulas, _REFLECTION)
        refs.insert(0, "schuster1985")
    return Step(_STEP["density"][lang], variant, formulas, _cite(refs))


# ---------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------

#: Headings of the writers, (English, Chinese).
TITLE: Pair = ("Methods", "研究方法")
_COLUMNS: dict[str, Pair] = {
    "step": ("step", "步骤"),
    "method": ("method", "方法"),
    "formula": ("formula", "公式"),
    "reference": ("reference", "参考文献"),
}
_REFERENCE: Pair = ("Reference", "参考文献")


def methods_text(*args: Any, language: str = "en", **analyses: Any) -> str:
    """The methods as plain Unicode text (Markdown paragraphs): each step's name and
    variant, its formulas and its reference. Takes the arguments of
    :func:`methods_steps`."""
    lang = _check_language(language)
    steps = methods_steps(*args, language=language, **analyses)
    parts = [f"## {TITLE[lang]}", ""]
    for step in steps:
        parts.append(f"**{step.step}** — {step.method}{_STOP[lang]}")
        parts += [f"    {formula.text}" for formula in step.formulas]
        if step.reference:
            parts.append(f"{_REFERENCE[lang]}: {step.reference}")
        parts.append("")
    return "\n".join(parts)


def methods_latex(*args: Any, language: str = "en", **analyses: Any) -> str:
    """The methods as a LaTeX fragment: a ``\\section*`` with one ``description`` item
    per step, each formula in display math (``\\[ … \\]``, commands of the LaTeX
    kernel only: no package needed). Takes the arguments of :func:`methods_steps`."""
    lang = _check_language(language)
    steps = methods_steps(*args, language=language, **analyses)
    return latex_fragment(steps, TITLE[lang], lang)


def latex_fragment(steps: Sequence[Step], title: str, lang: int = 0) -> str:
    """The LaTeX of :func:`methods_latex` for ``steps`` (all text escaped)."""
    # \sloppy: a step's text holds long unbreakable names (G\_w/G, references); spacing
    # loosens instead of the line running into the margin
    lines = [rf"\section*{{{latex_escape(title)}}}", r"\begingroup\sloppy", r"\begin{description}"]
    for step in steps:
        lines.append(rf"\item[{latex_escape(step.step)}] {latex_escape(step.method)}{_STOP[lang]}")
        lines += [rf"\[ {formula.latex} \]" for formula in step.formulas]
        if step.reference:
            lines.append(rf"{latex_escape(_REFERENCE[lang])}: {latex_escape(step.reference)}")
    lines += [r"\end{description}", r"\endgroup"]
    return "\n".join(lines)


def methods_frame(steps: Sequence[Step], language: str = "en") -> pl.DataFrame:
    """The steps as a table (step, method, formula in Unicode, reference), with the
    column names in ``language``."""
    lang = _check_language(language)
    columns = {
        "step": [s.step for s in steps],
        "method": [s.method for s in steps],
        "formula": ["; ".join(f.text for f in s.formulas) for s in steps],
        # no reference is null, not "" (an empty XLSX cell reads back as null)
        "reference": [s.reference or None for s in steps],
    }
    return pl.DataFrame(
        {_COLUMNS[key][lang]: values for key, values in columns.items()},
        schema={_COLUMNS[key][lang]: pl.String for key in columns},
    )


# ---------------------------------------------------------------------------
# the report's section
# ---------------------------------------------------------------------------

_NOTE: Pair = (
    "The formulas of the options this report used, with their references.",
    "本报告所用方法及选项的公式与参考文献。",
)


def report_steps(ctx: Any) -> tuple[Step, ...]:
    """The steps of what a report ran, read from its :class:`~nqpf.report.sections.Context`
    after the other sections: the index options of the result, the echelons and the
    Markov states of the report's options, and each analysis whose table (or chart) is
    in the report, with the options the report ran it with (the families' defaults)."""
    names = {item.name for item in ctx.tables}
    # a context without the Markov options (one made by hand) has the report's k
    markov = getattr(ctx, "markov", None) or MarkovOptions(k=ctx.options.markov_k)
    beta: list[str] = []
    for item in ctx.tables:
        if item.name == "beta" and "effects" in item.frame.columns:
            beta = list(dict.fromkeys(item.frame.get_column("effects").to_list()))
    return methods_steps(
        ctx.result.options,
        echelons=_report_echelons(ctx) if ctx.tiers is not None else None,
        dagum=DagumOptions() if any(n.startswith("dagum_") for n in names) else None,
        sigma="sigma" in names,
        beta=[effects for effects in beta if effects in _BETA],
        markov=markov if "markov" in names else None,
        clubs=getattr(ctx, "club_options", None) or ClubOptions() if "clubs" in names else None,
        density="silverman" if "density" in ctx.figures else None,
        density_bounds=ctx.result.score_bounds,
        obstacles="obstacles" in names,
        spatial=getattr(ctx, "spatial", None) if "moran" in names else None,
        lisa=any(name.startswith("lisa_map") for name in ctx.figures),
        spatial_markov=markov if "spatial_markov" in names else None,
        coupling=CouplingOptions() if "coupling_by_year" in names else None,
        theil=any(name.startswith("theil_") for name in names),
        gini_sources="gini_sources" in names,
        geodetector=getattr(ctx, "geo_options", None) if "geodetector" in names else None,
        conditional="conditional_density" in ctx.figures,
        small_sample=getattr(ctx.options, "small_sample", "stata"),
        markov_homogeneity="markov_homogeneity" in names,
        rank_markov=any(n in names for n in ("full_rank_markov", "geo_rank_markov")),
        lisa_markov="lisa_markov" in names,
        language=getattr(ctx.options, "language", "en"),
    )


def _report_echelons(ctx: Any) -> EchelonOptions:
    """The echelon options a report ran (:meth:`~nqpf.report.sections.Context.echelon_options`;
    the rule and k of its options for a context made by hand)."""
    if hasattr(ctx, "echelon_options"):
        return ctx.echelon_options()  # type: ignore[no-any-return]
    return EchelonOptions(rule=ctx.options.echelon_rule, k=ctx.options.k)


def report_methods(ctx: Any, name: str) -> Any:
    """The methods section of a report (a :class:`~nqpf.report.ReportTable` named
    ``name``): the table of :func:`methods_frame` for HTML, Markdown, XLSX and CSV, and
    the LaTeX of :func:`latex_fragment` for report.tex."""
    from nqpf.report.document import ReportTable

    language = getattr(ctx.options, "language", "en")
    lang = _check_language(language)
    steps = report_steps(ctx)
    # the data keep the English column names in every language, as every report table
    # (the documents show the translated ones)
    return ReportTable(
        name,
        TITLE[lang],
        methods_frame(steps, "en"),  # English column names: the keys
        _NOTE[lang],
        latex=latex_fragment(steps, TITLE[lang], lang),
        shown=methods_frame(steps, language),
    )
