"""An LRS connection's password: from the environment variable the connection names, or
stored encrypted (courses.encryption)."""

import os

from courses.encryption import SecretUnavailable, decrypt, encrypt

__all__ = ["SecretUnavailable", "connection_secret", "decrypt", "encrypt"]


def connection_secret(connection) -> str:
    """The LRS password of a connection: from its environment variable when it names one,
    else the stored (encrypted) value."""
    if connection.secret_env:
        value = os.environ.get(connection.secret_env)
        if not value:
            raise SecretUnavailable(
                f"The environment variable {connection.secret_env} is not set on this server."
            )
        return value
    if not connection.secret_encrypted:
        raise SecretUnavailable("No secret has been saved for this LRS.")
    return decrypt(connection.secret_encrypted)
