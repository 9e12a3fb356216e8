"""Conduct matching: which 款 of the retrieved articles regulates the conduct the question asks
about. The 结论 is built from that 款, not from the first hit.

A 款 is scored by how much of the question's salient wording (idf-weighted words, plus the team's
colloquial→legal expansions, plus character bigrams for wording that segments differently) its
text covers, with the articles it refers to (「违反本条例第二十二条规定」) standing for its conduct.
Weighted features add to that coverage (MATCH_FEATURE_WEIGHTS: the hit's fused, dense and keyword
ranks, what the intent asks, the asked subject and kind of number, law priors), their weights
fitted on the dev halves by evals/fit_matcher.py."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answering.clauses import (
    Clause,
    article_body,
    clauses,
    referenced_articles,
)
from assistant.answering.intent import (
    OBSTRUCTION,
    TIME_ASKED,
    Intent,
    asked_deadline_event,
    asked_units,
    asks_about_enforcement,
)
from assistant.answering.upper_law import same_subject
from assistant.core.penalty import PenaltyClause, extract_penalties
from assistant.config import Settings
from assistant.core.legaltext import ITEM_NUMBER, cn_int, normalize, referenced_numbers
from assistant.core.models import Hit
from assistant.index.tokenize import char_bigrams

# Words that say what is asked, not about which conduct (their idf would otherwise count).
QUESTION_WORDS = frozenset(
    "罚 罚款 处罚 多少 多少钱 怎么 怎么办 怎样 如何 处理 归 谁 管 谁管 城管 能 能不能 会 会不会 被 吗 呢 可以 "
    "要 应该 哪个 哪些 部门 什么 一般 标准 规定 情况 有人 这 那 个 是 还是 还 也 就 都 直接 天天 一直 "
    "老是 经常 总是 罚多少 处罚标准 多久 几天 期限 程序 步骤 找 有用 负责 查处 归谁管 管管 来管 不能 罚单 "
    "有用吗 没人 没人管 没人清 多长 会被 这也 城管局 城管队员 队员".split())
# Characters that only ask or link (「多少天内要交」「几天之内」「最迟」): a word made of them alone is
# how the question is put, not what it is about. jieba joins them into words the regulations never
# use (「天内」「内要」「之内」), whose idf is then the highest of the question's, so they weighed
# down every 款's coverage. 「长时间」 is 「多长时间」 cut after 「多」. Who tells the story is not the
# conduct either: 「我们」「阿拉」「伊拉」「我伲」 (Shanghainese 我/他们/我们), 「讲要」 (说要); nor
# 「是不是」 asking it, nor how many and how much of the story (「五六只」「三万块」「要罚多少钞票」),
# nor when it happened (「上个月」「交上去一个多月了」: diagnostic N20-24 had been led by
# 行政复议法's 审查期限 on those words, not by 政府信息公开条例第三十三条).
ASKING_CHARS = frozenset("内要之天日月上几多少长久最晚迟早才能会就还也都把被给让的了得着过吗呢吧啊呀么个些这那哪谁啥咋怎样去来到在想下我你他她它们侬伊拉阿伲咱讲不是"
                         "一二三四五六七八九十百千万两只块棵罚")
ASKING_PHRASES = frozenset({"长时间", "多长时间", "钞票"})
# Verbs and things jieba leaves as single characters when people tell what happened (「把泔水直接倒进
# 下水道」「叫人锯掉了」「用钥匙刻了字」「狗拉了屎」): without them the question names no conduct. Each is
# found in the legal compound it belongs to (倾倒, 焚烧, 砍伐, 刻画, 粪便). Diagnostic N1–N17: 476 →
# 479 with these; 挖、贴、堆、搭、拆、占、晒、撒、偷、剪、踩、钓 as well: 477 (three answers lost).
CONDUCT_CHARS = frozenset("倒扔丢烧砍锯刻屎粪吐")


# What a law's title says besides its subject (see ConductMatcher.title_subject).
TITLE_AFFIXES = re.compile(r"中华人民共和国|上海市|浦东新区|实施|若干|办法|条例|规定|细则|管理|安全|保护|防治|"
                           r"关于|决定|暂行|促进|工作|服务|[《》、的和与]")

# Title words that are not its subject: what is done about it (拆除违法建筑, 查处车辆非法客运, 治安
# 管理处罚), and who (「物业」 is, as people talk, the company a question is about, whatever it did).
TITLE_ACTS = frozenset({"违法", "处罚", "处罚法", "处理", "执法", "查处", "非法", "物业", "业主", "消费者"})


def deadline_for(text: str, event: tuple[str, ...], window: int, words) -> bool:
    """Whether a time limit the text states is for the asked act: one of its words among those of
    the `window` characters after the figure, up to the end of its clause (「二十四小时内到现场进行调查
    取证」, not 「一个月内将查处违法建筑的情况反馈举报人」 for 「多少时间里要到现场」; as a word, so that
    「五日内书面通知申请人补正」 is not a time limit to 申请; in the clause, so that 「超过二十年，其他
    行政复议申请…」 is not either)."""
    return any(w in words(_act_after(text[m.end(): m.end() + window])) for m in TIME_ASKED[1].finditer(text)
               for w in event)


def _act_after(text: str) -> str:
    """The clause following a figure: 「三日前，催告当事人」「五日内，作出决定」 lead on to their act
    past the comma; 「超过二十年，其他…」 does not."""
    rest = text.lstrip("内前后以之")
    if rest != text:
        rest = rest.lstrip("，, ")
    return _CLAUSE_END.split(rest, 1)[0]


_CLAUSE_END = re.compile(r"[，,。；;：:\n]")


def is_asking_word(token: str) -> bool:
    """「天内」「之内」「最迟」「长时间」: how the question is put (QUESTION_WORDS lists the rest)."""
    return token in ASKING_PHRASES or all(c in ASKING_CHARS for c in token)


# In a procedure question these say what the procedure is about (「当场收罚款」「直接去法院起诉」:
# 行政诉讼法第四十六条 is the rule for suing 「直接向人民法院提起诉讼」).
PROCEDURE_OBJECTS = frozenset({"罚款", "处罚", "直接"})
# Synonym keys about who asks (城管, 城管局) say nothing about the conduct asked about.
ASKER_WORDS = ("城管",)
# 「违章停车城管能不能贴罚单」: who asks and how is not what is regulated; searched with these words,
# the 城管执法条例 crowds out the rule on parking.
WHO_ASKS = re.compile(r"城管(?:执法)?(?:局|队员|部门|中队|人员)?|能不能|能否|可不可以|可以|管不管|归谁管|谁管|"
                      r"来管吗|管吗|有用吗|是不是|还是|找谁|哪个部门|什么部门|贴罚单|罚单|吗|呢|？|\?")


# 「这种归城管管还是归啥人管」「城管管得着伐」「这种事体归啥人管」: who is asked to act, cut into words
# no regulation uses (「归城」「人管」「管管」) that weighed as the rarest of the question's.
WHO_ASKED = re.compile(r"(?:归|找|寻|叫|请)?(?:城管(?:执法)?(?:部门|队员|局)?|啥人|谁|哪个部门|啥部门|什么部门)(?:来|去)?"
                       r"(?:管|查|处理|处罚|负责|罚)?(?:得着|得了)?")


def conduct_query(question: str) -> str:
    """The question without who asks and how: what a regulation about the conduct would say."""
    return re.sub(r"\s+", " ", WHO_ASKS.sub(" ", question)).strip(" ，,。")


# Who did it: a 款 about 单位 answers 「那单位呢」, not the 个人 款 beside it (both refer to the
# same obligation, whose text names 「单位和个人」, so coverage alone cannot tell them apart).
SUBJECTS = ("物业服务企业", "施工单位", "建设单位", "运输单位", "经营者", "单位", "个人", "企业")
UNITS = frozenset(SUBJECTS) - {"个人"}  # an organisation, not a person
# How people name those subjects: 「运输公司」 is the 运输单位 of the 款, 「物业公司」 its 物业服务企业.
SUBJECT_NAMES = {"物业公司": "物业服务企业", "运输公司": "运输单位", "施工队": "施工单位", "开发商": "建设单位",
                 # Any other company or factory is a 单位 (「那要是旁边一家公司干的呢」 after 「个人…」).
                 "公司": "单位", "工厂": "单位", "厂家": "单位"}


# 「网吧会被罚多少」「超市要被罚多少」: the business itself is the one punished — the 单位 (控烟条例
# 第十八条 「禁止吸烟场所所在单位…」), not the smoker inside it (第十九条 「个人…」). 公司 and 工厂
# are 单位 wherever they stand (SUBJECT_NAMES).
BUSINESS_PUNISHED = re.compile(r"(?<![个店])(?:商店|小店|门店|店铺|店家|超市|商场|网吧|饭店|饭馆|餐馆|酒吧|宾馆|酒店|旅馆|"
                               r"商户|菜场|市场|医院|学校|幼儿园|机构|工地)(?:也|又|就)?(?:会|要|将|该)?被?(?:罚|处罚)")


def asked_subjects(question: str, focus: str | None = None) -> list[str]:
    """The subjects the question asks about, in the 款's words, the most specific only (运输单位,
    not also 单位). A follow-up's own subject (「那帮它运的运输公司呢」) replaces the one carried
    from the previous turn (「…产生渣土的单位怎么罚」)."""
    for text in (focus, question):
        if not text:
            continue
        for name, subject in SUBJECT_NAMES.items():
            text = text.replace(name, subject)
        text = BUSINESS_PUNISHED.sub("单位被罚", text)
        found = [w for w in SUBJECTS if w in text]
        found = [w for w in found if not any(w != longer and w in longer for longer in found)]
        if found:
            return found
    return []
TIME_LIMIT = re.compile(r"[0-9一二三四五六七八九十百]+(?:个)?(?:工作日|日|天|小时|个月|月|年)(?:内|以内|前)?")
# 「什么情况下可以当场收罚款」 asks for conditions: the 款 listing 情形 answers it, not one that
# merely mentions the act (「当场收缴的罚款，应当…二日内交至」).
CONDITIONS_ASKED = re.compile(r"什么情况|哪些情况|哪种情况|什么情形|哪些情形|什么条件|哪些条件|何种情形|满足什么")
CONDITIONS_STATED = re.compile(r"下列情形|情形之一|下列条件|条件之一|下列情况")
# With the acts of 行政处罚法 第五章 and 行政强制法 第三章: 「…应当及时将案件移送司法机关」 and
# 「…负责人应当集体讨论决定」 are steps (blind review G22).
PROCEDURE_WORDS = re.compile(r"告知|听证|催告|公告|送达|陈述|申辩|决定书|审核|回避|立案|调查|复议|诉讼|申请|执行|代履行|期限|"
                             r"集体讨论|移送|保密|登记保存")


# 「违反本条规定的」「违反前款规定的」「违反本条第一款、第三款规定的」: the penalty 款 punishes the
# conduct of other 款 of its own article (市容条例第二十四条: 第二款 forbids 涂写, 第三款 fines it).
# 「违反本条第一款规定」「违反前款规定」, and 「违反第一款、第二款规定的」 (市容条例第五十六条第四款).
SAME_ARTICLE_REF = re.compile(r"(?:违反|有)(本条(?![例])(?:第[一二三四五六七八九十]+款(?:[、和及或者]+第?[一二三四五六七八九十]+款)*)?|前[两二三]?款"
                           r"|第[一二三四五六七八九十]+款(?:[、和及或者]+第?[一二三四五六七八九十]+款)*)")
_CLAUSE_NUMBER = re.compile(r"([一二三四五六七八九十]+)款")


# 「市容环境卫生责任人未履行义务的，由城管执法部门责令改正」: the duties are the article's other 款.
_UNNAMED_DUTIES = re.compile(r"未(?:履行|执行|落实)[\u4e00-\u9fff]{0,6}?(?:义务|责任|职责)的")


# How many 款 before it a 款 means by 「前款」「前两款」「前三款」.
PRECEDING_COUNT = {"前款": 1, "前两款": 2, "前二款": 2, "前三款": 3}


def same_article_refs(clause: Clause, article_clauses: list[Clause]) -> list[str]:
    """Texts of the other 款 of the same article that `clause` refers to."""
    m = SAME_ARTICLE_REF.search(clause.text)
    if not m:
        if clause.number > 1 and _UNNAMED_DUTIES.search(clause.text):
            return [c.text for c in article_clauses if c.number < clause.number]
        return []
    ref = m.group(1)
    n = clause.number
    if ref.startswith("前"):
        count = PRECEDING_COUNT.get(ref, 1)
        wanted = set(range(max(1, n - count), n))
    elif "款" in ref:
        wanted = {cn_int(x) for x in _CLAUSE_NUMBER.findall(ref)}
    else:
        wanted = {c.number for c in article_clauses if c.number != n}
    return [c.text for c in article_clauses if c.number in wanted and c.number != n]


# 「违反本条例第五十四条第二款、第三款规定」「违反本规定第五十条第一项」: the conduct is those 款 or 项,
# not the whole article.
# 「第二十二条第一、二、三项」 names three items, as 「第一项、第二项、第三项」 does.
_ARTICLE_CLAUSES = re.compile(r"第([零一二三四五六七八九十百]+)条"
                              r"((?:[、和及或者]*第[一二三四五六七八九十]+(?:[、和及或者]+[一二三四五六七八九十]+)*款)*)"
                              r"((?:[、和及或者]*第[一二三四五六七八九十]+(?:[、和及或者]+[一二三四五六七八九十]+)*项)*)")
_NUMERAL = re.compile(r"[一二三四五六七八九十]+")
ARTICLE_PARTS = _ARTICLE_CLAUSES


def referenced_parts(text: str, refs: list[tuple[int, str]]) -> list[str]:
    """Bodies (or only the named 款) of the referenced articles that `text` mentions."""
    bodies = dict(refs)
    out: list[str] = []
    read: set[int] = set()
    for m in _ARTICLE_CLAUSES.finditer(text):
        try:
            number = cn_int(m.group(1))
        except ValueError:
            continue
        if number not in bodies:
            continue
        read.add(number)
        wanted = {cn_int(x) for x in _NUMERAL.findall(m.group(2) or "")}
        part = "\n".join(c.text for c in clauses(bodies[number]) if c.number in wanted) or bodies[number]
        items = {cn_int(x) for x in _NUMERAL.findall(m.group(3) or "")}
        if items:  # 「违反本规定第五十条第一项」: that item only, not the whole list of duties
            lines = [line for line in part.split("\n")
                     if (label := ITEM_NUMBER.match(line)) and cn_int(label.group(1)) in items]
            # with the sentence introducing the list (「养犬人携带犬只外出应当遵守下列规定：」)
            intro = [line for line in part.split("\n") if line.rstrip().endswith(("：", ":"))][:1]
            part = "\n".join(intro + lines) if lines else part
        if part not in out:
            out.append(part)
    # Forms the pattern does not read (「第二十条至第二十二条」, Arabic numerals) count whole.
    out += [bodies[n] for n in referenced_numbers(text) if n in bodies and n not in read]
    return out


@dataclass(frozen=True)
class Salient:
    words: dict[str, float]  # content word → idf
    expansions: dict[str, float]  # legal terms for its colloquial words → idf
    bigrams: dict[str, float]  # character bigram → weight (a follow-up's own weigh more)
    # A compound token (「施工噪声」) → the shorter salient words that spell it out (施工, 噪声).
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Match:
    hit: Hit
    clause: Clause
    body: str  # the whole article body
    conduct_text: str  # the 款 plus the articles it refers to (for matching only)
    coverage: float
    score: float
    penalties: list[PenaltyClause] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # bodies of the articles this 款 refers to
    # What the score adds to the coverage, before weighting (MATCH_FEATURE_WEIGHTS): why this 款.
    features: dict[str, float] = field(default_factory=dict)

    @property
    def chunk(self):
        return self.hit.chunk


def load_phrasings(path: Path) -> dict[tuple[str, int], str]:
    """(law, article) → the team's colloquial phrasings of the current article, one per line
    (corpus/article_paraphrases.jsonl, the same rows the index holds as search entries)."""
    out: dict[tuple[str, int], list[str]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.setdefault((row["law"], int(row["article"])), []).extend(row.get("phrases") or [])
    return {key: "\n".join(phrases) for key, phrases in out.items()}


def _compound_parts(words: dict[str, float]) -> dict[str, tuple[str, ...]]:
    """The segmenter gives overlapping tokens (「施工噪声」 and 「施工」「噪声」): a text that has every
    part of a compound covers it too, so 「在夜间从事…建筑施工…环境噪声」 is not short of the
    compound's weight for wording it in another order."""
    out: dict[str, tuple[str, ...]] = {}
    for word in words:
        parts = [p for p in words if p != word and len(p) > 1 and p in word]
        spanned = set()
        for p in parts:
            start = word.find(p)
            while start >= 0:
                spanned.update(range(start, start + len(p)))
                start = word.find(p, start + 1)
        if parts and len(spanned) == len(word):
            out[word] = tuple(parts)
    return out


# A 款's score is its coverage plus these features, each weighted by its setting.
MATCH_FEATURE_WEIGHTS = {
    "rank": "match_rank_weight",  # 1 / (1 + retrieval rank)
    "dense_rank": "match_dense_rank_weight",
    "lexical_rank": "match_lexical_rank_weight",
    "home": "match_home_bonus",  # a Shanghai regulation
    "intent": "match_intent_bonus",  # ±1: the 款 has what the intent asks
    "subject": "match_subject_bonus",  # ±1: names the asked subject, or only another
    "quantity": "match_quantity_bonus",  # states the asked kind of number, or the asked conditions
    "procedure_law": "match_procedure_law_bonus",
    "topic_law": "match_topic_law_bonus",
    "enforcement_law": "match_enforcement_law_bonus",
    "followup_law": "match_followup_law_bonus",
    "consensus": "match_consensus_bonus",  # first in the fused, the dense and the keyword lists at once
    "title": "match_title_bonus",  # the law's title names what the question is about (烟花爆竹条例)
    "deadline_event": "match_deadline_event_bonus",  # its time limit is for the asked act (到现场)
}


class ConductMatcher:
    def __init__(self, retriever, settings: Settings):
        self.retriever = retriever
        self.settings = settings
        self.weights = {name: getattr(settings, setting) for name, setting in MATCH_FEATURE_WEIGHTS.items()}
        self.phrasings = load_phrasings(settings.authored_dir / "article_paraphrases.jsonl")
        self._title_subjects: dict[str, frozenset[str]] | None = None

    def phrasing_text(self, chunk, clause_text: str) -> str:
        """Colloquial phrasings of the article and of the articles its 款 punishes
        (「违反本条例第四十七条规定」 stands for 第四十七条's conduct, worded as people talk)."""
        if chunk.status != "current" or not self.phrasings:
            return ""
        # Not those of an article only some 项 of which the 款 punishes (住宅物业管理规定第八十三条
        # punishes 第五十六条第二款第一项, 承重结构: 第五十六条's 「占用楼道堆东西」 is another 项's).
        narrowed = {cn_int(m.group(1)) for m in _ARTICLE_CLAUSES.finditer(clause_text) if m.group(3)}
        keys = [(chunk.law, chunk.article)] + [(chunk.law, n) for n in referenced_numbers(clause_text)
                                               if n not in narrowed]
        return "\n".join(self.phrasings[k] for k in keys if k in self.phrasings)

    def title_subject(self, law: str) -> frozenset[str]:
        """The words of a law's title that name its subject (上海市烟花爆竹安全管理条例 → 烟花,
        爆竹, 烟花爆竹): not its affixes, nor words many titles share (管理, 城市, 行政)."""
        if self._title_subjects is None:
            r = self.retriever
            titles = sorted({c.law for c in r.chunks})
            tokens = {t: {w for w in r.tokenizer.tokenize(TITLE_AFFIXES.sub(" ", t)) if len(w) > 1}
                      for t in titles}
            shared = Counter(w for words in tokens.values() for w in words)
            self._title_subjects = {t: frozenset(w for w in words if shared[w] <= self.settings.title_word_max_titles
                                                 and w not in TITLE_ACTS) for t, words in tokens.items()}
        return self._title_subjects.get(law, frozenset())

    def deadline_event_words(self, question: str) -> tuple[str, ...]:
        """The content words of what must happen within the time asked (asked_deadline_event):
        those after the time asked, or else those before it."""
        for part in asked_deadline_event(normalize(question)):
            words = tuple(t for t in self.retriever.tokenizer.tokenize(part)
                          if len(t) > 1 and not is_asking_word(t) and t not in ASKER_WORDS)
            if words:
                return words
        return ()

    def is_deadline_for(self, text: str, event: tuple[str, ...]) -> bool:
        """deadline_for with the settings' window and the index's word cut."""
        return bool(event) and deadline_for(text, event, self.settings.deadline_event_window,
                                            self.retriever.tokenizer.words)

    # --- the question's salient wording ---------------------------------------------------
    def salient(self, question: str, procedure: bool = False, focus: str | None = None) -> "Salient":
        """The question's content words with their idf, the legal terms the team's synonym
        table gives for its colloquial words (「跨门营业」 → 「超出门窗和外墙经营」), and its
        character bigrams. In a procedure question 罚款/处罚 are what the procedure is about
        (「当场收罚款」「几天内交罚款」), not how the answer is asked for."""
        r = self.retriever
        text = normalize(question)
        focus_text = normalize(focus) if focus else ""
        if focus_text:
            text = self.without_law_names(text, keep=focus_text)
        asking = QUESTION_WORDS - PROCEDURE_OBJECTS if procedure else QUESTION_WORDS
        words = {t: r._idf(t) for t in r.tokenizer.tokenize(WHO_ASKED.sub(" ", text))
                 if (len(t) > 1 or t in CONDUCT_CHARS) and t not in asking and not is_asking_word(t)}
        expanded = text
        if focus_text:  # a follow-up's own words (「那养信鸽呢」) over those carried from the last turn
            own = [t for t in r.tokenizer.tokenize(focus_text) if t in words]
            for t in own:
                words[t] *= self.settings.match_followup_focus_weight
            if own:  # and the legal terms of the new conduct, not of the last one (鸡鸭 → 家禽家畜)
                expanded = focus_text
        expansions: dict[str, float] = {}
        # Expanded without who asks and how (「罚单」 would bring in 「行政处罚决定书」).
        for term in r.synonyms.expand(conduct_query(expanded), skip=ASKER_WORDS):
            for t in r.tokenizer.tokenize(term):
                if t not in words and t not in QUESTION_WORDS and len(t) > 1:
                    expansions[t] = max(expansions.get(t, 0.0), r._idf(t))
        stripped = text
        for w in sorted(QUESTION_WORDS, key=len, reverse=True):
            stripped = stripped.replace(w, " ")
        bigrams = {b: self.settings.match_followup_focus_weight if b in focus_text else 1.0
                   for b in char_bigrams(stripped) if len(b) == 2}
        return Salient(words, expansions, bigrams, _compound_parts(words))

    def without_law_names(self, text: str, keep: str) -> str:
        """A follow-up without the law its resolution carried from the previous 结论
        (「上海市市容环境卫生管理条例 已经一路撒得满地都是」): that name says where to look, not what
        conduct is asked, and its words (市容, 环境卫生) would make the law's 主管部门 article
        match. A law the asker named (in `keep`, 「按城乡规划法怎么罚」) stays."""
        mentions = [m for m in self.retriever.names.mentions(text) if m.raw not in keep]
        if not mentions:
            return text
        out, last = [], 0
        for m in mentions:
            out.append(text[last:m.start])
            last = m.end
        out.append(text[last:])
        rest = " ".join(part for part in out if part.strip())
        return rest if self.retriever.tokenizer.tokenize(rest) else text

    def coverage(self, salient: "Salient", text: str, elsewhere: frozenset[str] = frozenset()) -> float:
        """Share of the question's idf weight that the text contains, plus its legal terms from
        the synonym table, which count for up to half the weight (they stand in for colloquial
        words but cannot make a perfect match alone; with all the words, up to 1.5); character
        bigrams stand in where segmentation differs. `elsewhere`: words counted as not covered
        (see `matches`)."""
        total = sum(salient.words.values())
        if not total and not salient.bigrams:
            return 0.0
        covered = sum(w for t, w in salient.words.items() if t not in elsewhere and (
            t in text or (t in salient.parts and all(p in text for p in salient.parts[t]))))
        exp_total = sum(salient.expansions.values())
        exp_covered = sum(w for t, w in salient.expansions.items() if t in text)
        expansion_share = self.settings.match_expansion_share * total * exp_covered / exp_total if exp_total else 0.0
        word_cov = (covered + expansion_share) / total if total else 0.0
        bigram_total = sum(salient.bigrams.values())
        bigram_cov = sum(w for b, w in salient.bigrams.items() if b in text) / bigram_total if bigram_total else 0.0
        # Not capped at 1: a 款 with all the question's words *and* its legal terms matches
        # better than one with the words alone (dev: 「直接去法院起诉」 → 行诉法第46条, not a
        # 15-day rule that has 起诉 too).
        return max(word_cov, self.settings.match_bigram_weight * bigram_cov)

    # --- candidates -----------------------------------------------------------------------
    def matches(self, question: str, hits: list[Hit], intents: list[Intent],
                procedure_laws: frozenset[str] = frozenset(), prefer_law: str | None = None,
                focus: str | None = None, enforcement_law: str | None = None,
                topic_laws: tuple[str, ...] = ()) -> list[Match]:
        """`enforcement_law`: the regulation that answers questions about the enforcement itself
        (intent.asks_about_enforcement); its 款 are preferred for those."""
        primary = intents[0]
        salient = self.salient(question, procedure=primary == Intent.PROCEDURE, focus=focus)
        # 「提前几天催告」「期限是多长」「一户最多能养几条」: a procedure or definition question prefers
        # the 款 stating a number of the asked kind — the 款 of one article often tie on the
        # article's phrasings (养犬条例第十二条: 「每户限养一条」 is its second 款). For a definition,
        # not a sum of money: a fine would answer 「交多少钱」 questions the library cannot.
        units = (asked_units(question) if primary == Intent.PROCEDURE
                 else asked_units(question, money=False) if primary == Intent.DEFINITION else [])
        subjects = asked_subjects(question, focus)
        officials_asked = bool(OFFICIALS_ASKED.search(question))
        conditions_asked = bool(CONDITIONS_ASKED.search(question))
        asked_terms = frozenset(salient.words) | frozenset(salient.expansions)
        event = self.deadline_event_words(question) if primary in (Intent.PROCEDURE, Intent.DEFINITION) else ()
        meaning_asked = bool(MEANING_ASKED.search(focus or question))
        about_enforcement = bool(enforcement_law) and asks_about_enforcement(question)
        # 「摊主推搡队员，会怎么处理」: of the enforcement regulation, the 款 on obstruction answers
        # (城管执法条例第三十一条, 公安 under 治安管理处罚法), not whatever 款 the story touches
        # (第二十三条 on goods left behind: diagnostic N15-11, N17-08).
        obstruction = about_enforcement and bool(OBSTRUCTION.search(question))
        store = self.retriever.store
        out: list[Match] = []
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            if chunk.article is None:
                continue
            body = article_body(chunk, store)
            refs = referenced_articles(body, chunk, store)
            article_clauses = clauses(body)
            for clause in article_clauses:
                own_refs = referenced_parts(clause.text, refs)
                inner = sorted(same_article_refs(clause, article_clauses),
                               key=lambda text: -self.coverage(salient, text))
                own_refs = inner + own_refs
                conduct_text = "\n".join([clause.text, *own_refs])
                cov = self.coverage(salient, conduct_text)
                phrased = self.phrasing_text(chunk, clause.text)
                if phrased:
                    # A word the phrasings share with another 款 of the article, and this 款 does
                    # not have (「信鸽」 in 第二款, not in 第一款 on 鸡鸭): that 款 is the one asked about.
                    elsewhere = frozenset(t for t in salient.words if t not in clause.text and any(
                        t in other.text for other in article_clauses if other is not clause))
                    # The question worded as people talk (「江边钓鱼」) is covered by the team's
                    # phrasings of the article rather than by its legal wording (「垂钓」); the 款's
                    # own coverage still orders the 款 of that article.
                    s = self.settings
                    cov = max(cov, min(1.0, s.match_phrasing_weight * self.coverage(salient, phrased, elsewhere)
                                       + s.match_phrasing_clause_share * cov))
                penalties = extract_penalties(clause.text) if primary in (Intent.PENALTY, Intent.WHO_ENFORCES) else []
                features = {
                    "rank": 1 / (1 + rank),
                    "dense_rank": 1 / (1 + hit.dense_rank) if hit.dense_rank is not None else 0.0,
                    "lexical_rank": 1 / (1 + hit.bm25_rank) if hit.bm25_rank is not None else 0.0,
                    "home": float(chunk.jurisdiction == self.settings.home_jurisdiction),
                    "intent": _intent_fit(primary, clause, penalties, meaning_asked),
                    # A procedure is the same for a company and a person (「罚阿拉公司…几天里要求听证」).
                    "subject": _subject_fit(subjects, clause.text, officials_asked) if primary != Intent.PROCEDURE else 0.0,
                    "quantity": float(bool(units) and any(u.search(clause.text) for u in units))
                    + float(conditions_asked and bool(CONDITIONS_STATED.search(clause.text))),
                    "procedure_law": float(Intent.PROCEDURE in intents and chunk.law in procedure_laws),
                    "topic_law": float(Intent.PROCEDURE in intents and chunk.law in topic_laws),
                    "enforcement_law": float(about_enforcement and chunk.law == enforcement_law and cov > 0
                                             and (not obstruction or bool(OBSTRUCTION.search(clause.text)))),
                    "followup_law": float(bool(prefer_law) and chunk.law == prefer_law),
                    "consensus": float(rank == 0 and hit.dense_rank == 1 and hit.bm25_rank == 1
                                       and cov >= self.settings.answer_min_coverage),
                    # Not the procedure codes: their titles name a step (复议), which topic_law reads.
                    "title": float(chunk.law not in procedure_laws
                                   and bool(self.title_subject(chunk.law) & asked_terms)),
                    "deadline_event": float(self.is_deadline_for(clause.text, event)),
                }
                score = cov + sum(self.weights[name] * value for name, value in features.items())
                out.append(Match(hit, clause, body, conduct_text, cov, score, penalties, own_refs, features))
        out.sort(key=lambda m: -m.score)
        if primary == Intent.PROCEDURE:
            out.sort(key=lambda m: sets_review_limit(m.chunk, m.clause.text))  # stable: others keep their order
        return self._home_first(out, primary, question)

    def _home_first(self, ranked: list[Match], intent: Intent, question: str = "") -> list[Match]:
        """When a national law's 款 leads and a Shanghai regulation punishes the same conduct
        (covers nearly as much of the question), the Shanghai one is the 结论 and the national
        law its 上位法: the local rule names 城管 and the amounts an officer applies. Not when the
        asker named the national law (「按消防法对车主个人最多怎么罚」, qa q125)."""
        if not ranked or intent not in (Intent.PENALTY, Intent.WHO_ENFORCES):
            return ranked
        top = ranked[0]
        if question and top.chunk.law in {m.title for m in self.retriever.names.mentions(question)}:
            return ranked
        home = self.settings.home_jurisdiction
        if top.chunk.jurisdiction == home or not top.penalties:
            return ranked
        ratios = (self.settings.match_home_coverage_ratio, self.settings.match_home_same_subject_ratio)
        for m in ranked[1:]:
            # The Shanghai regulation on the national one's own subject (上海市市容环境卫生管理条例 for
            # 城市市容和环境卫生管理条例) words the same conduct its own way (烟蒂 for 烟头).
            floor = top.coverage * ratios[same_subject(m.chunk.law, top.chunk.law)]
            if m.chunk.jurisdiction == home and m.coverage >= floor and any(
                    p.fines or p.measures or p.department for p in m.penalties):
                return [m] + [x for x in ranked if x is not m]
        return ranked


# 行政复议法第二十条 (「六十日内…但是法律规定的申请期限超过六十日的除外」) and 行政诉讼法第四十六条
# (「六个月内…法律另有规定的除外」): only a 法律 sets other time limits for 复议 and 起诉. The 15-day
# rules of older 行政法规 (城市市容和环境卫生管理条例第四十条) no longer apply, and must not answer
# 「直接去法院起诉，期限是多长」.
REVIEW_OR_SUIT = re.compile(r"复议|起诉|提起诉讼|行政诉讼")
LEVELS_SETTING_REVIEW_LIMITS = frozenset({"法律", "司法解释"})


def sets_review_limit(chunk, text: str) -> bool:
    """A 款 below the level of a 法律 that sets a time limit for 复议 or 起诉 (superseded)."""
    return (chunk.level not in LEVELS_SETTING_REVIEW_LIMITS and bool(REVIEW_OR_SUIT.search(text))
            and bool(TIME_LIMIT.search(text)))


# 「行政管理部门及其工作人员违反本条例…给予警告或者记过处分」 (烟花爆竹条例第三十条): the 款 disciplines
# officials. It answers what happens to them (「队员乱罚款会受什么处分」), not a citizen's conduct
# that its items name as what the officials failed to stop (「燃放烟花爆竹的行为不依法查处」).
DISCIPLINES_OFFICIALS = re.compile(r"(?:工作人员|玩忽职守|滥用职权|徇私舞弊)[^。]*处分")
OFFICIALS_ASKED = re.compile(r"工作人员|执法人员|队员|干部|公务员|领导|局长|所长|科长|主管人员|渎职|失职|不作为|"
                             r"乱作为|滥用职权|徇私|受贿|索贿|处分")


def _subject_fit(asked: list[str], text: str, officials_asked: bool = False) -> float:
    """+1 when the 款 names the asked subject (单位/个人), −1 when it names only another, or
    disciplines officials when they are not asked about."""
    if not officials_asked and DISCIPLINES_OFFICIALS.search(text):
        return -1.0
    if not asked:
        return 0.0
    # 「不属于本单位职责范围的」 is the authority itself; 「任何单位或者个人」 is everyone; 「由其所在单位或者
    # 上级机关给予行政处分」 is the employer of who is disciplined (供水条例第三十七条第二款): no subject.
    text = re.sub(r"本单位|所在单位|(?:任何)?(?:单位|个人)(?:和|或者|、|及)(?:单位|个人)", "", text)
    # A 单位 asked in general (「工厂」「托育机构」) is any organisation the 款 names (工业企业, 经营者).
    if any(w in text for w in (UNITS if asked == ["单位"] else asked)):
        return 1.0
    if any(w in text for w in SUBJECTS):
        return -1.0
    return 0.0


# 「非现场执法到底是指什么」「行政强制措施和行政强制执行有什么区别」: the meaning of a term is asked,
# which the 款 defining it states (「本规定所称非现场执法，是指…」), not the 款 applying it.
MEANING_ASKED = re.compile(r"是指|指什么|指的是|什么是|什么叫|啥叫|啥意思|什么意思|含义|定义|区别|怎么理解")
DEFINES = re.compile(r"是指|所称|指的是|的含义")


# 「殴打市容环境卫生工作人员…违反《治安管理处罚法》的，由公安部门予以处罚」 (市容条例第五十九条): a
# penalty named only by who imposes it, under another law; no measure or fine of its own.
# So is 「经营者未依法取得营业执照从事经营活动的，由履行工商行政管理职责的部门(以下称工商行政管理部门)
# 予以查处」 (无证无照经营查处办法第六条): who investigates, named by its short name.
NAMED_PUNISHER = re.compile(r"由(?P<who>[^，。；：（）()]{0,36}?(?:部门|机关|机构))(?:[（(]以下(?:简)?称(?P<short>[^）)]+)[）)])?"
                            r"(?:依照《[^》]+》(?:的规定)?|依法)?(?:(?:予以|给予)处罚|(?:予以|负责|依法)?查处)")


def named_punisher(text: str) -> str | None:
    """Who a 款 says punishes, when it names no measure or fine of its own (NAMED_PUNISHER)."""
    m = NAMED_PUNISHER.search(text.split("\n")[0])
    return (m["short"] or m["who"]) if m else None


def _intent_fit(intent: Intent, clause: Clause, penalties, meaning_asked: bool = False) -> float:
    """+1 when the 款 has what the intent asks (a fine or measure, a department, a time limit or
    procedural act, the meaning of a term asked); −1 for a procedure question's 款 that punishes
    a conduct."""
    if meaning_asked and DEFINES.search(clause.text):
        return 1.0
    if intent == Intent.PENALTY:
        return float(any(p.fines or p.measures for p in penalties))
    if intent == Intent.WHO_ENFORCES:
        return float(any(p.department for p in penalties) or named_punisher(clause.text) is not None)
    if intent != Intent.PROCEDURE:
        return 0.0
    fit = float(bool(TIME_LIMIT.search(clause.text) or PROCEDURE_WORDS.search(clause.text)))
    if any(p.department and p.fines for p in extract_penalties(clause.text)):
        # 「强制拆除要走哪些程序」: a 款 punishing a conduct (黄河保护法第一百一十八条:
        # 「…由…责令…限期拆除…处…罚款；逾期不拆除的，强制拆除」) is not a procedure.
        fit -= 1.0
    return fit
