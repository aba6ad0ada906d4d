"""Where a webhook may be sent: http(s) only, and in production never to a private,
loopback, link-local or otherwise internal address (server-side request forgery): the host
is resolved and every address it resolves to is checked, at registration and again before
each attempt. ``WEBHOOKS_ALLOW_PRIVATE`` (tests, a local receiver) lifts the second rule."""

import ipaddress
import socket
from urllib.parse import urlsplit


class Refused(ValueError):
    """The URL may not receive webhooks; the message says why."""


def check_url(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Refused("Only http:// and https:// addresses can receive webhooks.")
    if parts.username or parts.password:
        raise Refused("Leave user names and passwords out of the address.")
    if allow_private:
        return  # the addresses are looked up only to refuse private ones
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as error:
        raise Refused(f"The host name does not resolve ({error}).") from None
    for _family, _type, _proto, _name, address in found:
        ip = ipaddress.ip_address(address[0].split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise Refused(
                "The address resolves to a private or local network; webhooks go to public "
                "addresses only."
            )
