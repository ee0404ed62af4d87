"""``hpx``: the command line of the appliance (CONTRACT.md section 4)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.metadata
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from appliance import audit
from appliance.accounts import apikeys, orgs, users
from appliance.backup import BackupError
from appliance.config import load_settings
from appliance.context import Appliance, open_appliance
from appliance.errors import ApplianceError
from appliance.sizes import parse_bytes
from appliance.uploads import service
from storage.durable import write_private

Handler = Callable[[Any, argparse.Namespace], Any]
ACTOR = audit.actor_for("cli")


class CommandError(Exception):
    """A command that cannot run as typed (a missing option, an unconfirmed deletion)."""


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # `hpx org list | head -1`: the reader left; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        getattr(args, "group_parser", parser).print_help()
        return 2
    try:
        settings = load_settings(
            args.config, data_dir=args.data_dir, bind=getattr(args, "bind", None)
        )
    except (OSError, ValueError) as exc:
        print(f"error: configuration: {exc}", file=sys.stderr)
        return 2
    if args.local and args.handler not in (cmd_serve, cmd_init) and not settings.db_path.exists():
        print(
            f"error: no appliance data in {settings.data_dir.resolve()} (no appliance.db);"
            " point --data-dir or HPX_DATA_DIR at the data directory, or create one with"
            " `hpx init`",
            file=sys.stderr,
        )
        return 1
    try:
        args.settings = settings
        appliance = open_appliance(settings) if args.local else None
        result = args.handler(appliance, args)
    except (ApplianceError, BackupError, CommandError) as exc:
        message = exc.message if isinstance(exc, ApplianceError) else str(exc)
        if args.json:
            kind = exc.kind.name if isinstance(exc, ApplianceError) else "invalid_request"
            print(json.dumps({"error": kind, "message": message}), file=sys.stderr)
        else:
            print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if result is not None:
        _print(result, args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, help="data directory (else HPX_DATA_DIR or config)"
    )
    common.add_argument("--config", type=Path, help="TOML config file (else HPX_CONFIG)")
    common.add_argument("--json", action="store_true", help="machine-readable output")

    parser = argparse.ArgumentParser(prog="hpx", description="Healthproximate appliance")
    parser.add_argument("--version", action="version", version=f"hpx {_version()}")
    sub = parser.add_subparsers(metavar="COMMAND")

    def group(name: str, help_text: str) -> Any:
        """A command group; alone (``hpx org``) it shows its own usage."""
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(group_parser=p)
        return p.add_subparsers(metavar="ACTION")

    def command(
        group: Any, name: str, handler: Handler, help_text: str, local: bool = True
    ) -> argparse.ArgumentParser:
        """``local``: the command works on this host's data directory (admin commands)."""
        p: argparse.ArgumentParser = group.add_parser(name, parents=[common], help=help_text)
        p.set_defaults(handler=handler, local=local)
        return p

    partner_common = argparse.ArgumentParser(add_help=False)
    partner_common.add_argument("--json", action="store_true", help="machine-readable output")

    def partner(
        group: Any, name: str, handler: Handler, help_text: str, *, key: bool = True
    ) -> argparse.ArgumentParser:
        """A command partners run against an appliance over HTTPS: no server options."""
        p: argparse.ArgumentParser = group.add_parser(
            name, parents=[partner_common], help=help_text
        )
        p.set_defaults(handler=handler, local=False, data_dir=None, config=None)
        p.add_argument("--url", required=True, help="the appliance, e.g. https://host:8443")
        if key:
            p.add_argument(
                "--api-key",
                default=os.environ.get("HPX_API_KEY"),
                help="API key (else HPX_API_KEY, which keeps it out of the process list)",
            )
        p.add_argument(
            "--cacert",
            default=os.environ.get("HPX_CA_FILE"),
            help="CA or self-signed certificate to trust (else HPX_CA_FILE)",
        )
        return p

    serve = command(sub, "serve", cmd_serve, "run the HTTPS service")
    serve.add_argument("--bind", help="HOST:PORT (default 127.0.0.1:8443)")
    command(sub, "init", cmd_init, "create the data directory and its database")

    org = group("org", "organizations")
    command(org, "create", cmd_org_create, "create an organization").add_argument("name")
    command(org, "list", cmd_org_list, "list organizations")
    command(org, "suspend", cmd_org_suspend, "refuse the organization's credentials").add_argument(
        "org"
    )
    command(org, "resume", cmd_org_resume, "accept them again").add_argument("org")
    delete = command(org, "delete", cmd_org_delete, "delete it with its keys and files")
    delete.add_argument("org")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    rename = command(org, "rename", cmd_org_rename, "rename an organization")
    rename.add_argument("org")
    rename.add_argument("new_name")
    quota = command(org, "quota", cmd_org_quota, "set the storage quota")
    quota.add_argument("org")
    quota.add_argument("bytes", help="bytes, or with K/M/G/T (500G, 2T), or 'none'")

    key = group("key", "API keys")
    issue = command(key, "issue", cmd_key_issue, "issue a key (printed once)")
    issue.add_argument("org")
    issue.add_argument("--name", default="default", help="what the key is for (default: default)")
    issue.add_argument(
        "--scopes",
        default=",".join(apikeys.SCOPES),
        help=f"comma-separated, from: {', '.join(apikeys.SCOPES)} (default: all)",
    )
    issue.add_argument(
        "--expires-in-days",
        type=int,
        metavar="N",
        help="the key stops working after N days (default: never)",
    )
    command(key, "list", cmd_key_list, "list keys (never their secrets)").add_argument(
        "org", nargs="?"
    )
    command(key, "revoke", cmd_key_revoke, "revoke a key").add_argument("key_id")

    user = group("user", "users who sign in")
    add = command(user, "add", cmd_user_add, "add a user (password read from stdin)")
    add.add_argument("org")
    add.add_argument("email")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (never from the command line)",
    )
    command(user, "list", cmd_user_list, "list users").add_argument("org", nargs="?")
    command(user, "disable", cmd_user_disable, "refuse a user's sign-in").add_argument("email")
    command(user, "enable", cmd_user_enable, "allow it again").add_argument("email")
    reset = command(user, "passwd", cmd_user_passwd, "set a new password (from stdin)")
    reset.add_argument("email")
    reset.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (never from the command line)",
    )

    audit_cmd = command(sub, "audit", cmd_audit, "the audit trail (or: hpx audit verify)")
    audit_cmd.add_argument(
        "action",
        nargs="?",
        choices=["verify"],
        help="verify: check the hash chain; non-zero exit if a record was changed or removed",
    )
    audit_cmd.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    command(sub, "activity", cmd_activity, "the latest uploads").add_argument(
        "--limit", type=int, default=50, help="how many (default 50)"
    )
    command(sub, "admin", cmd_admin, "the operator console (Textual)")
    command(sub, "gc", cmd_gc, "remove expired upload sessions and stray temporary files")
    command(
        sub, "verify", cmd_verify, "check that every recorded file is stored intact"
    ).add_argument(
        "--rehash", action="store_true", help="also recompute every file's SHA-256 (reads all)"
    )
    command(sub, "backup", cmd_backup, "copy the database and every file to DEST").add_argument(
        "dest", type=Path
    )
    restore = command(
        sub, "restore", cmd_restore, "restore a backup into the data directory", local=False
    )
    restore.add_argument("src", type=Path)
    restore.add_argument("--force", action="store_true", help="replace an existing database")

    up = partner(sub, "upload", cmd_upload, "upload files or directories (resumable)")
    up.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files or directories")
    up.add_argument("--parallel", type=int, default=4, help="parts in flight (default 4)")
    up.add_argument("--part-size", type=int, help="bytes per part (default: the server's)")
    partner(sub, "files", cmd_files, "list the organization's files")
    down = partner(sub, "download", cmd_download, "download a file (resumes, checks SHA-256)")
    down.add_argument("file_id")
    down.add_argument("-o", "--output", type=Path, help="where to write it (default: its name)")
    partner(sub, "delete", cmd_delete, "delete a file").add_argument("file_id")
    login = partner(sub, "login", cmd_login, "sign in; hpx ask then uses the token", key=False)
    login.add_argument("--email", required=True)
    login.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    q = partner(sub, "ask", cmd_ask, "ask an appliance a question (streamed)", key=False)
    q.add_argument("question")
    q.add_argument(
        "--token",
        default=os.environ.get("HPX_TOKEN"),
        help="bearer token (else HPX_TOKEN, else the one hpx login kept)",
    )
    q.add_argument("--dataset", help="table to ask about (default: the best match)")
    q.add_argument(
        "--conversation",
        metavar="ID",
        help="continue a conversation: the question may build on its last answer",
    )
    return parser


def _version() -> str:
    try:
        return importlib.metadata.version("healthproximate-appliance")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# -- handlers ------------------------------------------------------------------


def cmd_serve(appliance: Appliance, args: argparse.Namespace) -> None:
    from appliance import server

    logging.basicConfig(
        level=appliance.settings.log_level.upper(),
        format="%(asctime)s [%(levelname)s] %(name)s: %(message)s",
    )
    try:
        asyncio.run(server.run(appliance, announce=lambda line: print(line, flush=True)))
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
    except ValueError:
        raise CommandError("bytes: a number, with K/M/G/T (500G), or 'none'") from None
    return orgs.set_quota(appliance.db, args.org, quota, actor=ACTOR).to_dict()


def cmd_user_add(appliance: Appliance, args: argparse.Namespace) -> Any:
    password = _password_from_stdin()
    return users.add_user(appliance.db, args.org, args.email, password, actor=ACTOR).to_dict()


def cmd_user_list(appliance: Appliance, args: argparse.Namespace) -> Any:
    return users.list_users(appliance.db, args.org)


def cmd_user_disable(appliance: Appliance, args: argparse.Namespace) -> Any:
    return users.disable_user(appliance.db, args.email, actor=ACTOR).to_dict()


def cmd_user_enable(appliance: Appliance, args: argparse.Namespace) -> Any:
    return users.enable_user(appliance.db, args.email, actor=ACTOR).to_dict()


def cmd_user_passwd(appliance: Appliance, args: argparse.Namespace) -> Any:
    password = _password_from_stdin()
    return users.reset_password(appliance.db, args.email, password, actor=ACTOR).to_dict()


def cmd_audit(appliance: Appliance, args: argparse.Namespace) -> Any:
    if args.action == "verify":
        verdict = audit.verify(appliance.db)
        if not verdict["ok"]:
            _print(verdict, args.json)
            print(f"error: the audit trail is broken at record {verdict['broken_at_seq']}",
                  file=sys.stderr)  # fmt: skip
            raise SystemExit(1)
        return verdict
    return audit.recent(appliance.db, args.limit)


def cmd_activity(appliance: Appliance, args: argparse.Namespace) -> Any:
    return service.recent_activity(appliance, args.limit)


def cmd_admin(appliance: Appliance, args: argparse.Namespace) -> None:
    from admin_tui.app import AdminApp

    AdminApp(appliance).run()


def _password_from_stdin() -> str:
    """The first line of stdin: a password never belongs in argv or shell history."""
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


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


def cmd_upload(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance import client

    paths = _files_under(args.paths)

    def send(path: Path) -> Any:
        return client.upload_file(
            path,
            args.url.rstrip("/"),
            _api_key(args),
            parallel=args.parallel,
            verify=client.trust(args.cacert),
            part_size=args.part_size,
        )

    uploaded = [_partner_call(functools.partial(send, path), f"upload of {path}") for path in paths]
    one_file = len(args.paths) == 1 and args.paths[0].is_file()
    return uploaded[0] if one_file else uploaded


def cmd_files(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance import client

    with _partner_api(args) as api:
        return _partner_call(lambda: client.list_files(api), "listing")


def cmd_download(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance import client

    with _partner_api(args) as api:
        return _partner_call(lambda: client.download(api, args.file_id, args.output), "download")


def cmd_delete(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance import client

    with _partner_api(args) as api:
        _partner_call(lambda: client.delete(api, args.file_id), "delete")
    return {"file_id": args.file_id, "deleted": True}


def cmd_login(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance import client

    if not args.password_stdin:
        raise CommandError("pass the password on stdin with --password-stdin")
    password = _password_from_stdin()
    url = args.url.rstrip("/")
    token = _partner_call(
        lambda: client.sign_in(url, args.email, password, client.trust(args.cacert)), "sign-in"
    )
    saved = _token_file()
    saved.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private(saved, json.dumps({"url": url, "access_token": token["access_token"]}).encode())
    return {"signed_in": args.email, "expires_in": token.get("expires_in"), "kept_in": str(saved)}


def _files_under(paths: list[Path]) -> list[Path]:
    """The files named, and those under the directories named, in a stable order."""
    from appliance import client

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.endswith(client.STATE_SUFFIX)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{path}: no such file or directory")
    return found


def _api_key(args: argparse.Namespace) -> str:
    if not args.api_key:
        raise CommandError("--api-key or HPX_API_KEY is required")
    key: str = args.api_key
    return key


def _partner_api(args: argparse.Namespace) -> Any:
    import httpx

    from appliance import client

    return httpx.Client(
        base_url=args.url.rstrip("/"),
        headers={"X-API-Key": _api_key(args)},
        verify=client.trust(args.cacert),
        timeout=120,
    )


def _partner_call(call: Callable[[], Any], what: str) -> Any:
    """The call's result; a refusal or a broken link as one line for a person."""
    import httpx

    from appliance import client

    try:
        return call()
    except (client.UploadError, OSError, httpx.HTTPError) as exc:
        raise CommandError(f"{what} failed: {client.explain(exc)}") from exc


def _token_file() -> Path:
    """Where ``hpx login`` keeps its token: the user's own configuration, mode 0600."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "hpx" / "token.json"


def _saved_token(url: str) -> str | None:
    try:
        saved = json.loads(_token_file().read_text())
    except (OSError, ValueError):
        return None
    token = saved.get("access_token") if saved.get("url") == url.rstrip("/") else None
    return str(token) if token else None


def cmd_backup(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance import backup

    report = backup.backup(appliance, args.dest)
    if report.problems:
        print(f"warning: {len(report.problems)} file(s) changed during the backup", file=sys.stderr)
    return report.to_dict()


def cmd_restore(_appliance: None, args: argparse.Namespace) -> Any:
    from appliance import backup

    return backup.restore(args.settings, args.src, force=args.force).to_dict()


def cmd_ask(_appliance: None, args: argparse.Namespace) -> Any:
    import httpx

    from appliance import ask, client

    token = args.token or _saved_token(args.url)
    if not token:
        raise CommandError("--token, HPX_TOKEN or `hpx login --url URL` first")
    show = (lambda _line: None) if args.json else (lambda line: print(line, flush=True))
    try:
        analysis = ask.ask(
            args.url.rstrip("/"),
            token,
            args.question,
            args.dataset,
            client.trust(args.cacert),
            show=show,
            conversation_id=args.conversation,
        )
    except (ask.AskError, httpx.HTTPError) as exc:
        raise CommandError(f"ask failed: {client.explain(exc)}") from exc
    return analysis if args.json else None


def cmd_verify(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance import verify

    report = verify.verify(appliance, rehash=args.rehash)
    if not report.ok:
        _print(report.problems if not args.json else report.to_dict(), args.json)
        print(f"error: {len(report.problems)} problem(s) found", file=sys.stderr)
        raise SystemExit(1)
    return report.to_dict()


def cmd_gc(appliance: Appliance, args: argparse.Namespace) -> Any:
    from appliance import housekeeping

    return housekeeping.collect(appliance).to_dict()


# -- output --------------------------------------------------------------------


def _print(result: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    elif isinstance(result, list):
        _print_table(result)
    elif isinstance(result, dict):
        width = max((len(k) for k in result), default=0)
        for k, v in result.items():
            print(f"{k:<{width}}  {_cell(v)}")


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("(none)")
        return
    headers = list(rows[0])
    cells = [[_cell(r.get(h)) for h in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)))
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
