"""A masked CSRF token for each response, as django.middleware.csrf.get_token() makes it, with
the mask drawn from the operating system once.

get_token() draws its 32-character mask with get_random_string(), one secrets.choice() and so
one read of the operating system's randomness per character: 65 us of CPU on the benchmark
machine, about a twentieth of a lesson page served from its kept rendering
(courses.rendered). Here the mask is 32 base-62 digits from one draw (courses.randomness:
uniform, as one-time masking needs), and the secret is added to it character by
character exactly as Django does, so Django's CSRF check unmasks the token as its own.
"""

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

from courses.randomness import random_digits

_BASE = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}


def fresh_token(request) -> str:
    """get_token(request): this request's CSRF secret (CsrfViewMiddleware has checked the
    cookie's), masked afresh. Without a secret yet (no csrftoken cookie), Django's get_token()
    makes one and its cookie."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    # As get_token() does: the response renews the cookie (CsrfViewMiddleware).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_digits(_BASE, CSRF_SECRET_LENGTH)
    chars = CSRF_ALLOWED_CHARS
    cipher = "".join(chars[(_INDEX[c] + m) % _BASE] for c, m in zip(secret, mask, strict=True))
    return "".join(chars[m] for m in mask) + cipher
