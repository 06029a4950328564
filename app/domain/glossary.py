"""The Simplified Chinese glossary: one Chinese term per English term, and the renderings
to avoid. The tables of docs/zh-glossary.md are written from these rows (`markdown`;
tests/unit/domain/test_glossary.py keeps the page and the rows the same), and the bank
lint's `glossary` rule (app.domain.lint_glossary) finds the avoided renderings with
`avoided_in`.

An avoided rendering is one of three kinds:

- plain: wrong wherever bank text uses it (审计 for audit), except inside the longer
  phrases listed as `allowed` (运营商, an operator, holds 运营);
- with a `cue`: wrong only for one sense of a word that has others (需求 is "demand", and
  wrong only for a requirement). The lint flags it where the English text of the same
  field uses the term (`cue`, a pattern read case-insensitively) and the Chinese text
  does not use the glossary's term at all; with no English beside it, it is not checked;
- `checked=False`: a distinction only a reader can make (不符合项 is the term for a
  written finding but not for nonconformity itself); listed for writers, never flagged.

`when` is the condition as the page writes it in brackets after the rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Avoid:
    """A rendering the glossary avoids for a term (see the module docstring)."""

    text: str
    when: str = ""
    cue: str = ""
    allowed: tuple[str, ...] = ()
    checked: bool = True


@dataclass(frozen=True)
class Term:
    """One row of the glossary: the English term, its Chinese term, what to avoid."""

    english: str
    chinese: str
    avoid: tuple[Avoid, ...] = ()
    note: str = ""


A, T = Avoid, Term
# Where English speaks of a requirement of the standard (需求 is wrong only for those).
_OF_THE_STANDARD = (
    r"\brequirements? (?:of|in) (?:ISO|the standard|clauses?\b|\d)"
    r"|\b(?:standard|clause [\d.]+)(?:'s)? requirements?"
    r"|\brequirements? (?:is|are|was|were|has been|have been) (?:not |un)?"
    r"(?:met|fulfilled|addressed)"
)

STANDARD: tuple[Term, ...] = (
    T(
        "service management system (SMS)",
        "服务管理体系（SMS）",
        (A("服务管理系统"),),
        note='体系, never 系统, for "management system"',
    ),
    T(
        "management system",
        "管理体系",
        (A("管理系统", allowed=("信息管理系统",)),),
        note="a software product keeps 系统: laboratory information management system "
        "实验室信息管理系统",
    ),
    T("top management", "最高管理者", (A("高层管理"), A("高级管理层"))),
    T("interested party", "相关方", (A("利益相关者"), A("利益相关方"))),
    T("documented information", "成文信息", (A("文件化信息"), A("书面信息"))),
    T("risks and opportunities", "风险和机遇", (A("风险和机会"),)),
    T("opportunity for improvement", "改进机会", note="audit usage"),
    T("context of the organization", "组织环境", (A("组织背景"),), note="clause 4"),
    T("organization", "组织"),
    T(
        "requirement",
        "要求",
        (A("需求", "for a requirement of the standard", cue=_OF_THE_STANDARD),),
        note='需求 is "demand"',
    ),
    T("policy", "方针", (A("政策"),), note="e.g. 服务管理方针"),
    T("objective", "目标"),
    T(
        "process",
        "过程",
        (A("流程", "in clause text", cue=r"\bprocess"),),
        note="e.g. 变更管理过程",
    ),
    T("procedure", "程序"),
    T('plan (verb, as in "plan the SMS")', "策划", (A("规划"),)),
    T("performance", "绩效", (A("表现"),)),
    T("performance evaluation", "绩效评价", (A("绩效评估"),), note="clause 9"),
    T("monitoring and measurement", "监视和测量", (A("监控和测量"),)),
    T("effectiveness", "有效性"),
    T("competence", "能力", (A("胜任力"),)),
    T("awareness", "意识"),
    T("communication", "沟通"),
    T("leadership", "领导作用", (A("领导力"),), note="clause 5"),
    T("support", "支持", note="clause 7"),
    T(
        "operation",
        "运行",
        (
            A("运营", allowed=("运营商", "运营负责人", "运营经理")),
            A("操作", "for operation", cue=r"\boperation"),
        ),
        note="clause 8; an operator (network, data centre) is 运营商, job titles keep 运营 "
        "(head of operations 运营负责人), and 操作 stays for operating a tool (操作日志)",
    ),
    T("improvement", "改进", (A("改善"),), note="clause 10"),
    T("continual improvement", "持续改进", (A("连续改进"),)),
    T(
        "conformity",
        "符合",
        (A("合规", "for conformity", cue=r"\bconform"),),
        note="合规 stays for compliance (licence compliance 许可证合规)",
    ),
    T(
        "nonconformity",
        "不符合",
        (A("不合格"), A("不符合项", "as the term", checked=False)),
        note="不符合项 is fine for a written finding",
    ),
    T("correction", "纠正"),
    T("corrective action", "纠正措施", (A("改正措施"),)),
    T("outsource", "外包"),
    T("service", "服务"),
    T("service provider", "服务提供方", (A("服务商"), A("服务供应商")), note="*house*"),
    T(
        "customer",
        "顾客",
        (
            A(
                "客户",
                "for the ISO term",
                cue=r"\bcustomer",
                allowed=("客户经理", "客户成功团队", "客户运营"),
            ),
        ),
        note="Everyday job and team names keep their usual Chinese: account manager 客户经理, "
        "customer success team 客户成功团队, head of customer operations 客户运营负责人; "
        "a certification body's client is 客户",
    ),
    T("user", "用户", (A("使用者"),)),
    T("supplier", "供方", (A("供应商"),)),
    T("external supplier", "外部供方", (A("外部供应商"),)),
    T("internal supplier", "内部供方", (A("内部供应商"),)),
    T("service catalogue", "服务目录", (A("服务清单"),)),
    T("service component", "服务组件"),
    T(
        "service requirements",
        "服务要求",
        (A("服务需求", "for service requirements", cue=r"\bservice requirement"),),
        note="服务需求 is the demand for services (demand management)",
    ),
    T("asset management", "资产管理"),
    T("configuration management", "配置管理"),
    T("configuration item (CI)", "配置项（CI）", (A("配置条目"),)),
    T("configuration management database (CMDB)", "配置管理数据库（CMDB）"),
    T("business relationship management", "业务关系管理", (A("客户关系管理"),)),
    T("service level management", "服务级别管理", (A("服务水平管理"),)),
    T("service level agreement (SLA)", "服务级别协议（SLA）", (A("服务水平协议"),)),
    T("service level target", "服务级别目标"),
    T("supplier management", "供方管理", (A("供应商管理"),)),
    T("budgeting and accounting for services", "服务的预算和核算", (A("服务预算与会计"),)),
    T("demand management", "需求管理"),
    T("capacity management", "容量管理", (A("产能管理"),)),
    T("change management", "变更管理"),
    T("emergency change", "紧急变更"),
    T("standard change", "标准变更", note="*house*"),
    T("service design and transition", "服务设计和转换", (A("服务设计与过渡"),)),
    T("release and deployment management", "发布和部署管理", (A("发布与部署管理"),)),
    T(
        "release",
        "发布",
        (A("版本", "for a release", cue=r"\brelease", allowed=("最新版本", "补丁版本")),),
        note="a vendor's release of its product is a 版本 (最新版本, 补丁版本)",
    ),
    T("deployment", "部署"),
    T("acceptance criteria", "验收准则", (A("验收标准"),)),
    T("incident", "事件", (A("事故"),), note="GB/T 24405.1 uses 事件 for incident"),
    T("major incident", "重大事件", (A("重大事故"),)),
    T("service request", "服务请求"),
    T("problem", "问题", note="the term, as in 问题管理"),
    T("known error", "已知错误"),
    T("workaround", "临时解决办法", (A("变通方法"), A("权宜之计")), note="*house*"),
    T("service assurance", "服务保证", note="clause 8.7 heading"),
    T("service availability management", "服务可用性管理"),
    T("availability", "可用性"),
    T(
        "service continuity management",
        "服务连续性管理",
        (A("业务连续性管理", "for 8.7.2", cue=r"\bservice continuity"),),
    ),
    T("continuity", "连续性"),
    T("information security management", "信息安全管理"),
    T("service reporting", "服务报告"),
    T(
        "internal audit",
        "内部审核",
        (A("内审", "in bank text", allowed=("内审核",)), A("内部审计")),
        note="内审 is fine in casual UI text; 内审核 is …内 审核 (时间内审核)",
    ),
    T("management review", "管理评审", (A("管理审查"),)),
    T("audit", "审核", (A("审计"),), note="审计 is financial audit"),
)

AUDIT: tuple[Term, ...] = (
    T("audit criteria", "审核准则", (A("审核标准"),)),
    T("audit evidence", "审核证据"),
    T("audit findings", "审核发现"),
    T("audit conclusion", "审核结论"),
    T("audit programme", "审核方案", (A("审核计划", "for a programme", cue=r"\baudit program"),)),
    T("audit plan", "审核计划"),
    T("audit scope", "审核范围"),
    T("auditor", "审核员", (A("审计师"),)),
    T("lead auditor", "审核组长", (A("首席审核员"),)),
    T("audit team", "审核组"),
    T("auditee", "受审核方", (A("被审核方"),)),
    T("certification", "认证"),
    T("certification body", "认证机构", (A("认证公司"),)),
    T("initial certification audit", "初次认证审核"),
    T("stage 1 audit / stage 2 audit", "第一阶段审核 / 第二阶段审核"),
    T("surveillance audit", "监督审核"),
    T("recertification audit", "再认证审核", (A("复审", allowed=("重复审核",)),)),
    T("major nonconformity", "严重不符合", (A("重大不符合"),)),
    T("minor nonconformity", "一般不符合", (A("轻微不符合"),), note="*house* (common CNAS usage)"),
    T("observation", "观察项"),
    T("sampling", "抽样"),
    T("objective evidence", "客观证据"),
)

# Clausewise's own words: nothing to avoid, so no Avoid column.
OWN_WORDS: tuple[Term, ...] = (
    T("question bank", "题库"),
    T("question, item", "试题（lists: 题目）"),
    T("stem", "题干"),
    T("option", "选项"),
    T("key (correct answer)", "正确答案"),
    T("distractor", "干扰项"),
    T("explanation", "解析"),
    T("scenario / case", "案例"),
    T(
        "clause",
        "条款",
        note='As GB/T 1.1 numbers a standard: a top-level clause is a 章 ("clause 8" → 第 8 章, '
        '"clauses 4 to 10" → 第 4 章至第 10 章), a subclause a 条 ("clause 8.5.1" → '
        "第 8.5.1 条); 条款 8.5.1 in labels",
    ),
    T(
        "Foundation / Practitioner / Auditor",
        "基础级 / 从业者级 / 审核员级",
        note="qualification levels",
    ),
    T("scheme (qualification scheme)", "考试方案"),
    T("mock exam", "模拟考试"),
    T("practice", "练习"),
    T("drill", "专项练习"),
    T("attempt", "作答（a count: 次作答）"),
    T("score", "得分"),
    T("pass mark", "及格线"),
    T("readiness", "备考就绪度", note='"ready for the exam" → 已可参加考试'),
    T("item analysis", "试题分析"),
    T("facility", "通过率"),
    T("discrimination", "区分度"),
    T("reliability", "信度"),
    T("learner", "学员"),
    T("trainer", "培训师"),
    T("manager", "经理"),
    T("team", "团队"),
    T("evidence pack", "证据包"),
    T("blueprint", "组卷蓝图"),
    T("review (an attempt)", "回顾", note="not 评审, which is 管理评审"),
    T("flag (an item for review)", "标记"),
    T("stale translation", "译文已过期"),
)

# The page's sections: heading → rows, and whether the table has an Avoid column.
SECTIONS: tuple[tuple[str, tuple[Term, ...], bool], ...] = (
    ("Terms of the standard", STANDARD, True),
    ("Audit and certification", AUDIT, True),
    ("Clausewise's own words", OWN_WORDS, False),
)
_BRACKETED = re.compile(r"（[^）]*）")


@dataclass(frozen=True)
class Use:
    """An avoided rendering found in a text: the rendering and the term it stands for."""

    avoid: Avoid
    term: Term
    start: int
    end: int


def _core(chinese: str) -> str:
    """A Chinese term without its bracketed abbreviation: 服务管理体系（SMS） → 服务管理体系."""
    return _BRACKETED.sub("", chinese).strip()


@cache
def _cue(pattern: str) -> re.Pattern[str]:
    """A cue compiled, read case-insensitively."""
    return re.compile(pattern, re.IGNORECASE)


def _masked(text: str, phrases: tuple[str, ...]) -> str:
    """The text with the allowed phrases blanked out (same length, so places hold)."""
    for phrase in phrases:
        text = text.replace(phrase, "\0" * len(phrase))
    return text


def _uses(chinese: str, english: str | None, term: Term, avoid: Avoid) -> list[Use]:
    """Where the Chinese text uses one avoided rendering of a term."""
    if not avoid.checked or avoid.text not in chinese:
        return []
    if avoid.cue and (
        english is None or not _cue(avoid.cue).search(english) or _core(term.chinese) in chinese
    ):
        return []
    text = _masked(chinese, avoid.allowed)
    found, at = [], text.find(avoid.text)
    while at >= 0:
        found.append(Use(avoid, term, at, at + len(avoid.text)))
        at = text.find(avoid.text, at + 1)
    return found


def avoided_in(chinese: str, english: str | None = None) -> list[Use]:
    """The avoided renderings a Chinese text uses, each rendering once, in the order they
    first appear. `english` is the same text in English, when there is one: the cued
    renderings are checked only against it. A rendering inside a longer avoided one
    (供应商 in 服务供应商) is left to the longer one."""
    found = [
        use
        for term in (*STANDARD, *AUDIT)
        for avoid in term.avoid
        for use in _uses(chinese, english, term, avoid)
    ]
    kept = [
        use
        for use in found
        if not any(
            other.end - other.start > use.end - use.start
            and other.start <= use.start
            and use.end <= other.end
            for other in found
        )
    ]
    first: dict[str, Use] = {}
    for use in sorted(kept, key=lambda u: (u.start, -u.end)):
        first.setdefault(use.avoid.text, use)
    return list(first.values())


# --- the page's tables ----------------------------------------------------------------------


def _avoid_cell(avoid: Avoid) -> str:
    """One avoided rendering as the page writes it: 客户 (for the ISO term; not in 客户经理)."""
    said = [avoid.when] if avoid.when else []
    if avoid.allowed:
        said.append("not in " + ", ".join(avoid.allowed))
    return f"{avoid.text} ({'; '.join(said)})" if said else avoid.text


def _row(cells: list[str]) -> str:
    """One Markdown table row; an empty cell is one space, as the page writes it."""
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def markdown(rows: tuple[Term, ...], with_avoid: bool) -> str:
    """One of the page's tables, in Markdown."""
    if with_avoid:
        lines = ["| English | 中文 | Avoid | Note |", "|---|---|---|---|"]
        lines += [
            _row([t.english, t.chinese, ", ".join(map(_avoid_cell, t.avoid)), t.note]) for t in rows
        ]
    else:
        lines = ["| English | 中文 | Note |", "|---|---|---|"]
        lines += [_row([t.english, t.chinese, t.note]) for t in rows]
    return "\n".join(lines)


def page_tables() -> list[tuple[str, str]]:
    """(heading, table) of each of the page's sections, in order."""
    return [(heading, markdown(rows, avoid)) for heading, rows, avoid in SECTIONS]


if __name__ == "__main__":  # prints the tables to paste into docs/zh-glossary.md
    for heading, table in page_tables():
        print(f"## {heading}\n\n{table}\n")
