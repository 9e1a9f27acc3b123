"""The rows of a university's annual 科技成果转化情况 data (促进科技成果转化法 2015 Art. 21: state-run
research institutes and universities report yearly on their results, how they were transformed
and the income and its distribution; guide transactions-and-analytics §2.d item 3 and §2.d exports).

Each row is read from the platform catalogue, so a number means what its indicator means:

- ``flow``: the indicator's value at the year's end minus its value on the day before the year
  began (only cumulative indicators, counted by their record date);
- ``stock``: the indicator's value at the year's end;
- ``absent``: the law's item that the platform does not record (transfers of ownership and
  investment of results as equity happen outside the platform); shown as not recorded, never 0.

``row`` names a breakdown row of the indicator ("" = the headline value).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ART21_ROWS", "ART21_SOURCE", "Art21Row"]

ART21_SOURCE = "促进科技成果转化法（2015）第二十一条：国家设立的研究开发机构、高等院校应当向主管部门提交科技成果转化情况年度报告"


@dataclass(frozen=True)
class Art21Row:
    """One line of the annual data: how it is computed and where its definition comes from."""

    id: str
    name: str
    how: str
    indicator: str
    row: str
    unit: str
    definition: str
    source: str


_LAW = "促进科技成果转化法第二十一条（转化情况）"
_INCOME = "促进科技成果转化法第二十一条（收入及分配情况）"
ART21_ROWS: tuple[Art21Row, ...] = (
    Art21Row(
        "A21-01",
        "年末可转化专利（已入库）",
        "stock",
        "LIB-APPROVED",
        "",
        "件",
        "年末已进入可转化资源库的本单位专利",
        f"{_LAW}；平台指标 LIB-APPROVED",
    ),
    Art21Row(
        "A21-02",
        "本年新增入库专利",
        "flow",
        "LIB-APPROVED",
        "",
        "件",
        "本年内经学校审核入库（或导入入库）的本单位专利",
        f"{_LAW}；平台指标 LIB-APPROVED（本年新增）",
    ),
    Art21Row(
        "A21-03",
        "本年以许可方式转化的合同数",
        "flow",
        "LIC-LICENCES",
        "",
        "项",
        "本单位作为许可人、签订日在本年内的专利实施许可合同（含先试用、开放许可实施）",
        f"{_LAW}；平台指标 LIC-LICENCES（本年新增）",
    ),
    Art21Row(
        "A21-04",
        "其中：普通许可",
        "flow",
        "LIC-LICENCES",
        "ordinary",
        "项",
        "同上，许可类型为普通许可",
        f"{_LAW}；平台指标 LIC-LICENCES 明细“普通许可”",
    ),
    Art21Row(
        "A21-05",
        "其中：排他许可",
        "flow",
        "LIC-LICENCES",
        "sole",
        "项",
        "同上，许可类型为排他许可",
        f"{_LAW}；平台指标 LIC-LICENCES 明细“排他许可”",
    ),
    Art21Row(
        "A21-06",
        "其中：独占许可",
        "flow",
        "LIC-LICENCES",
        "exclusive",
        "项",
        "同上，许可类型为独占许可",
        f"{_LAW}；平台指标 LIC-LICENCES 明细“独占许可”",
    ),
    Art21Row(
        "A21-07",
        "其中：先试用许可",
        "flow",
        "LIC-TRIALS",
        "",
        "项",
        "本年签订、含免费试用期的许可合同",
        f"{_LAW}；平台指标 LIC-TRIALS（本年新增）",
    ),
    Art21Row(
        "A21-08",
        "本年首次许可的专利数",
        "flow",
        "CONV-PLATFORM",
        "licensed",
        "件",
        "本年内第一次被写入已签订许可合同的本单位入库专利",
        f"{_LAW}；平台指标 CONV-PLATFORM 明细“其中已许可”（本年新增）",
    ),
    Art21Row(
        "A21-09",
        "本年许可合同备案数",
        "flow",
        "LIC-FILED",
        "",
        "件",
        "本年内取得备案号的本单位许可合同备案",
        f"{_LAW}；平台指标 LIC-FILED（本年新增）",
    ),
    Art21Row(
        "A21-10",
        "本年许可收入（到账）",
        "flow",
        "MON-RECEIVED",
        "",
        "元",
        "本年内收到的本单位许可合同许可费（入门费、分期、提成、里程碑）",
        f"{_INCOME}；平台指标 MON-RECEIVED（本年新增）",
    ),
    Art21Row(
        "A21-11",
        "本年奖励和报酬发明人金额",
        "flow",
        "MON-INVENTOR",
        "",
        "元",
        "本年审批的收益分配中分给发明人（完成、转化成果做出重要贡献人员）的金额",
        f"{_INCOME}；促进科技成果转化法第四十五条；平台指标 MON-INVENTOR（本年新增）",
    ),
    Art21Row(
        "A21-12",
        "年末应收未收许可费",
        "stock",
        "MON-OUTSTANDING",
        "",
        "元",
        "年末已签合同应收而未收的许可费余额",
        f"{_INCOME}；平台指标 MON-OUTSTANDING",
    ),
    Art21Row(
        "A21-13",
        "本年以转让方式转化",
        "absent",
        "",
        "",
        "项",
        "专利权转让不在平台办理",
        f"{_LAW}；平台未记录",
    ),
    Art21Row(
        "A21-14",
        "本年以作价投资方式转化",
        "absent",
        "",
        "",
        "项",
        "以科技成果作价投资不在平台办理",
        f"{_LAW}；平台未记录",
    ),
)
