"""Question → grounded answer: retrieve, then compose offline or generate with an LLM and verify."""
from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answering.answer import Answer, Token
from assistant.answering.compose import Composer
from assistant.answering.conversation import (Turn, asked_anew, carried_conduct, is_followup, names_department,
                                               resolve_offline, switched_topic)
from assistant.answering.intent import Intent, asks_about_enforcement, classify
from assistant.answering.llm import collect_reply, make_chat_model, rewrite_followup
from assistant.answering.matching import ASKER_WORDS, conduct_query
from assistant.answering.qa_guide.check import StoreArticles
from assistant.answering.qa_guide.match import GuideMatch, GuideMatcher, agrees_with_answer
from assistant.answering.qa_guide.store import GuideCatalog
from assistant.answering.verify import CheckedCitation, article_key, verify
from assistant.config import Settings
from assistant.core.legaltext import ITEM_NUMBER, ITEM_REF, PARAGRAPH_REF, cn_int, cn_numeral, fold_digits
from assistant.core.models import Hit
from assistant.core.render import article_label
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.types import Filters, SearchResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# The verified reply is replayed in pieces of this many characters, so the chat page and the CLI
# still render it progressively (the chat page replays offline answers in pieces of 12 too).
STREAM_PIECE_CHARS = 12
_log = logging.getLogger("assistant.answering")
# 执法问答 phrasing vectors per retriever (its embedder), shared by the Assistants over it.
_GUIDE_VECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_GUIDE_VECTORS_LOCK = threading.Lock()


class Assistant:
    """Answers officers' questions from the index. With no arguments it uses the default
    settings (environment prefix ASSISTANT_) and the LLM they configure, if any."""

    def __init__(self, settings: Settings | None = None, retriever: Retriever | None = None,
                 chat_model: BaseChatModel | None = None):
        self.settings = settings or (retriever.settings if retriever else Settings())
        self.retriever = retriever or Retriever(self.settings)
        self.chat_model: BaseChatModel | None = chat_model if chat_model is not None else make_chat_model(self.settings)
        self.composer = Composer(self.retriever, self.settings)
        self.guide_catalog = GuideCatalog(self.settings)
        self._guide_matcher: GuideMatcher | None = None
        self._guide_lock = threading.Lock()

    @property
    def mode(self) -> str:
        return "llm" if self.chat_model is not None else "offline"

    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> SearchResult:
        return self.retriever.search(question, k=k, filters=filters)

    def standalone(self, question: str, history: list[Turn]) -> str:
        if history and is_followup(question) and self.chat_model is not None:
            try:
                return rewrite_followup(self.chat_model, question,
                                        [(t.question, t.answer.markdown()) for t in history])
            except Exception:  # an unreachable LLM must not stop the offline path
                return resolve_offline(question, history, self._content_words)
        return resolve_offline(question, history, self._content_words)

    def _content_words(self, text: str) -> list[str]:
        from assistant.answering.matching import QUESTION_WORDS

        return [t for t in self.retriever.tokenizer.tokenize(text) if len(t) > 1 and t not in QUESTION_WORDS]

    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
            k: int | None = None) -> Answer:
        """The final, verified answer; `answer.question` is the standalone question answered."""
        answer = None
        for item in self.ask_stream(question, history, filters, k):
            if isinstance(item, Answer):
                answer = item
        return answer

    def ask_stream(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
                   k: int | None = None) -> Iterator[Token | Answer]:
        """In LLM mode, Token pieces of the verified reply (the model's reply is held back until
        every citation in it is checked: nothing unverified is ever yielded), then the final
        Answer. Offline, or when the reply falls back to the offline answer, only the Answer.
        The final Answer carries the matching 执法问答 entry, if any (`answer.guide`)."""
        history = history or []
        question = fold_digits(question)  # 「罚了１５００元」 reads as the library's numbers do
        own = switched_topic(question) if history else None
        if own is not None:  # 「另外问个事，…」: a question of its own, without the conversation
            question, history = own, []
        standalone = self.standalone(question, history)
        items = self._ask_stream(standalone, question, history, filters, k)
        if history and is_followup(question):
            # A follow-up whose resolution finds no basis (「要是已经一路撒得满地都是呢」 searched
            # with the previous law's name and its own words) is asked again with the previous
            # question's conduct carried whole.
            items = self._or_retried(items, lambda: [carried_conduct(question, history)], standalone, question,
                                     history, filters, k)
        elif history and _previous_law(history):
            # A question with no follow-up cue that the library cannot answer on its own, asked
            # right after one it could (「批下来以后最长能用多久？」 after 「临时占用公共绿地要向哪个
            # 部门申请」), continues that conversation, as a follow-up would.
            def retries() -> list[str]:
                return [resolve_offline(question, history, self._content_words, continued=True),
                        carried_conduct(question, history)]

            items = self._or_retried(items, retries, standalone, question, history, filters, k, continued=True)
        anew = asked_anew(question, history) if history and is_followup(question) else None
        if anew:
            items = self._or_named(items, anew, filters, k)
        for item in items:
            if isinstance(item, Answer):
                item.guide = self.agreeing_guide(item, self.match_guide(item.question))
            yield item

    def _or_named(self, items: Iterator[Token | Answer], anew: str, filters: Filters | None,
                  k: int | None) -> Iterator[Token | Answer]:
        """「那谁来管？」 answered on the previous 结论's article (and those punishing it, 生活垃圾
        条例第二十四条 → 第五十八条) unless that names nobody either (民法典第二百七十九条, dev f045):
        then the previous conduct asked anew with who acts, when that answer names a department."""
        held = list(items)
        final = held[-1] if held else None
        if isinstance(final, Answer) and (final.no_basis or not names_department(final)):
            retried = list(self._ask_stream(anew, anew, [], filters, k, in_conversation=True))
            last = retried[-1] if retried else None
            if isinstance(last, Answer) and not last.no_basis and names_department(last):
                held = retried
        yield from held

    def _or_retried(self, items: Iterator[Token | Answer], retries: Callable[[], list[str]], standalone: str,
                    question: str, history: list[Turn], filters: Filters | None, k: int | None,
                    continued: bool = False) -> Iterator[Token | Answer]:
        """A "no basis" answer is replaced by the answer to the first of `retries()` (other
        readings of the question, worked out only then) that finds a basis, else it stands. A
        no-basis answer yields nothing before it (no LLM tokens), so nothing shown is taken back."""
        for item in items:
            if not (isinstance(item, Answer) and item.no_basis):
                yield item
                continue
            tried = {standalone}
            for retry in retries():
                if not retry or retry in tried:
                    continue
                tried.add(retry)
                retried = list(self._ask_stream(retry, question, history, filters, k, continued=continued))
                final = retried[-1] if retried else None
                if isinstance(final, Answer) and not final.no_basis:
                    yield from retried
                    break
            else:
                yield item

    # --- 执法问答 ------------------------------------------------------------------------------
    def _matcher(self) -> GuideMatcher:
        entries, changed = self.guide_catalog.entries()
        with self._guide_lock:
            if changed or self._guide_matcher is None:
                embed, vectors = None, None
                if self.settings.qa_guide_uses_dense:
                    embed = self.retriever.embedder.embed_query
                    with _GUIDE_VECTORS_LOCK:
                        vectors = _GUIDE_VECTORS.setdefault(self.retriever, {})
                self._guide_matcher = GuideMatcher(entries, self.retriever.tokenizer.tokenize,
                                                   self.settings.qa_guide_threshold, embed,
                                                   self.settings.qa_guide_dense_weight, vectors)
            return self._guide_matcher

    def agreeing_guide(self, answer: Answer, guide: GuideMatch | None) -> GuideMatch | None:
        """The guide entry, unless it matches loosely and cites none of the laws the answer rests
        on (qa_guide.match.agrees_with_answer)."""
        laws = None if answer.no_basis else {h.chunk.law for h in answer.basis}
        if guide is None or not agrees_with_answer(guide, laws, self.settings.qa_guide_sure_similarity):
            return None
        return guide

    def match_guide(self, question: str) -> GuideMatch | None:
        """The 执法问答 entry matching the question, its citations checked against the index:
        those not found are dropped (and counted); with none left the entry is not shown. A guide
        that cannot be read or matched never stops the answer."""
        if not self.settings.qa_guide_enabled:
            return None
        try:
            scored = self._matcher().best(question)
            if scored is None:
                return None
            lookup = StoreArticles(self.retriever.store)
            kept, dropped = [], []
            for c in scored.entry.citations:
                article = lookup.article(c.law, c.article)
                ok = article is not None and (not c.paragraph or c.paragraph <= len(article.paragraphs))
                (kept if ok else dropped).append(c)
            if not kept:
                return None
            return GuideMatch(scored.entry, scored.phrasing, scored.score, tuple(kept), tuple(dropped))
        except Exception:  # noqa: BLE001 — the answer goes on without the guide; the cause is logged
            _log.exception("qa guide matching failed")
            return None

    def _ask_stream(self, standalone: str, question: str, history: list[Turn], filters: Filters | None,
                    k: int | None, continued: bool = False, in_conversation: bool = False) -> Iterator[Token | Answer]:
        """`continued`: the question is read as a follow-up though it has no cue (ask_stream);
        `in_conversation`: a previous question asked anew with this one's words (_or_named)."""
        # The composer looks further than the k articles shown: the matching 款 may rank lower.
        k = k or self.settings.default_k
        followup = bool(history) and (continued or is_followup(question))
        result = self._search_for_answer(standalone, max(k, self.settings.answer_candidates), filters)
        previous_law = _previous_law(history) if followup else None
        plain = result
        if previous_law and result.no_basis and result.signals.get("out_of_scope") and not (filters and filters.laws):
            # The topic list stands for questions about another area; a follow-up on an answered
            # question (「拒不送医也不垫付医药费呢」 after 狗咬人) is looked for in that law first.
            result = plain = replace(result, no_basis=False, reason=None, hits=[])
        if previous_law and not result.no_basis and not (filters and filters.laws):
            result = self._with_law_first(result, standalone, previous_law, filters,
                                          self._laws_named_before(history, previous_law))
        focus = question if followup else None
        offline = self.composer.compose(result, standalone, prefer_law=previous_law, focus=focus,
                                        in_conversation=in_conversation)
        if previous_law and offline.no_basis and not plain.no_basis:
            # The follow-up stays in the previous 结论's law only when that law answers it
            # (「那法律上的夜间是指几点到几点」 is defined in another law).
            offline = self.composer.compose(plain, standalone, focus=focus, in_conversation=in_conversation)
        _focus_paragraph(offline, standalone)
        if self.chat_model is None or offline.no_basis:
            yield offline
            return
        try:
            reply = collect_reply(self.chat_model, standalone, result.hits)
        except Exception as exc:  # network or protocol errors: fall back, say so
            offline.reason = f"大模型不可用（{type(exc).__name__}），已改用离线整理的答案"
            yield offline
            return
        answer = self._verified(standalone, reply, result, offline, filters)
        if answer.mode == "llm":
            yield from (Token(p) for p in _pieces(answer.body or "", STREAM_PIECE_CHARS))
        yield answer

    def _search_for_answer(self, question: str, k: int, filters: Filters | None) -> SearchResult:
        """The question's own hits, then those of the question rewritten into legal terms by the
        team's synonym table (「跨门营业」 → 「超出门窗和外墙经营」): the article that regulates the
        conduct is often worded only in legal terms. The composer decides which one matches."""
        # Without the adapted dense list unless set: see Settings.answer_query_adapter.
        adapted = self.settings.answer_query_adapter
        ranked_by = self.settings.answer_rrf_k
        result = self.retriever.search(question, k=k, filters=filters, adapted=adapted, rrf_k=ranked_by)
        if result.no_basis or any(h.direct for h in result.hits):
            return result
        queries = []
        conduct = conduct_query(question)
        if conduct and conduct != question.strip(" ？?。"):
            # 「违章停车城管能不能贴罚单」 is searched again as 「违章停车」.
            queries.append(conduct)
        expansions = self.retriever.synonyms.expand(conduct or question, skip=ASKER_WORDS)
        if expansions:
            queries.append(" ".join(expansions))
        elsewhere = self.retriever.asked_jurisdictions(question)
        if elsewhere and not (filters and (filters.jurisdictions or filters.laws)):
            # 「北京在室内公共场所吸烟…」: the rewritten queries lose the region's name, and a
            # Shanghai article must not answer for Beijing (dev n031 was answered from 上海市公共
            # 场所控制吸烟条例 through them).
            filters = replace(filters or Filters(), jurisdictions=(*sorted(elsewhere), "全国"))
        s = self.settings
        # (query, scope, how many hits): the rewritten queries in the asked scope; the question
        # itself in narrower scopes, unless the asker already narrowed it.
        searches = [(query, filters, s.rewrite_candidates) for query in queries]
        narrowed = bool(filters and (filters.jurisdictions or filters.laws))
        table = self.composer.table
        if not narrowed and table.source_law and asks_about_enforcement(question):
            # 「两个区交界的流动摊贩谁来查」 asks about 城管 itself; the conduct (设摊) fills the hits.
            searches.append((question, replace(filters or Filters(), laws=(table.source_law,)),
                             s.enforcement_candidates))
        topic_laws = table.topic_laws(question)
        if not narrowed and topic_laws and Intent.PROCEDURE in classify(question):
            # 「城管把三轮车扣走了要扣多久」 is 行政强制法's procedure, worded nothing like its 扣押 articles.
            searches.append((question, replace(filters or Filters(), laws=topic_laws), s.topic_candidates))
        if not narrowed:
            # National articles with many colloquial phrasings (the lay set's) can crowd the
            # Shanghai rule for the same conduct out of the candidates; the composer only leads
            # with it (and cites the national law as 上位法) when it sees it.
            searches.append((question, replace(filters or Filters(), jurisdictions=(s.home_jurisdiction,)),
                             s.home_candidates))
        seen = {h.chunk.id for h in result.hits}
        extra = []
        for query, scope, n in searches:
            if not n:  # a setting of 0 turns that search off
                continue
            for h in self.retriever.search(query, k=n, filters=scope, adapted=adapted, rrf_k=ranked_by).hits:
                if h.chunk.id not in seen:
                    seen.add(h.chunk.id)
                    extra.append(h)
        if not narrowed and topic_laws and Intent.PROCEDURE in classify(question):
            # 「从收到决定书算起有多少时间可以申请复议」: the 款 of the topic law stating a time limit for
            # the asked act (行政复议法第二十条 「六十日内提出行政复议申请」), worded nothing like the
            # question, are candidates however the searches ranked them.
            extra += [h for h in self._deadline_hits(question, topic_laws) if h.chunk.id not in seen]
        return replace(result, hits=result.hits + extra)

    def _deadline_hits(self, question: str, laws: tuple[str, ...]) -> list[Hit]:
        event = self.composer.matcher.deadline_event_words(question)
        if not event:
            return []
        matcher = self.composer.matcher
        found = [Hit(c, 0.0) for c in self.retriever.current_chunks(laws)
                 if c.article is not None and matcher.is_deadline_for(c.text, event)]
        return found[: self.settings.deadline_candidates]

    def _with_law_first(self, result: SearchResult, question: str, law: str, filters: Filters | None,
                        named: tuple[str, ...] = ()) -> SearchResult:
        """A follow-up (「如果是住在郊区农村呢」) is first looked for in the law of the previous
        结论: its hits lead, the general ones follow (the conduct may have moved to another law).
        `named`: laws the previous 结论 sends the reader to (「依照《中华人民共和国行政强制法》的规定
        申请人民法院强制执行」), whose hits come next: 「那法院收到申请后多少天内要受理？」 is
        answered there (dev f035)."""
        s = self.settings
        own: list = []
        seen: set[str] = set()
        for scope, n in [(law, s.followup_law_candidates)] + [(other, s.followup_named_law_candidates) for other in named]:
            if not n:
                continue
            scoped = replace(filters or Filters(), laws=(scope,))
            for h in self.retriever.search(question, k=n, filters=scoped, adapted=s.answer_query_adapter,
                                           rrf_k=s.answer_rrf_k).hits:
                if h.chunk.id not in seen:
                    seen.add(h.chunk.id)
                    own.append(h)
        return replace(result, hits=own + [h for h in result.hits if h.chunk.id not in seen])

    def _laws_named_before(self, history: list[Turn], previous_law: str) -> tuple[str, ...]:
        """The laws the previous 结论 (and the 款 it quotes) names, other than its own."""
        previous = history[-1].answer
        said = "\n".join(filter(None, [previous.conclusion, previous.quote]))
        laws = dict.fromkeys(m.title for m in self.retriever.names.mentions(said))
        return tuple(law for law in laws if law != previous_law)

    def _verified(self, question: str, reply: str, result: SearchResult, offline: Answer,
                  filters: Filters | None) -> Answer:
        allowed = {h.chunk.jurisdiction for h in result.hits}
        if filters and filters.jurisdictions:
            allowed |= set(filters.jurisdictions)
        checked = verify(reply, self.retriever.names, self.retriever.store, result.hits, allowed)
        flagged_json = flagged_report(checked.flagged)
        if not checked.kept:
            offline.flagged = flagged_json
            offline.reason = "大模型回答中没有可核实的引用，已改用离线整理的答案"
            return offline
        cited = {(c.law, c.article, c.sub) for c in checked.kept}
        basis = [h for h in result.hits if article_key(h.chunk) in cited]
        laws = {(law, article) for law, article, _ in cited}
        penalties = [p for p in offline.penalties if (p.citation.law, p.citation.article) in laws]
        # The rules broken go with the penalty 款 they were read from, when the reply cites it.
        violated = offline.violated if offline.penalties and offline.penalties[0] in penalties else []
        # The definitions of a law the reply cites (they explain its terms, whoever words the reply).
        defined = [d for d in offline.defined if any(d.chunk.law == law for law, _ in laws)]
        return Answer(question, False, "llm", conclusion=offline.conclusion, basis=basis, penalties=penalties,
                      departments=offline.departments, cases=offline.cases, notes=offline.notes,
                      body=checked.text, flagged=flagged_json, violated=violated, defined=defined)


def _previous_law(history: list[Turn]) -> str | None:
    """The law of the previous 结论 (a follow-up is first looked for in it); None when the
    previous turn had no basis."""
    previous = history[-1].answer
    if previous.no_basis or not previous.basis:
        return None
    return previous.basis[0].chunk.law


def flagged_report(flagged: list[CheckedCitation]) -> list[dict]:
    """What the answer records about removed citations. The footer shows "citation" of each, so
    that is a neutral label — repeating an invented 「…条例第999条」 there would show it after all;
    the text itself is kept under "raw" for logs and evaluations only."""
    return [{"citation": f"第{n}处（{c.problem}）", "problem": c.problem, "raw": c.raw}
            for n, c in enumerate(flagged, 1)]


def _pieces(text: str, size: int) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i : i + size]


def _focus_paragraph(answer: Answer, question: str) -> None:
    """「第二款说的是什么」: the conclusion quotes that paragraph of the top article."""
    m = PARAGRAPH_REF.search(question)
    if not m or answer.no_basis or not answer.basis:
        return
    n = cn_int(m.group(1))
    c = answer.basis[0].chunk
    paragraphs: list[tuple[str, list[str]]] = []  # each 款 with its items (「（一）…」 lines)
    for line in c.text.split("\n"):
        if line.startswith(("（", "(")) and paragraphs:
            paragraphs[-1][1].append(line)
        elif not line.startswith(("（", "(")):
            paragraphs.append((line, []))
    if not 1 <= n <= len(paragraphs):
        return
    text, items = paragraphs[n - 1]
    text = text.removeprefix(c.article_label or "").strip()
    label = f"{article_label(c.law, c.article)}第{cn_numeral(n)}款"
    # 「第23条第1款第（一）项是什么情形？ 那第（四）项呢」: the item asked last, under its 款's words.
    asked = [cn_int(x) for x in ITEM_REF.findall(question)]
    item = next((line for line in items if (k := ITEM_NUMBER.match(line)) and asked and cn_int(k.group(1)) == asked[-1]),
                None)
    if item is not None:
        answer.conclusion = f"{label}第（{cn_numeral(asked[-1])}）项：{text}{item.strip()}"
    else:
        answer.conclusion = f"{label}：{text}"
