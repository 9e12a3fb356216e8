"""`assistant users …`: the first admin, other users, roles, passwords.

    assistant users add --admin NAME          # asks for the password twice, hidden
    echo "$PW" | assistant users add NAME --role trainer --password-stdin
    assistant users list
"""
from __future__ import annotations

import sys

import click

from assistant.accounts.users import ROLE_WORDS, ROLES, AccountError, UserStore


def _store(ctx: click.Context) -> UserStore:
    return UserStore.for_settings(ctx.obj["settings"])


def _password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@click.group()
def users() -> None:
    """用户与角色（执法队员 officer / 培训员 trainer / 管理员 admin）。未添加任何用户时应用为单用户模式，无需登录。"""


@users.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="管理员（可上传、删除法规，查看审计日志）")
@click.option("--role", type=click.Choice(ROLES), default=None, help="角色（默认 officer；--admin 即 admin）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行），用于脚本")
@click.pass_context
def add(ctx, name: str, admin: bool, role: str | None, password_stdin: bool) -> None:
    """添加用户。第一个用户应为管理员：assistant users add --admin NAME"""
    if admin and role not in (None, "admin"):
        raise click.UsageError("--admin 与 --role 冲突")
    role = "admin" if admin else (role or "officer")
    store = _store(ctx)
    if role != "admin" and not store.any_users():
        click.echo("提示：第一个用户通常应是管理员（--admin）；添加后应用即需要登录。", err=True)
    try:
        user = store.add(name, _password(password_stdin), role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已添加用户 {user.name}（{ROLE_WORDS[user.role]}）")


@users.command("list")
@click.pass_context
def list_users(ctx) -> None:
    """列出用户与角色。"""
    rows = _store(ctx).list()
    if not rows:
        click.echo("尚无用户：应用以单用户模式运行（无需登录）。用 assistant users add --admin NAME 添加管理员。")
        return
    for u in rows:
        click.echo(f"{u.name}\t{u.role}\t{ROLE_WORDS[u.role]}")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.pass_context
def set_role(ctx, name: str, role: str) -> None:
    """修改用户角色。"""
    try:
        _store(ctx).set_role(name, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{name} 现为 {ROLE_WORDS[role]}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（一行）")
@click.pass_context
def passwd(ctx, name: str, password_stdin: bool) -> None:
    """重设密码（该用户的所有登录随之失效）。"""
    try:
        _store(ctx).set_password(name, _password(password_stdin))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已重设 {name} 的密码")


@users.command("remove")
@click.argument("name")
@click.pass_context
def remove(ctx, name: str) -> None:
    """删除用户（其笔记本保留）。"""
    try:
        _store(ctx).remove(name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已删除用户 {name}")
