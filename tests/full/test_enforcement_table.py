"""corpus/enforcement.yaml against the real text of 城管执法条例第十一条 and the library's titles."""
from __future__ import annotations

import yaml

from assistant.config import REPO_ROOT
from assistant.core.legaltext import ITEM_START, cn_int
from ingestion.library import Library
from tests.full.conftest import SHARED_CORPUS


def test_every_power_item_says_what_the_table_claims():
    table = yaml.safe_load((REPO_ROOT / "corpus" / "enforcement.yaml").read_text(encoding="utf-8"))
    library = Library.read(SHARED_CORPUS)
    source = library.current(table["source"]["law"])
    body = Library.articles(source)[table["source"]["article"]]
    items = {}
    for line in body.split("\n"):
        m = ITEM_START.match(line)
        if m:
            items[cn_int(m.group(0).strip("（）()"))] = line
    assert len(items) == 9
    for power in table["chengguan_powers"]:
        text = items[power["item"]]
        for word in power["area_words"]:
            assert word in text, (power["item"], word)
        for law in power["laws"]:
            assert law in library.titles, law
        assert power["from_departments"], power["item"]
    for law in table["procedure_laws"]:
        assert library.current(law) is not None, law
    for law, words in table["procedure_topics"].items():
        assert law in table["procedure_laws"] and words, law


def test_every_collective_department_is_defined_as_the_table_says():
    table = yaml.safe_load((REPO_ROOT / "corpus" / "enforcement.yaml").read_text(encoding="utf-8"))
    library = Library.read(SHARED_CORPUS)
    assert table["collective_departments"]
    for term, entry in table["collective_departments"].items():
        body = Library.articles(library.current(entry["law"]))[entry["article"]]
        definition = next(line for line in body.split("\n") if f"统称“{term}”" in line)
        named = definition[: definition.index(f"（以下统称“{term}”）")]
        positions = [named.find(member) for member in entry["members"]]
        assert all(p >= 0 for p in positions) and positions == sorted(positions), (term, named)
