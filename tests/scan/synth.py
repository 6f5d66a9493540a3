"""Generated datasets with known contents, for the scanner's end-to-end tests and benchmark.

Values come from Faker's zh_CN provider where it has realistic ones (resident IDs with check
digits, names, mobile numbers, addresses), from our own generators where it has none (unified
social credit codes, VINs with a valid check digit), and decoys that look like identifiers but
are not (18-digit order numbers, product codes, amounts, timestamps).
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

import polars as pl
from faker import Faker

from kuajing.errors import InvalidValue
from kuajing.scan.detectors import detector, organization_code

# column -> (plain name, pinyin name, kind expected, or "none" for decoys)
COLUMNS: dict[str, tuple[str, str, str]] = {
    "resident_id": ("身份证号", "sfzh", "resident_id"),
    "name": ("姓名", "xm", "person_name"),
    "mobile": ("手机号", "sjhm", "mobile_phone"),
    "email": ("电子邮箱", "dzyx", "email"),
    "address": ("家庭住址", "jtzz", "address"),
    "birth": ("出生日期", "csrq", "birth_date"),
    "card": ("银行卡号", "yhkh", "bank_card"),
    "plate": ("车牌号", "cph", "license_plate"),
    "vin": ("车架号", "cjh", "vin"),
    "gps": ("经纬度", "jwd", "gps_location"),
    "ip": ("登录IP", "ipdz", "ip_address"),
    "diagnosis": ("诊断", "zd", "medical"),
    "uscc": ("统一社会信用代码", "tyshxydm", "organization_code"),
    "order_no": ("订单号", "ddh", "none"),
    "product": ("商品编码", "spbm", "none"),
    "amount": ("金额", "je", "none"),
    "created": ("创建时间", "cjsj", "none"),
}
# Kinds that values alone cannot show (see classify.py): unnamed, they are allowed to be none.
NAME_ONLY = {"taiwan_permit"}
DIAGNOSES = [
    "高血压",
    "2型糖尿病",
    "社区获得性肺炎",
    "支气管哮喘",
    "慢性乙型病毒性肝炎",
    "头痛",
    "发热",
]
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Dataset:
    frame: pl.DataFrame  # columns named by the layout
    kinds: dict[str, str]  # column name -> expected kind
    persons: int  # distinct resident IDs
    minors: int  # of them, under 14 on `as_of`
    as_of: dt.date


def generate(
    rows: int,
    persons: int,
    layout: str = "plain",
    seed: int = 7,
    as_of: dt.date = dt.date(2026, 6, 1),
) -> Dataset:
    """`rows` rows about `persons` distinct persons (rows repeat persons), named by `layout`:
    plain (Chinese), pinyin, or unnamed (c1, c2, …)."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    people = [_person(fake) for _ in range(persons)]
    picks = [people[i % persons] for i in range(rows)]
    rnd.shuffle(picks)
    data = {col: [p[col] for p in picks] for col in people[0]}
    data |= _decoys(rnd, rows)
    names = _names(layout)
    frame = pl.DataFrame(
        {names[c]: data[c] for c in COLUMNS}, schema={names[c]: pl.String for c in COLUMNS}
    )
    born = [dt.date.fromisoformat(p["birth"]) for p in people]
    cutoff = as_of.replace(year=as_of.year - 14)
    return Dataset(
        frame=frame,
        kinds={names[c]: COLUMNS[c][2] for c in COLUMNS},
        persons=len({p["resident_id"] for p in people}),
        minors=sum(b > cutoff for b in born),
        as_of=as_of,
    )


def _names(layout: str) -> dict[str, str]:
    if layout == "plain":
        return {c: v[0] for c, v in COLUMNS.items()}
    if layout == "pinyin":
        return {c: v[1] for c, v in COLUMNS.items()}
    return {c: f"c{i}" for i, c in enumerate(COLUMNS, start=1)}


def _person(fake: Faker) -> dict[str, str]:
    rid = fake.ssn(min_age=1, max_age=90)  # type: ignore[call-arg]  # zh_CN provider
    birth = f"{rid[6:10]}-{rid[10:12]}-{rid[12:14]}"
    return {
        "resident_id": rid,
        "name": fake.name(),
        "mobile": fake.phone_number(),
        "email": fake.email(),
        "address": fake.address().rsplit(" ", 1)[0],
        "birth": birth,
        "card": fake.credit_card_number(),
        "plate": _plate(fake),
        "vin": vin(fake.random),
        "gps": f"{fake.latitude():.6f},{fake.longitude():.6f}",
        "ip": fake.ipv4(),
        "diagnosis": fake.random.choice(DIAGNOSES),
        "uscc": uscc(fake.random),
    }


def _plate(fake: Faker) -> str:
    """Faker sometimes gives office letter I, which real plates never use."""
    while "I" in (plate := fake.license_plate()):
        pass
    return str(plate)


def _decoys(rnd: random.Random, rows: int) -> dict[str, list[str]]:
    ids = detector("resident_id")
    orders: list[str] = []
    while len(orders) < rows:
        value = str(rnd.randrange(10**17, 10**18))
        try:
            ids.validate(value)
        except InvalidValue:
            orders.append(value)
    start = dt.datetime(2026, 1, 1)
    return {
        "order_no": orders,
        "product": [f"SKU-{rnd.randrange(10**6):06d}-{rnd.choice('ABC')}" for _ in range(rows)],
        "amount": [f"{rnd.uniform(1, 99999):.2f}" for _ in range(rows)],
        "created": [
            (start + dt.timedelta(seconds=rnd.randrange(10**7))).isoformat(sep=" ")
            for _ in range(rows)
        ],
    }


def vin(rnd: random.Random) -> str:
    """A VIN with a valid check digit (position 9), found by trying each check character."""
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    years = "ABCDEFGHJKLMNPRSTVWXY123456789"  # position 10: no 0, I, O, Q, U or Z
    wmi = rnd.choice(["LSV", "LFV", "LGB", "LBV", "LVS"])  # Chinese makers
    body = (
        wmi
        + "".join(rnd.choice(chars) for _ in range(6))
        + rnd.choice(years)
        + "".join(rnd.choice(chars) for _ in range(4))
        + f"{rnd.randrange(1000):03d}"
    )
    return _completed(detector("vin"), [body[:8] + c + body[9:] for c in "0123456789X"])


def uscc(rnd: random.Random) -> str:
    """A unified social credit code with both check characters right (computed here, then
    validated by the detector: trying every pair of check characters took 5 s a dataset)."""
    body = "".join(rnd.choice(string.digits + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    return _completed(detector("organization_code"), [credit_code("91110108", body)])


def credit_code(head: str, body: str) -> str:
    """The credit code of an 8-character registration head and an 8-character organisation
    code body: GB 11714's check character after the body, GB 32100's at the end."""
    total = sum(int(c, 36) * w for c, w in zip(body, organization_code.ORG_WEIGHTS, strict=True))
    org = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    code = head + body + org
    weights = organization_code.WEIGHTS
    total = sum(_USCC.index(c) * w for c, w in zip(code, weights, strict=True))
    return code + _USCC[(31 - total % 31) % 31]


def _completed(module: object, candidates: list[str]) -> str:
    for value in candidates:
        try:
            return str(module.validate(value))  # type: ignore[attr-defined]
        except InvalidValue:
            continue
    raise AssertionError("no candidate validates")  # pragma: no cover
