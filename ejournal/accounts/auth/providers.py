"""The configured sign-in providers by name: Госуслуги (ESIA) and a generic OpenID Connect provider.

Its own module because ESIA's provider builds on the OIDC one (`esia` imports `oidc`); choosing between
them inside `oidc` made a circle that only an import inside the function kept from failing.
"""

from __future__ import annotations

import requests

from . import esia, oidc


def get_provider(name: str) -> oidc.Provider | None:
    try:
        if name == "esia":
            return esia.esia_provider()
        if name == "oidc":
            return oidc.generic_provider()
    except (requests.RequestException, ValueError, KeyError) as e:
        raise oidc.OIDCError("Поставщик входа сейчас недоступен. Попробуйте позже или войдите по логину.") from e
    return None
