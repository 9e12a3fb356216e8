"""Reading source files as text, with clear errors for what cannot be read."""
from __future__ import annotations

import re
from pathlib import Path

from assistant.core.legaltext import fold_digits


# Zero-width characters are invisible and mean nothing in a legal text, but a line holding one
# before 「第一条 …」 (行政复议法(2023-09-01).md) hid that article from the parser, and 33 chunks of
# six files carried them inside words, where keyword search and quoting could not see through.
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


class SourceError(ValueError):
    """A source file that cannot be ingested; the message is meant for the user."""


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), zero-width characters removed and full-width digits
    read as ASCII (`fold_digits`). Anything else is refused with a reason, because guessing an
    encoding silently would put garbled law text into the index."""
    if not data.strip():
        raise SourceError(f"{name}: 文件为空")
    if b"\x00" in data[:4096]:
        raise SourceError(f"{name}: 看起来是二进制文件，不是文本")
    try:
        return fold_digits(ZERO_WIDTH.sub("", data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(f"{name}: 无法识别的文本编码，请另存为 UTF-8 后重试") from None
    raise SourceError(f"{name}: 文件不是 UTF-8 编码（疑似 GBK/GB18030），请另存为 UTF-8 后重试")


def read_text(path: Path) -> str:
    return decode_text(path.read_bytes(), path.name)
