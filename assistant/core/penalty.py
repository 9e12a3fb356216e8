"""Extract penalty clauses (执法主体, measures, fines) from Chinese legal article text.

Pure functions over plain text; the only dependency is ``cn2an`` for numerals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cn2an


@dataclass(frozen=True)
class Fine:
    """One fine read from a penalty sentence."""

    min_yuan: int | None  # 五十元以上 → 50; None when not a fixed amount
    max_yuan: int | None  # 二百元以下 → 200
    basis: str | None  # non-fixed fines: 「违法所得一倍以上三倍以下」「每平方米……」
    condition: str | None  # 拒不改正 / 情节严重 / 对单位 ... when the fine depends on it
    text: str  # the phrase the fine was read from
    per: str | None = None  # 「每株处二万元以上二十万元以下的罚款」: the sum is for each 株

    @property
    def states_sum(self) -> bool:
        """A sum in yuan is stated (五十元以上二百元以下), not only a basis or nothing."""
        return self.min_yuan is not None or self.max_yuan is not None


@dataclass(frozen=True)
class PenaltyClause:
    """A penalty sentence: who, doing what, is punished by whom and how."""

    subject: str | None
    conduct: str | None
    department: str | None
    measures: tuple[str, ...]
    fines: tuple[Fine, ...]
    sentence: str


_NUM = r"[\d.,零〇一二两三四五六七八九十百千万]+"
# A sentence is only a candidate when it contains one of these penalty words.
_TRIGGER = re.compile(r"罚款|责令|没收|拆除|拘留|吊销")
_ARTICLE_NO = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?\s*")
_ITEM_NO = re.compile(r"^[（(][一二三四五六七八九十\d]+[)）]")
# Who acts, named without 由, and how it acts: 「机场管理机构可处以…」「环保等有关部门还可以对…处…」
# 「区、县房屋行政管理部门应当责令停止交付使用…」
# 「市或者区、县卫生行政部门对单位处以一万元…」, not 「…部门对涉嫌无照经营进行查处，可以行使下列职权」
# (无证无照经营查处办法第十一条, a list of powers).
_BARE_AGENT = r"[^，；。：由]{1,30}?(?:部门|机关|人民政府|管理机构|执法机构|总队|办公室)"
_BARE_AGENT_ACTS = r"可以|可处|还可以|并可以|应当(?=责令|处|给予|没收)|对[^，；。：]{1,12}?(?<!查)(?:可以)?并?处以?(?=[零〇一二两三四五六七八九十百千万\d]|警告)"
# The conduct ends at the first 「…的，」 (or 「有下列行为之一，」) that is followed by the
# penalty part: 由X… / 责令… / 处… / 对单位处… etc.  Later 「…的，」 are conditions.
_HEAD = re.compile(
    r"(?:的|之一)，(?=由|责令|对[^，；。]{1,20}?处|[可以并]*处(?![理分置]|罚(?!款))"
    r"|没收|给予|予以|按(?!照)|按照每|暂扣|追回"
    # or who acts, named without 由 (_AGENT_BARE): 「…不清除地面油污的，机场管理机构可处以…」
    rf"|{_BARE_AGENT}(?={_BARE_AGENT_ACTS}))"
)
# 由X责令 / 由X处: the agent is the shortest 「…部门/机关/人民政府/海关/机构」 (河道条例: 「…或者乡（镇）水利机构」),
# with a trailing 等 (「…农业农村主管部门等按照职责」) and up to 60 characters (噪声污染防治法第八十条 lists five),
# or the 轨道交通企业 that 轨道交通管理条例第四十九条 empowers to fine (the library's one such enterprise), that is followed by a
# verb, so 「由市或者区生态环境部门和其他…部门责令」 keeps both and 「由X报请Y」 stops at X. Older Shanghai
# regulations name offices and bureaus (地名管理条例第三十八条 「由市或者区、县地名办责令」, 「市建管办」「市民防办」
# 「市燃气管理处」「市水务局」「市建委」「市红十字会」): without them the item took a neighbouring item's 公安部门.
_AGENT = re.compile(
    r"由(?P<dept>[^，；。：由]{0,60}?(?:部门|机关|人民政府|海关|办事处|机构|轨道交通企业|办公室|办|管理处|局|建委"
    r"|红十字会|国务院|大队|总队)等?)(?=[，、]?(?:依照|依据|按照|视情节"
    r"|根据|报请|作出|会同|移送|将|责令|处|给予|予以|没收|追回|说服|暂扣|组织|依法|代为|可以|取消|在|对"
    r"|强制|吊销|撤销|扣减|扣留|收缴|查封|扣押|取缔|注销|警告|决定|禁止|或者其委托|或者其授权))"
)
# Without 由: 「…的，拆违实施部门应当依法立即强制拆除」, 「…的，机场管理机构可处以…罚款」 (two
# clauses of the library name a 管理机构 so: 民用机场地区管理条例第五十二条, 海上交通安全法第一百零八条).
# Also 「环保等有关部门还可以对单位主要负责人…处…罚款」 (环境保护条例第八十七条), 「市或者区、县卫生行政部门对单位
# 处以…罚款」 (献血条例第三十七条), 「市交通执法总队或者区交通执法机构可处以警告」 (公共汽车和电车客运管理条例
# 第四十八条), 「区、县人民政府征兵办公室并可以处以…」.
_AGENT_BARE = re.compile(rf"(?:^|[，；])(?P<dept>{_BARE_AGENT})(?=应当|{_BARE_AGENT_ACTS})")
_SUBJECT_BEFORE = re.compile(r"^([^，。；]{1,20}?)违反")  # 单位违反本条例… / 物业服务企业违反…
# 违反本条例第二十四条第一款规定，/ 违反本条例第三十条第三款，(轨道交通管理条例第四十九条, without 规定;
# not the first of a list of references, 「违反第二十条第一款，第二十四条第（四）…项的」)
_VIOLATION_REF = re.compile(r"^违反[^，。；]*(?:规定，?|第[零〇一二三四五六七八九十百\d]+(?:条|款|项)，(?!第))")
# 违反…规定，建设单位未… : a leading actor noun followed by a verb (or comma).
_ACTOR = re.compile(
    r"^([^，。；]{0,30}?(?:单位|企业|个人|经营者|提供者|责任人|业主|使用人|出售人|机构|委员会|菜场"
    r"|市场|人员))(?=未|不|主动|擅自|将|拒|对|在|挪用|违反|无|有|向|使用|从事|提供|建设|，)"
)
_FORBIDDEN = re.compile(r"(?:禁止|不得)([^。]+)")  # what 「违反规定的」 refers back to
_FINE = re.compile(
    r"(?:对(?P<target>[^，；。：对处]{1,20}?))?"  # 对单位 / 对个人: who this fine is for
    # 古树条例 「每株处…罚款」; 养犬条例第五十一条 「每销售一条未取得检疫证明的犬只，处五百元罚款」
    r"(?:(?P<per>每[株棵]的?)|(?P<per_clause>每[^，；。：处]{1,24})，)?"
    r"[可以并依法]{0,6}"  # 可以并处 / 并可以依法予以 ...
    # 按每吨二百元处以罚款, 按照每辆车五千元处以罚款: per-unit / multiple basis (按…的百分之三加处)
    r"(?:(?:按(?!照)|按照(?=每))(?P<by>[^，；。：]+?)加?)?"
    r"(?<!减免加)(?<!免除加)(?:处以?|予以)(?![理分置]|罚(?!款))"  # 处 but not 处理/处分/处置/处罚, nor 减免加处
    # 「处以违法收入一倍至三倍，但最高不超过十万元的罚款」「处每非法介绍一人五千元，总额不超过五万元的罚款」:
    # the cap after the comma belongs to the sum (水路运输管理条例第四十一条, 出境入境管理法第八十条).
    r"(?P<amt>(?:[^，；。：处]|，(?=(?:但最高|但最多|总额)不超过))*?)的?罚款(?!的?数额|处罚)"  # not 「处单位罚款数额5%以上…」
)
# The sum after 罚款: 「罚款额按未配备安全生产管理人员人数计，每少配备一人罚款五千元」 (安全生产条例第六十四条).
_FINE_AFTER = re.compile(rf"(?P<per>每[^，；。：处罚]{{1,20}}?)罚款(?P<amt>{_NUM}元)")
# A fine computed from a loss: 「…事故的，按照事故造成的直接经济损失的一倍以上三倍以下计算罚款」 (固体废物
# 污染环境防治法第一百一十八条, 海洋环境保护法第一百一十五条).
_FINE_COMPUTED = re.compile(r"按照(?P<by>[^，；。：]+?)计算罚款")
_RANGE = re.compile(rf"^(?P<lo>{_NUM})元?(?:以上|至|到|~|～|-|—|－)(?P<hi>{_NUM})元(?:以下)?$")
_UPTO = re.compile(rf"^(?:不超过)?(?P<hi>{_NUM})元以下$")
_ATLEAST = re.compile(rf"^(?P<lo>{_NUM})元以上$")
_FIXED = re.compile(rf"^(?P<v>{_NUM})元$")
# Measures are matched clause by clause; 责令/没收/吊销 … run to the end of the clause.
_MEASURE = re.compile(
    # Not 「被责令改正，拒不改正的」 nor 「自责令改正之日的次日起」: a condition and a date, not measures
    # (大气污染防治条例第一百零二条 had read 「责令改正、责令改正之日的次日起」, diagnostic N18-34).
    r"(?<![被自])责令[^，；。：]+?(?=(?:的(?:书面)?)?决定|[，；。：]|$)"  # 责令限期拆除的书面决定 → 责令限期拆除
    r"|按照?原处罚数额按日连续处罚|按日连续处罚"
    r"|没收[^，；。：]+|吊销[^，；。：]+|暂扣[^，；。：]+|追回[^，；。：]+"
    r"|取消[^，；。：]*资格|处[^，；。：处]*?拘留"  # 处五日以上十日以下拘留
    r"|(?:强制|代为|组织|予以|可以|限期|依法)拆除"  # bare 拆除 is too often part of a noun
    r"|限期(?:改正|补报)|恢复原状|代为清除|警告|予以通报|说服教育"
)


def _normalize(text: str) -> str:
    text = text.replace("\u3000", " ").replace(";", "；").replace(":", "：")
    return re.sub(r"(?<!\d),|,(?!\d)", "，", text)  # keep 1,000 intact


def _units(text: str) -> list[tuple[str, list[str], str]]:
    """Split text into (sentence, list items, previous sentence) units."""
    paras = [p.strip() for p in text.splitlines() if p.strip() and not p.startswith("#")]
    units: list[tuple[str, list[str], str]] = []
    i = 0
    while i < len(paras):
        para = _ARTICLE_NO.sub("", paras[i])
        i += 1
        items: list[str] = []
        while para.endswith("：") and i < len(paras) and _ITEM_NO.match(paras[i]):
            items.append(paras[i])
            i += 1
        sents = [s for s in re.split(r"(?<=。)", para) if s.strip()]
        for k, s in enumerate(sents):
            units.append((s, items if k == len(sents) - 1 else [], sents[k - 1] if k else ""))
    return units


def _yuan(num: str) -> int:
    return int(cn2an.cn2an(num.replace(",", ""), "smart"))


def _amount(by: str | None, amt: str) -> tuple[int | None, int | None, str | None]:
    """Return (min, max, basis) for the text between 处 and 罚款."""
    amt = re.sub(r"^.*?(?:拘留|警告)(?:或者|、)", "", amt)  # 处五日以下拘留或者五百元以下罚款
    if by:
        return None, None, by + amt
    if not amt:
        return None, None, None
    try:
        if m := _RANGE.match(amt):
            return _yuan(m["lo"]), _yuan(m["hi"]), None
        if m := _UPTO.match(amt):
            return None, _yuan(m["hi"]), None
        if m := _ATLEAST.match(amt):
            return _yuan(m["lo"]), None, None
        if m := _FIXED.match(amt):
            return _yuan(m["v"]), _yuan(m["v"]), None
    except ValueError:  # cn2an rejects malformed numerals such as 「万元」
        pass
    head, _, other = amt.partition("或者")
    if other and (found := _amount(None, head))[:2] != (None, None):
        # 「处五千元以上二万元以下或者修复费三至五倍的罚款」: the sum, and the alternative as written.
        return found[0], found[1], f"或者{other}"
    return None, None, amt  # 违法所得一倍以上三倍以下, 每台一千元 ...


_ITEMS_CONDITION = re.compile(r"有前款第[一二三四五六七八九十]+项.*行为之一$")
# 「责令限期改正；逾期不改正，未造成城市道路损坏的，处…」: the fine is for not correcting in time,
# though 「逾期不改正」 has no 「的」 (城市道路管理条例第四十三条; blind review L02 had been told the fine
# without it).
_UNCORRECTED = re.compile(r"(?:逾期|拒不|仍不|仍未|届期)[^，、]{0,10}$")


def _condition(body: str, start: int, pos: int, target: str | None) -> str | None:
    """Collect the 「…的，」 clauses between the segment start and the fine."""
    seg = body[max(body.rfind("；", 0, pos) + 1, start):pos]
    merged: list[str] = []
    for c in seg.split("，"):
        if merged and c.startswith(("或者", "以及")):  # 「A，或者B的」 is one condition
            merged[-1] += "，" + c
        else:
            merged.append(c)
    # 「单位有前款第一项、第七项行为之一，处…」 (national laws' tiers) is a condition as 「…的」 is.
    conditions = [c if c.endswith("的") else c + "的" for c in merged
                  if c.endswith("的") or _ITEMS_CONDITION.search(c) or _UNCORRECTED.match(c)]
    # 「违反前款第（四）项规定的，对个人处…，对单位处…，违反前款第（五）项规定的，对个人处…」: a
    # later 「违反…的」 starts another conduct's tiers, it does not add to the earlier one.
    restart = max((i for i, c in enumerate(conditions) if c.startswith("违反") or _ITEMS_CONDITION.search(c)),
                  default=0)
    cond = "，".join(re.sub(r"^对", "", c[:-1]) for c in conditions[restart:])
    if target:
        return f"{cond}的，对{target}" if cond else f"对{target}"
    return cond or None


def _measures(tail: str) -> tuple[str, ...]:
    """The measures after the conduct, each with the condition it follows within its 「；」 part
    (「…责令限期改正；情节严重的，吊销…许可证」 → 「吊销…许可证（情节严重的）」: 吊销 is not for
    every case)."""
    out: list[str] = []
    words: set[str] = set()
    for part in re.split(r"[；。]", tail):
        condition = None
        for clause in re.split(r"[，：]", part):
            if clause.endswith("的"):  # a condition such as 逾期不改造或者拆除的
                # 「逾期不改正，对不符合规划的，可以强制拆除」: both conditions hold.
                condition = f"{condition}，{clause}" if condition and _UNCORRECTED.match(condition) else clause
                continue
            if _UNCORRECTED.match(clause):
                condition = clause
                continue
            for m in _MEASURE.finditer(clause):
                word = re.sub(r"^(?:予以|可以|依法)(?=拆除|通报)", "", m.group(0))
                if word not in words:
                    words.add(word)
                    out.append(f"{word}（{condition}）" if condition else word)
    return tuple(out)


# 「由其所在单位或者上级机关给予行政处分」: who disciplines the officials, not who penalises
# (供水管理条例第三十七条第二款 had been read as 「由其所在单位或者上级机关责令其停业整顿」).
_DISCIPLINE_AFTER = re.compile(r"[，、]?(?:依法)?给予(?:行政)?处分")


def _agents(body: str) -> list[str]:
    found = [(m.start(), m["dept"]) for m in _AGENT.finditer(body) if not _DISCIPLINE_AFTER.match(body, m.end())]
    if not found:
        found = [(m.start(), m["dept"]) for m in _AGENT_BARE.finditer(body)]
    return [d for _, d in sorted(found)]


def _clean_item(item: str) -> str:
    return re.sub(r"(?:的)?[；。]?$", "", _ITEM_NO.sub("", item))


_EXCEPT_CASES = re.compile(r"^除[^，；。]*外，")


def _split_head(body: str, subject: str | None = None) -> tuple[int, str | None, str | None]:
    """Return (end of the conduct part, subject, conduct) of a penalty sentence."""
    head = _HEAD.search(body)
    conduct = body[: head.start()] if head else ""
    if not head or "；" in conduct or _FINE.search(conduct) or _MEASURE.search(conduct):
        return 0, subject, None  # 「处…罚款；情节严重的，处…」: the first 的， is a condition
    # 「除前款和本条例第九十二条第二款…规定情形外，小型餐饮服务提供者…的」 (食品安全条例第九十九条第三款):
    # which cases are left to other 款 is no part of the conduct (the 结论 had read 「除前款…外等的」).
    conduct = _EXCEPT_CASES.sub("", conduct)
    if (m := _SUBJECT_BEFORE.match(conduct)) and "规定" not in m.group(1):
        subject, conduct = m.group(1), conduct[m.end(1):]
    conduct = _VIOLATION_REF.sub("", conduct)
    if subject is None and (m := _ACTOR.match(conduct)):
        subject, conduct = m.group(1), conduct[m.end():].lstrip("，")
    conduct = re.sub(r"^其中，", "", conduct).replace("的，或者", "，或者")
    return head.end(), subject, re.sub(r"有下列(?:行为|情形)$", "", conduct)


# 「由X按照《Y》的有关规定处理」「由X依照有关法律、法规（规定）处理」「由公安机关依照有关规定予以处罚」:
# who acts, under which rules.
# (A law named without 「有关规定」, 「依照《治安管理处罚法》予以处罚」, stays a referral: 拆违规定第二十一条.)
_BY_OTHER_LAW = re.compile(r"(?:按照|依照)(?:《[^》]+》(?:的)?有关规定|有关法律、法规(?:的)?(?:规定)?|有关规定)"
                           r"(?:予以)?(?:处理|处罚)")


def refers_elsewhere(measure: str) -> bool:
    """Whether a measure only says under which rules the department acts (「依照有关法律、法规处理」),
    recorded as written when a 款 names nothing else: no measure of its own."""
    return bool(_BY_OTHER_LAW.fullmatch(measure))


# 「…处二百元以上二千元以下罚款；对未按照规定的区域、时间行驶的，由交通运输、公安交通管理部门
# 依照有关法律、法规规定处理」: after 「；」 another conduct, punished by another department.
_OTHER_CONDUCT = re.compile(r"(?<=；)(?=对?[^，；。]{1,40}?的，由)")


_TITLE = re.compile(r"《[^》]*》")


def _titled(piece: str, body: str, start: int, titles: list[str]) -> str:
    """A piece read from the text with its titles emptied, given its titles back: 「吊销《》」 is
    「吊销《养犬登记证》」 (养犬条例第四十七条), 「未取得《》或者《》，擅自开办…」 is 「未取得《特种行业
    许可证》或者《公共场所许可证》…」 (特种行业条例第二十六条). The k-th 「《》」 of the body is the k-th title."""
    # A measure may carry its condition after it (「吊销《》、《》（情节严重的）」): found by what precedes.
    at = body.find(piece.split("（")[0], start)
    if "《》" not in piece or at < 0:
        return piece
    k = body.count("《》", 0, at)
    parts = piece.split("《》")
    named = parts[0]
    for i, rest in enumerate(parts[1:]):
        named += (titles[k + i] if k + i < len(titles) else "《》") + rest
    return named


def _with_titles(measures: tuple[str, ...], body: str, start: int, titles: list[str]) -> tuple[str, ...]:
    return tuple(_titled(measure, body, start, titles) for measure in measures)


def _clause(sent: str, items: list[str], prev: str, dept: str | None = None,
            subject: str | None = None) -> PenaltyClause | None:
    if not _TRIGGER.search(sent) and not _BY_OTHER_LAW.search(sent):
        return None
    body = _TITLE.sub("《》", sent)  # 《…拆除违法建筑…》 is a title, not a measure
    start, subject, conduct = _split_head(body, subject)
    conduct = _titled(conduct, body, 0, _TITLE.findall(sent)) if conduct else conduct
    if items:
        conduct = "；".join(_clean_item(it) for it in items)
        sent = "\n".join([sent, *items])
    elif conduct == "" and prev and (m := _FORBIDDEN.search(prev)):
        conduct, sent = m.group(1).rstrip("。"), prev + sent  # 禁止X。违反规定的，由…
    agents = _agents(body)
    found = [(m.start(), _fine(m, _condition(body, start, m.start(), m["target"])))
             for m in _FINE.finditer(body, start) if not _bare_added_fine(body, m)]
    found += [(m.start(), Fine(*_amount(None, m["amt"]), _condition(body, start, m.start(), None), m.group(0),
                               m["per"])) for m in _FINE_AFTER.finditer(body, start)]
    found += [(m.start(), Fine(None, None, m["by"], _condition(body, start, m.start(), None), m.group(0)))
              for m in _FINE_COMPUTED.finditer(body, start)]
    fines = tuple(f for _, f in sorted(found, key=lambda pair: pair[0]))
    if any(f.states_sum or f.basis for f in fines):
        # 「并处罚款，其中，违反前款第（一）项规定的，处二百元以下罚款；…」: the amount-less fine
        # only announces the tiers that follow.
        fines = tuple(f for f in fines if f.states_sum or f.basis)
    measures = _with_titles(_measures(body[start:]), body, start, _TITLE.findall(sent))
    if not measures and not fines and (ref := _BY_OTHER_LAW.search(sent)) and _agents(body):
        # 「由城管执法部门按照《上海市住宅物业管理规定》的有关规定处理」: who acts, under which law.
        measures = (ref.group(0).replace("》的有关", "》有关"),)  # as written
    if not measures and not fines:
        return None
    # 「其中，对…的，可处…」 continues the previous sentence's 由X.
    agents = agents or _agents(prev) or [dept]
    return PenaltyClause(subject, conduct or None, agents[0], measures, fines, sent)


def _fine(m: re.Match, condition: str | None) -> Fine:
    per = (m["per"] and m["per"].rstrip("的")) or m["per_clause"]
    by = m["by"]
    if by and by.startswith("每") and not per and (summed := _amount(None, m["amt"]))[:2] != (None, None):
        # 「按照每只（头）处二十元以上五十元以下罚款」: the sum is for each one, as 「每株处…」 is.
        return Fine(*summed, condition, m.group(0), by)
    return Fine(*_amount(by, m["amt"]), condition, m.group(0), per)


def _bare_added_fine(body: str, m: re.Match) -> bool:
    """「行政机关可以依法加处罚款或者滞纳金」 (行政强制法第四十五条) allows the 执行罚 of an unpaid
    decision; it is no fine for a conduct (it read 「罚款：罚款（条文未规定数额）」). With its rate
    (「每日按罚款数额的百分之三加处罚款」) it says what is owed and stays."""
    return body[m.start() - 1: m.start()] == "加" and not m["by"] and not m["amt"]


def extract_penalties(text: str) -> list[PenaltyClause]:
    """Return one PenaltyClause per penalty sentence (or list item) in ``text``."""
    clauses: list[PenaltyClause] = []
    for sent, items, prev in _units(_normalize(text or "")):
        if items and any(re.search(r"罚款|责令", it) or _BY_OTHER_LAW.search(it) for it in items):
            # 「由城管执法部门按照下列规定处罚：（一）…」: each item is its own clause.
            _, subject, _ = _split_head(sent)
            agents = _agents(sent)
            for it in items:
                c = _clause(_ITEM_NO.sub("", it), [], "", agents[0] if agents else None, subject)
                if c:
                    conduct, fines = c.conduct, c.fines
                    conditions = {f.condition for f in fines}
                    if not conduct and len(conditions) == 1 and None not in conditions:
                        # 道路交通管理条例第七十五条（五）「现场发现机动车违法临时停车的，公安机关可以口头
                        # 警告，…妨碍…通行的，处…罚款」: the item's conduct was read as its fine's condition.
                        conduct = conditions.pop()
                        fines = tuple(replace(f, condition=None) for f in fines)
                    clauses.append(replace(c, conduct=conduct, fines=fines, sentence=sent + "\n" + it))
        else:
            last: PenaltyClause | None = None
            for part, part_prev in _by_department(sent, prev):
                if c := _clause(part, items if part_prev is prev else [], part_prev):
                    if part_prev is not prev and c.conduct:  # 「对未按照规定的区域、时间行驶的，由…」
                        c = replace(c, conduct=re.sub(r"^对(?=[^，；。]*$)", "", c.conduct))
                    elif part.startswith("由") and last is not None and not c.conduct:
                        # 「…的，由公安交通管理部门责令停止行驶，由城管执法部门责令立即清除；…并处…罚款」:
                        # the second department acts on the same conduct.
                        c = replace(c, subject=c.subject or last.subject, conduct=last.conduct)
                    clauses.append(c)
                    last = c
    return clauses


def _by_department(sent: str, prev: str) -> list[tuple[str, str]]:
    """The sentence, or its parts when a part after 「；」 punishes another conduct by another
    department (市容条例第四十四条第三款: 城管 fines the 标识/电子装置 duties, 公安交通 the
    区域、时间); the same department's 「；情节严重的，由X吊销…」 stays one clause with its tiers.
    A second 「，由Y…」 naming another department is its own part too (`_by_agent`), whose conduct
    extract_penalties carries over. Each part comes with the text before it (the previous sentence
    for the first)."""
    parts = [p for p in _OTHER_CONDUCT.split(sent) if p]
    parts = [q for p in parts for q in _by_agent(p)]
    if len(parts) < 2:
        return [(sent, prev)]
    out: list[tuple[str, str]] = [(parts[0], prev)]
    for part in parts[1:]:
        before, _ = out[-1]
        if _agents(part) and _agents(before) and _agents(part)[0] != _agents(before)[0]:
            out.append((part, before))
        else:
            out[-1] = (before + part, out[-1][1])
    return out


# 「，由Y部门责令…」 after 「由X部门…」 in one sentence: another department's measures for the same
# conduct (市容条例第二十七条第二款: 公安交通 stops the truck, 城管 orders the clearing and fines).
_NEXT_AGENT = re.compile(r"(?<=，)(?=由[^，；。：由]{1,40}?(?:部门|机关|机构)(?:责令|处|没收|吊销|暂扣|代为))")


def _by_agent(part: str) -> list[str]:
    """The part, or its pieces when a second 「由Y」 names another department than the first."""
    pieces = [p for p in _NEXT_AGENT.split(part) if p]
    out = [pieces[0]]
    for piece in pieces[1:]:
        before = _agents(_TITLE.sub("《》", out[-1]))
        now = _agents(_TITLE.sub("《》", piece))
        if before and now and before[-1] != now[0]:
            out.append(piece)
        else:
            out[-1] += piece
    return out


def departments(text: str) -> list[str]:
    """All departments acting in the penalty sentences of ``text``, de-duplicated, in order."""
    seen: list[str] = []
    for c in extract_penalties(text):
        for d in _agents(_TITLE.sub("《》", c.sentence)) or [c.department]:
            if d and d not in seen:
                seen.append(d)
    return seen


def format_fine(f: Fine) -> str:
    """Render a fine, e.g. "50–200 元（拒不改正的）"."""
    if f.min_yuan is not None and f.min_yuan == f.max_yuan:
        amount = f"{f.min_yuan} 元"
    elif f.min_yuan is not None and f.max_yuan is not None:
        amount = f"{f.min_yuan}–{f.max_yuan} 元"
    elif f.max_yuan is not None:
        amount = f"{f.max_yuan} 元以下"
    elif f.min_yuan is not None:
        amount = f"{f.min_yuan} 元以上"
    else:
        amount = f.basis or "罚款（未定数额）"
    if f.per and f.states_sum:
        amount = f"{f.per} {amount}"
    if f.basis and f.states_sum:
        amount += f.basis  # 「5000–20000 元或者修复费三至五倍」
    if not f.condition:
        return amount
    # A trailing target (对单位) reads as-is; a bare condition takes 的.
    de = "" if re.search(r"(?:^|，)对[^，]+$", f.condition) else "的"
    return f"{amount}（{f.condition}{de}）"
