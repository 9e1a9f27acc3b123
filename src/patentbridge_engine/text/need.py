"""Need-text reduction: keep the technical problem and target of an enterprise need, drop the rest.

Real needs posted on tech-transfer platforms are long and mixed: the problem and the target sit
beside sections about the company (公司简介, 现有工作基础), the form of cooperation (合作方式),
money and contacts, and platform forms often paste the whole description twice. Every word of
that boilerplate is a query term for BM25 and a component of the query vector, so it pulls in
patents about factories, sales and cooperation. The rules here are structural and lexical
(section headers, company self-description, repetition), not learnt from any evaluation set.
"""

from __future__ import annotations

import re

__all__ = ["reduce_need_text"]

# Section headers whose section says nothing about the technology sought (#7: boilerplate).
_DROP_HEADERS = (
    "现有工作基础",
    "工作基础",
    "现有基础",
    "研究基础",
    "实验基础",
    "前期基础",
    "已有基础",
    "现有条件",
    "公司简介",
    "企业简介",
    "单位简介",
    "公司介绍",
    "企业介绍",
    "公司概况",
    "企业概况",
    "单位概况",
    "合作方式",
    "合作模式",
    "合作形式",
    "合作意向",
    "合作要求",
    "经费预算",
    "资金投入",
    "投资预算",
    "投入资金",
    "联系方式",
    "联系人",
    "知识产权归属",
    "进度安排",
    "阶段目标",
)
# Headers that open a kept section; they are removed (the header words are form labels) but
# their section stays. Longest first so that "需求内容及预期目标" is not read as "目标".
_KEEP_HEADERS = (
    "需求内容及预期目标",
    "需求内容及合作目标",
    "内容及预期目标",
    "内容及目标",
    "需求内容",
    "需求描述",
    "需求背景",
    "技术需求",
    "研究内容",
    "研究目标",
    "项目内容",
    "项目目标",
    "预期目标",
    "技术指标",
    "考核指标",
    "主要考核指标",
    "存在问题",
    "技术难题",
    "技术难点",
    "需解决的问题",
    "目标",
)
_HEADER_WORDS = "|".join(sorted((re.escape(h) for h in _DROP_HEADERS + _KEEP_HEADERS), key=len, reverse=True))
# A section starts at a known header followed by a colon ("现有工作基础：") or at a top-level
# enumerator ("二、", "（三）"), which also ends a dropped section even when its heading is unknown
# ("三、希望解决的技术难题"): numbered items inside a section use Arabic numerals ("1、").
_HEADER = re.compile(
    rf"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\s*(?:({_HEADER_WORDS})\s*[：:]?)?|({_HEADER_WORDS})\s*[：:]"
)
_DROP = frozenset(_DROP_HEADERS)
# Sentence ends, and list markers that start a new clause ("1、", "（2）", "②").
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
# A sentence about the company itself rather than the problem: a subject word and a
# self-description cue in the same sentence ("公司2018年度实现销售收入…", "我公司成立于…").
_SELF = re.compile(r"公司|企业|我单位|本单位|集团|我们|我方|本厂|我厂")
_SELF_CUES = re.compile(
    r"成立|注册资本|销售收入|营业收入|销售额|产值|利润|纳税|税收|员工|职工|人员|占地|厂房|资产|"
    r"高新技术企业|位于|坐落|创建于|始建于|专业从事|主营|是一家|荣获|被评为|认定为|资金|万元|亿元|"
    r"合作|联系|市场前景|经济效益|社会效益|人力资源|管理"
)
# Cooperation and wish sentences without technical content ("希望与高校合作解决").
_WISH = re.compile(r"^(?:希望|寻求|寻找|拟|欢迎|诚邀|诚征|征集).{0,20}(?:合作|专家|团队|单位|高校|院所)")
_SPACE = re.compile(r"\s+")
# Below this length a text is a search box query, not a posted need: nothing to reduce.
_MIN_CHARS = 120


def _sections(text: str) -> list[tuple[bool, str]]:
    """(keep?, body) for the text before the first header and for each header's section."""
    out: list[tuple[bool, str]] = []
    last, keep = 0, True
    for match in _HEADER.finditer(text):
        out.append((keep, text[last : match.start()]))
        header = match.group(1) or match.group(2) or ""
        # An enumerated heading without a known header word: judge it by its first words.
        keep = header not in _DROP and not any(
            h in text[match.end() : match.end() + 12] for h in _DROP_HEADERS
        )
        last = match.end()
    out.append((keep, text[last:]))
    return out


def _is_boilerplate(sentence: str) -> bool:
    return bool(_SELF.search(sentence) and _SELF_CUES.search(sentence)) or bool(_WISH.search(sentence))


def _without_repeat(text: str) -> str:
    """``text`` with a description pasted twice kept once: forms often repeat the whole body
    (after the title), which doubles every boilerplate term as much as every technical one."""
    compact = _SPACE.sub("", text)
    for start in (0, compact.find("。") + 1):
        body = compact[start:]
        half = len(body) // 2
        if half >= 10 and len(body) % 2 == 0 and body[:half] == body[half:]:
            return compact[: start + half]
    return text


def reduce_need_text(text: str) -> str:
    """The technical part of a need text: kept sections, without repeated sentences, company
    self-description or cooperation wishes. Short texts (search queries) come back unchanged, and
    so does a text whose every sentence would be dropped."""
    text = _without_repeat(text)
    if len(text) < _MIN_CHARS:
        return text
    kept: list[str] = []
    seen: set[str] = set()
    for keep, body in _sections(text):
        if not keep:
            continue
        for raw in _SENTENCE.findall(body):
            sentence = _SPACE.sub("", raw)
            key = sentence.rstrip("。！？!?；;")
            if len(key) < 2 or key in seen:
                continue
            seen.add(key)
            if not _is_boilerplate(sentence):
                kept.append(sentence)
    reduced = "".join(s if s[-1] in "。！？!?；;" else s + "。" for s in kept)
    return reduced if len(reduced) >= 10 else text
