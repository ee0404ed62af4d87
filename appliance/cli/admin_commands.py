"""The operator's commands (``hpx serve``, ``init``, ``org``, ``key``, ``user``,
``audit``, ``gc``, ``verify``, ``backup`` …): they work on this host's data directory
and need the server's packages, so :mod:`appliance.cli.main` imports this module only
when one of them runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from appliance import audit
from appliance.accounts import apikeys, orgs, users
from appliance.cli.output import CommandError, password_from_stdin, print_result
from appliance.context import Appliance
from appliance.sizes import parse_bytes
from appliance.uploads import service

ACTOR = audit.actor_for("cli")


def cmd_serve(appliance: Appliance, args: argparse.Namespace) -> None:
    from appliance import log_lines
    from appliance.serving import server

    log_lines.configure(appliance.settings.log_level)
    try:
        server.serve(appliance, announce=lambda line: print(line, flush=True))
    except server.StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def cmd_init(appliance: Appliance, args: argparse.Namespace) -> Any:
    """``open_appliance`` already made the directory and migrated the database."""
    return {"data_dir": str(appliance.settings.data_dir.resolve()), "ready": True}


def cmd_org_create(appliance: Appliance, args: argparse.Namespace) -> Any:
    return orgs.create_org(appliance.db, args.name, actor=ACTOR).to_dict()


def cmd_org_list(appliance: Appliance, args: argparse.Namespace) -> Any:
    return [o.to_dict() for o in orgs.list_orgs(appliance.db)]


def cmd_org_suspend(appliance: Appliance, args: argparse.Namespace) -> Any:
    return orgs.set_status(appliance.db, args.org, "suspended", actor=ACTOR).to_dict()


def cmd_org_resume(appliance: Appliance, args: argparse.Namespace) -> Any:
    return orgs.set_status(appliance.db, args.org, "active", actor=ACTOR).to_dict()


def cmd_org_delete(appliance: Appliance, args: argparse.Namespace) -> Any:
    org = orgs.find_org(appliance.db, args.org)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("not a terminal: pass --yes to delete")
        typed = input(f"This deletes {org.name!r} with all its keys and files. Type its name: ")
        if typed.strip() != org.name:
            raise CommandError("the name did not match; nothing deleted")
    deleted = orgs.delete_org(appliance.db, appliance.store, org.id, actor=ACTOR)
    return deleted.to_dict() | {"deleted": True}


def cmd_org_rename(appliance: Appliance, args: argparse.Namespace) -> Any:
    return orgs.rename_org(appliance.db, args.org, args.new_name, actor=ACTOR).to_dict()


def cmd_org_quota(appliance: Appliance, args: argparse.Namespace) -> Any:
    try:
        quota = parse_bytes(args.bytes)
    except ValueError as exc:
        raise CommandError(f"bytes: {exc}") from None
    return orgs.set_quota(appliance.db, args.org, quota, actor=ACTOR).to_dict()


def cmd_org_show(appliance: Appliance, args: argparse.Namespace) -> Any:
    return orgs.find_org(appliance.db, args.org).to_dict()


def cmd_org_disclosure(appliance: Appliance, args: argparse.Namespace) -> Any:
    return orgs.set_min_cell_size(appliance.db, args.org, args.min_cell_size, actor=ACTOR).to_dict()


def cmd_user_add(appliance: Appliance, args: argparse.Namespace) -> Any:
    password = password_from_stdin()
    return users.add_user(
        appliance.db, args.org, args.email, password, actor=ACTOR, rows=args.rows
    ).to_dict()


def cmd_user_list(appliance: Appliance, args: argparse.Namespace) -> Any:
    return users.list_users(appliance.db, args.org)


def cmd_user_rows(appliance: Appliance, args: argparse.Namespace) -> Any:
    on = args.state == "on"
    return users.set_rows(appliance.db, args.org, args.email, on, actor=ACTOR).to_dict()


def cmd_user_disable(appliance: Appliance, args: argparse.Namespace) -> Any:
    return users.disable_user(appliance.db, args.email, actor=ACTOR).to_dict()


def cmd_user_enable(appliance: Appliance, args: argparse.Namespace) -> Any:
    return users.enable_user(appliance.db, args.email, actor=ACTOR).to_dict()


def cmd_user_passwd(appliance: Appliance, args: argparse.Namespace) -> Any:
    password = password_from_stdin()
    return users.reset_password(appliance.db, args.email, password, actor=ACTOR).to_dict()


def cmd_audit(appliance: Appliance, args: argparse.Namespace) -> Any:
    if args.action == "verify":
        verdict = audit.verify(appliance.db, args.head)
        if not verdict["ok"]:
            print_result(verdict, args.json)
            where = verdict["broken_at_seq"]
            at = f" at record {where}" if where is not None else ""
            print(f"error: the audit trail is broken{at}: {verdict['problem']}",
                  file=sys.stderr)  # fmt: skip
            raise SystemExit(1)
        return verdict
    return audit.recent(appliance.db, args.limit)


def cmd_activity(appliance: Appliance, args: argparse.Namespace) -> Any:
    return service.recent_activity(appliance, args.limit)


def cmd_admin(appliance: Appliance, args: argparse.Namespace) -> None:
    from admin_tui.app import AdminApp

    AdminApp(appliance).run()


def cmd_key_issue(appliance: Appliance, args: argparse.Namespace) -> Any:
    issued = apikeys.issue_key(
        appliance.db,
        args.org,
        name=args.name,
        scopes=apikeys.parse_scopes(args.scopes),
        expires_in_days=args.expires_in_days,
        actor=ACTOR,
    )
    if not args.json:
        print("Store this key now: it is shown only once.", file=sys.stderr)
    return issued.to_dict()


def cmd_key_list(appliance: Appliance, args: argparse.Namespace) -> Any:
    return apikeys.list_keys(appliance.db, args.org)


def cmd_key_revoke(appliance: Appliance, args: argparse.Namespace) -> Any:
    apikeys.revoke_key(appliance.db, args.key_id, actor=ACTOR)
    return {"key_id": args.key_id, "revoked": True}


def cmd_backup(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance.operations import backup

    report = backup.backup(appliance, args.dest)
    if report.problems:
        print(f"warning: {len(report.problems)} file(s) changed during the backup", file=sys.stderr)
    return report.to_dict()


def cmd_restore(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance.operations import backup

    return backup.restore(args.settings, args.src, force=args.force).to_dict()


def cmd_migrate(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance.config import load_settings
    from appliance.context import open_appliance
    from appliance.operations import scale_out
    from appliance.serving.server import StartupError, lock_data_dir
    from storage import StorageError

    try:
        lock = lock_data_dir(appliance.settings.data_dir)  # the source must not be serving
    except StartupError as exc:
        raise CommandError(str(exc)) from None
    try:
        target = open_appliance(load_settings(args.to_config))
        report = scale_out.migrate(appliance, target)
    except (scale_out.MigrateError, StorageError, OSError, ValueError) as exc:
        raise CommandError(f"migration not complete: {exc}; run it again") from None
    finally:
        lock.close()
    print(
        f"migrated and verified: {report.files} file(s), {report.bytes} bytes;"
        " point every node at the new configuration",
        file=sys.stderr,
    )
    return report.to_dict()


def cmd_verify(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance.operations import verify

    report = verify.verify(appliance, rehash=args.rehash)
    if not report.ok:
        print_result(report.problems if not args.json else report.to_dict(), args.json)
        print(f"error: {len(report.problems)} problem(s) found", file=sys.stderr)
        raise SystemExit(1)
    return report.to_dict()


def cmd_gc(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance.operations import housekeeping

    return housekeeping.collect(appliance).to_dict()
