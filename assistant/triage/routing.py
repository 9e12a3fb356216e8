"""Where a triaged complaint goes: the category's enforcing body and, for 城管 matters, the
district's 城管执法局 and the street's 中队.

「徐汇区城管执法局徐家汇街道中队」 when district and 街道/镇/乡 are known; 「徐汇区城管执法局」 when
only the district is (or the street is a 类似乡级单位 such as 莘庄工业区, whose squad we do not
know); 「区城管执法局（需人工确认属地…）」 when the place is unknown or lies in several districts.
Matters outside 城管 keep their category's department (转办 elsewhere)."""
from __future__ import annotations

from assistant.triage.places import Place, is_township
from assistant.triage.taxonomy import Category

NEEDS_CONFIRMATION = "需人工确认属地"


def route(category: Category | None, place: Place | None) -> str | None:
    if category is None:
        return None
    if not category.is_enforcement:
        return category.department
    place = place or Place()
    if place.district is None:
        if place.ambiguous:
            return f"区城管执法局（{NEEDS_CONFIRMATION}：{'、'.join(place.candidates)}）"
        return f"区城管执法局（{NEEDS_CONFIRMATION}）"
    bureau = f"{place.district}城管执法局"
    return f"{bureau}{place.street}中队" if is_township(place.street) else bureau


def needs_confirmation(route_text: str | None) -> bool:
    return bool(route_text) and NEEDS_CONFIRMATION in route_text
