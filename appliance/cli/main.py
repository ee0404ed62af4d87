"""``hpx``: the command line of the appliance (CONTRACT.md section 4).

This module parses and dispatches; the commands live in
:mod:`appliance.cli.admin_commands` (the operator's, on this host's data directory) and
:mod:`appliance.cli.partner_commands` (a partner's, over HTTPS). It imports only the
standard library, and the operator's module only when one of its commands runs, so
``hpx`` works for partners where only the client is installed.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from appliance.accounts.scopes import DEFAULT_SCOPES, SCOPES
from appliance.cli.output import CommandError, print_result
from appliance.durations import RULE as DURATION_RULE
from appliance.durations import parse_seconds
from appliance.errors import ApplianceError
from appliance.sizes import RULE as SIZE_RULE
from appliance.sizes import parse_bytes

SERVER_MISSING = (
    "this is the partner client: `hpx {command}` needs the server's packages"
    " (pip install 'healthproximate-appliance[server]', or ./install.sh on the appliance)"
)


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
    if args.side == "partner":
        from appliance.cli import partner_commands

        def partner() -> Any:
            command = getattr(partner_commands, "cmd_" + args.handler)
            return command(partner_commands.with_login(args))

        return _run(args, partner)
    return _operator(args)


def _operator(args: argparse.Namespace) -> int:
    """An operator's command: the configuration, then the data directory, then the
    command, with the server's packages (a partner-only install says so)."""
    try:
        from appliance.audit_seal import SealError
        from appliance.cli import admin_commands
        from appliance.config import load_settings
        from appliance.context import open_appliance
        from appliance.operations.backup import BackupError
    except ImportError:
        print("error: " + SERVER_MISSING.format(command=args.command_name), file=sys.stderr)
        return 2
    try:
        settings = load_settings(
            args.config, data_dir=args.data_dir, bind=getattr(args, "bind", None)
        )
    except (OSError, ValueError) as exc:
        print(f"error: configuration: {exc}", file=sys.stderr)
        return 2
    needs_data = args.side == "local" and args.handler not in ("serve", "init")
    if needs_data and settings.database_url is None and not settings.db_path.exists():
        print(
            f"error: no appliance data in {settings.data_dir.resolve()} (no appliance.db);"
            " point --data-dir or HPX_DATA_DIR at the data directory, or create one with"
            " `hpx init`",
            file=sys.stderr,
        )
        return 1
    args.settings = settings

    def call() -> Any:
        appliance = open_appliance(settings) if args.side == "local" else None
        return getattr(admin_commands, "cmd_" + args.handler)(appliance, args)

    return _run(args, call, BackupError, SealError)


def _run(args: argparse.Namespace, call: Callable[[], Any], *errors: type[Exception]) -> int:
    """Run a command; print its result, or its refusal as one line (JSON with --json)."""
    refusals: tuple[type[Exception], ...] = (ApplianceError, CommandError, *errors)
    try:
        result = call()
    except refusals as exc:
        return _fail(args, exc)
    except KeyboardInterrupt:
        return 130
    if result is not None:
        print_result(result, args.json)
    return 0


def _fail(args: argparse.Namespace, exc: Exception) -> int:
    message = exc.message if isinstance(exc, ApplianceError) else str(exc)
    if args.json:
        kind = exc.kind.name if isinstance(exc, ApplianceError) else "invalid_request"
        print(json.dumps({"error": kind, "message": message}), file=sys.stderr)
    else:
        print(f"error: {message}", file=sys.stderr)
    return 1


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, else a usage error
    that gives the range (Python's ints are unbounded; SQLite's, datetimes and
    connection counts are not)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, not {value}")
        return value

    return parse


def _size(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: bytes as quotas take them (``5M``, ``500G``, ``1048576``), from
    ``low`` to ``high``: one size parser for every command (:mod:`appliance.sizes`)."""

    def parse(text: str) -> int:
        try:
            value = parse_bytes(text)
        except ValueError:
            value = None
        if value is None:
            raise argparse.ArgumentTypeError(f"not a size: {text!r} ({SIZE_RULE})")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high} bytes, not {value}")
        return value

    return parse


def _seconds(text: str) -> int:
    """An argparse type: a duration, ``90`` (seconds), ``90m``, ``12h`` or ``7d``."""
    try:
        return parse_seconds(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} ({DURATION_RULE})") from None


_LIMIT = _whole(1, 10_000)
"""``--limit`` of the listing commands."""


def _https_url(text: str) -> str:
    """``--url``: an https:// address with a host (the appliance speaks HTTPS only)."""
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError for a port that is not one
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a URL: {text!r} ({exc})") from None
    if parts.scheme != "https" or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"must be the appliance's https:// address (e.g. https://host:8443), not {text!r}"
        )
    return text


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
        group: Any, name: str, handler: str, help_text: str, local: bool = True
    ) -> argparse.ArgumentParser:
        """An operator's command, ``admin_commands.cmd_<handler>``; ``local``: it works
        on this host's data directory."""
        p: argparse.ArgumentParser = group.add_parser(name, parents=[common], help=help_text)
        p.set_defaults(handler=handler, side="local" if local else "host",
                       command_name=p.prog.removeprefix("hpx "))  # fmt: skip
        return p

    partner_common = argparse.ArgumentParser(add_help=False)
    partner_common.add_argument("--json", action="store_true", help="machine-readable output")

    def partner(
        group: Any, name: str, handler: str, help_text: str, *, key: bool = True,
        parents: Sequence[argparse.ArgumentParser] = (),
    ) -> argparse.ArgumentParser:  # fmt: skip
        """A command partners run against an appliance over HTTPS, no server options:
        ``partner_commands.cmd_<handler>``."""
        p: argparse.ArgumentParser = group.add_parser(
            name, parents=[partner_common, *parents], help=help_text
        )
        p.set_defaults(handler=handler, side="partner")
        p.add_argument(
            "--url",
            type=_https_url,
            help="the appliance, e.g. https://host:8443 (else hpx login's)",
        )
        if key:
            p.add_argument(
                "--api-key",
                default=os.environ.get("HPX_API_KEY"),
                help="API key (else HPX_API_KEY, which keeps it out of the process list)",
            )
        p.add_argument(
            "--cacert",
            default=os.environ.get("HPX_CA_FILE"),
            help="CA or self-signed certificate to trust (else HPX_CA_FILE, else hpx login's)",
        )
        return p

    serve = command(sub, "serve", "serve", "run the HTTPS service")
    serve.add_argument("--bind", help="HOST:PORT (default 127.0.0.1:8443)")
    command(sub, "init", "init", "create the data directory and its database")

    org = group("org", "organizations")
    command(org, "create", "org_create", "create an organization").add_argument("name")
    command(org, "list", "org_list", "list organizations")
    command(org, "suspend", "org_suspend", "refuse the organization's credentials").add_argument(
        "org"
    )
    command(org, "resume", "org_resume", "accept them again").add_argument("org")
    delete = command(org, "delete", "org_delete", "delete it with its keys and files")
    delete.add_argument("org")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    rename = command(org, "rename", "org_rename", "rename an organization")
    rename.add_argument("org")
    rename.add_argument("new_name")
    quota = command(org, "quota", "org_quota", "set the storage quota")
    quota.add_argument("org")
    quota.add_argument("bytes", help="bytes, or with K/M/G/T (500G, 2T), or 'none'")
    command(org, "show", "org_show", "one organization and its settings").add_argument("org")
    disclosure = command(
        org, "disclosure", "org_disclosure", "set the smallest count answers may show"
    )
    disclosure.add_argument("org")
    disclosure.add_argument(
        "--min-cell-size",
        type=int,
        required=True,
        metavar="K",
        help="no count from 1 to K-1, no statistic of fewer than K rows, for principals"
        " without the scope rows (default 11; 0 turns it off)",
    )

    key = group("key", "API keys")
    issue = command(key, "issue", "key_issue", "issue a key (printed once)")
    issue.add_argument("org")
    issue.add_argument("--name", default="default", help="what the key is for (default: default)")
    issue.add_argument(
        "--scopes",
        default=",".join(DEFAULT_SCOPES),
        help=f"comma-separated, from: {', '.join(SCOPES)} (default: {','.join(DEFAULT_SCOPES)};"
        " rows: exact small counts and record-level answers)",
    )
    issue.add_argument(
        "--expires-in-days",
        type=int,
        metavar="N",
        help="the key stops working after N days (default: never)",
    )
    command(key, "list", "key_list", "list keys (never their secrets)").add_argument(
        "org", nargs="?"
    )
    command(key, "revoke", "key_revoke", "revoke a key").add_argument("key_id")

    user = group("user", "users who sign in")
    add = command(user, "add", "user_add", "add a user (password read from stdin)")
    add.add_argument("org")
    add.add_argument("email")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (never from the command line)",
    )
    add.add_argument(
        "--rows",
        action="store_true",
        help="grant record-level access: exact small counts and record-level answers",
    )
    command(user, "list", "user_list", "list users").add_argument("org", nargs="?")
    rows = command(user, "rows", "user_rows", "grant or withdraw record-level access")
    rows.add_argument("org")
    rows.add_argument("email")
    rows.add_argument("state", choices=["on", "off"])
    command(user, "disable", "user_disable", "refuse a user's sign-in").add_argument("email")
    command(user, "enable", "user_enable", "allow it again").add_argument("email")
    reset = command(user, "passwd", "user_passwd", "set a new password (from stdin)")
    reset.add_argument("email")
    reset.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (never from the command line)",
    )

    audit_cmd = command(sub, "audit", "audit", "the audit trail (or: hpx audit verify)")
    audit_cmd.add_argument(
        "action",
        nargs="?",
        choices=["verify"],
        help="verify: check the hash chain; non-zero exit if a record was changed or removed",
    )
    audit_cmd.add_argument("--limit", type=_LIMIT, default=50, help="how many (default 50)")
    audit_cmd.add_argument(
        "--head",
        metavar="HASH",
        help="with verify: a head an earlier verify printed (kept elsewhere) must be in the chain",
    )
    command(sub, "activity", "activity", "the latest uploads").add_argument(
        "--limit", type=_LIMIT, default=50, help="how many (default 50)"
    )
    command(sub, "admin", "admin", "the operator console (Textual)")
    command(sub, "gc", "gc", "remove expired upload sessions and stray temporary files")
    command(
        sub, "verify", "verify", "check that every recorded file is stored intact"
    ).add_argument(
        "--rehash", action="store_true", help="also recompute every file's SHA-256 (reads all)"
    )
    command(
        sub, "migrate", "migrate", "copy files and metadata to another store and database"
    ).add_argument(
        "--to-config",
        type=Path,
        required=True,
        metavar="NEW.toml",
        help="the configuration naming them (store = s3, database_url)",
    )
    command(sub, "backup", "backup", "copy the database and every file to DEST").add_argument(
        "dest", type=Path
    )
    restore = command(
        sub, "restore", "restore", "restore a backup into the data directory", local=False
    )
    restore.add_argument("src", type=Path)
    restore.add_argument("--force", action="store_true", help="replace an existing database")

    up = partner(sub, "upload", "upload", "upload files or directories (resumable)")
    up.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files or directories")
    up.add_argument(
        "--parallel", type=_whole(1, 32), default=4, help="parts in flight, 1 to 32 (default 4)"
    )
    up.add_argument(
        "--part-size",
        type=_size(1, 2**63 - 1),
        help="bytes per part, or with K/M/G (5M); default: the server's, which says its range",
    )
    partner(sub, "files", "files", "list the organization's files")
    down = partner(sub, "download", "download", "download a file (resumes, checks SHA-256)")
    down.add_argument("file_id")
    down.add_argument("-o", "--output", type=Path, help="where to write it (default: its name)")
    partner(sub, "delete", "delete", "delete a file").add_argument("file_id")
    link = partner(sub, "link", "link", "a drop link: a page where a person drops files")
    link.add_argument("--label", help="shown on the page: what the files are for")
    link.add_argument("--max-files", type=int, help="how many files it takes (default 20)")
    link.add_argument(
        "--expires-in", type=_seconds, metavar="TIME", help="how long it works: 3600, 90m, 12h, 7d"
    )
    login = partner(sub, "login", "login", "sign in; hpx ask then uses the token", key=False)
    login.add_argument("--email", required=True)
    login.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    q = partner(sub, "ask", "ask", "ask an appliance a question (streamed)", key=False)
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
    token = argparse.ArgumentParser(add_help=False)
    token.add_argument(
        "--token",
        default=os.environ.get("HPX_TOKEN"),
        help="bearer token, if no API key (else HPX_TOKEN, else hpx login's)",
    )
    partner(sub, "datasets", "datasets", "list the organization's datasets", parents=[token])
    ds = group("dataset", "one dataset: its profile and data dictionary")
    partner(ds, "show", "dataset_show", "a dataset's columns", parents=[token]).add_argument("name")
    dictionary = partner(
        ds, "dictionary", "dataset_dictionary", "print the dictionary, or send FILE.json",
        parents=[token],
    )  # fmt: skip
    dictionary.add_argument("name")
    dictionary.add_argument("file", nargs="?", type=Path, metavar="FILE.json")
    return parser


def _version() -> str:
    try:
        return importlib.metadata.version("healthproximate-appliance")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
