"""Automatic findings (结论) of a navigation report, each tied to a suggested action (对策): the
guide's anti-"假导航" rule wants every conclusion to lead somewhere — a menu push, a collaboration
contact, a talent target, an R&D direction or a data task. Operators edit or add to them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ACTION_KINDS", "auto_findings"]

ACTION_KINDS = {
    "push": "专利推送（专利菜单）",
    "collaborate": "产学研合作对接",
    "talent": "人才引育",
    "rnd": "研发布局",
    "invest": "招商引资",
    "data": "数据补充",
}
# Below this share of known legal states the legal-status section cannot carry a conclusion.
LEGAL_COVERAGE_MIN = 0.8


def _finding(code: str, text: str, kind: str, action: str, section: str) -> dict[str, Any]:
    return {"code": code, "text": text, "action_kind": kind, "action": action, "section": section}


def _counts_platform(sections: Mapping[str, Any]) -> bool:
    return any(r[0] == "平台许可" for r in sections["operations"]["rows"])


def auto_findings(sections: dict[str, Any]) -> list[dict[str, Any]]:
    """Findings read from the computed sections, in a fixed order (so equal sections give equal
    findings)."""
    out: list[dict[str, Any]] = []
    life = sections["trend"]["lifecycle"]
    if life["stage"] != "样本不足":
        growth = "" if life["growth"] is None else f"，近三个完整年度较前三年增长 {life['growth']:.0%}"
        out.append(
            _finding(
                "stage",
                f"技术处于{life['stage']}（近三年 {life['recent']} 件，前三年 {life['previous']} 件{growth}）。",
                "rnd",
                "成长期加快布局核心分支；成熟期转向改进与运营；衰退期评估存量专利的许可与转让。",
                "trend",
            )
        )
    for gap in sections["gaps"]["rows"][:3]:
        branch, name = gap[0], gap[1]
        partners = [c for c in sections["collaboration"]["rows"] if c[1] == branch]
        if partners:
            who = "、".join(f"{p[0]}（{p[3]} 件）" for p in partners[:2])
            action = f"对接 {who}，以许可或合作研发补齐该分支。"
            kind = "collaborate"
        else:
            action = "库内暂无高校在该分支持有专利，建议面向域外引进技术或企业。"
            kind = "invest"
        out.append(
            _finding(
                f"gap:{branch}",
                f"{branch}（{name}）为薄弱分支：本范围 {gap[2]} 件，全库 {gap[3]} 件，专业化指数 {gap[4] or 0}。",
                kind,
                action,
                "gaps",
            )
        )
    for strong in sections["gaps"]["strengths"][:1]:
        out.append(
            _finding(
                f"strength:{strong[0]}",
                f"{strong[0]}（{strong[1]}）为优势分支，专业化指数 {strong[4]}（本范围 {strong[2]} 件）。",
                "invest",
                "围绕优势分支开展产业链招商与龙头企业培育。",
                "positioning",
            )
        )
    key = sections["key_patents"]
    if key["idle"]:
        # Reports that count the platform's own licences say so; older versions keep their text.
        ways = (
            "转让、许可、质押、开放许可或平台许可"
            if _counts_platform(sections)
            else "转让、许可、质押或开放许可"
        )
        out.append(
            _finding(
                "idle-key",
                f"{key['count']} 件 A 级或高价值专利中有 {key['idle']} 件尚无{ways}记录。",
                "push",
                "将未运营的重点专利编入专利菜单，向本地产业链企业推送。",
                "key_patents",
            )
        )
    teams = sections["inventors"]["teams"]
    if teams:
        institution, lead, count = teams[0]
        out.append(
            _finding(
                "team",
                f"最活跃的研发团队为 {institution} {lead} 团队（{count} 件）。",
                "talent",
                f"邀请 {lead} 团队参加路演或设立联合研发项目。",
                "inventors",
            )
        )
    if sections["positioning"]["scope_total"] and sections["legal_status"]["coverage"] < LEGAL_COVERAGE_MIN:
        out.append(
            _finding(
                "legal-coverage",
                f"仅 {sections['legal_status']['coverage']:.0%} 的专利有法律状态，有效性结论不可靠。",
                "data",
                "补充导入法律状态数据后刷新本报告。",
                "legal_status",
            )
        )
    return out
