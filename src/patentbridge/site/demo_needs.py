"""The 176 real BDCI-2019 technology needs, posted by the demo enterprise whose field they fit.

Each demo enterprise stands for one Shandong city's industry; a need goes to the first enterprise
whose field words occur in its title (then its text), else to the Qingdao manufacturer. The words
are plain industry vocabulary, not tuned on the needs' relevance judgments.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

from patentbridge.accounts.models import Organization
from patentbridge.demands.models import TechNeed
from patentbridge.demands.services import create_need

__all__ = ["NEED_SOURCE", "enterprise_for", "load_needs"]

NEED_SOURCE = "CCF BDCI 2019 公开技术需求数据"
_DEFAULT = "青岛示范制造有限公司（演示）"
# Checked in this order: the more specific industries first.
_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "济宁示范矿山装备有限公司（演示）",
        ("煤", "矿", "瓦斯", "巷道", "钻井", "钻探", "掘进", "采煤", "回采", "锚固"),
    ),
    (
        "烟台示范生物医药有限公司（演示）",
        (
            "药",
            "疫苗",
            "诊断",
            "医",
            "细胞",
            "蛋白",
            "激素",
            "维生素",
            "解剖",
            "疾病",
            "胆碱",
            "关节",
            "疫病",
        ),
    ),
    (
        "潍坊示范农业食品有限公司（演示）",
        (
            "小麦",
            "玉米",
            "水稻",
            "种质",
            "饲料",
            "肥",
            "农业",
            "食品",
            "香菇",
            "鸽",
            "猪",
            "蜂",
            "花椒",
            "油菜",
            "植保",
            "拖拉机",
            "西瓜",
            "餐具",
            "迷迭香",
            "植物",
            "冷链",
        ),
    ),
    (
        "泰安示范输变电设备有限公司（演示）",
        (
            "起重机",
            "电机",
            "变压器",
            "开关",
            "断路器",
            "电力",
            "避雷",
            "绝缘子",
            "互感器",
            "电缆",
            "吊钩",
            "灭弧",
        ),
    ),
    (
        "淄博示范化工材料有限公司（演示）",
        (
            "化工",
            "材料",
            "催化",
            "合金",
            "钢",
            "铝",
            "陶瓷",
            "塑",
            "橡胶",
            "镀",
            "焊接",
            "粉体",
            "纤维",
            "耐火",
            "金刚石",
            "氮化硼",
            "废水",
            "盐酸",
            "电解液",
            "添加剂",
            "渗滤膜",
            "蒸馏",
            "窑",
            "炉渣",
        ),
    ),
    (
        "济南示范信息技术有限公司（演示）",
        (
            "软件",
            "系统",
            "平台",
            "智能",
            "数据",
            "信息",
            "5G",
            "传感",
            "RFID",
            "网络",
            "算法",
            "云",
            "半导体",
            "虚拟",
            "遥感",
            "物联",
            "互联",
            "机器人",
            "数控",
            "以太",
        ),
    ),
)


def enterprise_for(title: str, text: str) -> str:
    """The demo enterprise (by name) that posts a need with this title and description."""
    for haystack in (title, text):
        for name, words in _FIELDS:
            if any(word in haystack for word in words):
                return name
    return _DEFAULT


def load_needs(actor: Any, demo_dir: Path, stdout: Any) -> None:
    """Post the 176 real needs once, each by its field's demo enterprise (skipped when present)."""

    if TechNeed.objects.filter(source=NEED_SOURCE).exists():
        return
    orgs = {o.name: o for o in Organization.objects.filter(name__endswith="（演示）")}
    text = gzip.decompress((demo_dir / "bdci2019_tech_needs.csv.gz").read_bytes()).decode("utf-8")
    counts: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(text)):
        description = (row.get("content") or "").strip() or row["title"]
        name = enterprise_for(row["title"], description)
        create_need(
            actor=actor,
            data={"title": row["title"], "description": description[:20_000]},
            org=orgs[name],
            source=NEED_SOURCE,
        )
        counts[name] = counts.get(name, 0) + 1
    summary = "，".join(f"{name.removesuffix('（演示）')} {n}" for name, n in sorted(counts.items()))
    stdout.write(f"  技术需求：{sum(counts.values())} 条（{summary}）\n")
