"""Documents uploaded on the 法规库 page: checked, previewed, saved under `data_dir/uploads`.

The uploads folder is one source root of the index (beside the configured library): saving a
file and re-ingesting that root adds the document; deleting the file and re-ingesting removes it.
The chunk store replaces a root's rows in one transaction, so an upload interrupted half-way
leaves the index as it was — never part of a document.

Checks, each with a message for the user: an empty file; a name that is not a plain file name
(path traversal, hidden files, control characters — the name is sanitised); an unsupported
type; a file larger than the limit; content that is not what its suffix says (a binary renamed
.docx or .txt); a file with no text to index.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assistant.core.models import Document
from ingestion.lawref import looks_like_lawref, parse_lawref
from ingestion.read import SourceError, decode_text
from ingestion.userdocs import USER_DOC_SUFFIXES, parse_user_doc

MAX_NAME_CHARS = 80
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff（）()《》【】\-—·.、，, ]")
_MAGIC = {".docx": (b"PK\x03\x04",), ".pdf": (b"%PDF-",)}


def uploads_dir(settings) -> Path:
    return settings.data_dir / "uploads"


def safe_filename(name: str) -> str:
    """A plain file name to store the upload under: no directories (../, C:\\, /etc), no hidden
    or skipped prefixes (. _ ~$), no control or markup characters; the suffix kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]  # the last part of any path, whatever the separator
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # control, format, surrogate
    suffix = PurePosixPath(name).suffix.lower()
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = _UNSAFE.sub("_", stem).strip(" ._~$-")
    stem = re.sub(r"_{2,}", "_", stem)[: MAX_NAME_CHARS] or "上传文档"
    return stem + suffix


@dataclass
class UploadPreview:
    """What the admin sees before confirming: the sanitised name and the parsed document."""

    name: str
    document: Document
    size: int
    warnings: list[str] = field(default_factory=list)

    @property
    def units(self) -> int:
        return len(self.document.articles) or len(self.document.sections)


def check_upload(name: str, data: bytes, max_bytes: int) -> UploadPreview:
    """Parse an upload without saving it; SourceError with the reason when it cannot be taken."""
    safe = safe_filename(name)
    warnings = []
    if safe != str(name):
        warnings.append(f"文件名已规范为「{safe}」")
    suffix = PurePosixPath(safe).suffix.lower()
    if suffix not in USER_DOC_SUFFIXES:
        raise SourceError(f"{safe}: 不支持的文件类型（支持 .txt .md .docx .pdf）")
    if not data or not data.strip():
        raise SourceError(f"{safe}: 文件为空")
    if len(data) > max_bytes:
        raise SourceError(f"{safe}: 文件过大（{len(data) / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）")
    if suffix in _MAGIC and not data.startswith(_MAGIC[suffix]):
        kind = "Word" if suffix == ".docx" else "PDF"
        raise SourceError(f"{safe}: 文件内容不是 {kind} 格式（可能是改了后缀名的其他文件）")
    document = parse_upload(safe, data)
    if not document.articles and not document.sections:
        raise SourceError(f"{safe}: 没有可提取的条文或文字")
    return UploadPreview(safe, document, len(data), warnings)


def parse_upload(name: str, data: bytes) -> Document:
    """The same parsing as ingestion of the uploads folder: LawRefBook markdown as a regulation
    (articles), anything else as a document with headed sections."""
    if name.lower().endswith(".md"):
        text = decode_text(data, name)
        if looks_like_lawref(text):
            return parse_lawref(text, name)
    return parse_user_doc(data, name)


def save_upload(settings, preview: UploadPreview, data: bytes) -> Path:
    """Write the file into the uploads folder (beside, then renamed: never half a file)."""
    folder = uploads_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / preview.name
    if target.resolve().parent != folder.resolve():  # safe_filename makes this impossible; belt and braces
        raise SourceError(f"{preview.name}: 文件名不合法")
    tmp = folder / f".{preview.name}.partial"  # a leading dot: ingestion skips it
    tmp.write_bytes(data)
    tmp.replace(target)
    return target


def uploaded_files(settings) -> list[Path]:
    folder = uploads_dir(settings)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "_", "~$")))
