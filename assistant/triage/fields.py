"""Fields read from a complaint (district, street, place, address, times, repeat flag, shop names).
District and street come from `assistant.triage.places` (a gazetteer of Shanghai's streets,
landmarks and roads); the rest are regular expressions: the patterns are small and specific to
Shanghai addresses and hotline wording, where no maintained library fits. Masking of personal data lives in `assistant.core.privacy` (re-exported
here for existing imports).

Every pattern is bounded — no unbounded quantifier that the engine could retry from every position
of a long run of digits or Chinese characters — and extraction reads only the first
FIELD_SCAN_CHARS characters, so one enormous spreadsheet cell cannot freeze the app."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.core.privacy import mask_personal_data
from assistant.triage.places import DISTRICTS, PLACES_DIR, Place, load_gazetteer, resolve

__all__ = ["DISTRICTS", "FIELD_SCAN_CHARS", "Fields", "extract_fields", "mask_personal_data"]

# Complaints are short: of the 7,142 real citizen messages in ../shared/external/tipdm2020
# (留言详情 of both files) the median is 198 characters, the 99th percentile 2,218, the 99.9th 3,491
# and only one message (6,999) is longer than 5,000. Fields are read from the first 5,000 characters;
# masking still covers the whole text.
FIELD_SCAN_CHARS = 5000
# ASCII control characters other than \t and \n (a pasted cell can carry \x00, \x0b, \r …).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# 「浦东」「闵行」 without 区: stripped from the front of an address like the full names.
_SHORT = {d.removesuffix("新区").removesuffix("区"): d for d in DISTRICTS}

_CN = "零〇一二两三四五六七八九十"
_ROAD = r"(?:[\u4e00-\u9fff]{2,6}?(?:街道|镇))?[\u4e00-\u9fff]{1,8}?(?:路|街(?!道)|大道|公路|大街)(?:\d{1,5}弄)?(?:\d{1,5}(?:号|支弄))?"
_ESTATE = r"[\u4e00-\u9fff]{2,8}?(?:小区|新村|花园|公寓|大厦|广场|苑|村委|家园)"
_ADDRESS = re.compile(rf"(?:{_ROAD}(?:[\u4e00-\u9fff]{{0,6}}?(?:小区|新村|花园|公寓))?|{_ESTATE})(?:\d{1,4}(?:号楼|栋|幢))?")
_NOT_ADDRESS_START = re.compile(r"^(?:在|到|往|从|把|我|我们|他们|家|门口|马路|路边|就在|位于|住在|的|对面|隔壁)+")

_PERIOD = "凌晨|清晨|早上|早晨|上午|中午|午休|下午|傍晚|晚上|夜里|夜间|半夜|深夜|午夜|夜晚"
_CLOCK = rf"[{_CN}\d]{{1,3}}(?:点|:\d{{2}}|：\d{{2}})(?:半|[{_CN}\d]{{1,3}}分)?"
_TIME = re.compile(
    rf"(?:(?:每天|每晚|每周[一二三四五六日天]?|天天|周末|工作日|节假日|昨天|今天|前天|最近|近期|这几天|这段时间|经常|一到)"
    rf"(?:{_PERIOD})?(?:{_CLOCK})?|(?:{_PERIOD})(?:{_CLOCK})?|{_CLOCK})"
    rf"(?:(?:到|至|-|~)(?:{_PERIOD})?{_CLOCK})?(?:以后|之后|以前|之前|左右|多)?"
    rf"|(?<![{_CN}\d])[{_CN}\d]{{1,4}}(?:个)?(?:多)?(?:天|周|星期|礼拜|个月|月|年)(?:了|以来|多)?")
_REPEAT = re.compile(r"多次|反复|屡次|屡教不改|又来|再次|一再|好几次|几次|不止一次|投诉过|已经投诉|打过电话|"
                     r"反映过|没人管|没有人管|没解决|没有解决|仍然|依旧|一直没|还是没|老是|总是")
_SHOP = re.compile(r"「([^」]{1,20})」|“([^”]{1,20})”|\"([^\"]{1,20})\"|"
                   r"(?<![*\d])([\u4e00-\u9fffA-Za-z0-9]{2,8}?(?:饭店|餐厅|酒家|烧烤|烧烤店|面馆|超市|便利店|酒吧|KTV|茶楼|"
                   r"火锅店|小吃店|水果店|理发店|洗车店|汽修店|修车铺|中介|公司|工厂|厂))")
_GENERIC_SHOP = re.compile(r"^(?:这家|那家|一家|有家|有个|一个|这个|那个|楼下|隔壁|对面|门口|小|大|饭)")


@dataclass
class Fields:
    district: str | None = None
    street: str | None = None  # 街道/镇/乡 (or 类似乡级单位 such as 莘庄工业区)
    place: str | None = None  # the text the place rests on: 九亭, 五角场, 莘松路 …
    address: str | None = None
    times: list[str] = field(default_factory=list)
    repeat: bool = False
    shops: list[str] = field(default_factory=list)
    note: str | None = None  # 「诉件过长…」 when only the first FIELD_SCAN_CHARS characters were read
    # The whole resolution (candidates, confidence, how it was found), for routing and grouping.
    location: Place = field(default_factory=Place, repr=False, compare=False)

    def to_json(self) -> dict:
        """The seven fields of the JSON contract; note only when there is one, candidates only
        when the place lies in several districts (district is then null)."""
        out = asdict(self)
        del out["location"]
        if out["note"] is None:
            del out["note"]
        if self.location.ambiguous:
            out["candidates"] = list(self.location.candidates)
        return out


def extract_fields(text: str, places_dir: Path = PLACES_DIR) -> Fields:
    """District, street, place, address, times, repeat flag and shop names of one complaint. Reads the first
    FIELD_SCAN_CHARS characters (and says so in `note`), without ASCII control characters and
    with personal data masked, so no field (a shop name in quotes, say) carries a phone number.
    A number cut at the limit cannot reach a field: every field ends in a word (号, 店, 天 …)."""
    text = _CONTROL.sub("", text or "")
    note = None
    if len(text) > FIELD_SCAN_CHARS:
        note = f"诉件过长（{len(text)}字），仅分析前{FIELD_SCAN_CHARS}字提取字段"
        text = text[:FIELD_SCAN_CHARS]
    text = mask_personal_data(text)
    location = resolve(text, load_gazetteer(places_dir))
    address = None
    for a in _ADDRESS.finditer(text):
        candidate = _NOT_ADDRESS_START.sub("", a.group(0))
        for d in (*DISTRICTS, *_SHORT):
            candidate = candidate.removeprefix(d)
        if len(candidate) >= 3:
            address = candidate
            break
    times = list(dict.fromkeys(t.group(0) for t in _TIME.finditer(text) if len(t.group(0)) >= 2))
    shops = []
    for s in _SHOP.finditer(text):
        name = next(g for g in s.groups() if g)
        # 「莘松路的水果店」: the name is what follows the address and the last 的/在/把.
        name = re.split(r"[的在把是有]|(?:路|街|号|弄|镇|区)(?=.)", name)[-1]
        if "*" in name:
            continue  # “13812345678”饭店: a masked number is not a name
        if not _GENERIC_SHOP.match(name) and name not in shops and len(name) >= 3:
            shops.append(name)
    return Fields(location.district, location.street, location.place, address, times[:6], bool(_REPEAT.search(text)),
                  shops[:5], note, location)
