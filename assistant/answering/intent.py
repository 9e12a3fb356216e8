"""What kind of answer a question wants: a penalty, who enforces, a procedure, a definition or
obligation, or a version comparison. Each intent has its own answer shape.

Cue words rather than a classifier: the cues are few, stable and legal-domain specific, and a
rule can be read and corrected by the officers who write the review set."""
from __future__ import annotations

import re
from enum import Enum


class Intent(str, Enum):
    PENALTY = "penalty"
    WHO_ENFORCES = "who_enforces"
    PROCEDURE = "procedure"
    DEFINITION = "definition"
    VERSION = "version"


_CUES: list[tuple[Intent, re.Pattern]] = [
    (Intent.VERSION, re.compile(r"版本|修订前|修改前|新旧|旧版|新版|老版|有什么变化|改了什么|区别在哪")),
    (Intent.WHO_ENFORCES, re.compile(
        r"归谁|谁管|谁来管|谁来处理|谁负责|谁来罚|谁处罚|谁来处罚|由谁|找谁|寻谁|哪个部门|什么部门|哪个机关|哪个单位|"
        # Shanghainese 啥 (「归啥部门管」「寻啥部门」) for 什么/哪个.
        r"啥部门|啥机关|啥单位|归啥|"
        r"能管吗|能不能管|管不管|管吗|管得了|有人管|能罚吗|能不能罚|罚不罚|能处罚吗|能不能处罚|城管还是|还是城管|"
        r"有用吗|能叫城管|归哪|是谁|城管能|城管会不会|城管可以|城管可不可以|城管管还是|"
        # 「归我们查还是归市场监管查」: whose case it is.
        r"归[^，,。？?]{1,8}查")),
    (Intent.PROCEDURE, re.compile(
        r"程序|步骤|流程|期限|多久|多长时间|多少天|几天|几日|时限|时效|听证|告知|送达|文书|催告|公告|立案|回避|"
        r"简易程序|强制执行|代履行|法制审核|复议|起诉|诉讼|怎么申请|如何申请|当场|哪些内容|要走|怎么办|"
        # The acts of 行政处罚法 第五章、第六章 and 行政强制法 第四章 (corpus/enforcement.yaml procedure_topics).
        # Not 加处罚款 or 滞纳金: 「逾期不交罚款，加处罚款从哪天算」 asks the consequence (行政处罚法第七十二条);
        # as a procedure question it was led by a 款 that covered little of it and got 「未找到可靠依据」.
        r"集体讨论|移送|保密|陈述|申辩|取证|先行登记保存|中止执行|终结执行|拍卖|执行协议|分期|延期缴纳|"
        # 「人去世了，罚款还要继续执行吗」 asks whether enforcement ends (行政强制法第四十条, blind review G21).
        r"(?:继续|还要|还能|还得|不再|停止)执行|"
        # How a case is handled, whatever else the question says (「拍下来的照片不经过审核也能直接当
        # 证据罚我吗」 asks about evidence, not a fine): evidence, records, seizure, the courts,
        # 信访 and 信息公开 (diagnostic N9-02).
        r"证据|官司|法院|笔录|扣押|被扣|扣了|信息公开|信访|调解|再审|二审|一审")),
    (Intent.PENALTY, re.compile(r"罚|处罚|后果|怎么处理|如何处理|处理措施|法律责任|没收|拘留|责令|会怎样|会怎么样")),
    # 「第二十七条规定了什么」「第四十八条禁止哪些行为」 ask the article's text, not its penalty.
    (Intent.DEFINITION, re.compile(r"是什么|什么是|指什么|(?:讲|说|写)(?:的是|了|的)?(?:啥|什么|哪)|啥意思|什么意思|规定了?(?:什么|啥|些啥|些什么)|怎么规定|如何规定|哪些规定|禁止哪些|"
                                   r"哪些行为|定义|含义|包括哪些|属于|算不算|是否属于|应当|义务|要求|"
                                   r"能不能(?!管|罚|处罚)|可不可以|可以吗|行不行|允许|违法吗|合法吗|"
                                   # 「有人讲节假日不能拆，真的假的」: whether the rule says so (N19-25).
                                   r"真的假的|是真的吗|是不是真的|有这个?规定吗|有没有这个?规定|"
                                   # 「过年能放鞭炮吗」「能报警吗」: whether it is allowed (not 能管/能罚: who).
                                   r"(?<![不可])能[^，,。？?管罚]{1,10}吗|"
                                   # 「店招设置要审批吗」 asks whether a permit is needed, not the penalty.
                                   r"(?:审批|批准|许可|备案|报批|办证)吗|(?:要不要|需不需要)(?:审批|批准|许可|备案|报批|办证)")),
]


# 「行政处罚法第六十三条规定了啥」「按治安管理处罚法…」: a law's name is no cue of what is asked (its
# 处罚 had made the first a penalty question, answered with the 听证 article's list of penalties).
_PENALTY_LAW = re.compile(r"[\u4e00-\u9fff]*处罚(?:法|条例|办法|规定)")


# Which authority grants a permit: 「找哪个部门审批」「去哪个部门报批」. Not 「那要向哪个部门申请呢」 after
# 「临时使用绿地最长能用几年」: as a who-enforces question it is answered by the 款 naming where to apply,
# as a definition by the one stating the years it carries.
APPLYING_TO = re.compile(r"(?:哪个|什么|哪些|哪一个)(?:部门|单位|机关|机构).{0,3}(?:审批|批准|报批|许可|办证)")


# How Shanghai people ask (「会被罚伐」「可以伐」「哪能办」「归啥人管」): the Shanghainese question particle
# 伐 (吗; not the 伐 of 砍伐、采伐), 哪能 (怎么) and 啥人 (谁), read as the cues above are written.
_SHANGHAINESE = (
    # 「好直接撕掉伐」「节假日不好拆，真的假的」: 好 before a verb is 能, 不好 不能 (diagnostic N19-25
    # had been a penalty question, answered with 行政强制法第六十一条's liability, not 第四十三条's
    # rule). Only in a question ending in 伐, or 不好 before a verb of enforcement, so that Mandarin
    # 好几、好多、不好意思 stay as they are. Not 「好罚伐」: it asks the fine (as a who-enforces
    # question, 「空调外机滴水，城管好罚伊伐？罚款标准是多少」 was answered with the fine of 市容条例
    # 第二十六条's other 款, diagnostic N15-39).
    (re.compile(r"(?<![不只最还很])好(?![几多像久些的好处看罚])(?=[^，,。？?！!]{1,12}伐(?:[？?，,。！!\s]|$))"), "能"),
    (re.compile(r"不好(?=[拆罚管收停放卖摆扣挂装搭开倒烧养种砍])"), "不能"),
    (re.compile(r"(?<![砍采征讨杀])伐(?=[？?，,。！!\s]|$)"), "吗"), (re.compile(r"哪能"), "怎么"),
    # 「归啥人管」 (谁): diagnostic N15-14 had been a penalty question.
    (re.compile(r"啥人"), "谁"))


def plain_question(question: str) -> str:
    for pattern, mandarin in _SHANGHAINESE:
        question = pattern.sub(mandarin, question)
    return question


def classify(question: str, own: str | None = None) -> list[Intent]:
    """Intents in order of precedence (the first is the answer's shape). 「归谁管？罚多少？」 is
    who-enforces and penalty; a question with no cue is treated as a penalty question when it
    names conduct, which is what officers ask most. `own`: a follow-up's own words, which alone
    say whether it asks a number (「那要向哪个部门申请呢」 after 「最长能用几年」 does not)."""
    question = plain_question(_PENALTY_LAW.sub("", question))
    own = plain_question(own) if own else own
    found = [intent for intent, cue in _CUES if cue.search(question)]
    if Intent.WHO_ENFORCES in found and APPLYING_TO.search(question) and not re.search(r"罚|处罚|查处|管不管|能管", question):
        # 「得找哪个部门审批」 asks who grants the permit: the rule requiring it names them, not a
        # penalty's 由X (qa dev q055 had been answered from 绿化条例第四十三条's fine).
        found[found.index(Intent.WHO_ENFORCES)] = Intent.DEFINITION
        found = list(dict.fromkeys(found))
    if Intent.WHO_ENFORCES in found and Intent.PENALTY in found:
        # 「城管能罚吗」 asks who; 「归谁管？罚多少？」 asks both: who first, then the amounts.
        found.remove(Intent.PENALTY)
        if re.search(r"罚多少|罚款多少|怎么罚|如何处罚|怎么处罚|罚款标准|多少钱", question):
            found.insert(1, Intent.PENALTY)
    if Intent.PROCEDURE in found and Intent.PENALTY in found:
        # 「当场收罚款」「罚款决定书多少天内交」 are procedure; 「罚多少」 stays a penalty question.
        if re.search(r"罚多少|罚款多少|怎么罚|如何处罚|怎么处罚|罚款标准", question):
            found.remove(Intent.PROCEDURE)
        else:
            found.remove(Intent.PENALTY)
    if found and found[0] == Intent.WHO_ENFORCES and asked_units(own or question, money=False):
        # 「还能罚吗？几年没发现就不罚了」「城管能叫单车公司来拉走伐，要多久清掉」: the number asked
        # is the answer; who acts comes second.
        found.remove(Intent.WHO_ENFORCES)
        if Intent.PROCEDURE not in found:
            found.insert(0, Intent.PROCEDURE)
        found.insert(1, Intent.WHO_ENFORCES)
    if not found and re.search(r"多少|几|多久|多长|费", question) and "罚" not in question:
        return [Intent.DEFINITION]  # 「年检要交多少钱」 asks for a rule's figure, not a penalty
    return found or [Intent.PENALTY]


# The penalty asked in so many words (「这种怎么罚」「会有啥后果」), not by default (a question with no
# cue is a penalty question) nor in passing (「开罚单」「作出处罚之前」).
PENALTY_ASKED = re.compile(r"罚多少|罚款多少|怎么罚|如何处罚|怎么处罚|会被罚|被罚|罚款吗|罚吗|罚钱|罚不罚|处罚吗|"
                           r"后果|怎么处理|如何处理|会怎样|会怎么样|法律责任")


def penalty_asked(question: str) -> bool:
    """Whether the question asks for a penalty in so many words (not by default)."""
    return bool(PENALTY_ASKED.search(plain_question(_PENALTY_LAW.sub("", question))))


# A question that asks for a quantity (「多少钱」「几天内」「多少分贝」) is answered only when the
# answer itself states a number in that unit; the regulation may exist and still not say it.
_NUM = "[0-9零〇一二两三四五六七八九十百千万]+"
# 「这几天流口水」「交房好几年了」「劝了好几次」: 几 after these counts days or times, asks no number
# (blind review G06, G11 had been told 「相关条文没有规定所问的数额、期限」). 「提前几天」 asks.
# 「能不能分几次履行」 asks how to pay, not how many times (blind review N6-24, dev r168). Not after
# 了: 「欠了几个月没交」 tells what happened, but 「用了几年就必须更换」 asks (dev n087). 「连着几天夜里
# 浇混凝土」「连续几天」 tell how long it goes on (blind review N10-39: its 「补多少钱」 had been
# answered by a 「三个工作日」 of the same story).
_NOT_ASKING = "(?<![这那好后过头末最十分着续连])(?<![^提]前)(?<!^前)"
_MEASURED = "[0-9零〇一二两三四五六七八九十百千万][米斤尺层吨里]"


def _counted_in(unit: str) -> tuple[re.Pattern, re.Pattern]:
    """「多少羽」「几头」 asked (not 「砍了几棵树」, which tells a story), answered by a number in that unit."""
    return (re.compile(rf"{_NOT_ASKING}(?<!了)几{unit}|(?<!了)多少{unit}"), re.compile(rf"{_NUM}\s*{unit}"))


# 「多少辰光」「啥辰光」: Shanghainese for 多少时间. 「多少分钟内必须赶到现场」 is a time asked too
# (diagnostic N12-38 had been answered by an article stating no time).
# 「几个月了都不装回去」「几天了还在搭」 tell how long it has gone on (diagnostic N17-18).
TIME_ASKED = (
    re.compile(rf"{_NOT_ASKING}几天(?!了)|多少天|{_NOT_ASKING}几日(?!了)|多久|多长时间|多少时间|多少辰光|啥辰光|期限是|期限多长|(?:啥|什么|有没有)期限|期限(?:要求|多少)|{_NOT_ASKING}几个月(?!了)|"
               rf"{_NOT_ASKING}几年(?!了)|多少年|{_NOT_ASKING}几小时(?!了)|多少分钟|{_NOT_ASKING}几分钟(?!了)"),
    re.compile(rf"{_NUM}\s*(?:个)?(?:工作日|日|天|小时|分钟|个月|月|年)"))


def asked_deadline_event(question: str) -> tuple[str, str]:
    """What must happen within the time asked: the words after the time asked, in its part of the
    sentence (「多少时间里要到现场」 → 「要到现场」, 「复议要在多少天内申请」 → 「申请」), and those
    before it (「处理期限是多长」 → 「处理」), for when nothing follows. Empty when no time is asked."""
    m = TIME_ASKED[0].search(question)
    if m is None:
        return "", ""
    start = max(question.rfind(p, 0, m.start()) for p in "，,。？?！!；;") + 1
    ends = [i for i in (question.find(p, m.end()) for p in "，,。？?！!；;") if i >= 0]
    return question[m.end(): min(ends) if ends else len(question)].lstrip("内里之以"), question[start: m.start()]


ASKED_QUANTITIES: list[tuple[re.Pattern, re.Pattern]] = [
    # 「几块钱」「工资一个月大概多少」「票价多少」 ask a sum of money too (blind review L38, L39 had been
    # answered from articles stating none).
    # Shanghainese 钞票 and 几钿 are money (「起步价多少钞票」「办狗证要交几钿管理费」: diagnostic N17-38,
    # N14-36 had been answered from articles stating only fines).
    (re.compile(r"多少钱|多少钞票|几钿|多少洋钿|多少元|[交收拿给发赔补奖]多少|费用?多少|多少.{0,4}[费奖]|标准是多少|几块钱|多少块|几毛钱|"
                r"(?:工资|薪水|薪酬|收入|票价|价格|价钱|租金)[^，。？?]{0,6}多少"), re.compile(rf"{_NUM}\s*元")),
    (re.compile(r"罚多少|罚款多少"), re.compile(rf"{_NUM}\s*(?:元|倍)|百分之|%")),
    TIME_ASKED,
    (re.compile(r"几点|什么时间|哪个时段"), re.compile(rf"{_NUM}\s*(?:点|时)|夜间|[早晚]上")),
    (re.compile(r"多少分贝|几分贝"), re.compile(rf"{_NUM}分贝")),
    # A share is also a fraction or a majority (「三分之二以上的业主同意」「过半数」: qa dev q083).
    (re.compile(r"税率|费率|比例是多少|百分之几|百分之多少|多少比例|多大比例|什么比例"),
     re.compile(rf"百分之|分之[一二三四五六七八九十]|过半数|半数以上|{_NUM}\s*(?:%|‰)")),
    # Not 「第三人」: an ordinal names a party, it counts nobody.
    # A share of the people (「经百分之二十以上的业主提议」) answers how many must act.
    (re.compile(r"几个人|几人|多少人|多少名|几名|多少位(?!置)|几位(?!置)"),
     re.compile(rf"(?<![第0-9零〇一二两三四五六七八九十百千万]){_NUM}\s*(?:人|名)|百分之|分之[一二三四五六七八九十]|\d\s*%")),
    # 「河边多少米以内不能盖房子」「离住宅楼最少要隔几米」 (blind reviews H36, F06) ask a distance too.
    # Not 「两米多高的砖墙」「十斤多重」: more than a stated figure describes, it asks nothing (blind
    # review I14 had been told 「没有规定所问的数额」).
    (re.compile(rf"(?<!{_MEASURED})(?:多高|多重|多大(?!比例)|(?<!期限是)(?<![限间])多长(?!时间)|多远|多宽)|"
                rf"多少(?:米|厘米|公里|平方米|公斤|吨)|{_NOT_ASKING}几(?:米|厘米|公里|平方米|公斤|吨)"),
     re.compile(rf"{_NUM}\s*(?:米|厘米|公里|公斤|千克|吨|平方米)")),
    # 「空调要单独拉几平方的电线」: an area or a cross-section (blind review N5-52).
    (re.compile(rf"{_NOT_ASKING}几平方(?!米)|多少平方(?!米)"), re.compile(rf"{_NUM}\s*平方")),
    # 「要参加多少学时的培训」 (blind review N4-38).
    (re.compile(r"多少学时|几个学时|多少课时|几个课时"), re.compile(rf"{_NUM}\s*(?:个)?[学课]时")),
    # 「引用多少字以内不算侵权」「招牌上的字最少几个」 (dev n021 had been answered from an article stating none).
    (re.compile(rf"多少字(?![号体])|{_NOT_ASKING}几个字"), re.compile(rf"{_NUM}\s*(?:个)?字(?![号体])")),
    # 「湿垃圾桶是啥颜色」 is answered by a colour, not by 「颜色…应当统一规范」; 「正文用什么字体、几号字」 by a
    # typeface or size (blind review N5-24, N5-47).
    (re.compile(r"(?:什么|啥|哪种|哪个|几种)颜色|什么色"), re.compile(r"[红黄蓝绿黑白灰棕褐紫橙粉]色")),
    (re.compile(r"什么字体|几号字|字号多大"), re.compile(rf"{_NUM}\s*号字?|[宋黑楷]体")),
    # 「挖出来几只老坛子，要报给啥人」「搬来几台机器」 tell what happened, as 「砍了几棵」 does
    # (diagnostic N20-34 had been told 「没有规定所问的数额」). So does 「笔录有几处记得不对」 (N10-28).
    (re.compile(rf"{_NOT_ASKING}(?<![了来出有])(?:几条|几只|几次|几倍|几辆|几台|几家|几处)|多少只|多少倍|多少个|多少辆|多少台|多少家|多少处"),
     re.compile(rf"(?<![第0-9零〇一二两三四五六七八九十百千万]){_NUM}\s*(?:条|只|次|倍|个|辆|台|家|处)(?![第一二三四五六七八九十]+[款项])")),
    # 「信鸽一户最多能养多少羽」 is answered by so many 羽, not by 养犬条例's 「每户限养一条」 (blind review
    # N1-35); the same for 头 (livestock) and 株/棵 (trees). 「砍了几棵树」「养了几头猪」 tell a story.
    *(_counted_in(unit) for unit in ("羽", "头", "[株棵]")),
]


# The money quantities (the first two): any fine states one, so a 款 stating a sum is no sign that
# it answers 「年检要交多少钱」.
MONEY_QUANTITIES = 2


def asked_units(question: str, money: bool = True) -> list[re.Pattern]:
    """What kinds of number the question asks for (amount, days, hours …), as patterns of the
    answer text that would state one; `money=False` leaves out sums of money."""
    start = 0 if money else MONEY_QUANTITIES
    return [unit for cue, unit in ASKED_QUANTITIES[start:] if cue.search(question)]


# Questions about the enforcement itself rather than the conduct: which 城管 (两区交界, 区城管还是
# 镇政府), in whose name, and what happens to whoever obstructs the officers. The regulation that
# answers them is 《上海市城市管理行政执法条例》, however much of the conduct they name (设摊).
_JURISDICTION_ASKED = re.compile(r"交界|管辖|哪个区的?城管|区城管还是|还是区城管|还是镇政府|镇政府还是|街道还是|"
                                 r"谁的名义|什么名义|以谁")
OBSTRUCTION = re.compile(r"推搡|推倒|拉扯|阻碍|妨碍|阻挠|抗法|抢回|抢走|殴打|打伤|辱骂|围攻")
_OFFICERS = re.compile(r"城管|执法|队员")


# 「城管能不能查封店铺」「城管能不能没收摊贩的三轮车」: whether 城管 may take a measure is a
# question about its powers (城管执法条例第二十一条 扣押, 没收), not about the conduct.
_MEASURE = re.compile(r"查封|扣押|暂扣|没收|扣留|收缴")
_MAY = re.compile(r"能不能|能否|可不可以|可以|有没有权|有权|有没有这个权")
# 「城管扣了摊贩的蔬菜，容易坏的怎么处理」「一车西瓜被城管拖走了…哪能办」: what becomes of goods the
# officers have taken is a question about the enforcement (城管执法条例第二十二条), not about the
# conduct they were taken for (设摊: conversation dev f037 had been answered with 市容条例's fine).
_TAKEN = re.compile(r"扣了|扣走|拖走|拉走|收走|扣押的|暂扣的|扣留的|没收的|查封的|被扣|被没收|被查封")
# Not how long a seizure lasts (「扣走了，要扣多久才还给我」): 行政强制法's 三十日 answers that.
_HANDLED = re.compile(r"怎么处理|如何处理|怎么办|哪能办|还给|退还|归还|领回|拿回|要回")


def asks_about_enforcement(question: str) -> bool:
    officers = bool(_OFFICERS.search(question))
    return bool(_JURISDICTION_ASKED.search(question)
                or (OBSTRUCTION.search(question) and officers)
                or (_MEASURE.search(question) and _MAY.search(question) and officers)
                or (_TAKEN.search(question) and _HANDLED.search(question) and officers
                    and not asked_units(question, money=False)))
