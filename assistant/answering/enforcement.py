"""Who enforces: the department a 款 names, and whether in Shanghai 城管 exercises that power
(《上海市城市管理行政执法条例》第十一条, as mapped in corpus/enforcement.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CHENGGUAN_WORDS = ("城管执法", "城市管理行政执法", "城管")
# A department the law leaves to the government to designate (噪声法 「地方人民政府指定的部门」,
# 大气法 「县级以上地方人民政府确定的监督管理部门」, 「有关部门」): it may be 城管, so an answer
# resting on it cannot say 「不属城管职责」.
UNDESIGNATED = re.compile(r"指定的|确定的|^(?:有关|相关|其他有关)[^，、]{0,8}(?:部门|机关)$")


# A law's general rule on who decides the penalties it sets (治安管理处罚法第九十一条, 消防法第七十条
# 「本法规定的行政处罚，除应当由公安机关…决定的外，由住房和城乡建设主管部门、消防救援机构按照各自
# 职权决定」): the department of a 款 that names none.
DECIDES_PENALTIES = re.compile(r"(?:(?:本法|本条例|本规定|本办法)规定的(?:行政)?处罚|治安管理处罚)[，,]?(?:除[^。]*?外[，,])?"
                               r"由(?P<department>[^。；，]+?)(?:依照[^。；]*?|按照[^。；]*?|依法)?决定")


# The organ that made the decision, named by its role (行政处罚法第七十二条 「作出行政处罚决定的
# 行政机关」): in a 城管 case that is 城管 itself, no other department.
DECIDING_ORGAN = re.compile(r"^(?:作出[\u4e00-\u9fff、]{0,12}决定的)?行政机关$")


@dataclass(frozen=True)
class Power:
    """One item of 城管执法条例第十一条第一款."""

    item: int
    laws: frozenset[str]
    terms: tuple[str, ...]
    except_terms: tuple[str, ...]
    from_departments: tuple[str, ...]

    def covers(self, law: str, department: str | None, text: str, own_text: str | None = None) -> bool:
        """`text`: where the item's conduct terms are looked for (the question, the 款 and the
        articles it punishes); `own_text`: where its exceptions are (the question and the 款
        itself, by default `text`): 绿化条例第四十四条 punishes 第三十一条 (临时使用绿地), whose
        last 款 spends the fee on 「绿化建设」 — that is not the 绿化建设 the item excludes."""
        own = text if own_text is None else own_text
        if law not in self.laws or any(t in own for t in self.except_terms):
            return False
        if department and self.from_departments and not any(d in department for d in self.from_departments):
            return False  # the regulation gives it to another department (市场监管, 公安 …)
        # A term 「夜间+施工」 needs all its parts (「半夜…施工」 is 夜间 施工 by its legal terms).
        return not self.terms or any(all(part in text for part in t.split("+")) for t in self.terms)


@dataclass(frozen=True)
class Enforcer:
    department: str | None  # as the 款 names it
    chengguan: bool  # 城管 exercises the power in Shanghai
    power_item: int | None = None  # the item of 第十一条第一款 that gives it to 城管, when not named
    # (law, article) of the law's general rule naming who decides its penalties, when the 款 names
    # no department (治安管理处罚法第九十一条 「治安管理处罚由县级以上人民政府公安机关决定」)
    decided_by: tuple[str, int] | None = None


# 「不想复议」「没有申请复议」「不走复议」: a procedure named only to be set aside (not 「对复议决定不服」).
DECLINED = re.compile(r"(?:不想|不愿意?|不打算|不准备|不用|不走|不想走|不愿走|不去|不申请|没有?申请|未申请|没有|没)$")


def _named(question: str, word: str) -> bool:
    return any(not DECLINED.search(question[: m.start()]) for m in re.finditer(re.escape(word), question))


@dataclass(frozen=True)
class EnforcementTable:
    source_law: str
    source_article: int
    powers: tuple[Power, ...]
    procedure_laws: frozenset[str]
    # law → words of a procedure question that make it that law's procedure (复议 → 行政复议法)
    procedure_topics: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # A term a regulation defines for several departments (拆违实施部门) → those departments
    collectives: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def topic_laws(self, question: str) -> tuple[str, ...]:
        """The procedure laws whose topic the question names (「申请复议」 → 行政复议法), not one it
        declines (「我不想复议也不想打官司，直接去信访办上访」 asks about 信访)."""
        return tuple(law for law, words in self.procedure_topics
                     if any(_named(question, w) for w in words))

    @classmethod
    def load(cls, path: Path) -> "EnforcementTable":
        if not path.exists():
            return cls("", 0, (), frozenset(), ())
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        powers = tuple(Power(int(p["item"]), frozenset(p.get("laws") or ()), tuple(p.get("terms") or ()),
                             tuple(p.get("except_terms") or ()), tuple(p.get("from_departments") or ()))
                       for p in raw.get("chengguan_powers") or ())
        topics = tuple((law, tuple(words)) for law, words in (raw.get("procedure_topics") or {}).items())
        collectives = tuple((term, tuple(c["members"])) for term, c in (raw.get("collective_departments") or {}).items())
        return cls(raw["source"]["law"], int(raw["source"]["article"]), powers,
                   frozenset(raw.get("procedure_laws") or ()), topics, collectives)

    def enforcer(self, department: str | None, law: str, jurisdiction: str, text: str,
                 own_text: str | None = None) -> Enforcer:
        """`text`: the question, the 款 and what it refers to, where the conduct terms of an item
        are looked for; `own_text`: the question and the 款 alone, for the item's exceptions."""
        members = next((m for term, m in self.collectives if department == term), ())
        if members and any(w in m for m in members for w in CHENGGUAN_WORDS):
            # 「拆违实施部门」 is 规划管理部门 and 城管执法部门 (拆违规定第三条): 城管 is one of them.
            return Enforcer(f"{department}（{'、'.join(members)}）", True)
        if department and any(w in department for w in CHENGGUAN_WORDS):
            return Enforcer(department, True)
        if jurisdiction in ("上海", "全国"):
            for power in self.powers:
                if power.covers(law, department, text, own_text):
                    return Enforcer(department, True, power.item)
        return Enforcer(department, False)
