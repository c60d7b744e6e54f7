"""The one exception of a refused sign-in through the provider, carrying a code to word."""


class SignInRefused(Exception):
    """A sign-in through the provider that must not go ahead; nothing has been written.

    `code` is a key of sso.presenters.REFUSAL_WORDS; `detail` fills in the sentence.
    """

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
