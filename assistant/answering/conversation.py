"""Follow-up questions (「那单位呢？」「第二款说的是什么？」) resolved from the conversation."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.answer import Answer
from assistant.answering.clauses import article_body, clauses
from assistant.answering.intent import Intent, classify
from assistant.core.legaltext import CN_NUM, PARAGRAPH_REF, cn_int, cn_numeral, normalize, referenced_numbers
from assistant.core.models import Chunk

# Cues of a turn that leans on the previous one: a conjunction or pronoun first, 「…呢」 last, or
# a first clause that continues what was said (「已经…」「万一…」「处理完了以后，…」「中止以后好几年…」:
# a word or two before 以后 is the last turn's act; 「施工结束以后的建筑垃圾」 names its own).
FOLLOWUP = re.compile(r"^(那|那么|如果|要是|假如|还有|另外|这|该|它|此|上述|上面|刚才|同样|已经|万一|然后|接下来|事后|"
                      r"对方)|^[^，,。？?]{0,6}(以后|之后)[，,]|^[^，,。？?]{1,4}(以后|之后)(?!的)|呢[？?。]?$")


@dataclass
class Turn:
    question: str
    standalone: str
    answer: Answer


def is_followup(question: str) -> bool:
    q = normalize(question)
    length = _length(q)
    short = length <= SHORT_QUESTION_CHARS
    # 「有业主就是不肯交，怎么办？」: a short question that only refuses names no conduct of its own
    # (blind review N7-34).
    refusing = length <= REFUSAL_FOLLOWUP_CHARS and bool(ESCALATION.search(q))
    # 「情况复杂要延长的话，最多还能延多久」 supposes a case of what was just asked, as 如果/要是 do;
    # a longer question with 的话 states its own (「当事人下落不明，只能公告送达的话，过多久算送到了」,
    # dev f054, is answered by the article on 公告送达, not within the previous 结论's law).
    supposing = length <= SUPPOSITION_FOLLOWUP_CHARS and "的话" in q
    return (bool(FOLLOWUP.search(q)) or short or refusing or supposing or bool(PARAGRAPH_REF.search(q) and "条" not in q)
            or bool(RELATIVE_ARTICLE.search(q) or RELATIVE_PARAGRAPH.search(q)))


# Six characters are too few for a question of its own (「期限能延长吗？」).
SHORT_QUESTION_CHARS = 6
# Up to this many characters, a question whose only cue is a refusal (ESCALATION) is a follow-up.
REFUSAL_FOLLOWUP_CHARS = 12
# Up to this many characters, a question supposing a case (「…的话」) is a follow-up (diagnostic N20-33).
SUPPOSITION_FOLLOWUP_CHARS = 20


def _length(question: str) -> int:
    """Characters of a question without its closing punctuation (its 「？」 is no word)."""
    return len(question.rstrip("？?。！! "))


# 「另外问个事，…」「换个话题：…」「还有个问题，…」「顺便问一下，…」: the asker says that what follows is
# a question of its own, not about the last answer (blind review N7-36, N7-39).
TOPIC_SWITCH = re.compile(
    r"^(?:(?:另外|顺便|另外再|顺便再|再|我再|我还想|还想)(?:问|请教|咨询)(?:一下|下|个|一个|点)?(?:别的|其他的?)?(?:事情?|问题)?"
    r"|(?:问|请教)(?:个|一个|点)(?:别的|其他的?)(?:事情?|问题)?"
    r"|(?:换个|换一个|还有个|还有一个|还有件|另一个|另外一个)(?:事情?|问题|话题))[，,：:。！!\s]*")


def switched_topic(question: str) -> str | None:
    """The question after a topic-switch cue, when what follows is a whole question (more than
    six characters); None otherwise."""
    q = normalize(question)
    m = TOPIC_SWITCH.match(q)
    if m is None:
        return None
    rest = q[m.end():]
    # 「另外问一下，那单位呢」 still leans on the last answer.
    return rest if _length(rest) > SHORT_QUESTION_CHARS and not rest.startswith("那") else None


# A follow-up with at least this many content words of its own (not who did it, not what is asked)
# states its own conduct. 8 on the dev conversations and the diagnostic two-turn questions (N3, N7
# and the two-turn groups of N1–N11): dev unchanged, diagnostic 65 → 67 of 110; 6 or fewer cost
# more than they gained.
OWN_CONDUCT_WORDS = 8


# Words that vary the same conduct (who did it, how serious, which 款) rather than change it.
MODIFIERS = re.compile(
    r"物业服务企业|施工单位|建设单位|单位|个人|企业|公司|商户|经营者|业主|居民|情节严重|严重的?|拒不[\u4e00-\u9fff]{1,2}|"
    r"逾期(?:不[\u4e00-\u9fff]{1,2})?|还不[\u4e00-\u9fff]{1,2}|仍不[\u4e00-\u9fff]{1,2}|不改正?|再次|多次|屡次|第[一二三四五六七八九十\d]+[款项]")
LEAD = re.compile(r"^(那么|那|如果是|如果|要是|假如|还有|另外)|呢[？?。]?$|[？?。]$")


def resolve_offline(question: str, history: list[Turn], new_words=None, continued: bool = False) -> str:
    """Carry the conversation into a follow-up.

    - 「第二款说的是什么」 and 「那单位呢」 (the same conduct, another 款 or subject) stay on the
      article of the previous 结论: it is cited, so the answer comes from its matching 款.
    - 「情节严重的呢」「逾期不交呢」 ask the consequence of the same conduct, which may be in
      another article: the previous law and conduct are carried, with 「怎么处罚」.
    - 「那谁来管？」 (nothing but what is asked) asks another aspect of the previous 结论: its
      article is cited, and the composer adds the articles punishing it.
    - 「那要在几天内提出」 (one new word at most) asks another aspect of the same topic: the
      previous question is carried.
    - 「那养信鸽呢」「在自家院子里的树能不能砍」 change the conduct: the previous law and what was
      asked (罚多少 / 归谁管) are kept.
    `new_words(text)`: content words of a text (the retriever's tokenizer); `continued`: read the
    question as a follow-up though it has none of the cues (see Assistant.ask_stream)."""
    if not history or not (continued or is_followup(question)):
        return question
    prev = history[-1]
    q = normalize(question)
    cleaned = _own_words(q)
    top = prev.answer.basis[0].chunk if prev.answer.basis and not prev.answer.no_basis else None
    if top is None or top.article is None:  # the previous turn had no basis: carry its question
        return f"{prev.standalone} {cleaned}"
    cite = f"{top.law}第{top.article}条"
    relative = RELATIVE_ARTICLE.search(q)
    if relative and not PARAGRAPH_REF.search(q):
        n = top.article + (-1 if relative.group("dir").startswith(("上", "前")) else 1)
        if n >= 1:  # 「下一条讲的是什么」 (blind review N7-19)
            return f"{top.law}第{n}条 {q[: relative.start()]}{q[relative.end():]}".strip()
    q = _absolute_paragraph(q, prev.answer.conclusion, top.article)
    paragraph = PARAGRAPH_REF.search(q)
    if paragraph:
        return f"{_article_with_paragraph(top, paragraph)} {q}"
    rule = _rule_asked(cleaned, prev)
    if rule is not None:
        return f"{rule.law}第{rule.article}条 {cleaned}"
    words = new_words or (lambda text: text.split())
    if len(words(ASK_PART.sub(" ", MODIFIERS.sub(" ", cleaned)))) >= OWN_CONDUCT_WORDS:
        # 「那村里小作坊把混着工业废水的污水排进村里的生活污水处理设施呢」 states a conduct of its own:
        # searched by its own words (the previous law is still preferred), not drowned in the last turn's.
        return " ".join(x for x in (cleaned, _still_asked(cleaned, prev)) if x)
    previous = set(words(prev.standalone))
    novel = [w for w in words(MODIFIERS.sub(" ", cleaned)) if w not in previous]
    asked = _still_asked(cleaned, prev)
    if _tier_in_article(cleaned, top.text):
        # 「情节严重的话罚多少」「罚过了还是照旧不采取措施呢」「楼下一家公司也这么干呢」 after a 结论
        # whose own article has that tier (燃气管理条例第四十九条 「情节严重的」, 噪声法第七十八条
        # 「拒不改正的」, 第八十二条 「对单位」): the same conduct, answered from that article (and
        # from its item about that conduct: the previous question is carried).
        return " ".join(x for x in (cite, _asked_removed(prev.standalone), cleaned, asked) if x)
    refusing = bool(REFUSAL_ASKED.search(cleaned))
    if ESCALATION.search(cleaned) or refusing:
        # The previous question, not the previous 结论's conduct text: quoted, that text leads to
        # the articles that cite it (「违反本法第六十七条」) rather than to the one about the new turn.
        # 「罚完了他还是照样冒呢」 after a 结论 whose article has no tier for it asks the law's rule
        # for refusing to correct after a fine (大气条例第一百零二条 「拒不改正的…按日连续处罚」).
        return " ".join(x for x in (top.law, _asked_removed(prev.standalone), cleaned,
                                    "拒不改正" if refusing else "", "怎么处罚") if x)
    if not novel and MODIFIERS.search(cleaned):
        return " ".join(x for x in (cite, cleaned, asked) if x)
    asked_only = not [w for w in words(ASK_PART.sub(" ", MODIFIERS.sub(" ", cleaned))) if w not in previous]
    if _asks(cleaned) and asked_only:
        # 「那谁来管？」「要罚多少？」: another aspect of the previous 结论 itself; its article is
        # cited, and the articles that punish it come with it (compose._with_referring).
        return " ".join(x for x in (cite, _asked_removed(prev.standalone), cleaned) if x)
    if len(novel) <= 1:
        return f"{prev.standalone} {cleaned}"
    if not _asks(cleaned):
        # 「情况紧急、当事人又不在场呢」 after 「代履行要提前几天催告」 asks nothing of its own: a new
        # circumstance of the same matter, whose conduct (代履行) is carried with the law.
        # Without who did it before (「对个人」): the follow-up may name another (「商店门口…」).
        carried = MODIFIERS.sub(" ", _asked_removed(prev.standalone))
        return " ".join(x for x in (top.law, carried, cleaned, asked) if x)
    return " ".join(x for x in (top.law, cleaned, asked) if x)


def _rule_asked(own: str, prev: Turn):
    """The rule the previous 结论's penalty punishes breaking (its 违法依据), when the follow-up
    asks what that rule requires rather than what follows breaking it: 「那按规定合同结束后几天内
    就得交出来？」 after the fine for not handing over (住宅物业管理规定第八十一条 → 第五十条's 十日),
    「批下来砍掉以后还要不要补种？」 (绿化条例第三十条)."""
    if not prev.answer.violated or prev.answer.intent == "who_enforces" or ESCALATION.search(own) \
            or TERM_ASKED.search(own) or AUTHORITY_NAMED.search(own):
        return None
    asked = classify(own)[0]
    return prev.answer.violated[0] if asked in (Intent.DEFINITION, Intent.PROCEDURE) else None


# 「那法律上的夜间是指几点到几点」 asks a term's meaning (the law's 用语含义), not the rule broken;
# 「市场监管能不能把他的炉子扣下来」 asks what an authority may do.
TERM_ASKED = re.compile(r"是指|指什么|什么是|定义|含义|什么意思|啥意思")
AUTHORITY_NAMED = re.compile(r"城管|监管|部门|执法|公安|派出所|警察|政府|法院|街道|居委")


# Who enforces (「那谁来管？」), not where to apply (「那要向哪个部门申请呢」: the rule's own article).
WHO_ASKED = re.compile(r"谁来管|谁管|归谁|由谁管|谁来罚|谁处罚|谁来处理|找谁|(?:哪个|什么)部门(?:管|处理|处罚|罚)")


# 「下一款讲的啥」「同一条后面那一款呢」「上一款呢」: a 款 counted from the one the previous 结论 quoted.
RELATIVE_PARAGRAPH = re.compile(r"(?P<dir>下|后|后面|上|前|前面)(?:那|的)?一款")
# 「下一条讲的是什么」「前面一条呢」: the article after (before) the one the previous 结论 cited.
RELATIVE_ARTICLE = re.compile(r"(?P<dir>下|后|后面|上|前|前面)(?:那|的)?一条(?!款)")


def _article_with_paragraph(top: Chunk, paragraph: re.Match) -> str:
    """The article a 「第二款呢」 is about: the previous 结论's, or, when that has no such 款 and
    punishes breaking another article (养犬条例第四十四条: 「违反本条例第二十三条第一款规定」),
    the article it names (blind review N7-17)."""
    here = f"{top.law}第{top.article}条"
    try:
        asked = cn_int(paragraph.group(1))  # 「第二款」 and 「第2款」 alike
    except ValueError:
        return here
    if asked <= len(clauses(article_body(top))):
        return here
    named = referenced_numbers(top.text)
    return f"{top.law}第{named[0]}条" if len(named) == 1 else here


def _absolute_paragraph(question: str, previous_conclusion: str, article: int) -> str:
    """「下一款讲的啥」 after 「…第56条第2款：…」 → 「第三款讲的啥」 (blind review N3-31, N3-32)."""
    m = RELATIVE_PARAGRAPH.search(question)
    if not m or PARAGRAPH_REF.search(question):
        return question
    quoted = re.search(rf"第{article}条第([{CN_NUM}]+|\d+)款", previous_conclusion)
    if quoted is None:
        return question
    n = cn_int(quoted.group(1)) + (-1 if m.group("dir").startswith(("上", "前")) else 1)
    return question if n < 1 else question[: m.start()] + f"第{cn_numeral(n)}款" + question[m.end():]


def names_department(answer: Answer) -> bool:
    return bool(answer.departments or (answer.enforcer and answer.enforcer.department))


def asked_anew(question: str, history: list[Turn]) -> str | None:
    """「那谁来管？」 after a 结论 that names no department (民法典第二百七十九条: 住宅改经营性用房),
    as a question of its own: the previous conduct with who acts (住宅物业管理规定第八十六条 says).
    None when the follow-up does not ask who acts or the previous 结论 said it."""
    if not history or not WHO_ASKED.search(normalize(question)) or PARAGRAPH_REF.search(question):
        # 「第四款又是哪个部门管」 is answered by quoting that 款, department and all (blind review N3-33).
        return None
    prev = history[-1]
    if prev.answer.no_basis or names_department(prev.answer):
        return None
    return f"{_asked_removed(prev.standalone)} {_own_words(normalize(question))}"


def carried_conduct(question: str, history: list[Turn]) -> str | None:
    """The follow-up with the previous question's conduct carried whole (「要是已经一路撒得满地都是
    呢」 after 「拉砂石的卡车车斗没盖篷布就上路了」): tried when the resolution above finds no basis,
    which its new words alone (with only the law's name around them) often do not give."""
    if not history:
        return None
    prev = history[-1]
    q = normalize(question)
    cleaned = _own_words(q)
    asked = _still_asked(cleaned, prev)
    return " ".join(x for x in (_asked_removed(prev.standalone), cleaned, asked) if x)


# Not 「那几天」「前几天」「没多久」 (but 「提前几天」): days spoken of, not asked for (「重污染天气那几天…个人罚多少？」 had
# carried 「几天」 as what was asked into its follow-up, diagnostic N3-02).
ASK_PART = re.compile(r"(怎么罚|罚多少|怎么处罚|如何处罚|怎么处理|会被罚|罚款标准|归谁管|谁来管|谁管|由谁|哪个部门|"
                      r"违法吗|可以吗|能不能|是否|多少天|(?<![没不])多久|(?<![那这头好过])(?<!(?<!提)前)几天|多长时间|多少时间|期限|几点|"
                      r"是指|是什么|什么是|指什么|怎么办)")
# A follow-up asking what follows refusing (「拒不改正呢」, and in everyday words 「就是赖着不交呢」
# 「责令改正了还是不公告呢」: blind review N3) — not an alternative question (「执行还是不执行」: N2-34).
ESCALATION = re.compile(r"拒不|逾期|不改|还不|仍不|情节严重|再次|多次|屡次|不及时|(?:了|后)还是不|就是不|一直不|死活不|赖着")


# What a follow-up varies of the same conduct, and the words by which an article provides for
# that variation: the severer tier, the tier for refusing to correct, the tier for a unit. The
# last two need a cue that the conduct itself is the same (「还是照旧」「也这么干」「那单位呢」).
SEVERITY = re.compile(r"情节(?:特别)?严重|情节恶劣|后果严重")  # asked and provided for in the same words
REFUSAL_ASKED = re.compile(r"拒不改正|不改正?|(?:了|后|完)[^，,。？?]{0,4}(?:还是|仍然|依然|照样|照旧|继续)")
REFUSAL_TIER = re.compile(r"拒不改正|逾期不改正|逾期未改正|拒不(?:停止|整改|拆除|清除|恢复)")
UNIT_ASKED = re.compile(r"(?:单位|公司|企业)[^，,。？?]{0,12}(?:也这么|也这样|也是这样|同样)|"
                        r"^(?:单位|公司|企业)(?:的话)?(?:的|干的|做的|弄的|搞的)?呢?(?:[，,。？?]|$)")
UNIT_TIER = re.compile(r"对单位(?:可以)?处|单位处")


def _tier_in_article(own: str, article_text: str) -> bool:
    """Whether the follow-up varies the previous conduct in a way its 结论's article provides for."""
    return any(asked.search(own) and tier.search(article_text) for asked, tier in
               ((SEVERITY, SEVERITY), (REFUSAL_ASKED, REFUSAL_TIER), (UNIT_ASKED, UNIT_TIER)))


def _own_words(question: str) -> str:
    """A follow-up without its lead-in and 「呢」 (「那如果是单位烧的呢？」 → 「单位烧的」)."""
    return LEAD.sub("", LEAD.sub("", question)).strip()


def _still_asked(own: str, prev: Turn) -> str:
    """What the previous question asked (罚多少), when the follow-up asks nothing itself."""
    return "" if _asks(own) else _asked_part(prev.question)


def _asked_removed(question: str) -> str:
    return ASK_PART.sub(" ", normalize(question)).strip(" ，,。？?")


def _asks(text: str) -> bool:
    return bool(ASK_PART.search(text))


def _asked_part(question: str) -> str:
    """What the previous question asked (罚多少 / 归谁管), to carry into 「那养信鸽呢」."""
    m = ASK_PART.search(normalize(question))
    return m.group(1) if m else ""
