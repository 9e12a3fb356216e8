"""`assistant` command line. The JSON shapes printed here are a contract used by evaluations."""
from __future__ import annotations

import json
import logging
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from assistant.accounts.commands import users as _users_group
from assistant.config import Settings

MAX_K = 50  # more hits than an officer reads; bounds the work one request can ask for
MAX_ARTICLE = 10_000  # no law has more articles; larger numbers would overflow SQLite integers


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _echo_json(obj) -> None:
    """One JSON value per line, always valid: NaN/Infinity become null and lone surrogates (which
    no UTF-8 output can carry) become U+FFFD, so one odd value never ends a batch."""
    click.echo(json.dumps(_json_safe(obj), ensure_ascii=False, allow_nan=False))


def _json_safe(obj):
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, str):
        return obj.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(obj) else obj
    if isinstance(obj, dict):
        return {str(_json_safe(k)): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


@click.group()
@click.option("--data-dir", type=click.Path(path_type=Path), help="索引与缓存目录（默认 ./data）")
@click.option("--corpus", type=click.Path(path_type=Path), help="法规库路径（默认 ../shared/corpus）")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, corpus: Path | None) -> None:
    """上海城管执法助手：法规检索与引用。"""
    overrides = {}
    if data_dir:
        overrides["data_dir"] = data_dir
    if corpus:
        overrides["corpus_path"] = corpus
    ctx.obj = {"settings": Settings(**overrides)}


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lexical-only", is_flag=True, help="只建立关键词索引（秒级），向量稍后再建")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出汇总")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], lexical_only: bool, as_json: bool) -> None:
    """建立或更新索引（默认：配置的法规库与用户文档目录）。"""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from ingestion.pipeline import ingest as run_ingest

    settings = _settings(ctx)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=True, console=_stderr_console(),
                  disable=as_json or not sys.stderr.isatty()) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = run_ingest(settings, list(paths) or None, vectors=not lexical_only, progress=progress)
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(
            f"文档 {report.documents} 部，条文 {report.articles} 条，分块 {report.chunks} 个；"
            f"新增 {report.added}、变更 {report.changed}、删除 {report.removed}；"
            f"本次向量化 {report.embedded} 个；用时 {report.seconds:.1f} 秒"
        )
        for w in report.warnings:
            click.echo(f"注意：{w}", err=True)
        for e in report.errors:
            click.echo(f"错误：{e}", err=True)
    if report.errors:
        ctx.exit(2)


@dataclass(frozen=True)
class JsonlLine:
    """One input line of a JSONL command: its number, id and text, or why it cannot be used."""

    line: int
    id: str | int | None = None
    text: str = ""
    error: str | None = None

    def error_json(self, **empty) -> dict:
        return {"id": self.id, "line": self.line, "error": self.error} | empty


def read_jsonl(stream, field: str):
    """Each non-blank line of a byte stream as a JsonlLine. Every problem is reported for its
    line (with the line number) and the rest of the input still runs."""
    for line_no, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError:
            yield JsonlLine(line_no, error="该行不是 UTF-8 编码")
            continue
        try:
            item = json.loads(line)
        except ValueError:
            yield JsonlLine(line_no, error="无法解析的 JSON 行")
            continue
        if not isinstance(item, dict):
            yield JsonlLine(line_no, error=f'每行应为一个 JSON 对象，如 {{"id": 1, "{field}": "…"}}')
            continue
        qid = item.get("id")
        if isinstance(qid, bool) or not (qid is None or isinstance(qid, (str, int))):
            yield JsonlLine(line_no, error="id 应为字符串或整数")
            continue
        if isinstance(qid, str) and _has_surrogate(qid):
            qid = _json_safe(qid)
        text = item.get(field)
        if text is None:
            yield JsonlLine(line_no, qid, error=f"缺少字段 {field}")
        elif not isinstance(text, str):
            yield JsonlLine(line_no, qid, error=f"字段 {field} 应为文字")
        elif _has_surrogate(text):
            yield JsonlLine(line_no, qid, error=f"字段 {field} 含有无效字符（孤立的 UTF-16 代理项）")
        else:
            yield JsonlLine(line_no, qid, text)


def _failed_line(item: JsonlLine, exc: Exception) -> JsonlLine:
    """An unexpected failure on one line: logged (masked) and reported on that line only."""
    logging.getLogger("assistant").exception("line %s failed", item.line)
    return JsonlLine(item.line, item.id, error=f"处理失败：{type(exc).__name__}")


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _filters(jurisdiction: tuple[str, ...], level: tuple[str, ...], all_versions: bool, law: tuple[str, ...]):
    from assistant.retrieval.types import Filters

    return Filters(jurisdictions=tuple(jurisdiction) or None, levels=tuple(level) or None,
                   include_superseded=all_versions, laws=tuple(law) or None)


def _retriever(ctx: click.Context):
    from assistant.retrieval.retriever import Retriever
    from assistant.retrieval.types import IndexNotReady

    try:
        return Retriever(_settings(ctx))
    except IndexNotReady as exc:
        raise click.ClickException(str(exc)) from None


filter_options = [
    click.option("--jurisdiction", "-j", multiple=True, help="地区：上海 / 全国 / 北京 …（可多次）"),
    click.option("--level", multiple=True, help="效力层级：法律 / 行政法规 / 地方性法规 / 司法解释 / 案例"),
    click.option("--law", multiple=True, help="只在指定法规内检索"),
    click.option("--all-versions", is_flag=True, help="包括已被修订或废止的旧版本"),
]


def with_filters(f):
    for option in reversed(filter_options):
        f = option(f)
    return f


@cli.command()
@click.argument("question", required=False)
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, MAX_K), help="返回条数")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
@click.option("--jsonl", is_flag=True, help="从标准输入逐行读取 {id, question}")
@with_filters
@click.pass_context
def search(ctx, question, k, as_json, jsonl, jurisdiction, level, law, all_versions) -> None:
    """检索条文。"""
    filters = _filters(jurisdiction, level, all_versions, law)
    retriever = _retriever(ctx)
    if jsonl:
        for item in read_jsonl(sys.stdin.buffer, "question"):
            if not item.error:
                try:
                    result = retriever.search(item.text, k=k, filters=filters)
                    _echo_json({"id": item.id, "no_basis": result.no_basis,
                                "hits": [h.to_json() for h in result.hits]})
                    continue
                except Exception as exc:  # noqa: BLE001 — one line's failure never ends the batch
                    item = _failed_line(item, exc)
            _echo_json(item.error_json(no_basis=True, hits=[]))
        return
    if not question:
        raise click.UsageError("请给出问题，或用 --jsonl 从标准输入读取")
    result = retriever.search(question, k=k, filters=filters)
    if as_json:
        _echo_json(result.to_json())
        return
    if result.no_basis:
        click.echo(f"未找到依据：{result.reason}")
        if result.hits:
            click.echo("可能相关：")
    from assistant.core.render import chunk_label, version_line

    for n, hit in enumerate(result.hits, 1):
        c = hit.chunk
        click.echo(f"{n}. {chunk_label(c)}（{version_line(c)}）  得分 {hit.score:.3f}")
        click.echo("   " + c.text.replace("\n", "\n   ")[:400])


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
@click.option("--jsonl", is_flag=True, help="从标准输入逐行读取 {id, question}")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, MAX_K), help="检索条数")
@with_filters
@click.pass_context
def ask(ctx, question, as_json, jsonl, k, jurisdiction, level, law, all_versions) -> None:
    """回答问题：依据检索到的条文作答（配置了大模型时由大模型生成并核验引用）。"""
    from assistant.answering.answer import Token
    from assistant.answering.assistant import Assistant

    filters = _filters(jurisdiction, level, all_versions, law)
    assistant = Assistant(_settings(ctx), retriever=_retriever(ctx))
    if jsonl:
        for item in read_jsonl(sys.stdin.buffer, "question"):
            if not item.error:
                try:
                    _echo_json({"id": item.id} | assistant.ask(item.text, filters=filters, k=k).to_json())
                    continue
                except Exception as exc:  # noqa: BLE001 — one line's failure never ends the batch
                    item = _failed_line(item, exc)
            _echo_json(item.error_json(no_basis=True, answer="", citations=[], mode=assistant.mode))
        return
    if not question:
        raise click.UsageError("请给出问题，或用 --jsonl 从标准输入读取")
    if as_json:
        _echo_json(assistant.ask(question, filters=filters, k=k).to_json())
        return
    for item in assistant.ask_stream(question, filters=filters, k=k):
        if isinstance(item, Token):
            click.echo(item.text, nl=False)
        else:
            answer = item
            if answer.mode == "llm":
                click.echo("\n\n—— 核验后的答案 ——")
            click.echo(answer.markdown())


@cli.command()
@click.argument("law")
@click.argument("article", type=click.IntRange(1, MAX_ARTICLE))
@click.option("--version", help="版本日期，如 2010-12-23")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx, law: str, article: int, version: str | None, as_json: bool) -> None:
    """显示某部法规的某一条，如：assistant show 上海市生活垃圾管理条例 57"""
    retriever = _retriever(ctx)
    chunks = retriever.show(law, article, version)
    if not chunks:
        raise click.ClickException(f"索引中没有《{law}》第{article}条")
    if as_json:
        _echo_json([c.to_dict() for c in chunks])
        return
    from assistant.core.render import book_title, version_line

    shown: set[tuple] = set()
    for c in chunks:
        key = (c.version, c.status)
        if key not in shown:
            shown.add(key)
            click.echo(f"{book_title(c.law)}（{version_line(c)}）{c.chapter or ''}")
        click.echo(c.text)


@cli.command()
@click.option("--in", "in_path", type=click.Path(path_type=Path, dir_okay=False, exists=True, readable=True), help="诉件表格 .xlsx / .csv")
@click.option("--text-col", help="诉件内容所在列名（默认自动识别，如「诉件内容」）")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), help="输出 .xlsx")
@click.option("--date-col", help="诉件日期所在列名，用于归并重复投诉（默认自动识别，如「受理时间」；没有则按处理时间）")
@click.option("--jsonl", is_flag=True, help="从标准输入逐行读取 {id, text}，逐行输出结果")
@click.argument("text", required=False)
@click.pass_context
def triage(ctx, in_path, text_col, out_path, date_col, jsonl, text) -> None:
    """诉件分拣：单条文字、JSONL 流或整张表格。"""
    from assistant.triage.service import RowError, Triager

    triager = Triager(_settings(ctx))
    if jsonl:
        rows = (RowError(item.line, item.error, item.id) if item.error else (item.id, item.text)
                for item in read_jsonl(sys.stdin.buffer, "text"))
        for result in triager.triage_many(rows, batch=64):
            _echo_json(result.to_json())
        return
    if in_path:
        _triage_file(triager, in_path, text_col, out_path, date_col)
        return
    if not text:
        raise click.UsageError("请给出诉件文字，或用 --in 表格 / --jsonl")
    _echo_json(triager.triage(text).to_json())


def _triage_file(triager, in_path: Path, text_col: str | None, out_path: Path | None, date_col: str | None) -> None:
    from collections import Counter

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from assistant.triage.batch import (
        TableError,
        XlsxWriter,
        open_table,
        pick_date_column,
        pick_text_column,
        repeat_store,
        triage_table,
    )

    try:
        table = open_table(in_path.read_bytes(), in_path.name)
        col = pick_text_column(table.columns, text_col)
        date_index = pick_date_column(table.columns, date_col)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    if table.encoding_note:
        click.echo(f"注意：{table.encoding_note}", err=True)
    out_path = out_path or in_path.with_name(in_path.stem + "_分拣结果.xlsx")
    writer = XlsxWriter(table.columns)
    counts, review, n = Counter(), 0, 0
    with Progress(TextColumn("分拣"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=_stderr_console(), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("分拣", total=table.total)
        repeats = repeat_store(triager.settings)
        try:
            for result in triage_table(triager, table, col, writer, repeats=repeats, date_column=date_index):
                counts[result.label or "（空）"] += 1
                review += result.needs_review
                n += 1
                bar.advance(task)
        finally:
            repeats.close()
    writer.save(out_path)
    groups = writer.largest_groups()
    click.echo(f"已分拣 {n} 条，需人工复核 {review} 条，结果写入 {out_path}")
    if groups:
        when = f"按「{table.columns[date_index]}」列日期" if date_index is not None else "按处理时间"
        click.echo(f"重复投诉：{len(groups)} 组（{when}归并，最大一组 {groups[0][1]} 条），见「重复诉件组」工作表")
    for code, c in counts.most_common():
        click.echo(f"  {code}: {c}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx, as_json: bool) -> None:
    """索引状态：文档、分块、向量进度。"""
    from assistant.core.render import vector_state_text
    from assistant.index.status import index_status

    info = index_status(_settings(ctx))
    if as_json:
        _echo_json(info)
        return
    click.echo(f"法规库：{info['corpus_path']}")
    click.echo(f"文档 {info['documents']} 部，分块 {info['chunks']} 个")
    v = info["vectors"]
    speed = f"，{v['rate']} 条/秒" if v.get("rate") and v["state"] in ("building", "interrupted") else ""
    core = "，核心法规已完成" if v.get("core_done") and v["state"] != "ready" else ""
    click.echo(f"向量（{info['embedder']}）：{vector_state_text(v['state'])} {v['done']}/{v['total']}{speed}{core}")
    if v["state"] == "ready":
        click.echo("口语查询适配：" + ("已拟合（检索时多一路按口语改写的语义排序）" if info["query_adapter"]
                                    else "未拟合（法规库中有口语表述的条文太少）"))
    if v["state"] == "interrupted":
        click.echo("向量构建被中断：再次运行 `assistant ingest` 将从中断处继续", err=True)


MAX_EXAM_QUESTIONS = 500  # a paper, not a whole bank; bounds the work one command asks for


def _key_values(text: str | None, cast, what: str) -> dict:
    """「single=5,case=2」 → {"single": 5, "case": 2}."""
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        key, sep, value = part.partition("=")
        try:
            out[key.strip()] = cast(value)
        except ValueError:
            raise click.BadParameter(f"{what}应写作 键=数值，如 single=5：「{part}」") from None
        if not sep:
            raise click.BadParameter(f"{what}应写作 键=数值，如 single=5：「{part}」")
    return out


@cli.command()
@click.option("--law", "laws", multiple=True, help="法规名称（可多次；可用简称，如 生活垃圾管理条例）")
@click.option("--topic", help="主题，如 垃圾分类、违法建筑（按分拣分类的法律依据与同义词选条文）")
@click.option("--article", "articles", multiple=True, type=click.IntRange(1, MAX_ARTICLE), help="只出这些条（可多次）")
@click.option("--chapter", help="只出某章，如 法律责任")
@click.option("--n", "n", default=20, show_default=True, type=click.IntRange(1, MAX_EXAM_QUESTIONS), help="题目总数")
@click.option("--types", default="single,multi,judge,blank,case", show_default=True,
              help="题型：single 单选, multi 多选, judge 判断, blank 填空, case 案例分析")
@click.option("--counts", help="每种题型的题数，如 single=10,judge=5（给出时代替 --n 的平均分配）")
@click.option("--points", help="每题分值，如 single=1,multi=2,case=10")
@click.option("--difficulty", help="难度比例，如 易=0.3,中=0.5,难=0.2")
@click.option("--seed", default=1, show_default=True, type=int, help="随机种子：相同参数与种子得到相同试卷")
@click.option("--ab", is_flag=True, help="同时生成题目互不相同的 B 卷（写入 文件名_B）")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "docx"]), default="json", show_default=True)
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), help="输出文件（json 默认打印）")
@click.option("--all-versions", is_flag=True, help="也从已修订/废止的旧版本出题")
@click.option("--ignore-history", is_flag=True, help="不避开以往登记过的试卷用过的题")
@click.option("--record", is_flag=True, help="把本卷登记为已使用，以后的试卷避开这些题")
@click.option("--llm", "use_llm", is_flag=True, help="用配置的大模型改写案例情节（仍经自检）")
@click.pass_context
def exam(ctx, laws, topic, articles, chapter, n, types, counts, points, difficulty, seed, ab, fmt, out_path,
         all_versions, ignore_history, record, use_llm) -> None:
    """出题组卷：从条文生成单选、多选、判断、填空、案例分析题，答案逐题核对条文。"""
    from assistant.exams.builder import ExamBuilder
    from assistant.exams.export import write_docx, write_xlsx
    from assistant.exams.history import HistoryUnavailable
    from assistant.exams.models import (
        DEFAULT_POINTS,
        DIFFICULTIES,
        QTYPES,
        Blueprint,
        Scope,
        default_blueprint,
    )
    from assistant.exams.scope import ScopeError
    from assistant.retrieval.types import IndexNotReady

    wanted = tuple(t.strip() for t in types.split(",") if t.strip())
    if unknown := [t for t in wanted if t not in QTYPES]:
        raise click.BadParameter(f"未知题型：{'、'.join(unknown)}（可选 {','.join(QTYPES)}）", param_hint="--types")
    per_type = _key_values(counts, int, "--counts")
    per_point = _key_values(points, float, "--points")
    mix = _key_values(difficulty, float, "--difficulty")
    if any(t not in QTYPES or not 0 <= c <= MAX_EXAM_QUESTIONS for t, c in per_type.items()) or \
            sum(per_type.values()) > MAX_EXAM_QUESTIONS:
        raise click.BadParameter("题型或题数不合法", param_hint="--counts")
    if any(t not in QTYPES or p < 0 for t, p in per_point.items()):
        raise click.BadParameter("题型或分值不合法", param_hint="--points")
    if any(d not in DIFFICULTIES or v < 0 for d, v in mix.items()):
        raise click.BadParameter(f"难度只能是 {'、'.join(DIFFICULTIES)}，比例不能为负", param_hint="--difficulty")
    blueprint = default_blueprint(n, wanted, per_point or None, mix or None)
    if per_type:
        blueprint = Blueprint(per_type, {t: DEFAULT_POINTS[t] for t in per_type} | per_point, blueprint.difficulty)
    if fmt != "json" and not out_path:
        raise click.UsageError(f"--format {fmt} 需要 --out 文件名")
    scope = Scope(tuple(laws), topic, tuple(articles), chapter, all_versions)
    try:
        builder = ExamBuilder(_settings(ctx))
        kw = {"avoid_used": not ignore_history, "use_llm": use_llm}
        papers = list(builder.ab_papers(scope, blueprint, seed, **kw)) if ab else [builder.paper(scope, blueprint, seed, **kw)]
    except (ScopeError, IndexNotReady) as exc:
        raise click.ClickException(str(exc)) from None
    if record:
        try:
            for p in papers:
                builder.record(p)
        except HistoryUnavailable as exc:
            raise click.ClickException(str(exc)) from None
    for paper in papers:
        target = out_path if paper.variant == "A" or out_path is None else out_path.with_name(
            f"{out_path.stem}_B{out_path.suffix}")
        if fmt == "json":
            data = paper.to_json()
            if target:
                target.write_text(json.dumps(_json_safe(data), ensure_ascii=False, indent=1), encoding="utf-8")
            else:
                _echo_json(data)
        elif fmt == "xlsx":
            write_xlsx(paper.questions, target)
        else:
            write_docx(paper, target)
        stats = paper.stats
        short = {t: s for t, s in stats.per_type.items() if s["selected"] < s["requested"]}
        note = "；题量不足：" + "、".join(f"{t} {s['selected']}/{s['requested']}" for t, s in short.items()) if short else ""
        click.echo(f"{paper.variant}卷：{len(paper.questions)} 题；候选 {stats.generated} 题，自检剔除 "
                   f"{sum(stats.dropped.values())} 题{note}" + (f"；已写入 {target}" if target else ""), err=True)


@cli.command("exam-import")
@click.argument("bank", type=click.Path(path_type=Path, dir_okay=False, exists=True, readable=True))
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
@click.pass_context
def exam_import(ctx, bank: Path, as_json: bool) -> None:
    """核对已有题库（XLSX，列：题型、题干、选项A–E、答案、解析、出处、难度、知识点）：出处是否存在、答案是否与条文一致、是否重复。"""
    from assistant.exams.bank import validate_bank
    from assistant.exams.export import BankError, read_xlsx
    from assistant.exams.library import Library
    from assistant.retrieval.types import IndexNotReady

    settings = _settings(ctx)
    try:
        library = Library.open(settings)
        report = validate_bank(read_xlsx(bank), library, settings.authored_dir / "law_aliases.tsv")
    except (BankError, IndexNotReady) as exc:
        raise click.ClickException(str(exc)) from None
    data = report.to_json()
    if as_json:
        _echo_json(data)
        return
    click.echo(f"共 {data['total']} 题：通过 {data['ok']} 题，有问题 {data['with_problems']} 题")
    for row in data["rows"]:
        marks = "；".join(row["problems"] + [f"（提示）{n}" for n in row["notes"]])
        click.echo(f"  第{row['row']}行 {row['stem'][:30]}…：{marks}")
    if data["with_problems"]:
        ctx.exit(1)


# Sign-in users and roles (issue #13): assistant users add --admin NAME
cli.add_command(_users_group)


def main() -> None:
    from assistant.logs import install_masking

    install_masking()
    try:
        cli(prog_name="assistant")
    except Exception:
        logging.getLogger("assistant").exception("command failed")
        click.echo("错误：出现内部错误（详情已记录在上方日志中，个人信息已脱敏）", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
