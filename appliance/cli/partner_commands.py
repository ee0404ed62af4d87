"""The commands partners run against an appliance over HTTPS (``hpx upload``,
``files``, ``download``, ``delete``, ``link``, ``login``, ``ask``, ``datasets``,
``dataset``).

Only the standard library, httpx and :mod:`appliance.partner.client` here: a partner's
machine installs the client alone (``pip install healthproximate-appliance``, no
extras) and these commands work without any of the server's packages.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from appliance.cli.output import CommandError, password_from_stdin, print_result
from appliance.partner import ask, client
from storage.durable import write_private


def cmd_upload(args: argparse.Namespace) -> Any:
    paths = _files_under(args.paths)
    with _client(args) as hpx:
        send = functools.partial(hpx.upload, parallel=args.parallel, part_size=args.part_size)
        uploaded = [_partner_call(functools.partial(send, p), f"upload of {p}") for p in paths]
    one_file = len(args.paths) == 1 and args.paths[0].is_file()
    return uploaded[0] if one_file else uploaded


def cmd_files(args: argparse.Namespace) -> Any:
    with _client(args) as hpx:
        return _partner_call(hpx.files, "listing")


def cmd_download(args: argparse.Namespace) -> Any:
    """The file, renamed into place only once its SHA-256 matched: which it says."""
    with _client(args) as hpx:
        got = _partner_call(lambda: hpx.download(args.file_id, args.output), "download")
    print(f"{got['saved_as']}: SHA-256 verified ({got['sha256']})", file=sys.stderr)
    return got | {"sha256_verified": True}


def cmd_delete(args: argparse.Namespace) -> Any:
    with _client(args) as hpx:
        _partner_call(lambda: hpx.delete(args.file_id), "delete")
    return {"file_id": args.file_id, "deleted": True}


def cmd_link(args: argparse.Namespace) -> Any:
    with _client(args) as hpx:
        return _partner_call(
            lambda: hpx.drop_link(
                label=args.label, max_files=args.max_files, expires_in=args.expires_in
            ),
            "drop link",
        )


def cmd_login(args: argparse.Namespace) -> Any:
    if not args.password_stdin:
        raise CommandError("pass the password on stdin with --password-stdin")
    password = password_from_stdin()
    url = args.url.rstrip("/")
    token = _partner_call(
        lambda: client.sign_in(url, args.email, password, client.trust(args.cacert)), "sign-in"
    )
    saved = _token_file()
    saved.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    cacert = str(Path(args.cacert).resolve()) if args.cacert else None
    kept = {"url": url, "cacert": cacert, "access_token": token["access_token"]}
    write_private(saved, json.dumps(kept).encode())
    return {"signed_in": args.email, "expires_in": token.get("expires_in"), "kept_in": str(saved)}


def _files_under(paths: list[Path]) -> list[Path]:
    """The files named, and those under the directories named, in a stable order."""
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


def _client(args: argparse.Namespace) -> client.Client:
    if not args.api_key:
        raise CommandError("--api-key or HPX_API_KEY is required")
    return client.Client(args.url, api_key=args.api_key, cacert=args.cacert)


def _partner_call(call: Callable[[], Any], what: str) -> Any:
    """The call's result; a refusal or a broken link as one line for a person."""
    try:
        return call()
    except (client.UploadError, OSError, httpx.HTTPError) as exc:
        raise CommandError(f"{what} failed: {client.explain(exc)}") from exc


def _token_file() -> Path:
    """Where ``hpx login`` keeps its token: the user's own configuration, mode 0600."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "hpx" / "token.json"


def _saved() -> dict[str, Any]:
    """What ``hpx login`` kept (url, cacert, access_token), or nothing."""
    try:
        saved = json.loads(_token_file().read_text())
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _saved_token(url: str) -> str | None:
    saved = _saved()
    token = saved.get("access_token") if saved.get("url") == url.rstrip("/") else None
    return str(token) if token else None


def with_login(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` with the ``--url`` and ``--cacert`` of the last ``hpx login`` where none
    was given: after signing in once, no command needs them again. A certificate is
    only taken for the URL it was kept with."""
    saved = _saved()
    if args.url is None:
        if not saved.get("url"):
            raise CommandError(
                "--url is required (the appliance's https:// address), or `hpx login --url URL`"
                " once"
            )
        args.url = str(saved["url"])
    if args.cacert is None and saved.get("cacert") and saved.get("url") == args.url.rstrip("/"):
        args.cacert = str(saved["cacert"])
    return args


def cmd_ask(args: argparse.Namespace) -> Any:
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


# -- datasets: what the analytics API offers, without curl -----------------------------


def cmd_datasets(args: argparse.Namespace) -> Any:
    with _reader(args) as hpx:
        found = _partner_call(hpx.datasets, "listing datasets")
    if args.json:
        return found
    return [
        {"name": d["name"], "rows": d["row_count"], "columns": len(d["columns"]),
         "status": d["status"], "file": d["filename"]}
        for d in found
    ]  # fmt: skip


def cmd_dataset_show(args: argparse.Namespace) -> Any:
    with _reader(args) as hpx:
        profile = _partner_call(lambda: hpx.dataset(args.name), "dataset")
    if args.json:
        return profile
    print(f"{profile['name']}: {profile['row_count']} rows from {profile['filename']}"
          f" ({profile['file_id']}), {profile['status']}")  # fmt: skip
    if profile.get("error"):
        print(f"error: {profile['error']}")
    print_result([_column_line(c) for c in profile["columns"]], False)
    return None


def cmd_dataset_dictionary(args: argparse.Namespace) -> Any:
    """Without FILE the dictionary, as JSON even without --json: it is what FILE takes
    back (print, edit, send); with FILE, sent."""
    if args.file is None:
        with _reader(args) as hpx:
            found = _partner_call(lambda: hpx.dictionary(args.name), "dictionary")
        print_result(found, True)
        return None
    try:
        body = json.loads(args.file.read_bytes())
    except (OSError, ValueError) as exc:
        raise CommandError(f"{args.file}: not a JSON file ({exc})") from exc
    with _reader(args) as hpx:
        profile = _partner_call(lambda: hpx.set_dictionary(args.name, body), "dictionary")
    described = client.dictionary_of(profile)["columns"]
    if args.json:
        return profile
    return {"dataset": profile["name"], "columns_described": len(described)}


def _reader(args: argparse.Namespace) -> client.Client:
    """An API key with the ``query`` scope, else the token of ``--token``/``hpx login``."""
    if args.api_key:
        return client.Client(args.url, api_key=args.api_key, cacert=args.cacert)
    token = args.token or _saved_token(args.url)
    if not token:
        raise CommandError("--api-key (HPX_API_KEY), --token (HPX_TOKEN) or `hpx login` first")
    return client.Client(args.url, token=token, cacert=args.cacert)


def _column_line(column: dict[str, Any]) -> dict[str, Any]:
    """One row of ``hpx dataset show``: the profile, then the dictionary's label."""
    return {
        "column": column["name"],
        "type": column["type"],
        "nulls": column["nulls"],
        "distinct": column["distinct"],
        "min": column["min"],
        "max": column["max"],
        "label": column.get("label"),
    }
