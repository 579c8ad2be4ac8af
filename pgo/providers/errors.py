"""What can go wrong while connecting or reading, each with one clear message for the patient."""

from __future__ import annotations

from pgo.i18n import _

CONSENT_REFUSED = "consent_refused"
UNREACHABLE = "unreachable"
NEEDS_CONSENT = "needs_consent"
UNREADABLE = "unreadable"
STATE_MISMATCH = "state_mismatch"
REJECTED = "rejected"
IMPORT_FAILED = "import_failed"
PERMISSION_WITHDRAWN = "permission_withdrawn"  # the server ended the grant (invalid_grant on refresh), #24
TOKEN_EXPIRED = "token_expired"  # noqa: S105 - internal: the provider refused the access token; refresh and retry once


def error_message(kind: str, provider_name: str) -> str:
    """The patient-facing message for an error kind (translated in the current language)."""
    messages = {
        CONSENT_REFUSED: lambda: _(
            "You did not give %(provider)s permission to share your records. Nothing was imported.",
            provider=provider_name,
        ),
        UNREACHABLE: lambda: _(
            "We could not reach %(provider)s. Try again later. Your earlier records are unchanged.",
            provider=provider_name,
        ),
        NEEDS_CONSENT: lambda: _(
            "Your permission at %(provider)s has expired. Connect again to give permission.",
            provider=provider_name,
        ),
        PERMISSION_WITHDRAWN: lambda: _(
            "Your permission at %(provider)s was withdrawn or has ended. Your earlier records are kept. "
            "Connect again if you want to share your records again.",
            provider=provider_name,
        ),
        TOKEN_EXPIRED: lambda: _(
            "Your permission at %(provider)s has expired. Connect again to give permission.",
            provider=provider_name,
        ),
        UNREADABLE: lambda: _(
            "%(provider)s sent data we could not read. Nothing was changed.",
            provider=provider_name,
        ),
        STATE_MISMATCH: lambda: _(
            "This link to connect %(provider)s is not valid. Start again.", provider=provider_name
        ),
        REJECTED: lambda: _(
            "%(provider)s did not accept the connection. Start again, or try again later.", provider=provider_name
        ),
        IMPORT_FAILED: lambda: _(
            "The records from %(provider)s could not be saved. Nothing was changed.", provider=provider_name
        ),
    }
    return messages.get(kind, messages[REJECTED])()


class ProviderError(Exception):
    """A failure on the way to or from a care provider; ``kind`` says which, ``message()`` what the patient reads."""

    def __init__(self, kind: str, provider_name: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.provider_name = provider_name
        self.detail = detail

    def message(self) -> str:
        return error_message(self.kind, self.provider_name)
