"""Need-text reduction: the technical problem stays, company boilerplate and repetition go."""

from __future__ import annotations

from patentbridge_engine.text.need import reduce_need_text

_NEED = (
    "高韧性立方氮化硼单晶的研制。需求内容：企业需要开发高韧性立方氮化硼单晶新牌号，通过触媒自制工艺优化、"
    "高温高压合成工艺改进，获得粒度适中、纯净度高的新牌号。预期目标：抗冲击韧性≥67%，堆积密度≥1.80克/立方厘米。"
    "现有工作基础：1、公司现有标准化厂房3栋，产业化基础良好。2、公司2018年度实现销售收入2002万元。"
    "合作方式：技术转让或联合开发。"
)


def test_boilerplate_sections_are_dropped_and_the_problem_kept() -> None:
    """现有工作基础 and 合作方式 sections leave the query; the problem and its target stay."""
    reduced = reduce_need_text(_NEED)
    assert "触媒自制工艺优化" in reduced
    assert "抗冲击韧性" in reduced
    assert "厂房" not in reduced
    assert "销售收入" not in reduced
    assert "技术转让" not in reduced


def test_form_headers_are_not_query_words() -> None:
    """Header labels such as 需求内容 / 预期目标 are form structure, not part of the need."""
    reduced = reduce_need_text(_NEED)
    assert "需求内容" not in reduced
    assert "预期目标" not in reduced


def test_company_self_description_sentence_is_dropped_without_a_header() -> None:
    """A sentence about the company itself (成立, 高新技术企业) goes even outside a known section."""
    text = (
        "石灰窑出灰设备。我公司成立于2011年，2016年被评为高新技术企业，员工200人。"
        "日产500吨的大型窑炉内径变大，出灰不容易均匀下降，需要一种适合大型石灰窑的出灰设备，"
        "保证出灰均匀、连续并降低粉尘，出灰机需要耐高温耐磨损，能够长期稳定运行。"
    )
    reduced = reduce_need_text(text)
    assert "高新技术企业" not in reduced
    assert "出灰不容易均匀下降" in reduced


def test_description_pasted_twice_is_kept_once() -> None:
    """Platform forms repeat the body; the second copy must not double every term."""
    body = "对特高压无间隙线路避雷器进行电位分布计算，并对避雷器均压结构优化提出有效措施。"
    reduced = reduce_need_text("线路避雷器电场分布计算。" + body + body)
    assert reduced.count("电位分布计算") == 1


def test_enumerated_heading_ends_a_dropped_section() -> None:
    """After "二、现有工作基础" the next top-level item ("三、…技术难题") is kept again."""
    text = (
        "智能基站天线研究。一、需求内容：研制基站智能天线原型样机，实现波束动态扫描。"
        "二、现有工作基础：本所建所50年，拥有院士在内的研究团队，承担多个国家项目，人员齐备。"
        "三、希望解决的技术难题：利用可重构天线原理实现天线波束动态扫描和切换，工作带宽200MHz。"
    )
    reduced = reduce_need_text(text)
    assert "院士" not in reduced
    assert "可重构天线" in reduced


def test_short_query_and_all_boilerplate_text_come_back_unchanged() -> None:
    """A search-box query is never reduced, and reduction never leaves an empty query."""
    assert reduce_need_text("锂电池 电解液") == "锂电池 电解液"
    only_company = (
        "公司简介：我公司成立于2001年，是一家高新技术企业，注册资本5000万元，员工三百余人。"
        "公司位于泰安市高新区，占地面积两百亩，拥有标准化厂房十二栋，年销售收入两亿元以上。"
    )
    assert reduce_need_text(only_company) == only_company
