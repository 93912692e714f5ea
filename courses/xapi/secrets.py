"""An LRS connection's password: from the environment variable the connection names, or
stored encrypted (courses.encryption)."""

from courses.encryption import SecretUnavailable, configured_secret, decrypt, encrypt

__all__ = ["SecretUnavailable", "connection_secret", "decrypt", "encrypt"]


def connection_secret(connection) -> str:
    """The LRS password of a connection: from its environment variable when it names one,
    else the stored (encrypted) value."""
    return configured_secret(connection, missing="No secret has been saved for this LRS.")
