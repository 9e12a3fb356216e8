"""Which articles a paper draws on: laws named as trainers name them (「生活垃圾管理条例」), a
topic (「垃圾分类」「违法建筑」) mapped through the triage taxonomy's legal bases and the colloquial →
legal synonyms, chosen article numbers, a chapter."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.core.legaltext import referenced_numbers
from assistant.exams.articles import ArticleText
from assistant.exams.library import Library
from assistant.exams.models import Scope
from assistant.retrieval.lawnames import LawNames
from assistant.retrieval.synonyms import Synonyms
from assistant.triage.taxonomy import load_taxonomy

# Legal terms shorter than this match too much to select articles by (「分类」).
MIN_TERM_CHARS = 3


class ScopeError(ValueError):
    """The scope names nothing in the library; the message is meant for the trainer."""


@dataclass(frozen=True)
class Authored:
    """The team's authored tables the scope reads (corpus/)."""

    taxonomy: Path
    synonyms: Path
    aliases: Path

    @classmethod
    def under(cls, authored_dir: Path) -> Authored:
        return cls(authored_dir / "triage" / "taxonomy.yaml", authored_dir / "synonyms.tsv",
                   authored_dir / "law_aliases.tsv")


def resolve_law(name: str, library: Library, aliases: Path | None = None) -> str:
    """The exact title for a name as typed: the title, an authored alias, the title without
    「中华人民共和国」/「上海市」, or a unique part of one title."""
    name = name.strip().strip("《》")
    titles = library.titles(include_superseded=True)
    if name in titles:
        return name
    names = LawNames(titles, aliases)
    whole = [m.title for m in names.mentions(name) if m.start == 0 and m.end == len(name)]
    if whole:
        return whole[0]
    partial = [t for t in titles if name and name in t]
    current = [t for t in partial if library.has_current(t)]
    if len(current) == 1 or len(partial) == 1:
        return (current or partial)[0]
    if partial:
        raise ScopeError(f"「{name}」对应多部法规：{'、'.join(partial[:6])}，请写出全称")
    raise ScopeError(f"法规库中没有《{name}》")


def _versions(law: str, library: Library, include_superseded: bool) -> list[str | None]:
    if include_superseded:
        return library.versions(law)
    return [library.current_version(law)] if library.has_current(law) else []


def topic_terms(topic: str, authored: Authored) -> tuple[list[str], list[tuple[str, int]]]:
    """(legal terms to look for, taxonomy bases (law, article)) for a trainer's topic."""
    topic = topic.strip()
    terms = [topic, *Synonyms(authored.synonyms).expand(topic)]
    bases: list[tuple[str, int]] = []
    if authored.taxonomy.exists():
        for cat in load_taxonomy(authored.taxonomy).values():
            if not cat.is_enforcement:
                continue
            named = topic in cat.name or cat.name in topic
            if named or any(topic in e or e in topic for e in cat.expressions):
                bases += [b for b in cat.bases if b not in bases]
                terms += [cat.name] if cat.name not in terms else []
    return [t for t in terms if len(t) >= MIN_TERM_CHARS or t == topic], bases


def select(scope: Scope, library: Library, authored: Authored, default_laws: tuple[str, ...] = ()) -> list[ArticleText]:
    """The articles in scope, in law and article order (current versions unless asked)."""
    laws = [resolve_law(n, library, authored.aliases) for n in scope.laws]
    terms, bases = topic_terms(scope.topic, authored) if scope.topic else ([], [])
    if not laws:
        base_laws = [law for law, _ in bases if law in library.titles(True)]
        defaults = [t for t in library.titles() if any(c in t for c in default_laws)]
        laws = list(dict.fromkeys(base_laws or defaults)) if scope.topic else []
    if not laws:
        raise ScopeError("请选择至少一部法规，或给出一个主题（如「垃圾分类」）")
    out: list[ArticleText] = []
    for law in laws:
        versions = _versions(law, library, scope.include_superseded)
        if not versions:
            raise ScopeError(f"《{law}》没有现行版本（如需出旧版本的题，请选择包括已修订版本）")
        for version in versions:
            articles = library.articles(law, version)
            if scope.articles:
                articles = [a for a in articles if a.number in scope.articles]
            if scope.chapter:
                articles = [a for a in articles if a.chapter and scope.chapter in a.chapter]
            if scope.topic:
                articles = _on_topic(articles, terms, {n for b_law, n in bases if b_law == law})
            out += articles
    if not out:
        what = f"「{scope.topic}」" if scope.topic else "所选范围"
        raise ScopeError(f"没有找到与{what}相关的条文")
    return out


def _on_topic(articles: list[ArticleText], terms: list[str], seeds: set[int]) -> list[ArticleText]:
    """Articles that contain a topic term or are a taxonomy basis, with the articles those refer
    to (the duty a penalty article enforces) and the articles that refer to them."""
    chosen = {a.number for a in articles if a.number in seeds or any(t in a.text for t in terms)}
    refs = {n for a in articles if a.number in chosen for n in referenced_numbers(a.text)}
    referring = {a.number for a in articles if set(referenced_numbers(a.text)) & chosen}
    keep = chosen | refs | referring
    return [a for a in articles if a.number in keep]
