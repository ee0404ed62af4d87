"""Drop links: a single-use URL a person opens in a browser to upload files, the
``drop_links`` table and its flow.

An integrator asks for a link (``POST /v1/uploads`` with ``"protocol": "link"``) and
sends it to a person, who never sees an API key. Fetching the link only shows its page
(mail scanners and chat previews fetch it first); the person's first act on the page
(a POST of its script, before the first file) opens the link and binds it to that
browser with a session secret (kept only as a hash here, and in the browser as a
cookie); from then on only that browser may create uploads through it, up to
``max_files``, each a tus upload of the link's organization. Any other visit, and
every visit after the person finishes, finds the link used; finishing also ends the
link's uploads not complete. A link is only as
good as the credential that made it, and its organization must be active.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from appliance import audit
from appliance.accounts import presign
from appliance.accounts.apikeys import Principal
from appliance.accounts.orgs import require_active_org
from appliance.clock import iso_epoch, now_iso
from appliance.context import Appliance
from appliance.db import Connection
from appliance.errors import ApplianceError, ErrorType
from appliance.files import records as files
from appliance.files.records import FileRecord
from appliance.ids import new_id
from appliance.uploads import tus_records, tus_service, upload_records
from appliance.uploads.tus_service import Created

log = logging.getLogger("hpx.links")
KIND = "link"
DEFAULT_MAX_FILES = 20
MAX_FILES = 1000
MAX_LABEL = 200


@dataclass(frozen=True)
class DropLink:
    id: str
    org_id: str
    label: str | None
    """Shown on the page so the person knows what the upload is for."""
    max_files: int
    uploads: int
    """Uploads created through the link so far."""
    state: str
    """``new`` (never opened), ``open`` (bound to one browser), ``closed`` (finished)."""
    session_hash: str | None
    created_at: str
    expires_at: str
    opened_at: str | None = None
    closed_at: str | None = None
    key_id: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class Minted:
    link: DropLink
    token: str


@dataclass(frozen=True)
class Visit:
    link: DropLink
    session: str | None
    """The new session secret when this visit opened the link; None on a return visit."""


def mint(
    appliance: Appliance,
    principal: Principal,
    *,
    label: str | None,
    max_files: int | None,
    expires_in: int | None,
) -> Minted:
    expires = presign.expiry(expires_in, appliance.settings.upload_url_ttl)
    link = DropLink(
        id=new_id("lnk"),
        org_id=principal.org.id,
        label=label,
        max_files=max_files or DEFAULT_MAX_FILES,
        uploads=0,
        state="new",
        session_hash=None,
        created_at=now_iso(),
        expires_at=iso_epoch(expires),
        key_id=principal.key_id,
        user_id=principal.user_id,
    )
    with appliance.db.write() as conn:
        conn.table("drop_links").insert(asdict(link))
        audit.record(conn, principal.actor, "link.create", org_id=link.org_id, target=link.id)
    token = appliance.signer.sign(link.id, link.org_id, expires, kind=KIND)
    return Minted(link, token)


def show(appliance: Appliance, token: str, session: str | None) -> DropLink:
    """A GET or HEAD of the link: the link, if it may still be opened (never opened)
    or is this browser's (a reload); else ``token_used``. It changes nothing: a mail
    gateway's link scanner or a chat's preview fetches links before the person does,
    and must not use them up."""
    link = _usable(appliance, token)
    if link.state == "new" or (link.state == "open" and _same_session(link, session)):
        return link
    raise ApplianceError(ErrorType.token_used, "this link has already been used")


def open_link(appliance: Appliance, token: str, session: str | None) -> Visit:
    """The person acts on the page (its first file): the link is bound to that browser
    with a new session secret; the same browser may open it again (a reload); any other
    finds it used (``token_used``)."""
    link = _usable(appliance, token)
    with appliance.db.write() as conn:
        link = _load(conn, link.org_id, link.id)
        if link.state == "open" and _same_session(link, session):
            return Visit(link, None)
        if link.state != "new":
            raise ApplianceError(ErrorType.token_used, "this link has already been used")
        secret = secrets.token_urlsafe(32)
        changes = {"state": "open", "session_hash": _hash(secret), "opened_at": now_iso()}
        conn.table("drop_links").update(link.id, changes)
        audit.record(conn, f"link:{link.id}", "link.open", org_id=link.org_id, target=link.id)
    log.info("drop link %s opened", link.id)
    return Visit(DropLink(**{**asdict(link), **changes}), secret)


def create_upload(
    appliance: Appliance,
    token: str,
    session: str | None,
    *,
    filename: str | None,
    content_type: str | None,
    length: int | None,
) -> Created:
    """One file of the link: a tus upload of the link's organization, counted against
    the link's ``max_files`` before it exists."""
    link = _opened(appliance, token, session)
    with appliance.db.write() as conn:
        taken = conn.execute(
            "UPDATE drop_links SET uploads = uploads + 1"
            " WHERE id = ? AND state = 'open' AND uploads < max_files",
            (link.id,),
        ).rowcount
    if taken != 1:
        raise ApplianceError(ErrorType.forbidden, f"this link takes at most {link.max_files} files")
    org = require_active_org(appliance.db, link.org_id)
    principal = Principal(org, frozenset({"upload"}), key_id=link.key_id, user_id=link.user_id)
    try:
        return tus_service.create(
            appliance,
            principal,
            filename=filename or "upload",
            content_type=content_type,
            length=length,
            link_id=link.id,
        )
    except BaseException:
        with appliance.db.write() as conn:
            conn.execute("UPDATE drop_links SET uploads = uploads - 1 WHERE id = ?", (link.id,))
        raise


def close(appliance: Appliance, token: str, session: str | None) -> list[FileRecord]:
    """The person is done: the link is used up, and so are its uploads not complete
    (they take no more bytes, from anyone); the files it brought, for the receipt.
    While one of its uploads is receiving a PATCH, 409: the person finishes after it."""
    link = _opened(appliance, token, session)
    with appliance.db.write() as conn:
        abandoned = tus_records.end_link_uploads(appliance.db, conn, link.org_id, link.id)
        closed = conn.execute(
            "UPDATE drop_links SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'",
            (now_iso(), link.id),
        ).rowcount
        if closed != 1:
            raise ApplianceError(ErrorType.token_used, "this link has already been used")
        audit.record(conn, f"link:{link.id}", "link.close", org_id=link.org_id, target=link.id)
    for upload_id in abandoned:
        appliance.store.remove_resumable(link.org_id, upload_id)
        tus_service.forget(upload_id)
    log.info("drop link %s closed", link.id)
    return received(appliance, link)


def received(appliance: Appliance, link: DropLink) -> list[FileRecord]:
    """The files that arrived through the link and are still there, oldest first."""
    found = []
    for file_id in tus_records.files_of_link(appliance.db, link.org_id, link.id):
        try:
            found.append(files.get_file(appliance.db, link.org_id, file_id))
        except ApplianceError as exc:  # deleted by the organization since
            if exc.kind is not ErrorType.not_found:
                raise
    return found


def remove_expired(appliance: Appliance) -> int:
    """Forget links past their expiry (their files stay: they are the organization's)."""
    with appliance.db.write() as conn:
        return conn.execute("DELETE FROM drop_links WHERE expires_at <= ?", (now_iso(),)).rowcount


def _usable(appliance: Appliance, token: str) -> DropLink:
    """The link a token names, if the token is genuine and unexpired, the organization
    active and the credential that made the link still valid."""
    grant = appliance.signer.verify(token)
    if grant.kind != KIND:
        raise ApplianceError(ErrorType.invalid_token)
    db = appliance.db
    require_active_org(db, grant.org_id)
    link = _load(db.conn, grant.org_id, grant.upload_id)
    upload_records.require_issuer(db, link)
    return link


def _opened(appliance: Appliance, token: str, session: str | None) -> DropLink:
    link = _usable(appliance, token)
    if link.state == "closed":
        raise ApplianceError(ErrorType.token_used, "this link has already been used")
    if link.state != "open" or not _same_session(link, session):
        raise ApplianceError(ErrorType.forbidden, "open the link in the browser it was opened in")
    return link


def _same_session(link: DropLink, session: str | None) -> bool:
    if not session or link.session_hash is None:
        return False
    return hmac.compare_digest(_hash(session), link.session_hash)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _load(conn: Connection, org_id: str, link_id: str) -> DropLink:
    rows: list[dict[str, Any]] = list(
        conn.query("SELECT * FROM drop_links WHERE id = ? AND org_id = ?", (link_id, org_id))
    )
    if not rows:  # a genuine token whose link expired and was forgotten
        raise ApplianceError(ErrorType.token_expired, "this link has expired")
    return DropLink(**rows[0])
