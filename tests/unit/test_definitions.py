"""用语含义: the law's own definitions, read from its articles and shown under answers that quote the
term (养犬管理条例第十二条's 城市化地区 → 第五十七条)."""
from __future__ import annotations

from assistant.answering.answer import Answer
from assistant.answering.glossary import MAX_DEFINED_TERMS, Glossary
from assistant.core.definitions import Definition, definitions
from assistant.core.models import Chunk

DOGS = "上海市养犬管理条例"


def chunk(law: str, article: int, text: str) -> Chunk:
    return Chunk(law, article, 0, "2011-03-01", "上海", "地方性法规", None, "current", text, "x.md",
                 article_label=f"第{article}条")


def test_definitions_in_sentences_and_in_lists():
    assert definitions("第五十七条 本条例所称的养犬人，是指饲养犬只的个人或者单位。\n"
                       "本条例所称的城市化地区，是指《上海市城乡规划条例》确定的中心城、新城和新市镇。") == [
        Definition("养犬人", "养犬人，是指饲养犬只的个人或者单位。"),
        Definition("城市化地区", "城市化地区，是指《上海市城乡规划条例》确定的中心城、新城和新市镇。")]
    listed = definitions("第八十八条 本法中下列用语的含义：\n（一）噪声排放，是指噪声源向周围生活环境辐射噪声；\n"
                         "（二）夜间，是指晚上十点至次日早晨六点之间的期间，设区的市级以上人民政府可以另行规定；")
    assert [d.term for d in listed] == ["噪声排放", "夜间"]
    assert listed[1].text == "夜间，是指晚上十点至次日早晨六点之间的期间，设区的市级以上人民政府可以另行规定。"
    # quotes around the term are the law's typography, not the term
    assert definitions("本法所称“道路”，是指公路、城市道路。")[0] == Definition("道路", "道路，是指公路、城市道路。")
    # 「本条例所称的有关部门」 and ordinary text define nothing an answer needs
    assert definitions("本条例所称有关部门，是指市和区的行政管理部门。") == []
    assert definitions("养犬人应当遵守下列规定：（一）为犬只挂犬牌；") == []


class Store:
    def __init__(self, chunks):
        self.chunks = chunks

    def law_chunks(self, law, version):
        return [c for c in self.chunks if c.law == law and c.version == version]


LAW = [chunk(DOGS, 12, "第十二条 个人在城市化地区内饲养犬只的，每户限养一条。"),
       chunk(DOGS, 57, "第五十七条 本条例所称的养犬人，是指饲养犬只的个人或者单位。\n"
                       "本条例所称的城市化地区，是指《上海市城乡规划条例》确定的中心城、新城和新市镇。\n"
                       "本条例所称的养犬管理，是指对犬只饲养的管理。"),
       chunk("上海市其他条例", 3, "城市化地区以外的犬只。")]


def test_terms_quoted_by_an_answer_are_explained_once_and_cited():
    glossary = Glossary(Store(LAW), LAW)
    used = glossary.used_in(LAW[0], "个人在城市化地区内饲养犬只的，每户限养一条。")
    assert [t.term for t in used] == ["城市化地区"] and used[0].chunk.article == 57
    # 养犬管理 is the law's own subject (养犬管理条例), not a term to explain
    assert "养犬管理" not in [t.term for t in glossary.used_in(LAW[0], "养犬管理 养犬人 城市化地区")]
    assert len(glossary.used_in(LAW[0], "养犬人 城市化地区")) <= MAX_DEFINED_TERMS
    # the defining article itself says what its terms mean
    assert glossary.used_in(LAW[1], "城市化地区") == []
    text = Answer("郊区农村呢", False, "offline", "……", defined=used).markdown()
    assert "### 用语含义\n- 城市化地区，是指《上海市城乡规划条例》确定的中心城、新城和新市镇。（《上海市养犬管理条例》第57条）" in text


def test_common_vocabulary_is_not_explained():
    law = [chunk("某条例", 1, "第一条 本条例所称道路，是指公路。"), chunk("某条例", 2, "第二条 在道路上设摊的，处罚款。")]
    others = [chunk(f"其他条例{n}", 1, "道路") for n in range(20)]
    assert Glossary(Store(law), law + others).used_in(law[1], "在道路上设摊") == []
    assert [t.term for t in Glossary(Store(law), law).used_in(law[1], "在道路上设摊")] == ["道路"]
