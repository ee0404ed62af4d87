"""The server's TLS certificate: the configured one, or a self-signed one kept on disk.

A self-signed certificate is created once under ``<data_dir>/tls`` and reused across
restarts, so that partners who pinned its fingerprint keep trusting the server.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import re
import socket
import ssl
from pathlib import Path

SELF_SIGNED_DAYS = 825
_PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def ensure_self_signed(tls_dir: Path) -> tuple[Path, Path]:
    """Paths of the kept self-signed certificate and key, creating them on first use."""
    cert_path, key_path = tls_dir / "cert.pem", tls_dir / "key.pem"
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    # cryptography (6 MB of every server's memory) only when a certificate is made.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    tls_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Healthproximate appliance"),
            x509.NameAttribute(NameOID.COMMON_NAME, host[:64] or "localhost"),
        ]
    )
    alt_names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    if host and host != "localhost":
        alt_names.append(x509.DNSName(host))
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=SELF_SIGNED_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def fingerprint(cert_path: Path) -> str:
    """SHA-256 fingerprint as browsers and ``openssl x509 -fingerprint`` print it: of
    the first certificate of the file (the server's own, before its chain)."""
    first = _PEM_CERT.search(cert_path.read_text(errors="replace"))
    if first is None:
        raise ValueError(f"{cert_path.name}: no PEM certificate in it")
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(first.group(0))).digest()
    return ":".join(f"{b:02X}" for b in digest)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
