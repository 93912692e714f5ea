"""Secrets the platform must send elsewhere (an LRS's password, an identity provider's client
secret), stored encrypted.

Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) with a key derived
from SECRET_KEY, so no second secret has to be managed; values written under a key in
SECRET_KEY_FALLBACKS still decrypt while the key is rotated.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_PURPOSE = b"courses.encryption"


class SecretUnavailable(Exception):
    """The secret cannot be read: the message names the reason for the admin screen."""


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(_PURPOSE + key.encode()).digest()))
            for key in keys
        ]
    )


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise SecretUnavailable(
            "The stored secret cannot be read with this server's SECRET_KEY: enter it again."
        ) from None


def configured_secret(row, *, missing: str) -> str:
    """The secret of a row that names an environment variable (`secret_env`) or keeps the
    secret encrypted (`secret_encrypted`): the variable's value when it names one, else the
    stored value decrypted; in memory only. SecretUnavailable says why neither can be read
    (`missing` when nothing was saved)."""
    if row.secret_env:
        value = os.environ.get(row.secret_env, "")
        if not value:
            raise SecretUnavailable(
                f"The environment variable {row.secret_env} is not set on this server."
            )
        return value
    if not row.secret_encrypted:
        raise SecretUnavailable(missing)
    return decrypt(row.secret_encrypted)
