"""Personal data in free text — mobile and landline numbers, ID-card numbers, bank-card numbers,
licence plates, e-mail addresses — replaced by a masked form that keeps a few characters
(138****5678, 021-****1234, 310***********1234, 6222********1234, 沪A****5, z***@example.com).
`mask_value` applies the same inside nested values, for the boundaries where text leaves the
program (JSON output, spreadsheets, feedback, logs).

Matching runs on a folded copy of the text in which each full-width character becomes its ASCII
twin (１３８ → 138, ＠ → @, （ → (), the ideographic space a space and dash variants '-'. The fold
maps one character to one character (the part of NFKC that matters here), so a position in the
copy is the same position in the original: everything outside a masked span comes out exactly as
it went in, Chinese punctuation included. Masked spans are written in ASCII.

Cost is linear in the length of the text whatever it contains: every pattern is bounded and tried
only where a token can start (no unbounded quantifier retried from every position), and numbers
are found in one pass over the digit runs and classified in Python.

What counts as personal data (decisions):
- Numbers are read by their digits with separators dropped (a space, '-', ' - ', or ')' after an
  area code), at most 5 groups and 19 digits, the longest reading first:
  mobiles 1[3-9] + 9 digits, also after 86 / +86 / 0086 / 0 (the prefix is kept);
  landlines 0 + area code (010, 02X, otherwise 4 digits) + 7–8 digits, with or without brackets,
  also after +86 / 0086;
  ID numbers of 18 characters (17 digits + X/x or 18 digits) and of 15 digits, with a plausible
  birth date;
  bank cards of 16–19 digits written whole or in groups of 4 — any other such run too (order
  numbers, the digits of a 统一社会信用代码 lose nothing by it), but a mobile or ID followed by
  another group stays a mobile or ID rather than becoming one "card".
  Only phone numbers may be written with a group of 1–2 digits (+86 21 6488 1234): 2019-6-12
  followed by a number is a date, not the start of an ID.
- A bare 7–8-digit number (a Shanghai landline written without 021) is masked only when a phone
  word stands just before it (电话, 座机, 手机, 号码, 联系, 致电, 拨打, 来电, 传真, tel, phone, fax):
  elsewhere 8 digits are as likely a date (20240501), an amount or a document number.
- Digits glued into a longer run (two numbers written without a separator, a 60,000-digit cell)
  are not split: no boundary can be told, and guessing would mask dates and serial numbers.
  Short numbers, dates, amounts, article numbers and house numbers are never touched.
- E-mail: user@domain.tld (full-width ＠ too), and the spelled-out user[at]domain.com,
  user(at)domain[dot]com and 「user at domain dot com」 (the last with a common top-level domain
  only, so English prose stays). The domain is kept.
- Plates: province + letter + 5 (regular) or 6 (new energy) characters, or 4 + 挂/学/警/港/澳,
  with an optional separator after the province and after the letter (沪 A12345, 沪A·12345), any
  case; the serial holds at least 3 digits, as issued plates do (新ipad12 is not a plate).
"""
from __future__ import annotations

import re

# Full-width ASCII (U+FF01–FF5E) → ASCII; ideographic and no-break space → space; dash variants → '-'.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2212: 0x2D, 0xFE58: 0x2D, 0xFE63: 0x2D})
_FOLD.update({cp: 0x2D for cp in range(0x2010, 0x2016)})  # ‐ ‑ ‒ – — ―


def fold(text: str) -> str:
    """The matching copy: same length, full-width forms as ASCII."""
    return text.translate(_FOLD)


# --- numbers -------------------------------------------------------------------------------
_DIGITS = re.compile(r"[0-9]+")
_GAPS = frozenset({" ", "-", " - ", ")", ") ", ")-"})  # what may stand between groups of one number
_MAX_GROUPS = 5   # 4-4-4-4-3 bank card; +86 138 1234 5678
_MAX_DIGITS = 19  # longest bank card
_PHONE_WORD = re.compile(r"(?:电话|座机|手机|号码|联系|致电|拨打|来电|传真|tel|phone|fax)[^0-9]{0,4}$", re.IGNORECASE)


_MOBILE_PREFIX = {11: "", 12: "0", 13: "86", 15: "0086"}  # by length: what may stand before a mobile


def _mobile(d: str) -> bool:
    return len(d) == 11 and d[0] == "1" and d[1] in "3456789"


def _birth_ok(yyyymmdd: str) -> bool:
    y, m, d = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= y <= 2099 and 1 <= m <= 12 and 1 <= d <= 31


def _area(d: str) -> int | None:
    """Length of the area code when d is a landline 0 + area + 7–8 digits."""
    if len(d) < 10 or d[0] != "0" or d[1] == "0":
        return None
    area = 3 if d[1] in "12" else 4
    local = d[area:]
    return area if len(local) in (7, 8) else None


def _stars_last4(d: str) -> str:
    return "*" * (len(d) - 4) + d[-4:]


def _classify(d: str, plus: bool, x_after: bool, phone_word: bool, short_group: bool,
              card_shape: bool) -> tuple[int, str, int, bool] | None:
    """(digits kept unmasked in front, replacement for the rest, extra characters consumed, whether
    the reading is specific: a mobile, landline or ID rather than a card-length run or a bare
    7–8-digit number, which a longer reading replaces). short_group: the number was
    written with a group of 1–2 digits (2019-6-12), which only a phone number with its country or
    area code has (+86 21 6488 1234). card_shape: one group, or groups of 4 then a last one
    (6222 0212 3456 7890 123), as a bank card is written."""
    n = len(d)
    prefix = _MOBILE_PREFIX.get(n)
    if prefix is not None and d.startswith(prefix) and _mobile(d[len(prefix):]):
        m = d[len(prefix):]
        return len(prefix), m[:3] + "****" + m[7:], 0, True
    area = _area(d)
    if area:
        return area, _stars_last4(d[area:]), 0, True
    for prefix in ("0086", "86"):
        if d.startswith(prefix) and (prefix == "0086" or plus):
            rest = d[len(prefix):]
            lead = 0 if rest.startswith("0") else 1
            area = _area("0" * lead + rest)
            if area:
                return len(prefix) + area - lead, _stars_last4(rest[area - lead:]), 0, True
    if short_group:
        return None
    if n == 17 and x_after and d[0] != "0" and _birth_ok(d[6:14]):
        return 0, d[:3] + "*" * 11 + d[14:] + "X", 1, True
    if n == 18 and d[0] != "0" and _birth_ok(d[6:14]):
        return 0, d[:3] + "*" * 11 + d[14:], 0, True
    if n == 15 and d[0] != "0" and _birth_ok("19" + d[6:12]):
        return 0, d[:3] + "*" * 8 + d[11:], 0, True
    if 16 <= n <= 19 and card_shape:
        return 0, d[:4] + "*" * (n - 8) + d[-4:], 0, False
    if n in (7, 8) and phone_word:
        return 0, _stars_last4(d), 0, False  # a longer reading (号码是6222 0212 3456 …) wins
    return None


def _number_spans(f: str) -> list[tuple[int, int, str]]:
    """One pass over the digit runs: runs joined by a separator form a cluster, and each cluster
    is read left to right, taking the longest reading of up to 5 groups that is personal data."""
    spans: list[tuple[int, int, str]] = []
    cluster: list[tuple[int, int]] = []
    digits = 0
    for m in _DIGITS.finditer(f):
        s, e = m.span()
        if cluster and not (s - cluster[-1][1] <= 3 and f[cluster[-1][1]:s] in _GAPS):
            if digits >= 7:  # nothing shorter is ever masked
                spans += _cluster_spans(f, cluster)
            cluster, digits = [], 0
        cluster.append((s, e))
        digits += e - s
    if digits >= 7:
        spans += _cluster_spans(f, cluster)
    return spans


def _cluster_spans(f: str, cluster: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    out = []
    total = [0]  # digits in the groups before each group
    for s, e in cluster:
        total.append(total[-1] + e - s)
    i = 0
    while i < len(cluster):
        if total[min(len(cluster), i + _MAX_GROUPS)] - total[i] < 7:
            i += 1  # too few digits within reach (1 2 3 4 5 …)
            continue
        start = cluster[i][0]
        context = None
        digits, best, short_group, card_shape = "", None, False, True
        for j in range(i, min(len(cluster), i + _MAX_GROUPS)):
            s, e = cluster[j]
            if len(digits) + e - s > _MAX_DIGITS:
                break
            digits += f[s:e]
            short_group = short_group or e - s < 3
            card_shape = j == i or (card_shape and cluster[j - 1][1] - cluster[j - 1][0] == 4)
            if len(digits) < 7:
                continue
            if context is None:  # what stands before the number: a '+', a phone word
                context = (f[max(0, start - 2):start].rstrip().endswith("+"),
                           bool(_PHONE_WORD.search(f[max(0, start - 12):start].rstrip("("))))
            if len(digits) < 10 and not context[1]:
                continue  # 7–9 digits are personal data only after a phone word
            x_after = f[e:e + 1] in ("X", "x") and not f[e + 1:e + 2].isalnum()
            hit = _classify(digits, context[0], x_after, context[1], short_group and j > i, card_shape)
            # The longest reading wins, but a mobile followed by a date is not one bank card.
            if hit and (best is None or hit[3] or not best[2][3]):
                best = (j, e, hit)
        if best:
            j, e, (kept, replacement, extra, _) = best
            out.append((_position(cluster, i, kept), e + extra, replacement))
            i = j + 1
        else:
            i += 1
    return out


def _position(cluster: list[tuple[int, int]], i: int, k: int) -> int:
    """Where the k-th digit of the number that starts at group i stands in the text."""
    while k >= cluster[i][1] - cluster[i][0]:
        k -= cluster[i][1] - cluster[i][0]
        i += 1
    return cluster[i][0] + k


# --- plates and e-mail -----------------------------------------------------------------------
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SEP = r"[ ·•・.\-]?"
_PLATE = re.compile(rf"([{_PROVINCES}]){_SEP}([A-Za-z]){_SEP}([A-Za-z0-9]{{4,6}})([挂学警港澳])?(?![A-Za-z0-9])")

_LOCAL = r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]{1,64})"
_EMAIL = re.compile(rf"{_LOCAL}@([A-Za-z0-9\-]{{1,63}}(?:\.[A-Za-z0-9\-]{{1,63}}){{0,8}}\.[A-Za-z]{{2,24}})(?![A-Za-z0-9\-])")
_AT = r"(?: ?[\[(]at[\])] ?| at )"
_DOT = r"(?: ?[\[(]dot[\])] ?| dot |\.)"
_EMAIL_SPELLED = re.compile(
    rf"{_LOCAL}{_AT}([A-Za-z0-9\-]{{1,63}}(?:{_DOT}[A-Za-z0-9\-]{{1,63}}){{0,4}}{_DOT}"
    rf"(?:com|cn|net|org|edu|gov|info|io))(?![A-Za-z0-9])", re.IGNORECASE)
_DOT_WORD = re.compile(_DOT, re.IGNORECASE)


def _plate_spans(f: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _PLATE.finditer(f):
        letter, serial = m.group(2), m.group(3)
        if len(serial) not in ((4,) if m.group(4) else (5, 6)):
            continue  # 4 characters + 挂/学/警/港/澳, or 5 (regular) / 6 (new energy)
        if sum(c.isdigit() for c in serial) < 3:
            continue  # at most 2 letters in a serial (GA 36): 新ipad12 is not a plate
        tail = m.group(4) or serial[-1].upper()
        stars = "*" * (len(serial) - (0 if m.group(4) else 1))
        out.append((m.start(), m.end(), f"{m.group(1)}{letter.upper()}{stars}{tail}"))
    return out


def _email_spans(f: str) -> list[tuple[int, int, str]]:
    out = [(m.start(), m.end(), f"{m.group(1)[0]}***@{m.group(2)}") for m in _EMAIL.finditer(f)]
    out += [(m.start(), m.end(), f"{m.group(1)[0]}***@{_DOT_WORD.sub('.', m.group(2))}")
            for m in _EMAIL_SPELLED.finditer(f)]
    return out


def mask_personal_data(text: str) -> str:
    """Phone numbers, ID and bank-card numbers, plates and e-mail addresses keep only a few
    characters; the rest of the text is returned unchanged."""
    if not text:
        return text
    f = fold(text)
    spans = _email_spans(f) + _number_spans(f) + _plate_spans(f)
    if not spans:
        return text
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))  # by start, longer first
    out, pos = [], 0
    for s, e, replacement in spans:
        if s < pos:
            continue  # overlaps a span already masked (the digits of an e-mail's user name, say)
        out += [text[pos:s], replacement]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def mask_value(obj):
    """`mask_personal_data` applied to every string inside lists, tuples and dict values (keys are
    field names and stay). An int or float that reads as personal data (a phone number stored as
    a spreadsheet number) comes back as its masked string; other values come back as they are."""
    if isinstance(obj, str):
        return mask_personal_data(obj)
    if isinstance(obj, dict):
        return {k: mask_value(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [mask_value(v) for v in obj]
    if isinstance(obj, tuple):
        items = [mask_value(v) for v in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        s = str(obj)
        masked = mask_personal_data(s)
        return obj if masked == s else masked
    return obj
