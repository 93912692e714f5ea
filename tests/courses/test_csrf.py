"""courses.csrf.fresh_token(): Django's masked CSRF token, made with one draw of randomness."""

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.test import RequestFactory

from courses.csrf import fresh_token

SECRET = "abcdefghijABCDEFGHIJ0123456789xy"


def request_with_secret(secret=SECRET):
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_each_token_is_the_secret_masked_afresh_as_django_would():
    request = request_with_secret()
    tokens = [fresh_token(request) for _ in range(3000)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert len(token) == CSRF_TOKEN_LENGTH
        assert set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET  # Django's own check reads it back
    # The mask is uniform: every character turns up in every place of 3,000 masks.
    for place in range(CSRF_SECRET_LENGTH):
        assert {token[place] for token in tokens} == set(CSRF_ALLOWED_CHARS)


def test_the_cookie_is_renewed_as_get_token_renews_it():
    ours, djangos = request_with_secret(), request_with_secret()
    fresh_token(ours)
    get_token(djangos)
    assert ours.META["CSRF_COOKIE_NEEDS_UPDATE"] is djangos.META["CSRF_COOKIE_NEEDS_UPDATE"]
    assert ours.META["CSRF_COOKIE"] == djangos.META["CSRF_COOKIE"] == SECRET


def test_without_a_secret_django_makes_one_and_its_cookie():
    request = request_with_secret(None)
    token = fresh_token(request)
    made = request.META["CSRF_COOKIE"]
    assert len(made) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == made
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
