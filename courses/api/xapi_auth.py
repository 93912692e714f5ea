"""Managers' keys on the xAPI Statement Resource (/xapi/): HTTP Basic, as LRS clients send
credentials, or the managers' API's `Authorization: Bearer <key>`.

A key `<prefix>.<secret>` travels in HTTP Basic either way an LRS client is configured:

- username = the key's prefix, password = the part after the dot (an LRS "key" and "secret");
- username = the whole key, empty password.

Both are verified by ApiKeyAuthentication.authenticate_key(), the managers' API's own check
(one SELECT by prefix, a constant-time hash comparison, revoked and expired keys refused).
"""

import base64
import binascii

from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from courses.api.authentication import ApiKeyAuthentication
from courses.api.permissions import HasApiKey

REALM = "xapi"


class XapiKeyAuthentication(ApiKeyAuthentication):
    """A manager's key from HTTP Basic or Bearer credentials. No credentials: None, and the
    permission check answers 401 with `WWW-Authenticate: Basic realm="xapi"`."""

    def authenticate(self, request):
        try:
            header = get_authorization_header(request)
        except UnicodeEncodeError:  # only a test client can send text beyond Latin-1
            raise exceptions.AuthenticationFailed("The API key is not valid.") from None
        scheme, _, credentials = header.strip().partition(b" ")
        if scheme.lower() == b"basic":
            return self.authenticate_key(basic_key(credentials.strip()))
        if scheme.lower() == b"bearer":
            return super().authenticate(request)
        return None

    def authenticate_header(self, request) -> str:
        return f'Basic realm="{REALM}"'


def basic_key(credentials: bytes) -> bytes:
    """The key in HTTP Basic credentials (base64 of `username:password`): `prefix.secret`
    from prefix and secret, or the whole key as the username with an empty password."""
    try:
        decoded = base64.b64decode(credentials, validate=True)
    except (binascii.Error, ValueError):
        raise exceptions.AuthenticationFailed(
            "The HTTP Basic credentials are not valid base64."
        ) from None
    username, colon, password = decoded.partition(b":")
    if not colon:
        raise exceptions.AuthenticationFailed(
            "Send HTTP Basic credentials as username:password (the key's prefix and secret)."
        )
    if not password:
        return username
    return username + b"." + password


class HasXapiKey(HasApiKey):
    """Only a request authenticated by a manager's key."""

    message = (
        "Send a training manager's API key: HTTP Basic with the key's prefix as the username "
        "and the part after the dot as the password, or 'Authorization: Bearer <key>'."
    )
