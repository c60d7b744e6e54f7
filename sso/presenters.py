"""The words of single sign-on that people read: the sign-in page's button and its refusals."""

from sso.config import provider_name

# Why a sign-in through the provider was refused, by code (the backend and views raise codes).
REFUSAL_WORDS = {
    "unreachable": "{name} cannot be reached right now, so you cannot sign in with it. "
    "Try again in a few minutes, or ask your administrator.",
    "not_json": "{name} answered with something that is not its sign-in configuration. "
    "Ask your administrator to check OIDC_ISSUER.",
    "issuer_mismatch": "{name} describes itself as another issuer than the one configured, "
    "so its sign-ins are not trusted. Ask your administrator to check OIDC_ISSUER.",
    "incomplete": "{name}'s sign-in configuration lacks endpoints this app needs.",
    "provider_error": "{name} did not sign you in ({detail}).",
    "state": "This sign-in was started in another browser or has timed out: try again.",
    "token_request": "{name} did not hand over your sign-in: try again, or ask your "
    "administrator to check the client id and secret.",
    "wrong_issuer": "The sign-in was refused: its token was issued by another provider "
    "than {name}.",
    "wrong_audience": "The sign-in was refused: its token was issued for another application.",
    "expired": "The sign-in was refused: its token has expired. Check this server's clock, "
    "then try again.",
    "bad_signature": "The sign-in was refused: its token is not signed by {name}.",
    "bad_token": "The sign-in was refused: its token is not valid ({detail}).",
    "nonce": "The sign-in was refused: its token does not belong to this sign-in. Try again.",
    "no_email": "{name} did not share your email address, which this app needs to sign you in.",
    "unverified_email": "The sign-in was refused: {name} has not verified your email address "
    "{detail}. Verify it there, then try again.",
    "ambiguous_email": "More than one account here uses your email address: ask your "
    "administrator to merge them.",
    "bad_profile": "{name} sent a profile this app cannot use (check: {detail}).",
    "conflict": "Another sign-in of this account ran at the same moment: try again.",
    "inactive": "This account is deactivated: ask your administrator.",
    "password_login_off": "Sign in with {name}: password sign-in is turned off here.",
}


def sign_in_button_label() -> str:
    return f"Sign in with {provider_name()}"


def refusal_message(code: str, detail: str = "") -> str:
    """The sentence shown on the sign-in page when a sign-in through the provider fails."""
    template = REFUSAL_WORDS.get(code, REFUSAL_WORDS["bad_token"])
    return template.format(name=provider_name(), detail=detail or code).replace(" .", ".")
