"""Offline answer composer: a grounded answer built only from retrieved articles (no LLM).

The question's intent picks the answer's shape (penalty → conduct, tiers and department; who
enforces → the department, the basis of its power and whether 城管 exercises it; procedure →
ordered steps with time limits, each cited). The 结论 comes from the 款 whose regulated conduct
matches the question (answering/matching.py), never simply from the first hit, and a question
whose wording no retrieved 款 covers gets "no basis".
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

from assistant.answering.answer import Answer, CitationRef, PenaltySummary, Step
from assistant.answering.cases import CaseIndex
from assistant.answering.citation_finder import article_key
from assistant.answering.clauses import PENALTY_WORDS, ReferringIndex, article_body, clauses, name_previous_items
from assistant.answering.enforcement import (
    CHENGGUAN_WORDS, DECIDES_PENALTIES, DECIDING_ORGAN, UNDESIGNATED, EnforcementTable, Enforcer,
)
from assistant.answering.glossary import Glossary
from assistant.answering.intent import Intent, asked_units, classify, penalty_asked
from assistant.answering.liability import LAW as LIABILITY_LAW, MENTAL_ARTICLE, MINORS_ARTICLE, Offender, applicable_sentences, asked_offender
from assistant.answering.matching import (
    ARTICLE_PARTS,
    ASKER_WORDS,
    PRECEDING_COUNT,
    PROCEDURE_WORDS,
    SAME_ARTICLE_REF,
    TIME_LIMIT,
    ConductMatcher,
    UNITS,
    Match,
    Salient,
    asked_subjects,
    conduct_query,
    named_punisher,
)
from assistant.answering.violation import MAX_VIOLATED_RULES, VIOLATED_RELEVANCE_RATIO, ViolatedRule, violated_rule
from assistant.answering.upper_law import (RULE_ARTICLE, RULE_LAW, SAME_CONDUCT_RULE_ARTICLE, Fined, local_rule_note,
                                           other_local_rule_note, same_subject, upper_law_note)
from assistant.config import Settings
from assistant.core.breaches import breaches
from assistant.core.legaltext import ITEM_NUMBER, cn_int, cn_numeral, referenced_numbers, shorten
from assistant.core.models import Hit
from assistant.core.penalty import PenaltyClause, format_fine, refers_elsewhere
from assistant.core.render import article_label, book_title
from assistant.retrieval.types import SearchResult

SENTENCE = re.compile(r"[^。；]+[。；]?")
FULL_SENTENCE = re.compile(r"[^。]+。?")
# The items of a step that lists them on one line (「…：（一）…；（二）…。」).
STEP_ITEM = re.compile(r"[（(]([一二三四五六七八九十]+)[)）]([^；。（(]*(?:[（(](?![一二三四五六七八九十]+[)）])[^；。]*)?[^；。（(]*)")
# 「由本条例第十六条规定的有关部门…」: the department is named in another article's items, each
# 「X负责对…进行监督执法」.
DEPARTMENT_REF = re.compile(r"本(?:条例|法|规定|办法)第([一二三四五六七八九十百]+)条规定的")
# 「…违反本条例第九条规定的，由本条例第十六条规定的有关部门责令…」: the second, not the rule broken.
DEPARTMENT_NAMED_BY = re.compile(r"由本(?:条例|法|规定|办法)第([一二三四五六七八九十百]+)条规定的[^，。；]{0,6}(?:部门|机构|机关)")
ITEM_DEPARTMENT = re.compile(r"([^，。；]{2,40}?(?:部门|机构|单位)(?:（[^）]+）)?)(?:按照各自职责，)?(?:负责)?对")
# National laws are named 「中华人民共和国…法」.
NATIONAL_CODE_PREFIX = "中华人民共和国"
# The jurisdiction of national laws and administrative regulations in the index.
NATIONAL = "全国"
NO_BASIS_HINT = " 建议：写明具体行为、地点或法规名称（如「上海市生活垃圾管理条例」）后再问。"


class Composer:
    def __init__(self, retriever, settings: Settings | None = None):
        self.settings = settings = settings or retriever.settings
        self.retriever = retriever
        self.matcher = ConductMatcher(retriever, settings)
        self.table = EnforcementTable.load(settings.authored_dir / "enforcement.yaml")
        self.referring = ReferringIndex(retriever.store)
        self.cases = CaseIndex(retriever.store, retriever.names)
        self.glossary = Glossary(retriever.store, retriever.chunks)
        self._deciding: dict[tuple, tuple | None] = {}  # (law, version) → its rule on who decides penalties

    def compose(self, result: SearchResult, question: str | None = None, prefer_law: str | None = None,
                focus: str | None = None, in_conversation: bool = False) -> Answer:
        """`prefer_law`: the law of the previous 结论, which a follow-up stays on when it can;
        `focus`: the follow-up's own words, which weigh more than those carried from before;
        `in_conversation`: the question continues a conversation (its search text mixes turns)."""
        answer = self._compose(result, question, prefer_law, focus, in_conversation)
        referral = result.signals.get("referral")
        if answer.no_basis and referral:
            # The team's topic list (corpus/out_of_scope.tsv) only says where to turn; whether
            # there is a basis is judged on the articles.
            answer.conclusion = answer.conclusion.replace(NO_BASIS_HINT, f" {referral}{NO_BASIS_HINT}", 1)
        return answer

    def _compose(self, result: SearchResult, question: str | None, prefer_law: str | None,
                 focus: str | None, in_conversation: bool = False) -> Answer:
        question = question or result.query
        intents = classify(question, focus)
        law_hits = [h for h in result.hits if h.chunk.level != "案例" and h.chunk.article is not None]
        if result.no_basis or not law_hits:
            return self._no_basis(question, result.reason, result.hits[:3], intents)
        direct = [h for h in law_hits if h.direct]
        candidates = self._with_referring(direct or law_hits, intents)
        matches = self.matcher.matches(question, candidates, intents, procedure_laws=self.table.procedure_laws,
                                       prefer_law=prefer_law, focus=focus, enforcement_law=self.table.source_law,
                                       topic_laws=self.table.topic_laws(question))
        if not matches:
            return self._no_basis(question, None, law_hits[:3], intents)
        if not (focus or in_conversation):
            matches = self._closest_law_first(result, question, matches)
        matches = self._specific_first(self._rule_first(self._consequence_first(matches, intents, question), intents, question), question)
        matches = self._deadline_first(matches, focus or question)
        best = matches[0]
        related = [m.hit for m in _distinct(matches)[:3]]
        # A follow-up is held to a higher floor: its resolution (the previous law's name and its own
        # words) is retried with the previous conduct carried whole when it finds no basis
        # (Assistant.ask_stream), and a weak match there would stop that retry.
        floor = self.settings.followup_min_coverage if focus else self.settings.answer_min_coverage
        if not direct and best.coverage < floor and (focus or in_conversation or not self._closest_in_meaning(result, best)):
            return self._no_basis(question, "检索到的条文没有规定所问的行为或事项，未找到可靠依据", related, intents)
        # Not within a conversation: the previous turn has set the topic, and the search text mixes
        # two turns (「那谁来管？」 after 「业主把自家住宅改成棋牌室对外营业，可以吗？」, dev f045).
        if not direct and not (focus or in_conversation) and self._far_and_barely_covered(result, best):
            return self._no_basis(question, "检索到的条文与所问的事项相去较远，未找到可靠依据", related, intents)
        if intents[0] == Intent.PROCEDURE:
            answer = self._procedure(question, intents, matches, prefer_law)
        else:
            shape = self._who_enforces if intents[0] == Intent.WHO_ENFORCES else self._penalty_or_text
            answer = shape(question, intents, matches, focus)
        if intents[0] in (Intent.PENALTY, Intent.WHO_ENFORCES) and answer.penalties:
            unpunished = self._unpunished(best, focus or question)
            if unpunished:
                answer.conclusion = f"{unpunished} {answer.conclusion}"
        # An article the question cites stays in the basis when the answer leads with the one
        # punishing it (「第二十四条归谁管」 → 第五十八条).
        answer.basis += [h for h in direct if all(b.chunk.id != h.chunk.id for b in answer.basis)]
        # 「没领施工许可证就开工，罚多少」: 建筑法第六十四条 fines with no amount. Saying so (「罚款
        # （条文未规定数额）」) answers; 「未找到可靠依据」 would hide the rule (blind review F34).
        amount_unset = intents[0] in (Intent.PENALTY, Intent.WHO_ENFORCES) and any(
            NO_AMOUNT in fine for p in answer.penalties[:1] for fine in p.fines)
        if not direct and not amount_unset and _unanswered_quantity(focus or question, answer.own_text()):
            # 「养狗年检要交多少钱」: the regulation exists but states no such amount or time. A
            # follow-up is held to what it asks itself: 「情况紧急、当事人又不在场呢」 after
            # 「得提前几天催告」 asks what may be done then, not again how many days.
            return self._no_basis(question, "相关条文没有规定所问的数额、期限或标准", related, intents)
        if not direct and self._figure_about_something_else(intents, best, focus or question):
            return self._no_basis(question, "相关条文规定的数额、期限或标准不是针对所问事项的", related, intents)
        # Typical cases citing the articles the answer rests on (not merely retrieved beside them).
        answer.cases = self.cases.for_answer(answer.basis, self.settings.answer_cases)
        # The 款 the 结论 was built from (a who-enforces answer may lead with another than the best).
        lead = self._who_enforces_lead(matches) if intents[0] == Intent.WHO_ENFORCES else best
        answer.conduct = _conduct_of(lead)
        if answer.intent != Intent.PROCEDURE.value:
            answer.quote = f"{_where(lead)}：{lead.clause.text}" + _fined_in(lead, answer.penalties)
        said = "\n".join([answer.conclusion, lead.clause.text if answer.quote else "", *(s.text for s in answer.steps)])
        answer.defined = self.glossary.used_in(lead.chunk, said)
        if intents[0] in (Intent.PENALTY, Intent.WHO_ENFORCES):
            stated = self._focused(answer.penalties[0], focus or question).conduct if answer.penalties else None
            answer.violated = self._violated(lead, focus or question, stated)
            answer.notes = self._upper_law_notes(lead, [m for m in matches if m.hit in answer.basis], focus or question)
            offender = asked_offender(focus or question)
            # 「托育机构会被罚吗」 about a two-year-old in its care: the one punished is a 单位, no minor.
            if offender is not None and not any(s in UNITS for s in asked_subjects(focus or question)):
                # A follow-up naming the offender (「那如果是个十六岁的呢」) asks what that changes.
                self._with_liability(answer, offender, asked_itself=bool(focus) and asked_offender(focus) is not None)
        # The rules broken and the definitions quoted are cited too (the 法律依据 list, the JSON
        # contract's citations): each an article of the index.
        store = self.retriever.store
        quoted = [c for rule in answer.violated for c in store.article(rule.law, rule.article, rule.version)[:1]]
        cited = {article_key(h.chunk) for h in answer.basis}
        for chunk in quoted + [d.chunk for d in answer.defined]:
            if article_key(chunk) not in cited:
                cited.add(article_key(chunk))
                answer.basis.append(Hit(chunk, 0.0))
        return answer

    def _closest_law_first(self, result: SearchResult, question: str, matches: list[Match]) -> list[Match]:
        """The best 款 of the law closest in meaning to the question as a whole leads, when that
        law is clearly closer than the best 款's own (Settings.law_evidence_margin)."""
        margin = self.settings.law_evidence_margin
        if result.mode != "hybrid" or not math.isfinite(margin):
            return matches
        # Judged on the conduct asked, without who asks and how (「城管能管吗」 would bring every
        # question close to the 城管执法条例).
        # Only to a law whose best 款 covers enough of the question to answer it.
        floor = self.settings.answer_min_coverage
        lead = matches[0].chunk.law
        firsts: dict[str, Match] = {}  # each law's best 款 above the floor
        for m in matches:
            if m.coverage >= floor:
                firsts.setdefault(m.chunk.law, m)
        evidence = self.retriever.law_evidence(conduct_query(question) or question, [lead, *firsts])
        if lead not in evidence:
            return matches
        closest = max((law for law in firsts if law in evidence), key=evidence.get, default=lead)
        if evidence[closest] - evidence[lead] < margin:
            return matches
        first = firsts[closest]
        home = self.settings.home_jurisdiction
        if matches[0].chunk.jurisdiction == home != first.chunk.jurisdiction and same_subject(lead, closest):
            # The national law on the same subject is the Shanghai regulation's 上位法: the local
            # rule leads (_home_first), 上海市市容环境卫生管理条例 before 城市市容和环境卫生管理条例.
            return matches
        return [first] + [m for m in matches if m is not first]

    def _figure_about_something_else(self, intents: list[Intent], best: Match, question: str) -> bool:
        """A rule's figure is asked (「押金规定几天之内必须退到账」「外滩景观灯几点开」) and the 款
        answering covers little of the question (below Settings.figure_min_coverage): a figure of
        the asked kind about another matter (「通知…在二小时内予以清理」) is no answer."""
        return (intents[0] == Intent.DEFINITION and bool(asked_units(question, money=False))
                and best.coverage < self.settings.figure_min_coverage
                # 「举报了多少时间里要到现场」: its time limit is for the asked act (「二十四小时内到现场」).
                and not best.features.get("deadline_event"))

    def _closest_in_meaning(self, result: SearchResult, best: Match) -> bool:
        """The best 款's article is the one closest in meaning to the question of all those searched
        (dense rank 1), at a similarity of at least Settings.close_dense_threshold."""
        hit = best.hit
        return (result.mode == "hybrid" and hit.dense_rank == 1 and hit.dense_score is not None
                and hit.dense_score >= self.settings.close_dense_threshold)

    def _far_and_barely_covered(self, result: SearchResult, best: Match) -> bool:
        """Neither evidence holds: no article is close in meaning (best dense similarity below
        Settings.weak_dense_threshold) and the best 款 covers little of the question's wording
        (below no_basis_weak_coverage). 「光速是每秒多少公里」 had been answered with 道路交通安全法
        实施条例第四十五条's speed limits, 「收养一个孩子需要满足哪些条件」 with 建筑法第八条's
        conditions for a building permit. Each alone flags answerable questions."""
        dense = result.signals.get("dense")
        threshold = self.settings.weak_dense_threshold
        return (result.mode == "hybrid" and bool(threshold) and dense is not None and dense < threshold
                and best.coverage < self.settings.no_basis_weak_coverage)

    def _unpunished(self, m: Match, question: str) -> str:
        """A penalty 款 that names the conducts it punishes out of an obligation's list can leave
        one out: 滨水公共空间条例第五十六条 fines 「垂钓、放风筝、烧烤…无人机飞行」 against 第四十七条,
        whose list also has 遛狗. A question about the conduct left out is told so, not given the
        fine (blind review H31). Empty when no asked word is left out of such a 款."""
        conduct = next((p.conduct for p in m.penalties if p.conduct), None)
        if not conduct or not m.refs:
            return ""
        listed = [w for w in re.split(r"[、，]", conduct) if len(w) >= 2]
        # The obligation's enumerations that the 款 names its conducts from (not 非机动车条例第十二条's
        # 「消音、车速提示音、限速…」 under a 款 fining 「拼装、加装、改装」 as a whole).
        named_from = [f for ref in m.refs for f in re.split(r"[，。；：\n]", ref)
                      if "、" in f and sum(w in f for w in listed) >= UNPUNISHED_MIN_LISTED]
        salient = self.matcher.salient(question)
        left_out = [w for w in salient.words if w not in m.clause.text and any(w in f for f in named_from)]
        if not left_out:
            return ""
        word = max(left_out, key=salient.words.get)
        cited = referenced_numbers(m.clause.text)
        listing = f"第{cited[0]}条" if len(cited) == 1 else "所引条文"
        return f"{_where(m)}所罚的行为不包括「{word}」：{listing}列有「{word}」，但本款未对其规定处罚。"

    def _with_liability(self, answer: Answer, offender: Offender, asked_itself: bool = False) -> None:
        """The offender's age or mental state decides whether the conduct's penalty applies
        (liability.py): under fourteen, the 结论 says first that no penalty is given; otherwise the
        applicable sentence is a note. Quoted from the index, and only when it holds the article.
        `asked_itself`: a follow-up asks about the offender (「那如果是个十六岁的高中生呢」
        after 「十三岁的孩子乱涂乱画能罚款吗」): the applicable sentence is its 结论 too."""
        rows = {n: self._current_article(LIABILITY_LAW, n) for n in (MINORS_ARTICLE, MENTAL_ARTICLE)}
        applicable = [(n, s) for n, s in applicable_sentences(
            offender, rows[MINORS_ARTICLE].text if rows[MINORS_ARTICLE] else "",
            rows[MENTAL_ARTICLE].text if rows[MENTAL_ARTICLE] else "") if rows[n] is not None]
        if not applicable:
            return
        if (answer.basis[0].chunk.law, answer.basis[0].chunk.article) in {(LIABILITY_LAW, n) for n in rows}:
            # The rule itself is the 结论 (「13岁小孩违法了咋处罚」): said as it is, not read as a
            # penalty (its 「责令监护人加以管教」 is no measure for fourteen to seventeen), and the
            # sentences for the offender asked about (a follow-up may name another).
            answer.conclusion = "".join(f"{s}（《{LIABILITY_LAW}》第{n}条）。" for n, s in applicable)
            answer.basis = [Hit(rows[n], 0.0) for n in dict.fromkeys(n for n, _ in applicable)]
            answer.penalties, answer.departments, answer.enforcer = [], [], None
            return
        shown = {(h.chunk.law, h.chunk.article) for h in answer.basis}
        for n in dict.fromkeys(n for n, _ in applicable):
            if (LIABILITY_LAW, n) not in shown:
                answer.basis.append(Hit(rows[n], 0.0))
        said = [(n, f"{s}（《{LIABILITY_LAW}》第{n}条）。") for n, s in applicable if s not in answer.conclusion]
        if (offender.under_punishable_age or asked_itself) and said and answer.basis[0].chunk.law != LIABILITY_LAW:
            n, sentence = said[0]
            first = next(h for h in answer.basis if (h.chunk.law, h.chunk.article) == (LIABILITY_LAW, n))
            answer.basis.remove(first)
            answer.basis.insert(0, first)
            answer.conclusion = f"{sentence}所问行为本身的规定：{answer.conclusion}"
            said = said[1:]
        answer.notes = [sentence for _, sentence in said] + answer.notes

    def _upper_law_notes(self, lead: Match, matches: list[Match], question: str) -> list[str]:
        """A Shanghai regulation and a national law fining related conduct (both in the basis,
        sharing the question's weightiest words): which one applies to the same conduct
        (upper_law.py)."""
        home = self.settings.home_jurisdiction
        ours = self._fined(lead, question)
        if ours is None or lead.chunk.jurisdiction not in (home, NATIONAL):
            return []
        floor = lead.coverage * self.settings.basis_coverage_ratio
        other_side = NATIONAL if lead.chunk.jurisdiction == home else home
        # Related conduct: the question's two weightiest words that the lead's 款 has, the other
        # has too (a shared coverage alone paired 市容条例 with 出境入境管理法).
        salient = self.matcher.salient(question)

        def weightiest(words) -> list[str]:
            return sorted((w for w in words if w in lead.conduct_text), key=lambda w: -salient.words[w])[:2]

        def related(m: Match, jurisdiction: str, keys: list[str]) -> Fined | None:
            if m.chunk.jurisdiction != jurisdiction or m.coverage < floor or not keys \
                    or not all(w in m.conduct_text for w in keys):
                return None
            return self._fined(m, question)

        notes = []
        keys = weightiest(salient.words)
        theirs = next((f for m in matches if (f := related(m, other_side, keys)) is not None), None)
        if theirs is not None and lead.chunk.jurisdiction == home:
            notes.append(upper_law_note(ours, theirs, self._rule_held(RULE_ARTICLE)))
        elif theirs is not None:
            notes.append(local_rule_note(ours, theirs))
        # Another Shanghai regulation on related conduct (市容条例第四十四条 beside 道路交通管理条例第七十八条
        # on 渣土车): held to two of the question's words about the conduct, not about who acts (one
        # word, 「停车」 or 「垃圾」, paired 机动车 parking with 非机动车 parking, burning rubbish with bins).
        conduct_keys = weightiest(w for w in salient.words if not AUTHORITY_WORD.search(w))
        if lead.chunk.jurisdiction == home and len(conduct_keys) == 2:
            sibling = next((f for m in matches if m.chunk.law != lead.chunk.law
                            and (f := related(m, home, conduct_keys)) is not None), None)
            if sibling is not None:
                notes.append(other_local_rule_note(sibling, self._rule_held(SAME_CONDUCT_RULE_ARTICLE)))
        return notes

    def _rule_held(self, article: int) -> bool:
        """The 行政处罚法 article a note cites is cited only when the index holds it in force."""
        return any(c.status == "current" for c in self.retriever.store.article(RULE_LAW, article))

    def _fined(self, m: Match, question: str) -> Fined | None:
        """The 款's penalty about the asked conduct that states a sum, if any."""
        clause = next((c for c in self._by_question(m.penalties, question)
                       if any(f.states_sum for f in c.fines)), None)
        return Fined(_where(m), m.chunk.version, clause.fines) if clause else None

    def _consequence_first(self, matches: list[Match], intents: list[Intent], question: str = "") -> list[Match]:
        """A penalty or who-enforces question whose best 款 is an obligation without a consequence
        (「禁止擅自填堵河道」) is answered from the penalty article of that obligation (「违反本条例
        规定，擅自填堵河道的，由…处…罚款」), which matches the asked conduct through it. When no
        candidate punishes it by name, a question asking the penalty in so many words (「这种怎么
        罚」) is answered from the best-matching penalty 款 of the same law: a rule with no
        consequence had never answered one (0 of the 11 such 结论s of diagnostic N1–N13 right)."""
        best = matches[0]
        if intents[0] not in (Intent.PENALTY, Intent.WHO_ENFORCES) or best.penalties:
            return matches
        referring = {c.id for c in self.referring.referring(best.chunk)}
        follow = next((m for m in matches if m.chunk.id in referring
                       and any(p.department or p.fines for p in m.penalties)), None)
        if follow is None and intents[0] == Intent.PENALTY and penalty_asked(question) \
                and not CONSEQUENCE_WORDS.search(best.clause.text):
            punishing = next((m for m in matches if m.chunk.law == best.chunk.law
                              and any(p.department or p.fines for p in m.penalties)), None)
            return matches if punishing is None else [punishing] + [m for m in matches if m is not punishing]
        if follow is None:
            return matches
        follow.coverage = max(follow.coverage, best.coverage)
        return [follow] + [m for m in matches if m is not follow]

    def _deadline_first(self, matches: list[Match], question: str) -> list[Match]:
        """A time is asked (「从知道处罚起多长时间内要申请复议」) and the best 款 states none of the asked
        kind (行政复议法第二十三条 on 复议前置 covers more of the question's words): a 款 scoring nearly
        as well (Settings.deadline_first_ratio) whose time limit is for the asked act (第二十条
        「六十日内提出行政复议申请」) leads, rather than 「没有规定所问的期限」."""
        best = matches[0]
        units = asked_units(question, money=False)
        if not units or best.features.get("deadline_event") or any(u.search(best.clause.text) for u in units):
            return matches
        floor = best.score * self.settings.deadline_first_ratio
        timed = next((m for m in matches[1:] if m.features.get("deadline_event") and m.score >= floor), None)
        return matches if timed is None else [timed] + [m for m in matches if m is not timed]

    def _specific_first(self, matches: list[Match], question: str) -> list[Match]:
        """A 款 that punishes the whole article (「违反本条规定的，城管执法部门可以暂扣…运输工具」)
        matches through every 款 it refers to; a 款 of the same article that covers the question
        as well and in its own words (「禁止擅自倾倒…建筑垃圾…处五千元以上五万元以下罚款」) leads."""
        best = matches[0]
        if not best.refs or not best.penalties:
            return matches
        salient = self.matcher.salient(question)
        own = self.matcher.coverage(salient, best.clause.text)
        floor = best.coverage * self.settings.match_rule_coverage_ratio
        rivals = [(self.matcher.coverage(salient, m.clause.text), -n, m) for n, m in enumerate(matches[1:])
                  if (m.chunk.law, m.chunk.article, m.chunk.version) == (best.chunk.law, best.chunk.article, best.chunk.version)
                  and m.penalties and m.coverage >= floor
                  and m.features.get("subject", 0.0) >= best.features.get("subject", 0.0)]  # not 个人 for 单位
        if not rivals:
            return matches
        rival_own, _, rival = max(rivals, key=lambda r: r[:2])
        if rival_own <= own:
            return matches
        return [rival] + [m for m in matches if m is not rival]

    def _rule_first(self, matches: list[Match], intents: list[Intent], question: str = "") -> list[Match]:
        """The converse for 「能不能自己砍掉」 (what the rule is, not its penalty): when the best 款
        punishes an obligation (「违反本条例第二十九条第一款规定，擅自砍伐树木的」) that is itself a
        candidate covering nearly as much of the question, the obligation is the 结论. So is, for a
        procedure question, the rule a step cites when the step covers the question only through it."""
        best = matches[0]
        if not best.refs:
            return matches
        if intents[0] == Intent.PROCEDURE:
            # 行政处罚法第五十九条 (「依照本法第五十七条的规定给予行政处罚，应当制作…决定书」) covers
            # 「集体讨论」 only through 第五十七条, which is the rule asked about. Not when the best 款's
            # own words answer better (第六十八条 「依照本法第五十一条的规定当场作出…可以当场收缴罚款」
            # is the rule for 「什么情况下可以当场收罚款」, not 第五十一条).
            salient = self.matcher.salient(question, procedure=True)
            own = self.matcher.coverage(salient, best.clause.text)

            def referred(m: Match) -> bool:
                return any(m.clause.text in ref for ref in best.refs) and self.matcher.coverage(salient, m.clause.text) > own
        # Only a 款 that punishes: 养犬条例第二十七条 (「送交符合本条例第十二条、第十三条规定条件的…」)
        # refers to the conditions of other articles, which are not what it rules.
        elif intents[0] == Intent.DEFINITION and PENALTY_WORDS.search(best.clause.text):
            def referred(m: Match) -> bool:
                return m.clause.text in best.refs
        else:
            return matches
        rule = next((m for m in matches if m is not best and referred(m)
                     and m.coverage >= self.settings.match_rule_coverage_ratio * best.coverage), None)
        if rule is None:
            return matches
        return [rule] + [m for m in matches if m is not rule]

    def _with_referring(self, hits: list[Hit], intents: list[Intent]) -> list[Hit]:
        """For penalty and who-enforces questions, the penalty articles that refer to a retrieved
        obligation (「违反本条例第二十条规定的」) join the candidates right after it."""
        if intents[0] not in (Intent.PENALTY, Intent.WHO_ENFORCES):
            return hits
        out: list[Hit] = []
        seen = {h.chunk.id for h in hits}
        for rank, hit in enumerate(hits):
            out.append(hit)
            if rank < self.settings.referring_from_top:
                for chunk in self.referring.referring(hit.chunk):
                    if chunk.id not in seen and chunk.status == "current":
                        seen.add(chunk.id)
                        out.append(Hit(chunk, hit.score))
        return out

    # --- "no basis" ----------------------------------------------------------------------
    def _no_basis(self, question: str, reason: str | None, related: list[Hit], intents: list[Intent]) -> Answer:
        return Answer(question, True, "offline", conclusion=(reason or "本地法规库中没有找到能回答这个问题的条文。")
                      + NO_BASIS_HINT, related=related, reason=reason, intent=intents[0].value)

    # --- penalty (and definition/obligation) ------------------------------------------------
    def _penalty_or_text(self, question: str, intents: list[Intent], matches: list[Match],
                         focus: str | None = None) -> Answer:
        best = matches[0]
        basis = self._basis(matches)
        penalties = self._penalties(best, matches, question, focus)
        enforcer = self._enforcer(question, best, penalties)
        where = _where(best)
        lead = self._focused(penalties[0], question) if penalties else None
        asked = ""
        if lead and (not lead.conduct or NAMED_PROHIBITIONS.search(lead.conduct)):
            asked = self._conduct_asked(best, question)
            if lead.conduct and asked and not NAMED_PROHIBITIONS.search(asked):
                # 「在城市道路范围内从事禁止行为」 → the asked one of the prohibitions it names.
                lead = replace(lead, conduct=None)
        if lead and intents[0] == Intent.PENALTY and not authority_duty(lead.conduct or asked):
            conclusion = _penalty_sentence(lead, where, asked)
        else:
            conclusion = (f"依据{where}：{self._listed_or_whole(best.clause, question)}{_referred_rule(best)}"
                          f"{_preceding(best)}")
        # Not under a rule's figure (「临时使用绿地期限一般不超过一年」): nobody is punished there.
        noted = bool(enforcer and enforcer.power_item and (penalties or intents[0] != Intent.DEFINITION))
        if noted:
            conclusion += " " + self._power_note(enforcer, f"{question}\n{_conduct_of(best)}")
        # The 款 punishes and names nobody (治安管理处罚法第五十条): the law's rule on who decides
        # says who, after the penalty's own citation (as a who-enforces answer does).
        decided = bool(lead and not lead.department and intents[0] == Intent.PENALTY and enforcer
                       and enforcer.decided_by and not enforcer.power_item)
        if decided:
            law, article = enforcer.decided_by
            conclusion += f" 该法规定的处罚由{enforcer.department}决定（{book_title(law)}第{article}条）。"
        answer = Answer(question, False, "offline", conclusion=conclusion, basis=basis, penalties=penalties,
                        departments=[enforcer.department] if enforcer and enforcer.department else [],
                        intent=intents[0].value, enforcer=enforcer)
        return self._with_power_basis(answer) if noted or decided else answer

    def _by_question(self, clauses: list[PenaltyClause], question: str | None, general: str = "",
                     focus: str | None = None) -> list[PenaltyClause]:
        """A 款 listing items with their own consequence (「（一）在楼道…由城管执法部门…；（三）在
        人员密集场所…由消防救援机构…」): the item about the asked conduct first, the others in the
        article's order. A special case (「其中，对利用或者组织张贴…的，可处一万元以上十万元以下
        罚款」) refines the clause before it, whose conduct is what the 款 punishes (`general`: what
        the articles it refers to forbid): it leads only when it is closer to the question.
        A follow-up's own words (`focus`) choose first: 「那要是露天仓库呢」 after 「混凝土搅拌站…
        归谁管」 is 大气条例第九十八条第四款's 露天仓库 part (生态环境部门), not the 搅拌站 part again."""
        conducts = {c.conduct for c in clauses}
        if not question or len(conducts) < 2:
            return list(clauses)
        salient = self.matcher.salient(question)
        whole = _whole_words(salient)  # once per question, not per clause
        own = self.matcher.salient(focus) if focus else None

        def score(c: PenaltyClause) -> tuple[float, float]:
            conduct = _conduct_or_conditions(c)
            cov = _item_coverage(self.matcher, salient, conduct, whole)
            if _special_case(c) and cov <= _item_coverage(self.matcher, salient, general, whole):
                return 0.0, 0.0
            return (self.matcher.coverage(own, conduct) if own else 0.0), cov

        cov = {id(c): score(c) for c in clauses}
        top = max(cov.values())
        if top <= (0.0, 0.0):
            return list(clauses)
        lead = [c for c in clauses if cov[id(c)] == top and c.conduct == next(
            x.conduct for x in clauses if cov[id(x)] == top)]
        return lead + [c for c in clauses if c not in lead]

    def _penalties(self, best: Match, matches: list[Match], question: str | None = None,
                   focus: str | None = None) -> list[PenaltySummary]:
        """The matched 款's penalties first, then those of other 款 of the same article about the
        same conduct (单位/个人, 拒不改正, 情节严重), in the article's order; no duplicates."""
        same_article = [m for m in matches if m.chunk.id == best.chunk.id and m.penalties
                        and m.coverage >= best.coverage * self.settings.basis_score_ratio
                        and not punish_other_parts(best.clause.text, m.clause.text)]
        ordered = [best] + sorted((m for m in same_article if m is not best), key=lambda m: m.clause.number)
        out: list[PenaltySummary] = []
        seen: set[tuple] = set()
        for m in ordered:
            before: int | None = None  # where the clause before this one went in `out`
            for clause in _fined_first(self._by_question(m.penalties, question, _forbidden_in(m.refs), focus)
                                       if m is best else m.penalties):
                summary = _summary(m, clause)
                if before is not None and _special_case(clause):
                    # 「…并处五十元以上五百元以下罚款。其中，对利用或者组织张贴…的，可处一万元以上十万元
                    # 以下罚款」: a tier of the clause before, with its condition, in the article's order.
                    special = [f"{f}（{_short(clause.conduct)}的）" for f in summary.fines]
                    out[before] = replace(out[before], fines=[*out[before].fines, *special])
                    continue
                before = None
                key = (summary.subject, summary.conduct, summary.department, summary.measures, tuple(summary.fines))
                if key not in seen and (summary.fines or summary.measures):
                    seen.add(key)
                    before = len(out)
                    out.append(summary)
        if question:
            # 「由本条例第十六条规定的有关部门」: the department of the place asked about.
            out = [self._with_referred_department(p, best.chunk.law, question) for p in out]
        return out[: self.settings.max_penalties]

    def _with_referred_department(self, p: PenaltySummary, law: str, question: str) -> PenaltySummary:
        ref = DEPARTMENT_REF.search(p.department) if p.department else None
        if ref is None:
            return p
        article = cn_int(ref.group(1))
        found = self._referred_items(law, article, question)
        if found is None:
            return p
        _, named, best = found
        if best is not None:
            return replace(p, department=named[best][0])
        members = tuple(d for d, _, _ in named)
        return replace(p, department=_shared_department(article, members),
                       shared_among=(f"第{_cn(article)}条", members))

    def _violated(self, m: Match, question: str, conduct: str | None = None) -> list[ViolatedRule]:
        """违法依据 of a penalty 款: the rules it punishes breaking, those most relevant to the
        question when it names more than MAX_VIOLATED_RULES, in the 款's order. Of items naming
        their own rules (烟花爆竹条例第二十八条: 「（一）违反本条例第二十条规定，在禁止燃放的区域内
        燃放…」), the one whose conduct the 结论 states (`conduct`)."""
        salient = self.matcher.salient(question)

        def relevance(text: str) -> float:
            return self.matcher.coverage(salient, text) + float(bool(conduct) and conduct in text)

        store = self.retriever.store
        rules: list[ViolatedRule] = []
        for breach in breaches(m.clause.text, m.clause.number, relevance):
            number = breach.article or m.chunk.article
            body = m.body
            if number != m.chunk.article:
                found = [c for c in store.article(m.chunk.law, number, m.chunk.version) if c.part == 0]
                if not found:
                    continue
                body = article_body(found[0], store)
            rule = violated_rule(m.chunk.law, number, m.chunk.version, body, breach, relevance)
            if rule is not None and rule.text not in m.clause.text:
                rules.append(rule)
        if not rules:
            return []
        scores = {id(r): relevance(r.text) for r in rules}
        floor = max(scores.values()) * VIOLATED_RELEVANCE_RATIO
        kept = sorted((r for r in rules if scores[id(r)] >= floor), key=lambda r: -scores[id(r)])[:MAX_VIOLATED_RULES]
        return [r for r in rules if r in kept]

    # --- who enforces ----------------------------------------------------------------------
    def _who_enforces_lead(self, matches: list[Match]) -> Match:
        """The 款 that names a department, among those matching nearly as well as the best one:
        when an obligation (「装修应当在限定时间内」) is the best, the penalty 款 naming who
        enforces it leads."""
        s = self.settings
        best = matches[0]
        if not any(p.department for p in best.penalties) and named_punisher(best.clause.text):
            # It names who punishes the asked conduct, under another law (市容条例第五十九条 → 公安):
            # no other 款 of the window names a department for that conduct (diagnostic N21-20
            # had been answered with 第十三条's 城管 for 责任人's duties).
            return best

        def floor(m: Match) -> float:
            # Another law's 款 must match nearly as well as the best one: any 款 naming a department
            # in the window would do (消保条例第六十三条 「发送商业性信息…」 answered 「浦东城管用探头拍到
            # 店铺跨门经营，人不到现场也能处罚吗」, dev f072's first turn).
            ratio = s.who_enforces_coverage_ratio if m.chunk.law == best.chunk.law else s.who_enforces_other_law_ratio
            return best.coverage * ratio

        lead = next((m for m in matches[: s.who_enforces_window]
                     if any(p.department for p in m.penalties) and m.coverage >= floor(m)), None)
        if lead is not None:
            return lead
        if any(p.department for p in best.penalties) or responsible_body(best.clause.text):
            return best
        # The best 款 is an obligation naming nobody (排水条例第四十五条 「禁止…（三）向排水与污水处理
        # 设施排放、倾倒…废液」): the 款 punishing its breach names who enforces it (第五十一条
        # 「违反本条例第四十五条…由市水务行政执法机构或者区水务部门…」), however little of the
        # question its own words cover.
        punishing = {c.id for c in self.referring.referring(best.chunk)}
        return next((m for m in matches if m.chunk.id in punishing and any(p.department for p in m.penalties)), best)

    def _who_enforces(self, question: str, intents: list[Intent], matches: list[Match],
                      focus: str | None = None) -> Answer:
        best = self._who_enforces_lead(matches)
        ordered = [best] + [m for m in matches if m is not best]
        penalties = self._penalties(best, ordered, question, focus)
        enforcer = self._enforcer(question, best, penalties)
        where = _where(best)
        focused = self._focused(penalties[0], question).conduct if penalties else None
        conduct = _short(focused) if focused else self._conduct_asked(best, question)
        power = self._asked_power_item(best, question)
        responsible = ""  # who the article says is responsible, when it names no penalty's 由X
        punisher = None  # who it says punishes, when it names no measure or fine (named_punisher)
        source = None  # where a department 「本条例第X条规定的」 is named
        acting = power is None and enforcer is not None and bool(enforcer.department) and authority_duty(conduct)
        if acting:
            # 「拆违实施部门应当作出责令限期拆除的书面决定」: what the department must do, not an
            # offence 「…的，由拆违实施部门处理」.
            conclusion = f"由{enforcer.department}负责：依据{where}：{_first_sentences(best.clause.text)}"
        elif power is not None:
            # 城管执法条例第十一条 itself (「商业街上有人硬塞宣传单，城管能不能管」): the item that
            # gives 城管 the power, not the whole list.
            conclusion = (f"由城管执法部门负责：{self._power_item_text(power, question)}，由城管执法部门实施行政处罚"
                          f"（《{self.table.source_law}》第{self.table.source_article}条第一款第（{_cn(power)}）项）。")
        elif (enforcer is None or not enforcer.department) and (punisher := named_punisher(best.clause.text)):
            # 市容条例第五十九条 「…由公安部门予以处罚」: that department, whatever 城管 does under the
            # regulation's other articles.
            responsible = punisher
            prefix = "" if "城管" in punisher else "不属城管职责，"
            conclusion = f"{prefix}由{punisher}负责：依据{where}：{_first_sentences(best.clause.text)}"
        elif (enforcer is None or not enforcer.department) and (stated := responsible_body(best.clause.text)):
            # 「区城管执法部门以及乡、镇人民政府负责本辖区内违法行为的查处」「县级以上地方各级人民政府
            # 管辖下列行政复议案件」: the article says who, though not as a penalty's 由X.
            responsible = stated
            conclusion = f"由{stated}负责：依据{where}：{_first_sentences(best.clause.text)}"
        elif enforcer is None or not enforcer.department:
            conclusion = f"条文没有写明执法部门。依据{where}：{_first_sentences(best.clause.text)}"
        elif enforcer.chengguan and not enforcer.power_item:
            # A collective term is named with its members once (「拆违实施部门（规划管理部门、…）」).
            conclusion = f"由{enforcer.department}负责：{conduct}的，由{_without_members(enforcer.department)}处理（{where}）。"
        elif enforcer.chengguan:
            conclusion = (f"由城管执法部门负责：{conduct}的，条文规定由{enforcer.department}处罚（{where}）；"
                          + self._power_note(enforcer, f"{question}\n{conduct}"))
        elif DECIDING_ORGAN.search(enforcer.department):
            # 「罚款逾期不缴，城管能不能自己强制执行」: 「作出行政处罚决定的行政机关」 is 城管 in its cases.
            conclusion = (f"由{enforcer.department}负责（城管执法部门作出的决定，即由城管执法部门负责）："
                          f"{conduct}的，由{enforcer.department}处理（{where}）。")
        elif UNDESIGNATED.search(enforcer.department):
            conclusion = (f"由{enforcer.department}负责（条文未指明具体部门，本市由哪个部门执法以本市规定为准）："
                          f"{conduct}的，由{enforcer.department}处理（{where}）。")
        elif enforcer.decided_by:
            law, article = enforcer.decided_by
            conclusion = (f"不属城管职责，由{enforcer.department}负责：{conduct}的，依照{where}处理；"
                          f"该法规定的处罚由{enforcer.department}决定（{book_title(law)}第{article}条）。")
        elif source := self._department_source(best, enforcer.department, question):
            conclusion = (f"不属城管职责，由{enforcer.department}负责{source[1]}：{conduct}的，"
                          f"由{enforcer.department}处理（{where}）。")
        else:
            conclusion = f"不属城管职责，由{enforcer.department}负责：{conduct}的，由{enforcer.department}处理（{where}）。"
        by_chengguan = ("城管" in responsible if punisher else
                        power is not None or bool(enforcer and enforcer.chengguan) or "城管" in responsible)
        conclusion = _chengguan_verdict(question, by_chengguan, conclusion) + conclusion
        lead = self._focused(penalties[0], question) if penalties else None
        if Intent.PENALTY in intents and lead is not None and not acting and (
                lead.fines or not all(refers_elsewhere(m) for m in lead.measures)):
            # Not when it names no measure or fine: 「…由公安交通管理部门或者绿化市容行政管理部门依照
            # 有关法律、法规处理」 would say the department a second time and nothing more.
            # The conduct and the department are named already: what they face, once.
            terms = _penalty_terms(lead)
            if terms and _short(lead.conduct or conduct) in conclusion:
                conclusion += f" 处罚：{terms}" + ("。" if f"（{where}）" in conclusion else f"（{where}）。")
            else:
                conclusion += " " + _penalty_sentence(lead, where, conduct)
        basis = self._basis(ordered)
        if source is not None and all(h.chunk.id != source[0].chunk.id for h in basis):
            basis.append(source[0])
        answer = Answer(question, False, "offline", conclusion=conclusion, basis=basis,
                        penalties=penalties, departments=[enforcer.department] if enforcer and enforcer.department
                        else [responsible] if responsible else [],
                        intent=intents[0].value, enforcer=None if punisher else enforcer)
        return self._with_power_basis(answer)

    def _conduct_asked(self, m: Match, question: str) -> str:
        """`_conduct_of(m)`, except that a conduct read from a list is named by the item the
        question is about: a prohibition (河道管理条例第三十五条 「在河道管理范围内，不得从事下列活动：
        （一）倾倒…」, punished by 第四十五条) with its scope, a list of duties (养犬管理条例第二十二条
        「养犬人携带犬只外出应当遵守下列规定：…（三）为大型犬只戴嘴套」) as the duty not kept.
        「从事下列活动的」 or a list cut off after two items says nothing to the asker."""
        conduct = _conduct_of(m)
        # A list of duties named as a whole (「单位未履行消防安全责任」) is narrowed to the asked item too.
        named_list = any(_short(listed) == conduct for r in m.refs if (listed := _duty_list_not_kept(r)))
        if not LIST_INTRO.search(conduct) and not named_list and not NAMED_PROHIBITIONS.search(conduct):
            return conduct
        # Of several lists referred to (电力设施规定第十九条第二款: 第十条 and 第十一条 both list
        # prohibitions), the one with the item the question is about.
        listing = [r for r in m.refs if _lists_conduct(r.split("\n")[0]) and _list_items(r)]
        if not listing:
            return conduct
        salient = self.matcher.salient(question)
        ref = max(listing, key=lambda r: max(self.matcher.coverage(salient, i) for i in _list_items(r)))  # ties: first
        items = _list_items(ref)
        intro = ref.split("\n")[0]
        forbidden = _prohibition(intro)
        if forbidden:
            # 「城市道路范围内禁止下列行为」: its words favour no item, though only 「在…」 is said.
            shared = intro[: forbidden.start()].strip("，, ")
            scope = shared if shared.startswith("在") else ""
        else:
            shared = scope = intro.split("应当")[0].strip("，, ") if "应当" in intro else ""
        # Each item with the scope they share: a word of the scope (河道) favours none of them.
        covered = {item: self.matcher.coverage(salient, f"{shared}{item}") for item in items}
        item = max(items, key=covered.get)  # ties: the first
        if covered[item] <= self.matcher.coverage(salient, shared):
            # No item asked about: the duties not kept (「禁止吸烟场所所在单位未履行义务的」), not
            # 「…应当履行下列义务的」, which reads as if keeping them were punished.
            return conduct if forbidden else _short(re.sub(r"下列(?=[\u4e00-\u9fff]{0,4}$)", "", conduct.replace("应当", "未", 1)))
        if forbidden:
            return _short(f"{scope}{item}")
        # Shortened inside the quotation marks, which a cut must not leave open (「未遵守「…完好等的」).
        return f"{scope}未遵守「{_short(item, max(QUOTED_ITEM_MIN_CHARS, CONDUCT_CHARS - len(scope) - 6))}」规定"

    def _focused(self, p: PenaltySummary, question: str) -> PenaltySummary:
        """A conduct that lists several items (「…；…；…」) is narrowed, for the 结论, to the item
        the question is about (the full list stays in 处罚幅度 and the quoted 款)."""
        p = self._asked_tiers(p, question)
        items = [i for i in (p.conduct or "").split("；") if i.strip()]
        if len(items) < 2:
            return p
        salient = self.matcher.salient(question)
        whole = _whole_words(salient)
        scored = [(_item_coverage(self.matcher, salient, item, whole), -n) for n, item in enumerate(items)]
        best_cov, best = max(scored)  # ties: the first item
        best = -best
        if best_cov <= 0:
            return p
        return replace(p, conduct=items[best])

    def _asked_tiers(self, p: PenaltySummary, question: str) -> PenaltySummary:
        """Tiers named by items (市容条例第二十八条: 「随地吐痰」 200 元以下, 「乱扔烟蒂」 100 元以下 …)
        are narrowed, for the 结论, to those whose item the question is about (all stay in 处罚幅度).
        So are the tiers of a clause that names its conducts only as the conditions of its fines
        (古树条例第二十五条第（六）项: 「砍伐二级保护的古树的」 20000–200000 元)."""
        if not p.item_tiers or len(p.fines) < 2:
            return p
        salient = self.matcher.salient(question)
        scores = [self.matcher.coverage(salient, fine) for fine in p.fines]
        top = max(scores)
        if top <= 0 or top == min(scores):
            return p
        kept = [f for f, score in zip(p.fines, scores) if score == top]
        items = {m.group(1) if (m := _ITEM_TIER.search(f)) else None for f in kept}
        if len(items) == 1 and None not in items:
            # One item asked (「随地吐痰」): it is the conduct, and its tiers say only whom they fine.
            item = items.pop()
            whom = [_ITEM_TIER.sub(lambda m: f"（{m.group(2)[1:]}）" if m.group(2) else "", f) for f in kept]
            return replace(p, conduct=item, fines=whom)
        return replace(p, fines=kept)

    def _enforcer(self, question: str, match: Match, penalties: list[PenaltySummary]) -> Enforcer | None:
        department = next((p.department for p in penalties if p.department), None)
        if department is None:
            department = next((p.department for p in match.penalties if p.department), None)
        chunk = match.chunk
        if department and (ref := DEPARTMENT_REF.search(department)):
            department = self._referred_department(chunk.law, cn_int(ref.group(1)), question) or department
        # The conduct terms of 第十一条's items are looked for in the question (and its legal terms:
        # 半夜 → 夜间), the 款 and the conduct asked about — not in the rest of the articles the 款
        # punishes: 河道管理条例第三十五条 lists 倾倒 and 清洗 (第十一条第（四）项, 城管) beside 砍伐护堤
        # 林木 (水务), and 环境保护条例第五十四条's 「夜间」 is not 中考期间's daytime.
        asked = [self._conduct_asked(match, question)]
        if penalties:
            asked.append(self._focused(penalties[0], question).conduct or "")
        legal_terms = " ".join(self.retriever.synonyms.expand(conduct_query(question), skip=ASKER_WORDS))
        text = "\n".join([question, legal_terms, match.clause.text, *asked])
        enforcer = self.table.enforcer(department, chunk.law, chunk.jurisdiction, text,
                                       f"{question}\n{match.clause.text}")
        if enforcer.department is None and (penalties or match.penalties):
            # The 款 punishes and names nobody: the law's general rule on who decides, if it has one.
            decided = self._deciding_rule(chunk.law, chunk.version)
            if decided is not None:
                return replace(enforcer, department=decided[1], decided_by=(chunk.law, decided[0].article))
        return enforcer

    def _deciding_rule(self, law: str, version: str | None):
        """(article chunk, department) of the law's rule on who decides its penalties, or None."""
        key = (law, version)
        if key not in self._deciding:
            rows = self.retriever.store.law_chunks(law, version)
            self._deciding[key] = next(((c, m.group("department")) for c in rows
                                        if (m := DECIDES_PENALTIES.search(c.text))), None)
        return self._deciding[key]

    def _referred_department(self, law: str, article: int, question: str) -> str | None:
        """「由本条例第十六条规定的有关部门责令改正」 (公共场所控制吸烟条例第十九条): the department of
        the item of that article about the place asked (「（四）…市场监督管理部门负责对餐饮业经营场所
        的控烟工作进行监督执法」 for 「饭店包间里吸烟」), else all of them with the article named."""
        found = self._referred_items(law, article, question)
        if found is None:
            return None
        _, named, best = found
        if best is not None:
            return named[best][0]
        return _shared_department(article, tuple(d for d, _, _ in named))

    def _referred_items(self, law: str, article: int, question: str):
        """The article's current chunk, its items naming a department as (department, item text, item
        number), and the index of the one about the place asked (None when no single item is)."""
        row = self._current_article(law, article)
        found = clauses(article_body(row, self.retriever.store)) if row is not None else []
        items = [(ITEM_NUMBER.sub("", i.strip()), _item_number(i)) for c in found for i in c.items]
        named = [(m.group(1), item, number) for item, number in items if (m := ITEM_DEPARTMENT.match(item))]
        if not named:
            return None
        salient = self.matcher.salient(question)
        covered = [self.matcher.coverage(salient, item) for _, item, _ in named]
        best = max(range(len(named)), key=covered.__getitem__)
        single = covered[best] > 0 and covered.count(covered[best]) == 1  # 「公共场所」 is in several items
        return row, named, (best if single else None)

    def _department_source(self, m: Match, department: str, question: str) -> tuple[Hit, str] | None:
        """Where the department of 「由本条例第十六条规定的有关部门」 is named: that article's item
        (控烟条例第十六条第（六）项, 住房城乡建设部门 for 电梯), as its hit and 「（《…》第16条第（六）项：
        住房城乡建设部门负责对…公共电梯的控烟工作进行监督执法）」.
        A who-enforces answer cites it first: it is the rule that says who (diagnostic N2-13, N4-19)."""
        ref = DEPARTMENT_NAMED_BY.search(m.clause.text)
        if ref is None:
            return None
        article = cn_int(ref.group(1))
        found = self._referred_items(m.chunk.law, article, question)
        if found is None or found[2] is None:
            return None
        row, named, best = found
        dept, item, number = named[best]
        if dept != department or number is None:
            return None
        # With the item's words, as the power note quotes 城管执法条例's: they say for which place.
        said = item.rstrip("；;。，,")
        return Hit(row, 0.0), f"（{book_title(m.chunk.law)}第{article}条第（{_cn(number)}）项：{said}）"

    def _power_note(self, enforcer: Enforcer, about: str = "") -> str:
        item = self._power_item_text(enforcer.power_item, about)
        return (f"在上海，该项处罚权由城管执法部门行使（《{self.table.source_law}》第{self.table.source_article}条"
                f"第一款第（{_cn(enforcer.power_item)}）项" + (f"：{item}" if item else "") + "）。")

    def _power_item_text(self, n: int | None, about: str = "") -> str:
        """What the item of 城管执法条例第十一条 gives 城管 (「对未经批准…从事夜间建筑施工，造成噪声
        污染的违法行为实施行政处罚」), the conduct part only: of an item listing several
        (「…扬尘；…裸露土地；…夜间建筑施工」) the one closest to `about` (the question and the
        matched conduct), cut at a phrase boundary."""
        row = self._current_article(self.table.source_law, self.table.source_article)
        if row is None or not n:
            return ""
        found = clauses(article_body(row, self.retriever.store))
        item = next((i for i in (found[0].items if found else []) if _item_number(i) == n), None)
        if item is None:
            return ""
        text = ITEM_NUMBER.sub("", item.strip()).rstrip("；。")
        m = re.search(r"对(.+?)的?(?:违法行为)?实施行政处罚", text)
        conduct = m.group(1) if m else text
        pieces = [p for p in conduct.split("；") if p.strip()]
        if len(pieces) > 1 and about:
            salient = self.matcher.salient(about)
            scored = [(self.matcher.coverage(salient, p), -i) for i, p in enumerate(pieces)]
            best_cov, best = max(scored)
            if best_cov > 0:
                conduct = pieces[-best]
        # A later piece continues the item's sentence (「…；以及擅自搭建房屋、棚舍…」).
        return _short(re.sub(r"^(?:以及|及|和|或者)", "", conduct.strip()), 50)

    def _asked_power_item(self, m: Match, question: str) -> int | None:
        """The item of 城管执法条例第十一条第一款 the question is about, when that 款 is the match."""
        if (m.chunk.law, m.chunk.article) != (self.table.source_law, self.table.source_article) or not m.clause.items:
            return None
        salient = self.matcher.salient(question)
        scored = [(self.matcher.coverage(salient, item), -i, item) for i, item in enumerate(m.clause.items)]
        best_cov, _, item = max(scored, key=lambda x: x[:2])
        return _item_number(item) if best_cov > 0 else None

    def _with_power_basis(self, answer: Answer) -> Answer:
        """When 城管's power comes from 城管执法条例第十一条, that article is part of the basis; so
        is the law's rule on who decides its penalties when the department comes from there."""
        e = answer.enforcer
        source = ((self.table.source_law, self.table.source_article) if e and e.power_item
                  else e.decided_by if e and e.decided_by else None)
        if source is not None:
            row = self._current_article(*source)
            if row is not None and all(h.chunk.id != row.id for h in answer.basis):
                answer.basis.append(Hit(row, 0.0))
        return answer

    def _current_article(self, law: str, article: int):
        """The current version's chunk of an article (its first part), None when not indexed."""
        return next((c for c in self.retriever.store.article(law, article) if c.status == "current" and c.part == 0),
                    None)

    # --- procedure ---------------------------------------------------------------------------
    def _procedure(self, question: str, intents: list[Intent], matches: list[Match],
                   prefer_law: str | None = None) -> Answer:
        best = matches[0]
        articles = _distinct(matches)
        chosen = [articles[0]] + [m for m in articles[1:]
                                  if m.coverage >= best.coverage * self.settings.basis_score_ratio
                                  and self._same_procedure(articles[0].chunk.law, m.chunk.law)][:2]
        steps: list[Step] = []
        salient = self.matcher.salient(question, procedure=True)
        asked_share = self.settings.step_asked_coverage
        for m in chosen:
            for clause_match in [x for x in matches if x.chunk.id == m.chunk.id]:
                for sentence in _procedure_sentences(clause_match.clause.text):
                    sentence = sentence.strip()
                    if sentence and (TIME_LIMIT.search(sentence) or PROCEDURE_WORDS.search(sentence) or (
                            m is chosen[0] and asked_share and self.matcher.coverage(salient, sentence) >= asked_share)):
                        steps.append(Step(sentence, CitationRef.of(m.hit), clause_match.clause.number))
        steps = _dedupe_steps(steps)
        ordered = _step_order(steps, chosen)
        salient = self.matcher.salient(question, procedure=True)

        def judged(text: str) -> str:
            # A listing step is judged on its lead and first item, as before the items were kept
            # (a long list covers more of any question by its length alone), or on its lead and
            # the item stating the number asked (「代履行前要提前几天催告」: 第五十一条's （二）
            # 「代履行三日前，催告当事人履行」, not 第五十四条's 「催告书送达十日后」).
            item = self._asked_item(text, question, salient)
            return f"{_list_lead(text)}{item[1]}" if item else _lead_item(text)

        event = self.matcher.deadline_event_words(question)
        key = key_step(ordered, question, lambda text: self.matcher.coverage(salient, judged(text)),
                       lambda step: step.citation.law == prefer_law if prefer_law
                       else (step.citation.law, step.citation.article) == (best.chunk.law, best.chunk.article),
                       lambda text: self.matcher.is_deadline_for(text, event))
        where = _where(best)
        lead = _first_sentences(best.clause.text)
        if key is not None and self.matcher.coverage(salient, judged(lead)) >= self.matcher.coverage(salient, judged(key.text)) \
                and (key.citation.law, key.citation.article) != (best.chunk.law, best.chunk.article) \
                and not _unanswered_quantity(question, lead):
            # The matched 款 itself answers as well as any step (「什么情况下可以当场收缴罚款：（一）…」
            # states conditions, not a time limit): it is the 结论, with its items. Not when it
            # lacks the number asked and the step states it: 「直接去法院起诉，期限是多长」 is
            # answered by 行政诉讼法第四十六条's 「六个月内」, not 第四十四条 (复议 or 起诉, no time).
            conclusion = self._quoted(lead, question, salient, where, prefixed=True) + _preceding(best)
            quoted = (best.chunk.law, best.chunk.article)
        elif key is not None:
            keyed = next((m for m in matches if (m.chunk.law, m.chunk.article) == (key.citation.law, key.citation.article)
                          and m.clause.number == key.paragraph), None)
            whole = _whole_sentence(keyed.clause.text, key.text) if keyed else key.text
            conclusion = self._quoted(whole, question, salient, f"{key.citation.label()}第{_cn(key.paragraph)}款")
            conclusion += _preceding(keyed) if keyed else ""
            quoted = (key.citation.law, key.citation.article)
        else:
            conclusion = f"依据{where}：{_first_sentences(best.clause.text)}{_preceding(best)}"
            quoted = (best.chunk.law, best.chunk.article)
        shown = _in_sequence(ordered[: self.settings.max_steps], chosen)
        # An article whose 款 punishes a conduct (黄河保护法第一百一十八条: 「…限期拆除…罚款；逾期
        # 不拆除的，强制拆除」 under 「强制拆除要走哪些程序」) is no basis for a procedure unless a
        # shown step cites it.
        cited = {(s.citation.law, s.citation.article) for s in shown}
        basis = [chosen[0].hit] + [m.hit for m in chosen[1:] if (m.chunk.law, m.chunk.article) in cited
                                   or m.features.get("intent", 0.0) >= 0]
        # The article the 结论 quotes heads the basis (a follow-up is resolved from the first).
        basis.sort(key=lambda h: (h.chunk.law, h.chunk.article) != quoted)
        return Answer(question, False, "offline", conclusion=conclusion, basis=basis,
                      steps=shown, intent=intents[0].value)

    def _same_procedure(self, lead_law: str, law: str) -> bool:
        """Whether steps of `law` belong beside those of the leading article's law: its own, or a
        procedure law (行政处罚法, 行政强制法, 城管执法条例 …) beside another law's procedure — not
        another authority's (治安管理处罚法第九十七条 「二日内送达」 beside 行政处罚法第六十一条's 七日),
        nor a second national code beside the first (行政复议法's 听证 beside 行政处罚法's)."""
        if law == lead_law:
            return True
        procedure = self.table.procedure_laws
        national = NATIONAL_CODE_PREFIX
        return law in procedure and not (lead_law in procedure and lead_law.startswith(national)
                                         and law.startswith(national))

    def _quoted(self, sentence: str, question: str, salient, where: str, prefixed: bool = False) -> str:
        """A procedure 结论 quoting `sentence` of `where`; of a list, only the item stating the
        number asked (「听证要提前几天通知当事人」: 「（二）…七日前，通知当事人…」, not the eight
        items of 行政处罚法第六十四条)."""
        item = self._asked_item(sentence, question, salient, one_of_many=True)
        if item is not None:
            number, text = item
            return f"{text}（{where}第（{number}）项）"
        return f"依据{where}：{sentence}" if prefixed else f"{sentence}（{where}）"

    def _asked_item(self, sentence: str, question: str, salient, one_of_many: bool = False) -> tuple[str, str] | None:
        """Of a step listing items (「…：（一）…；（二）…」), the item stating a number of the
        kind asked (`asked_units`) that covers the question best, as (its number, its text);
        None when the question asks no number or the step has no such item."""
        units = asked_units(question)
        items = [(n, text.strip("；。 ")) for n, text in STEP_ITEM.findall(sentence)]
        if not units:
            return self._asked_rule(sentence, items, question, salient) if one_of_many else None
        # An item ending in 「的」 is a condition (「（二）业主委员会连续六个月未开展工作的」), no rule by itself.
        stating = [(n, text) for n, text in items if any(u.search(text) for u in units) and not text.endswith("的")]
        if len(items) < 2 or not stating:
            return None
        # The question's own words first: items of one sentence share its legal terms, and an
        # expansion (通知 → 告知) must not pick 「告知后五日内提出」 over 「七日前，通知当事人」.
        own = replace(salient, expansions={})
        return max(stating, key=lambda item: (self.matcher.coverage(own, item[1]),
                                              self.matcher.coverage(salient, item[1])))  # ties: the first

    def _listed_or_whole(self, clause, question: str) -> str:
        """A 款 listing rules or definitions (噪声法第八十八条 「本法中下列用语的含义：（一）…（四）…」)
        as its lead and the item asked about (「夜间是指几点到几点」: （二）), else its first sentences."""
        text = _first_sentences(clause.text)
        lead = clause.text.split("\n")[0]
        items = [(m.group(1), ITEM_NUMBER.sub("", line).strip("；。 ")) for line in clause.items
                 if (m := ITEM_NUMBER.match(line))]
        if not lead.rstrip().endswith(("：", ":")):
            return text
        picked = self._asked_rule(lead, items, question, self.matcher.salient(question))
        if picked is None:
            return text
        number, item = picked
        return f"{lead}……（{number}）{item}。"  # the other items left out, the sentence whole

    def _asked_rule(self, sentence: str, items: list[tuple[str, str]], question: str, salient) -> tuple[str, str] | None:
        """Of a step listing rules (行政处罚法第六十四条 「听证应当依照以下程序组织：（一）…（八）…」),
        the one the question is about when it clearly covers the question best: 「当事人没理由就是不
        来，听证还开不开」 is answered by its （六）, not by eight items (blind review N1-22). Not when
        the whole list is asked (「听证要走哪些程序」), nor of a list of conditions (「有下列情形之一的，
        应当…」), whose items are no rule by themselves."""
        lead = _list_lead(sentence) or sentence
        if len(items) < 3 or LIST_ASKED.search(question) or CONDITIONS_LISTED.search(lead) or not RULES_LISTED.search(lead):
            return None
        own = replace(salient, expansions={})
        ranked = sorted(((self.matcher.coverage(own, text), n, text) for n, text in items), key=lambda r: -r[0])
        best, runner_up = ranked[0], ranked[1]
        if best[0] > 0 and best[0] >= ASKED_RULE_MARGIN * runner_up[0]:
            return best[1], best[2]
        return None

    # --- the basis list ------------------------------------------------------------------------
    def _basis(self, matches: list[Match]) -> list[Hit]:
        """The matched article first, then other articles matching nearly as well; a national
        law after a Shanghai regulation on the same conduct is its 上位法."""
        articles = _distinct(matches)
        best = articles[0]
        keep = [best] + [m for m in articles[1:]
                         if m.coverage >= best.coverage * self.settings.basis_coverage_ratio
                         and m.score >= best.score * self.settings.basis_score_ratio]
        return [m.hit for m in keep[: self.settings.max_basis]]


# --- helpers ------------------------------------------------------------------------------------
def _procedure_sentences(clause_text: str) -> list[str]:
    """The 款's sentences as procedure steps (split at 「。」 and 「；」), except that a sentence
    introducing items keeps all of them: 行政处罚法第六十三条 「拟作出下列行政处罚决定，应当告知
    当事人有要求听证的权利…：（一）较大数额罚款；（二）…」 was cut after its first item."""
    lines = clause_text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        parts = SENTENCE.findall(lines[i])
        j = i + 1
        if parts and parts[-1].rstrip().endswith(("：", ":")):
            while j < len(lines) and ITEM_NUMBER.match(lines[j].strip()):
                j += 1
            if j > i + 1:
                parts[-1] = parts[-1].rstrip() + "".join(line.strip() for line in lines[i + 1:j])
        out += parts
        i = j
    return out


# The item quoted alone covers the question at least this many times as much as any other item
# (set by hand: no answer of the 727 eval questions changes between 1.0 and 1.3).
ASKED_RULE_MARGIN = 1.3
# A question asking for the whole list (程序, 步骤, 哪些, 什么情形), not one item of it.
LIST_ASKED = re.compile(r"哪些|哪几|什么情形|什么情况|程序|步骤|流程|条件|手续|怎么走|有什么要求|注意什么")


# A lead whose items are rules, duties, definitions or prohibited conducts, each whole by itself
# (「依照以下程序组织：」「履行下列义务：」「下列用语的含义：」「根据下列情况分别作出处理：」) — not
# kinds of something (行政处罚法第六十三条 「拟作出下列行政处罚决定，…应当组织听证：（五）其他较重
# 的行政处罚」 had been quoted as that item alone: blind review N2-26).
RULES_LISTED = re.compile(r"(?:程序|规定|义务|含义|标准|行为|活动|要求|职责|情况|措施|方式|范围)[^：:。]{0,8}[：:]\s*$")
# Items that are the conditions of the lead's rule (「有下列情形之一的，…应当…：（一）…」), no rule
# each by itself.
CONDITIONS_LISTED = re.compile(r"情形|之一")


def _lists_conduct(intro: str) -> bool:
    """An article introducing a list of prohibited conducts or duties (「禁止下列行为：」「游客游园禁止
    以下行为：」「应当履行下列义务：」) — not 控烟条例第十六条 「控烟工作的监督执法按照以下规定实施：」,
    which 第十八条 cites for its departments (blind review N2-13)."""
    return "下列" in intro or bool(LIST_INTRO.search(intro) and (_prohibition(intro) or "应当" in intro))


def _list_lead(step: str) -> str:
    """What a step listing items says before its first item (「代履行应当遵守下列规定：」)."""
    m = re.search(r"[（(]一[)）]", step)
    return step[: m.start()] if m else ""


def _lead_item(step: str) -> str:
    """A step introducing items (「…：（一）…；（二）…」) up to its first item's end."""
    m = re.search(r"[：:][（(][一二三四五六七八九十]+[)）][^；。]*[；。]?", step)
    return step[: m.end()] if m else step


def _whole_sentence(clause_text: str, piece: str) -> str:
    """The sentence of a 款 that a step (split at 「；」 too) belongs to, up to its 「。」: the part
    after 「；」 often completes the rule (行政强制法第五十二条: 「…可以决定立即实施代履行；当事人
    不在场的，行政机关应当在事后立即通知当事人」). Items (（一）…；) stay one per step."""
    for line in clause_text.split("\n"):
        if piece in line and not ITEM_NUMBER.match(line):
            sentences = [x.strip() for x in FULL_SENTENCE.findall(line)]
            for i, sentence in enumerate(sentences):
                if piece in sentence:
                    # The exception that follows belongs to the rule (行政处罚法第六十条: 「…九十日内作出
                    # 行政处罚决定。法律、法规、规章另有规定的，从其规定。」 answers 「办案期限能不能延长」).
                    following = sentences[i + 1] if i + 1 < len(sentences) else ""
                    return f"{sentence}{following}" if EXCEPTION.match(following) else sentence
    return piece


# A 款 saying what follows a breach, though not as a fine the penalty parser reads (行政许可法第七十八条
# 「不予受理…给予警告」): it answers 「会有啥后果」 itself (lay dev l073, l079).
CONSEQUENCE_WORDS = re.compile(r"罚|警告|没收|责令|吊销|撤销|处分|追究|责任|不予受理|处理")
# A sentence that only makes an exception to the one before it.
EXCEPTION = re.compile(r"^(?:(?:法律|行政法规|法规|规章)[、，]?)+[^。]{0,12}另有规定的|^但是|^但[^。]{0,4}除外|^[^。]{0,20}除外。$")


def key_step(steps: list[Step], question: str, coverage, preferred=lambda step: False,
             for_asked_act=lambda text: False) -> Step | None:
    """The step that answers a procedure question: the one covering most of it (`coverage(text)`)
    among those stating a number of the asked kind, if any do. 「多少天内要把核查结果告诉举报人」 is
    answered by 「在五个工作日内将核查情况告知举报人」, not by another article's 「应当及时核实、处理，并将
    结果告知投诉人、举报人」, which shares more words and states no time (dev r127).
    When a `preferred` step states such a number, it answers: the matched article's own (「扣押最长
    能扣多久」 → 行政强制法第二十五条's 「不得超过三十日」, not another article's 「二日内…接受处理」),
    in a follow-up the previous 结论's law (「公告送达过多久算送到」 after a question on 城管执法条例
    第二十五条 is its 「经过六十日」, not 拆违规定's 「告示期限…不少于十日」, dev f034, f054).
    Of those, the steps whose time limit is for the asked act (`for_asked_act`: 「最晚要在几天里申请
    复议」 → 「六十日内提出行政复议申请」, not 「超过五年的…不予受理」) come first."""
    units = asked_units(question)
    stating = [s for s in steps if any(u.search(s.text) for u in units)]
    pool = [s for s in stating if for_asked_act(s.text)] or stating
    own = [s for s in pool if preferred(s)]
    return max(own or pool or steps, key=lambda s: coverage(s.text), default=None)


# 「市建设行政管理部门主管本市燃气管理工作」「协商不成的，由人民政府处理」: an authority said to be
# responsible, at the start of a sentence or clause.
_RESPONSIBLE = re.compile(r"(?:^|[，。；])(?:由)?(?P<who>[^，。；：（）]{0,36}?(?:部门|人民政府|机关|机构|管理处|委员会|办事处))"
                          r"(?:依法|应当|共同)?(?:负责|主管|管辖|处理|查处)")


def responsible_body(text: str) -> str | None:
    """The authority a 款 says is responsible (负责/主管/管辖/处理), if it names one."""
    m = _RESPONSIBLE.search(text.split("\n")[0])
    return m["who"] if m else None


def _chengguan_verdict(question: str, chengguan: bool, conclusion: str) -> str:
    """「…城管能管吗」 answered in so many words first: 「城管能管。」 or 「城管不能管。」 (blind review
    M: no who-enforces answer said it plainly). Not when the department is left to the government
    to designate or is the deciding organ, where the answer says what it can."""
    if not any(w in question for w in CHENGGUAN_WORDS):
        return ""
    if chengguan:
        return "城管能管。"
    return "城管不能管。" if conclusion.startswith("不属城管职责") else ""


def _unanswered_quantity(question: str, answer_text: str) -> bool:
    asked = asked_units(question)
    if not asked:
        return False
    if "罚" not in question:
        # A fine states no price: 「自来水多少钱一吨」 is not answered by 「处以二万元以上…的罚款」
        # (blind review N6-36, N5-26). Sentences that fine are left out of what may state the sum.
        answer_text = "。".join(s for s in re.split(r"[。；\n]", answer_text) if not FINE_SENTENCE.search(s))
    return not any(unit.search(answer_text) for unit in asked)


FINE_SENTENCE = re.compile(r"罚款|罚金")


def _distinct(matches: list[Match]) -> list[Match]:
    """The best match of each article, best first. A long article is stored in parts
    (「第四十四条（续）」): they are one article, listed once."""
    seen: set = set()
    out = []
    for m in matches:
        key = (*article_key(m.chunk), m.chunk.version) if m.chunk.article is not None else m.chunk.id
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


# Words naming who acts (「城管执法部门」「执法部」), not what was done.
AUTHORITY_WORD = re.compile(r"部门|城管|执法|机关|政府")


# A penalty 款 naming at least this many conducts of the obligation it punishes names them on
# purpose (滨水公共空间条例第五十六条 names seven of 第四十七条's eight).
UNPUNISHED_MIN_LISTED = 3


def _whole_words(salient: Salient) -> Salient:
    """The question's words without those only part of another (「自来」 of 「自来水」, which the
    search-mode cut also gives)."""
    words = {t: w for t, w in salient.words.items() if not any(t != o and t in o for o in salient.words)}
    return replace(salient, words=words, parts={})


def _item_coverage(matcher: ConductMatcher, salient: Salient, text: str, whole: Salient | None = None) -> float:
    """Coverage for choosing among the items of one 款, each question word counted once: a part of a
    longer word asked (「自来」 of 「自来水」) counts only when that word is not in the item. Counted
    twice, 第（一）项's 自来水水质 had outweighed 第（二）项's 水压 for 「自来水…管网水压就是不达标」
    (供水条例第三十七条); not counted at all, 「处置」 of 「垃圾处置厂」 was lost to 「未按照要求分类处置」.
    `whole`: _whole_words(salient), when the caller scores several items of one question."""
    whole = whole or _whole_words(salient)
    total = sum(whole.words.values())
    alone = sum(w for t, w in salient.words.items() if t not in whole.words and t in text
                and not any(o != t and t in o and o in text for o in salient.words))
    return matcher.coverage(whole, text) + (alone / total if total else 0.0)


def _fined_in(lead: Match, penalties: list[PenaltySummary]) -> str:
    """The 款 of the lead's article whose fine the answer states, quoted after the lead when the lead
    states none (食品安全条例第九十七条第三款 「按照前两款的规定进行处罚」: the 罚款 is 第一款's)."""
    first = penalties[0] if penalties else None
    if (first is None or not first.fines or first.paragraph in (None, lead.clause.number)
            or (first.citation.law, first.citation.article) != (lead.chunk.law, lead.chunk.article)
            or AMOUNT_STATED.search(lead.clause.text)):
        return ""
    fined = next((c for c in clauses(lead.body) if c.number == first.paragraph), None)
    return "" if fined is None else f"\n{article_label(lead.chunk.law, lead.chunk.article)}第{_cn(fined.number)}款：{fined.text}"


def _where(m: Match) -> str:
    paragraph = f"第{_cn(m.clause.number)}款" if len(m.body.split("\n")) > 1 and m.clause.number else ""
    return article_label(m.chunk.law, m.chunk.article) + paragraph


AMOUNT_STATED = re.compile(r"[0-9零〇一二两三四五六七八九十百千万]+元.{0,8}罚款")
# A tier's condition naming an item: 「200 元以下（随地吐痰、便溺的）」「…（乱倒垃圾…的，对个人）」.
_ITEM_TIER = re.compile(r"（([^（）]+?)的(，对[^（），]+)?）$")


def _summary(m: Match, clause: PenaltyClause) -> PenaltySummary:
    fines = [_fine_text(f, m) for f in clause.fines]
    # 「违反前款第（二）、（三）项规定的」 → what those items say: tiers mapped to their items.
    article_clauses = clauses(m.body)
    named = [name_previous_items(f, article_clauses, m.clause.number) for f in fines]
    conduct = _conduct(clause, m)
    if conduct:  # 「有前款第一项、第七项行为」 → those items
        conduct = name_previous_items(conduct, article_clauses, m.clause.number)
    # An item of a list whose conducts are the conditions of its fines (古树条例第二十五条第（六）项: 「砍伐一级保护
    # 的古树、名木的，每株处…；砍伐二级保护的古树的，每株处…」): its tiers are named by those conducts.
    by_conditions = conduct is None and "下列" in clause.sentence and len(clause.fines) > 1 \
        and all(f.condition for f in clause.fines)
    return PenaltySummary(CitationRef.of(m.hit), clause.subject, conduct, clause.department,
                          clause.measures, named, m.clause.number, item_tiers=named != fines or by_conditions,
                          about=condition_of(conduct or _duty_of(m)))


# 「…燃放烟花爆竹的，除对单位进行处罚外」「…又不拆除违法建筑的，拆违实施部门应当…报告」: a norm's
# condition ends at a 「的，」 followed by its consequence (what is done, or who does it); in
# 「经批准…设摊经营的，未保持…整洁的」 what follows still tells the conduct.
_CONDITION_END = re.compile(r"的[，,](?=除|由|对|处|并处|可以|应当|[^，。；]{1,15}?(?:应当|可以|有权|责令))")
# 「单位违反本条例第二十一条规定，在…」: who, then the rule broken; the line names the conduct.
_BROKEN_RULE = re.compile(r"违反本(?:条例|法|规定|办法)第[^，。；]*?规定[的]?[，,]")


def condition_of(text: str) -> str:
    """The conduct a penalty line is about, without the consequence after it and then without the
    number of the rule broken: 「单位在重污染天气期间燃放烟花爆竹的」 (烟花爆竹条例第二十八条第二款).
    Text with no consequence to cut, or too short without them, stays as it is."""
    if not text:
        return text
    m = _CONDITION_END.search(text)
    if m is None:
        return text
    short = _BROKEN_RULE.sub("", text[: m.start() + 1], count=1)
    return short if len(short.rstrip("的")) >= MIN_CONDITION_CHARS else text


MIN_CONDITION_CHARS = 4  # 「单位的」 alone names no conduct


NO_AMOUNT = "（条文未规定数额）"


def _fine_text(fine, m: Match) -> str:
    if fine.min_yuan is None and fine.max_yuan is None and fine.basis:
        # 「按罚款数额的百分之三加处罚款」「处违法所得一倍以上三倍以下的罚款」: as the article says it.
        # Without whom it is for (in its condition) — the whole 「对…」 up to 处, not its first character:
        # 「对单位主要负责人…处上一年度…」 had read 「位主要负责人…处上一年度…」 (大气条例第一百零四条).
        phrase = re.sub(r"^(?:对[^，；。处]{1,20}?(?=[可以并依法]*(?:处|予以)))?[可以并依法]*", "", fine.text)
        return phrase + (f"（{fine.condition}）" if fine.condition else "")
    text = format_fine(fine)
    if "未定数额" in text:
        # 「处以罚款」 with the amount in another sentence of the 款 is read from there; with the
        # amounts in a later 款 (固废法第一百一十一条: 「单位有前款第一项…行为之一，处…」), that 款 is named.
        amount = re.search(r"[0-9零〇一二两三四五六七八九十百千万]+元(?:以上[0-9零〇一二两三四五六七八九十百千万]+元以下)?", m.clause.text)
        later = next((c.number for c in clauses(m.body) if c.number > m.clause.number and AMOUNT_STATED.search(c.text)),
                     None)
        text = text.replace("罚款（未定数额）", amount.group(0) if amount else
                            f"罚款（数额见本条第{_cn(later)}款）" if later else f"罚款{NO_AMOUNT}")
    return text


# 「违反本条例第X条规定」「违反本条例第二十三条第二款禁止行为之一」「单位违反本条例第十六条、第十七条的规定」:
# a rule referred to, no conduct by itself.
_ONLY_A_REFERENCE = re.compile(r"(?:单位|个人)?(?:违反)?(?:本条例|本法|本规定|本办法)?(?:第[^，。]*条)?(?:第[^，。]*款)?"
                               r"(?:的?规定?|(?:规定)?的?(?:禁止)?行为(?:之一)?)")


def _conduct(clause: PenaltyClause, m: Match) -> str | None:
    conduct = clause.conduct
    if conduct and _ONLY_A_REFERENCE.fullmatch(conduct):
        # 「违反本条例第X条规定」「违反本条例第二十三条第二款禁止行为之一」「单位违反本条例第十六条、
        # 第十七条的规定」 say nothing by themselves
        return None
    if conduct:  # items 「违反本条例第二十条规定，在禁止燃放的区域内燃放」: the conduct is what follows
        conduct = _BROKEN_RULE.sub("", conduct)
    if conduct and DUTY.search(conduct) and DUTY_BROKEN.search(clause.sentence):
        # 「…不得影响环境卫生，对宠物…粪便应当即时自行清除。违反规定的，由…」 (市容条例第三十六条第三款):
        # the duty is punished when not kept (「…粪便未即时自行清除」), as in _duty_of.
        conduct = DUTY.sub("未", conduct)
    return conduct


# 「违反本条例第X条规定的，」, and of the same article 「违反本条第一款、第二款、第三款规定的，」「违反前款规定的，」
# (市容条例第二十九条第五款, 第三十九条第二款: the 结论 had named the whole 款 as the conduct).
LEADING_REFERENCE = re.compile(r"^违反(?:本(?:条例|法|规定|办法|条)|前款|前两款|第[一二三四五六七八九十]+款)[^，。；]*?规定(?:的)?[，,]?")
FORBIDDEN = re.compile(r"(?:不得|禁止)([^。；：]+)")


def _prohibition(text: str) -> re.Match | None:
    """The prohibition `text` states (「不得从事下列活动」), if any. 「禁止吸烟场所所在单位应当履行下列
    义务」 (控烟条例第九条) names a place; its 应当 makes it a list of duties."""
    m = FORBIDDEN.search(text)
    return None if m is None or "应当" in m.group(1) else m


# A conduct naming the prohibitions of the article it punishes as a whole: 城市道路管理条例第四十二条
# 「违反本条例第二十条规定，在城市道路范围内从事禁止行为的」 (第二十条 lists seven).
NAMED_PROHIBITIONS = re.compile(r"从事(?:禁止|被禁止)的?(?:行为|活动)(?:之一)?$")
# A list's introduction: 「不得从事下列活动：」, and 「游客游园禁止以下行为：」 (公园管理条例第二十三条)
# — not 「五百元以下」.
LIST_INTRO = re.compile(r"下列|以下(?=[\u4e00-\u9fff]{0,4}(?:之一)?(?:的|：|:|$))(?<!元以下)")


# A conduct that only introduces a list (「从事下列活动」「有下列行为之一」).
LISTED = re.compile(r"下列[\u4e00-\u9fff]{0,4}(?:之一)?$")


def _item_number(item: str) -> int | None:
    """「（六）依据工商管理方面…」 → 6."""
    m = ITEM_NUMBER.match(item.strip())
    return cn_int(m.group(1)) if m else None


def _list_items(listing: str) -> list[str]:
    """The items of a list (「禁止下列行为：\n（一）…；\n（二）…」), without their labels."""
    return [ITEM_NUMBER.sub("", line.strip()).rstrip("；。") for line in listing.split("\n")[1:]
            if ITEM_NUMBER.match(line.strip())]


def _conduct_or_conditions(clause: PenaltyClause) -> str:
    """What a clause punishes. An item that fines several conducts each with its own amount
    (古树条例第二十五条第（六）项 「砍伐一级保护的古树、名木的，每株处…；砍伐二级保护的古树的，每株
    处…」) names them only as the conditions of its fines."""
    return clause.conduct or "；".join(f.condition for f in clause.fines if f.condition)


def _special_case(clause: PenaltyClause) -> bool:
    """「其中，对利用或者组织张贴…的，可处…」: a case of the clause before it, with its own conduct."""
    return bool(clause.conduct) and clause.sentence.startswith("其中")


def _without_members(department: str) -> str:
    return re.sub(r"（[^（）]*）$", "", department)


def _forbidden_in(refs: list[str]) -> str:
    """What the referred-to 款 forbid (「不得擅自…张贴、悬挂宣传品」); all their text when none
    says 不得/禁止. Not their other duties: 「违反本条规定」 refers to every 款, and 「区市容环境卫生
    管理部门…应当组织清除」 is nobody's conduct."""
    forbidden = [m.group(1) for ref in refs for m in FORBIDDEN.finditer(ref)]
    return "\n".join(forbidden or refs)


def punish_other_parts(a: str, b: str) -> bool:
    """Two 款 punishing other 项 or 款 of the same article (养犬管理条例第四十三条: 「违反本条例第二十二条
    第一、二、三项规定的」 and 「…第五项规定的」): other conducts, not tiers of one."""
    def parts(text: str) -> dict[str, str]:
        return {m.group(1): m.group(2) + m.group(3) for m in ARTICLE_PARTS.finditer(text)}

    pa, pb = parts(a), parts(b)
    return any(pa[n] and pb[n] and pa[n] != pb[n] for n in pa.keys() & pb.keys())


# A rule stated as a prohibition, named as the offence: 「任何单位和个人不得擅自拆除…环境卫生设施」 →
# 「擅自拆除…环境卫生设施」; 「…建筑材料，不得向建设工地外排放污水」 → 「…建筑材料，或者向…排放污水」.
# Not 「禁止吸烟场所所在单位」: a place where something is forbidden names who is meant.
_PROHIBITED_BY = re.compile(r"(?:^(?:任何(?:单位和个人|单位或者个人|单位、个人|单位|个人|人))?"
                            r"|^(?P<who>[^，。；、]{0,10}(?:单位|个人|人|者|企业|业主|居民|机构|公司)))"
                            r"(?:不得|禁止)(?![^，。；]{0,6}(?:场所|区域|地点|地区|路段))")
_FURTHER_PROHIBITION = re.compile(r"([，；])不得")


def as_offence(conduct: str) -> str:
    """A conduct as the offence a 结论 names (「…的，由…」): the prohibited act. Text quoting a
    rule (「未遵守「…不得超过两米…」规定」) is left as it is."""
    if not conduct or "「" in conduct:
        return conduct
    conduct = _PROHIBITED_BY.sub(lambda m: m["who"] or "", conduct, count=1)
    # Not a duty (「应当…」) as 「未…」: 「架空线应当埋设入地而拒不埋设入地的」 reads right as it is, and
    # an authority's duty (「拆违实施部门应当作出…决定」) is no one's offence.
    return _FURTHER_PROHIBITION.sub(r"\1或者", conduct)


def _conduct_of(m: Match) -> str:
    """The conduct a 款 is about: its penalty clause's conduct; for 「违反本条例第X条规定的」 the
    conduct article X forbids; else the 款's first sentence."""
    for clause in m.penalties:
        # 「其中，对利用或者组织张贴…的」 is a special case of the conduct, not the conduct.
        conduct = None if _special_case(clause) else _conduct(clause, m)
        if conduct:
            return _short(conduct)
    for ref in m.refs:
        intro = ref.split("\n")[0]
        forbidden = _prohibition(intro)  # a prohibition article
        if forbidden:
            return _short(forbidden.group(1))
        if "应当" in intro and LISTED.search(intro.rstrip("：: ")):  # a list of duties: named by its item
            return _short(intro.rstrip("：: "))
    return _duty_of(m)


def _duty_of(m: Match) -> str:
    """The 款's first sentence as the conduct it punishes: a duty (「…应当保持…整洁。违反规定的」)
    as the duty not kept (「…未保持…整洁」)."""
    sentence = _first_sentences(m.clause.text, 1)
    first = LEADING_REFERENCE.sub("", sentence).rstrip("。；")
    # 「…用字违反本办法…规定的，由城市管理行政执法部门责令改正；拒不改正的，予以警告」: the conduct
    # ends where the department punishing it is named (the 结论 had read 「…规定的，由…责令改正；拒不
    # 改正等的，由…」, review r161, l175).
    before_punisher = _PUNISHER.split(first, 1)[0]
    if before_punisher and before_punisher != first:
        first = before_punisher.removesuffix("的")
    # 「违反本条规定的，城管执法部门可以暂扣…运输工具」: what follows the rule broken is the officers'
    # power, no one's conduct; the rule referred to names it. So is a rule referred to alone
    # (「单位违反本条例第十六条、第十七条…的规定」).
    unnamed = (not first or first.startswith(("由", "处", "责令")) or authority_duty(first)
               or bool(_ONLY_A_REFERENCE.fullmatch(first)))
    if m.refs and unnamed:
        rule = _first_sentences(m.refs[0], 1).rstrip("。；")
        listed = _duty_list_not_kept(m.refs[0]) if m.penalties else None
        if listed:
            rule = listed
        elif m.penalties and (SAME_ARTICLE_REF.match(sentence) or DUTY.search(rule)):
            # 「违反本条第一款、第二款、第三款规定的」 (市容条例第二十九条): the duty of the 款 it names is the
            # offender's, not kept (「…的，未采取措施，防止货物…污染水域」), as in DUTY_BROKEN. So is the
            # duty of another article it names (养犬条例第四十八条 on 第二十八条: 「…未立即采取隔离等控制措施」).
            rule = DUTY.sub("未", rule)
        return _short(rule)
    if unnamed:
        first = sentence.rstrip("。；")
    if m.penalties and DUTY.search(first) and DUTY_BROKEN.search(m.clause.text):
        # 「…临街一侧，应当按照规划的要求选用透景…围墙…作为分界。违反规定的，由…」 (市容条例第二十一条):
        # what is punished is the duty not kept, 「…临街一侧，未按照规划的要求选用…」 (blind review N1-13).
        first = DUTY.sub("未", first)
    return _short(first)


def _duty_list_not_kept(ref: str) -> str | None:
    """A list of duties referred to by a penalty (消防条例第十六条 「单位应当履行下列消防安全责任：
    （一）…」, 北京生活垃圾条例第三十三条 「…应当按照下列规定分类投放生活垃圾：（一）…」) named by its
    introduction as the duty not kept (「单位未履行消防安全责任」), not cut inside its first item."""
    intro = ref.split("\n")[0].strip()
    if "\n" not in ref or not intro.endswith(("：", ":")) or not DUTY.search(intro) or FORBIDDEN.search(intro):
        return None
    return DUTY.sub("未", intro.rstrip("：: ").replace("下列", "", 1), count=1)


# Where a penalty sentence names who punishes: 「，由城管执法部门责令…」.
_PUNISHER = re.compile(r"[，,]由[^，；。]{1,40}?(?:部门|机关|机构|人民政府|管理处|执法总队|监察队)")


# A duty as its 款's first sentence states it (「应当按照」「应当及时清除」); not 「不应当」, nor what
# reads otherwise negated (「应当由」「应当为」「应当是」).
DUTY = re.compile(r"(?<!不)应当(?!由|为|是|给予|予以)")
# …whose next sentence punishes breaking it (「。违反规定的，由…」「。违反前款规定的」): the first
# sentence is the offender's duty, not the authority's (「依法应当没收的非法物品，予以没收」).
# 「。对违反生活垃圾分类投放规定的单位，由…」 (市容条例第四十条第二款) too.
DUTY_BROKEN = re.compile(r"。\s*(?:对)?违反[^，。；]{0,12}规定的")


def _penalty_terms(p: PenaltySummary) -> str:
    """The measures and fines of a penalty line (「责令限期改正；罚款1000–10000 元；…」)."""
    parts = ["、".join(p.measures)] if p.measures else []
    return "；".join(parts + _fine_words(p.fines))


def _fine_words(fines: list[str]) -> list[str]:
    """「500–5000 元」 as 「罚款500–5000 元」; a fine already worded (「处赔偿费一至二倍的罚款」) as it is."""
    return [f"罚款{f}" if f[:1].isdigit() or f.startswith("每") else f for f in fines]


# 「拆违实施部门应当作出责令限期拆除的书面决定」「街道监察队对违反本条例的行为，应当责令其停止…」:
# a 款 whose first sentence is what an authority must or may do names no offence, though its
# measures read as a penalty (the 结论 had been 「…应当作出…决定的，由拆违实施部门责令限期拆除」).
# Not 「当事人到期不缴纳罚款的，作出行政处罚决定的行政机关可以…加处罚款」: a party's conduct comes first.
_AUTHORITY_DUTY = re.compile(r"^(?:(?![^，。；]*(?:当事人|个人|单位|企业|经营者|业主|居民))[^，。；]*，)?"
                             r"[^，。；]{0,25}(?:部门|机关|人民政府|监察队|执法人员)(?:[^，。；]{0,12}[，,])?(?:应当|可以|有权)")


def authority_duty(conduct: str | None) -> bool:
    return bool(conduct) and bool(_AUTHORITY_DUTY.search(conduct))


def _shared_department(article: int, members: tuple[str, ...]) -> str:
    """「第十六条规定的有关部门（教育行政部门、…）」: no one item of the article is about the place asked."""
    return f"第{_cn(article)}条规定的有关部门（{'、'.join(members)}）"


def _penalty_sentence(p: PenaltySummary, where: str, fallback_conduct: str) -> str:
    conduct = as_offence(_short(p.conduct) if p.conduct else fallback_conduct)
    who = "" if p.subject and p.subject in conduct else p.subject or ""  # 「…所在单位未遵守…」 names it
    parts = []
    department, listed = p.department, ""
    if p.shared_among:
        # The rule punishing leads the 结论 and its citation comes first; the article dividing the
        # work between the departments follows (diagnostic N2-09, N13-04: 「由第十六条规定的…」 had
        # put that article before 控烟条例第十九条).
        article, members = p.shared_among
        department = "有关部门"
        kind = re.search(r"(条例|规定|办法|细则|法)》", where)
        listed = f"有关部门按本{kind[1] if kind else '法规'}{article}的分工确定：{'、'.join(members)}。"
    if department:
        parts.append(f"由{department}" + ("、".join(p.measures) if p.measures else "处理"))
    elif p.measures:
        parts.append("、".join(p.measures))
    if p.fines:
        parts.append("；".join(_fine_words(p.fines)))
    return f"{who}{conduct}的，{'，'.join(parts)}（{where}）。{listed}"


# 「对当事人弃留现场的物品，应当按照本条例第二十二条的规定处理。」: the rule is all in the article
# referred to (20 such 款 in the library).
_REFERENCE_ONLY = re.compile(r"(?:按照|依照)本(?:条例|规定|办法|法)(?P<ref>第[一二三四五六七八九十百]+条(?:第[一二三四五六七八九十]+款)?)"
                             r"(?:的)?规定(?:处理|执行|办理)。$")


# 「前款规定的行政处罚决定书应当载明…」「对前款所列信访事项，…」「…代收前款费用的，不得…」: a 款 whose
# first sentence leans on the one before it.
LEANS_ON_PRECEDING = re.compile(r"^[^。；]*?(?P<label>前[两二三]?款)")


def _preceding(m: Match) -> str:
    """The 款 a quoted 款 leans on (「前款」), so that the 结论 says what it means: 「（前款：执法人员
    当场作出行政处罚决定的，…）」 after 行政处罚法第五十二条第二款. Empty for any other 款."""
    lean = LEANS_ON_PRECEDING.match(m.clause.text)
    if lean is None or m.clause.number < 2:
        return ""
    count = PRECEDING_COUNT[lean["label"]]
    before = [c for c in clauses(m.body) if m.clause.number - count <= c.number < m.clause.number]
    text = "".join("".join(c.text.splitlines()) for c in before)
    return f"（{lean['label']}：{text}）" if text else ""


def _referred_rule(m: Match) -> str:
    """What a 款 that only refers to another article says through it: the referred text, so that
    the 结论 does not stop at 「按照第二十二条的规定处理」 (blind review H28)."""
    ref = _REFERENCE_ONLY.search(m.clause.text.strip())
    if not ref or not m.refs:
        return ""
    referred = "".join(m.refs[0].splitlines())
    return f"{ref['ref']}规定：{referred}"


def _first_sentences(text: str, n: int = 2) -> str:
    """Whole sentences only: an answer is never cut mid-sentence."""
    lines = text.split("\n")
    sentences = SENTENCE.findall(lines[0])
    end = min(n, len(sentences))
    while end < len(sentences) and sentences[end - 1].endswith("；"):
        end += 1  # 「…予以没收；拒不改正的，按每只五十元处以罚款。」: to the full stop
    head = "".join(sentences[:end]).strip()
    if len(lines) > 1 and head.endswith("："):
        head += "".join(lines[1:])
    return head


CONDUCT_CHARS = 60  # a conduct named in the 结论 is cut (at a phrase boundary) beyond this
QUOTED_ITEM_MIN_CHARS = 20


def _short(text: str, limit: int = CONDUCT_CHARS) -> str:
    """A conduct for the 结论: on one line, up to `limit` characters (legaltext.shorten)."""
    return shorten(text.replace("\n", "；").strip("；，。 "), limit)


def _dedupe_steps(steps: list[Step]) -> list[Step]:
    seen: set[str] = set()
    out = []
    for s in steps:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out


def _step_order(steps: list[Step], chosen: list[Match]) -> list[Step]:
    """Steps in the order of the articles chosen (the most relevant first), then of their 款 and
    sentences: which steps are shown and which one answers are judged in this order."""
    rank = {m.chunk.id: i for i, m in enumerate(chosen)}
    return sorted(steps, key=lambda s: (rank.get(_id_of(s, chosen), 0), s.paragraph))


def _id_of(step: Step, chosen: list[Match]) -> str:
    for m in chosen:
        if m.chunk.law == step.citation.law and m.chunk.article == step.citation.article:
            return m.chunk.id
    return ""


def _in_sequence(steps: list[Step], chosen: list[Match]) -> list[Step]:
    """The steps shown, law by law in the order the laws were chosen, and within a law in its own
    order of articles, 款 and sentences: a regulation sets out its procedure in sequence (拆违
    若干规定第十条 限期自行拆除 → 催告 → 强制拆除决定 comes before 第十二条 强制拆除时取走财物)."""
    law_rank: dict[str, int] = {}
    for m in chosen:
        law_rank.setdefault(m.chunk.law, len(law_rank))
    return sorted(steps, key=lambda s: (law_rank.get(s.citation.law, len(law_rank)), s.citation.article or 0,
                                        s.paragraph or 0))


def _cn(n: int | None) -> str:
    return cn_numeral(n or 0)


def _fined_first(clauses: list[PenaltyClause]) -> list[PenaltyClause]:
    """Of the clauses about one conduct, those that fine come first (市容条例第二十七条第二款: 公安交通
    stops the truck, 城管 orders the clearing and fines 300–3000 元: the fine is what is asked).
    Conducts keep their order."""
    order: dict[str | None, int] = {}
    for c in clauses:
        order.setdefault(c.conduct, len(order))
    return sorted(clauses, key=lambda c: (order[c.conduct], not c.fines))
