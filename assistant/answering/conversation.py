"""Follow-up questions (「那单位呢？」「第二款说的是什么？」) resolved from the conversation."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.answer import Answer
from assistant.core.legaltext import PARAGRAPH_REF, normalize

FOLLOWUP = re.compile(r"^(那|那么|如果|要是|假如|还有|另外|这|该|它|此|上述|上面|刚才|同样)|呢[？?。]?$")


@dataclass
class Turn:
    question: str
    standalone: str
    answer: Answer


def is_followup(question: str) -> bool:
    q = normalize(question)
    return bool(FOLLOWUP.search(q)) or len(q) <= 6 or bool(PARAGRAPH_REF.search(q) and "条" not in q)


# Words that vary the same conduct (who did it, how serious, which 款) rather than change it.
MODIFIERS = re.compile(
    r"物业服务企业|施工单位|建设单位|单位|个人|企业|公司|商户|经营者|业主|居民|情节严重|严重的?|拒不[\u4e00-\u9fff]{1,2}|"
    r"逾期(?:不[\u4e00-\u9fff]{1,2})?|还不[\u4e00-\u9fff]{1,2}|仍不[\u4e00-\u9fff]{1,2}|不改正?|再次|多次|屡次|第[一二三四五六七八九十\d]+[款项]")
LEAD = re.compile(r"^(那么|那|如果是|如果|要是|假如|还有|另外)|呢[？?。]?$|[？?。]$")


def resolve_offline(question: str, history: list[Turn], new_words=None) -> str:
    """Carry the conversation into a follow-up.

    - 「第二款说的是什么」 and follow-ups that only vary the same conduct (「那单位呢」「情节严重的
      呢」「拒不拆除呢」) stay on the article of the previous 结论: it is cited explicitly, so the
      answer comes from its 款 about 单位 / 情节严重.
    - Follow-ups that change the conduct (「那养信鸽呢」「在自家院子里的树呢」) keep the previous
      law and what was asked (罚多少 / 归谁管), with the new conduct.
    `new_words(text)`: content words of a text (the retriever's tokenizer), to tell the two apart."""
    if not history or not is_followup(question):
        return question
    prev = history[-1]
    q = normalize(question)
    top = prev.answer.basis[0].chunk if prev.answer.basis and not prev.answer.no_basis else None
    cleaned = LEAD.sub("", LEAD.sub("", q)).strip()
    if top is not None and top.article is not None:
        cite = f"{top.law}第{top.article}条"
        if PARAGRAPH_REF.search(q):
            return f"{cite} {q}"
        rest = MODIFIERS.sub(" ", cleaned)
        previous = set(new_words(prev.standalone)) if new_words else set()
        novel = [w for w in (new_words(rest) if new_words else rest.split()) if w not in previous]
        if not novel:
            if ESCALATION.search(cleaned):
                asked = "怎么处罚"  # 「逾期不交呢」「拒不拆除呢」 ask the consequence
            else:
                asked = "" if _asks(cleaned) else _asked_part(prev.question)
            return " ".join(x for x in (cite, prev.answer.conduct or "", cleaned, asked) if x)
    if top is None:  # the previous turn had no basis: carry its question as it was
        return f"{prev.standalone} {cleaned}"
    asked = "" if _asks(cleaned) else _asked_part(prev.question)
    return " ".join(x for x in (top.law, cleaned, asked) if x)


ASK_PART = re.compile(r"(怎么罚|罚多少|怎么处罚|如何处罚|怎么处理|会被罚|罚款标准|归谁管|谁来管|谁管|由谁|哪个部门|"
                      r"违法吗|可以吗|能不能|是否|多少天|多久|几天|期限|几点|是指|是什么|什么是|指什么|怎么办)")
ESCALATION = re.compile(r"拒不|逾期|不改|还不|仍不|情节严重|再次|多次|屡次|不及时")


def _asks(text: str) -> bool:
    return bool(ASK_PART.search(text))


def _asked_part(question: str) -> str:
    """What the previous question asked (罚多少 / 归谁管), to carry into 「那养信鸽呢」."""
    m = ASK_PART.search(normalize(question))
    return m.group(1) if m else ""
