"""Rate limits of the public registry, so that no one can tie up the workers for nothing.

- ``csv_limit``: the CSV export, ``REGISTRY_CSV_LIMIT`` (default "10 per minute"), per
  client address for visitors and per account for signed-in users (an account costs
  nothing to make, and the download costs the same either way).
- ``page_limit``: the registry's pages (search, a person, firms, statistics), one budget
  across them of ``REGISTRY_PAGE_LIMIT`` (default "120 per minute") per client address,
  for visitors only: members and staff work in these pages.

The client address is the one the proxy reports when ``PROXY_FIX`` is set (see
``core.urls``). Over a limit the answer is 429 with Retry-After."""

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from educational.core.extensions import limiter


def _signed_in() -> bool:
    return bool(current_user.is_authenticated)


def _account_or_address() -> str:
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{get_remote_address()}"


csv_limit = limiter.limit(
    lambda: current_app.config["REGISTRY_CSV_LIMIT"], key_func=_account_or_address
)
page_limit = limiter.shared_limit(
    lambda: current_app.config["REGISTRY_PAGE_LIMIT"],
    scope="registry-pages",
    exempt_when=_signed_in,
)
