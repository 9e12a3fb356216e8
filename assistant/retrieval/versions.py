"""Other versions of the first hit, when the question compares versions.

「住宅物业管理规定2020年修改后，…门槛跟原来比有什么变化」 is answered by one article in two
versions; ranked on its own, the second version of the same words competes with every other
article of the law and may not make the first hits shown (qa dev q085). When the question asks
what changed and the search may show superseded versions, the first hit's other versions follow it.
"""
from __future__ import annotations

import re

from assistant.core.models import Hit

# Not 比较: 「情节比较复杂」 says "rather", it compares nothing.
COMPARISON_ASKED = re.compile(r"变化|跟原来比|和原来比|与原来比|同原来比|相比|对比|修改前后|修订前后|新旧|"
                              r"有什么不同|有何不同|区别|改了什么|改了哪些|有没有改")


def with_other_versions(question: str, hits: list[Hit], store) -> list[Hit]:
    """`hits` with the first hit's other versions (part for part) right after it, when the
    question asks for a comparison; as many hits as given."""
    if not hits or not COMPARISON_ASKED.search(question):
        return hits
    first = hits[0].chunk
    if first.article is None:
        return hits
    others = [c for c in store.article(first.law, first.article)
              if c.version != first.version and c.part == first.part]
    if not others:
        return hits
    ids = {c.id for c in others}
    moved = [next((h for h in hits if h.chunk.id == c.id), None) or Hit(c, hits[0].score) for c in others]
    rest = [h for h in hits[1:] if h.chunk.id not in ids]
    return ([hits[0], *moved, *rest])[: len(hits)]
