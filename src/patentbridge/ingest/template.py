"""The import template (导入模板): an XLSX with the Chinese headers the importer reads, one example
row that cannot be imported by mistake, and a sheet explaining every column."""

from __future__ import annotations

from patentbridge.core.spreadsheet import xlsx_sheets

__all__ = ["TEMPLATE_COLUMNS", "template_xlsx"]

# (header, required?, how to fill it, example). Headers are the importer's own vocabulary.
TEMPLATE_COLUMNS: tuple[tuple[str, bool, str, str], ...] = (
    (
        "申请号",
        True,
        "如 202310123456.6（含校验位）；没有申请号时可只填公开（公告）号",
        "示例-202310123456.6",
    ),
    ("公开（公告）号", False, "如 CN116510786A；A、B 两次公开会合并为一件专利", "CN116510786A"),
    ("专利名称", True, "没有名称的行不会入库", "一种高温热泵蒸汽系统（示例行，导入时会被拒绝）"),
    ("专利类型", False, "发明、实用新型或外观设计；留空时按申请号判断", "发明"),
    ("申请人", True, "多个申请人用分号（；）分隔", "山东农业大学；某某科技有限公司"),
    ("发明人", False, "多个发明人用分号分隔；用于识别发明人团队", "张三；李四"),
    ("申请日", False, "日期，如 2023-05-01", "2023-05-01"),
    ("公开（公告）日", False, "日期", "2023-11-20"),
    ("授权公告日", False, "日期；有授权公告日的专利才能判断是否授权有效", ""),
    ("IPC主分类号", False, "如 F25B30/02", "F25B30/02"),
    ("IPC分类号", False, "多个分类号用分号分隔", "F25B30/02；F22B1/00"),
    ("摘要", False, "用于检索与供需匹配，强烈建议填写", "回收车间低温余热，用热泵提升为工业蒸汽。"),
    ("主权项", False, "第一项权利要求", ""),
    ("法律状态", False, "如 授权、实质审查、失效；不知道就留空，系统显示为“未知”", ""),
    ("财政资助", False, "是/否；仅在有依据时填写（公开实施清单依此判断）", ""),
    ("资助项目编号", False, "财政资助项目编号", ""),
    ("所属学院", False, "高校盘点时填写，学院审核按此分派", "机电工程学院"),
)


def template_xlsx() -> bytes:
    """The template workbook: sheet 1 the headers and the example row; sheet 2 the instructions."""
    # The example's application number is deliberately invalid: importing it unchanged rejects the row.
    data = ("专利清单", [c[0] for c in TEMPLATE_COLUMNS], [[c[3] for c in TEMPLATE_COLUMNS]], None)
    notes: list[list[str]] = [
        [h, "必填" if must else "选填", how, example] for h, must, how, example in TEMPLATE_COLUMNS
    ]
    notes += [
        [],
        ["第 2 行是示例，请删除后再填写；表头不要修改。也可直接上传 incoPat、智慧芽、CNKI 等导出文件。"],
    ]
    return xlsx_sheets(
        [data, ("填写说明", ["列名", "是否必填", "填写说明", "示例"], notes, (16, 10, 60, 40))]
    )
