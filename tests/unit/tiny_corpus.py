"""A tiny library in LawRefBook's format, written for the fast tests. The regulations are
shortened and partly invented: they exercise the parser and the search, not the law."""
from __future__ import annotations

import json
from pathlib import Path

GARBAGE = "上海市生活垃圾管理条例"
PROPERTY = "上海市住宅物业管理规定"
NOISE = "中华人民共和国噪声污染防治法"
BEIJING = "北京市生活垃圾管理条例"
ENFORCEMENT = "上海市城市管理行政执法条例"
PENALTY_LAW = "中华人民共和国行政处罚法"
GREEN = "上海市绿化条例"

FILES = {
    "DLC/上海地方法规/地方性法规/上海/上海市生活垃圾管理条例(2019-01-31).md": f"""# {GARBAGE}

2019年1月31日上海市第十五届人民代表大会第二次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了加强本市生活垃圾管理，改善人居环境，制定本条例。

第二条 本条例适用于本市行政区域内生活垃圾的分类投放、收集、运输、处置。

## 第三章 分类投放

第二十二条 个人应当将生活垃圾分别投放至相应的收集容器。

第二十四条 禁止随意倾倒、抛撒、堆放或者焚烧生活垃圾。

## 第七章 法律责任

第五十七条 单位违反本条例第二十二条规定，未将生活垃圾分类投放的，由城管执法部门责令立即改正；拒不改正的，处五千元以上五万元以下罚款。

个人违反本条例第二十二条规定，未将生活垃圾分类投放的，由城管执法部门责令立即改正；拒不改正的，处五十元以上二百元以下罚款。

第五十八条 违反本条例第二十四条规定，随意倾倒、抛撒、堆放或者焚烧生活垃圾的，由城管执法部门责令改正，对单位处五千元以上五万元以下罚款，对个人处二百元以下罚款。
""",
    "DLC/上海地方法规/地方性法规/上海/上海市住宅物业管理规定(2010-12-23).md": f"""# {PROPERTY}

2010年12月23日上海市第十三届人民代表大会常务委员会第二十三次会议通过

<!-- INFO END -->

第八十三条 违反本规定第五十条规定，损坏房屋承重结构的，由区房屋行政管理部门责令立即改正，恢复原状，可处一万元以上十万元以下罚款。
""",
    "DLC/上海地方法规/地方性法规/上海/上海市住宅物业管理规定(2020-12-30).md": f"""# {PROPERTY}

2020年12月30日上海市第十五届人民代表大会常务委员会第二十八次会议修正

<!-- INFO END -->

第五十条 禁止下列行为：

（一）损坏房屋承重结构；

（二）违法搭建建筑物、构筑物。

第八十三条 违反本规定第五十条第一项规定，损坏房屋承重结构的，由区房屋行政管理部门责令立即改正，恢复原状，可处二万元以上二十万元以下罚款。
""",
    "行政法/噪声污染防治法(2021-12-24).md": f"""# {NOISE}

2021年12月24日第十三届全国人民代表大会常务委员会第三十二次会议通过

<!-- INFO END -->

第四十三条 在噪声敏感建筑物集中区域，禁止夜间进行产生噪声的建筑施工作业，但抢修、抢险施工作业除外。

第七十七条 违反本法规定，建设单位、施工单位有下列行为之一，由工程所在地人民政府指定的部门责令改正，处一万元以上十万元以下的罚款：

（一）超过噪声排放标准排放建筑施工噪声的；

（二）未按照规定取得证明，在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业的。
""",
    "DLC/北京地方法规/地方性法规/北京/北京市生活垃圾管理条例(2020-09-25).md": f"""# {BEIJING}

2020年9月25日北京市第十五届人民代表大会常务委员会第二十四次会议修正

<!-- INFO END -->

第七十二条 个人违反生活垃圾分类投放规定的，由生态环境部门给予书面警告；再次违反规定的，处五十元以上二百元以下罚款。
""",
    "DLC/上海地方法规/地方性法规/上海/上海市城市管理行政执法条例(2018-05-24).md": f"""# {ENFORCEMENT}

2012年4月19日上海市第十三届人民代表大会常务委员会第三十三次会议通过

<!-- INFO END -->

## 第二章 执法权限

第十一条 市和区城管执法部门以及乡、镇人民政府实施城市管理行政执法的范围包括：

（一）依据市容环境卫生管理方面法律、法规和规章的规定，对违反市容环境卫生管理的违法行为实施行政处罚。

（三）依据绿化管理方面法律、法规和规章的规定，对除绿化建设外的违反绿化管理的违法行为实施行政处罚。

（五）依据环境保护管理方面法律、法规和规章的规定，对未经批准或者未按批准要求从事夜间建筑施工，造成噪声污染的违法行为实施行政处罚。

（八）依据城乡规划和物业管理方面的法律、法规和规章的规定，对擅自搭建建筑物、构筑物的违法行为和物业管理区域内破坏房屋外貌的违法行为实施行政处罚。

第十四条 区城管执法部门以及乡、镇人民政府负责本辖区内违法行为的查处。两个以上区城管执法部门都有管辖权的，由首先发现的城管执法部门查处。
""",
    "行政法/行政处罚法(2021-01-22).md": f"""# {PENALTY_LAW}

2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订

<!-- INFO END -->

第六十条 行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定。

第六十四条 听证应当依照以下程序组织：

（一）当事人要求听证的，应当在行政机关告知后五日内提出；

（二）行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点。
""",
    # No date in the file name: the version is read from the history line.
    "DLC/上海地方法规/地方性法规/上海/上海市绿化条例.md": f"""# {GREEN}

2018年12月20日上海市第十五届人民代表大会常务委员会第八次会议修正

<!-- INFO END -->

第三十一条 因城市建设需要临时使用绿地的，应当向区绿化管理部门提出申请。

临时使用绿地期限一般不超过一年。

第四十三条 违反本条例规定，擅自迁移树木的，由市或者区绿化管理部门责令改正，处绿化补偿标准三至五倍的罚款。
""",
}


def write_corpus(root: Path) -> Path:
    """The tiny library under root/lawrefbook, as in ../shared/corpus."""
    for rel, text in FILES.items():
        path = root / "lawrefbook" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# A three-category triage taxonomy and a few complaints, in the format of corpus/triage/.
TAXONOMY = """
street_vending:
  name: 乱设摊
  description: 流动摊贩占用道路、广场设摊经营。
  expressions: [摆地摊, 流动摊贩, 路边摊, 三轮车卖水果]
  department: 城管执法部门
  is_enforcement: true
  bases: [{law: 上海市市容环境卫生管理条例, article: 21}]
night_construction_noise:
  name: 夜间施工噪声
  description: 夜间建筑施工产生噪声扰民。
  expressions: [半夜施工, 夜里打桩, 工地晚上很吵]
  department: 城管执法部门
  is_enforcement: true
  bases: [{law: 中华人民共和国噪声污染防治法, article: 77}]
not_enforcement:
  name: 非城管事项
  description: 不属于城管执法的事项。
  expressions: [小区停车位, 物业费太贵, 公交晚点]
  department: 相关职能部门
  is_enforcement: false
  bases: []
"""
COMPLAINTS = [
    ("小区门口天天有人摆摊卖菜，占了人行道", "street_vending"),
    ("地铁站出口好多流动摊贩卖烧烤", "street_vending"),
    ("工地晚上十二点还在打桩，吵得睡不着", "night_construction_noise"),
    ("旁边工地半夜施工噪声特别大", "night_construction_noise"),
    ("物业费涨价太多了", "not_enforcement"),
    ("公交车老是晚点", "not_enforcement"),
]
TRIAGE_CODES = ("street_vending", "night_construction_noise", "not_enforcement")


def write_authored_triage(root: Path) -> tuple[Path, Path]:
    """(authored dir with triage/taxonomy.yaml and complaints.jsonl, contract labels file)."""
    (root / "triage").mkdir(parents=True, exist_ok=True)
    (root / "triage" / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (root / "triage" / "complaints.jsonl").write_text(
        "".join(json.dumps({"id": f"c{i:04d}", "text": t, "label": y, "split": "train"}, ensure_ascii=False) + "\n"
                for i, (t, y) in enumerate(COMPLAINTS)), encoding="utf-8")
    labels = root / "labels.tsv"
    labels.write_text("code\tname\tscope\n" + "".join(f"{c}\tx\tx\n" for c in TRIAGE_CODES), encoding="utf-8")
    return root, labels
