"""Sign-in, roles and the audit log (issue #13).

    users.py  users (officer / trainer / admin) with argon2 password hashes, and sessions that expire
    audit.py  the append-only audit log: who asked, triaged, generated or changed what, and when
    commands.py  `assistant users add/list/…`

No user configured → the app runs single-user as before, as LOCAL_USER with every right."""
