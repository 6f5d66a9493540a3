"""A FICTIONAL list table in the official layout, for tests only. It is not a legal fact: no zone
published it, and its sectors, scenarios, thresholds and fields are made up to exercise the
document readers (merged cells, a row over a page break, long wrapped descriptions, thresholds
and fields inside the description text).

Every builder of a test document (DOCX, HTML, PDF, scanned PDF, page image) takes its content
from here, so that the same expectations hold for every format."""

from __future__ import annotations

TITLE = "【虚构测试清单，非法律依据】示例自由贸易试验区数据出境负面清单（测试版）"
NOTICE = "本表为软件测试用虚构内容，不代表任何机关发布的清单。"

HEADER = (
    "序号",
    "行业领域（适用企业）",
    "场景",
    "出境路径",
    "数据类别",
    "数据子类",
    "基本特征与描述",
)
# Columns whose equal neighbours are merged into one cell spanning rows, each within the span
# of the column before it (a scenario never spans two sectors).
MERGED_COLUMNS = (1, 2, 3, 4)

SA = "数据出境安全评估"
SCC = "个人信息出境标准合同备案或认证"

_SECTOR_A = "示例制造行业（适用于在示例区内注册的示例设备制造企业）"
_SECTOR_B = "示例物流行业（适用于在示例区内注册的示例物流企业）"

# (sector, scenario, pathway, category, sub-class, description)
BODY: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        _SECTOR_A, "示例设备售后服务", SA, "重要数据", "示例设备运行数据",
        "涉及示例设备在境内运行形成的参数与故障记录，包括设备编号、运行时长、故障代码等。",
    ),
    (
        _SECTOR_A, "示例设备售后服务", SA, "个人信息", "示例客户个人信息",
        "自当年1月1日起累计向境外提供100万人以上个人信息（不含敏感个人信息）的，"
        "包括客户姓名、手机号码、通信地址等。",
    ),
    (
        _SECTOR_A, "示例设备售后服务", SCC, "个人信息", "示例客户个人信息",
        "自当年1月1日起累计向境外提供10万人以上、不满100万人个人信息（不含敏感个人信息）的，"
        "包括客户姓名、手机号码、通信地址等。",
    ),
    (
        _SECTOR_A, "示例设备售后服务", SCC, "个人信息", "示例客户敏感个人信息",
        "自当年1月1日起累计向境外提供1万人以上、不满10万人敏感个人信息的，包括身份证件号码、银行账号等。",
    ),
    (
        _SECTOR_A, "示例研发协同", "安全评估", "个人信息", "示例研发人员个人信息",
        "自当年1月1日起累计向境外提供超过50万人个人信息（不含敏感个人信息）的，包括姓名、工号、电子邮箱等。",
    ),
    (
        _SECTOR_A, "示例研发协同", "标准合同", "个人信息", "示例研发人员个人信息",
        "自当年1月1日起累计向境外提供5万人以上、50万人以下个人信息（不含敏感个人信息）的，"
        "包括姓名、工号、电子邮箱等。",
    ),
    (
        _SECTOR_A, "示例研发协同", SA, "重要数据", "示例工艺参数数据",
        "反映示例设备关键工艺的参数与配方数据，达到一定精度或规模，一旦遭到篡改、破坏、泄露或者"
        "非法获取、非法利用，可能影响示例行业安全运行的数据。本行为测试长文本折行而写，"
        "包括工艺温度曲线、配方比例、良率统计等。",
    ),
    (
        _SECTOR_B, "示例跨境包裹配送", SA, "个人信息", "示例收件人个人信息",
        "自当年1月1日起累计向境外提供1000万人以上个人信息（不含敏感个人信息）的，"
        "包括收件人姓名、收件地址、联系电话、包裹单号等。",
    ),
    (
        _SECTOR_B, "示例跨境包裹配送", SCC, "个人信息", "示例收件人个人信息",
        "自当年1月1日起累计向境外提供50万人以上、不满1000万人个人信息（不含敏感个人信息）的，"
        "包括收件人姓名、收件地址、联系电话、包裹单号等。这一行的描述写得很长，用来在分页处被"
        "截断：前半段在第一页，后半段在第二页，阅读程序须把两段接成一行，而不是当成两行。",
    ),
    (
        _SECTOR_B, "示例跨境包裹配送", SCC, "个人信息", "示例收件人敏感个人信息",
        "自当年1月1日起累计向境外提供不足1万人敏感个人信息的，包括收件人身份证件号码等。",
    ),
    (
        _SECTOR_B, "示例仓储协同", SA, "个人信息", "示例仓储客户个人信息",
        "自当年1月1日起累计向境外提供1.5万人以上敏感个人信息或者100万人以上个人信息的，"
        "包括客户名称、联系人姓名、联系人电话等。",
    ),
    (
        _SECTOR_B, "示例仓储协同", SA, "重要数据", "示例仓储布局数据",
        "涉及示例区内仓储设施布局、库容与出入库统计的数据，包括库位编码、库容、出入库量等。",
    ),
)  # fmt: skip

# The row (1-based in BODY) whose description a paginated format splits over two pages: its
# first part ends page 1, the rest starts page 2 under the repeated header.
SPLIT_ROW = 9
SPLIT_AT = "这一行的描述写得很长，用来在分页处被"  # page 1 ends with these words


def grid() -> list[list[str]]:
    """The table as text, header first; 序号 numbers the rows."""
    return [list(HEADER)] + [[str(n), *row] for n, row in enumerate(BODY, start=1)]


def vertical_spans() -> list[tuple[int, int, int]]:
    """Merged cells as (column, first body row, last body row), 1-based body rows, for the
    columns in MERGED_COLUMNS; a span of one row is not listed."""
    spans: list[tuple[int, int, int]] = []
    bounds = [(1, len(BODY))]  # the spans of the previous column bound the next column's
    for column in MERGED_COLUMNS:
        inner: list[tuple[int, int]] = []
        for lo, hi in bounds:
            start = lo
            for r in range(lo + 1, hi + 2):
                if r > hi or BODY[r - 1][column - 1] != BODY[start - 1][column - 1]:
                    inner.append((start, r - 1))
                    start = r
        spans.extend((column, a, b) for a, b in inner if b > a)
        bounds = inner
    return spans
