"""Which network addresses destinations may reach: public ones, and private ones if allowed.

Sync YAML is untrusted input (anyone who can open a pull request writes it), and a destination
URL is a request our workers send with credentials from inside the network: pointed at the
cloud metadata service (169.254.169.254) or an internal admin port, it is server-side request
forgery. So:

- always refused: link-local (169.254.0.0/16, fe80::/10: the metadata service), multicast,
  unspecified (0.0.0.0, ::, and 0.0.0.0/8, which Linux delivers to this host) and reserved;
- refused unless `CDP_ALLOW_PRIVATE_NETWORKS` (environment only, comma-separated IPs/CIDRs,
  e.g. `127.0.0.1/32,10.0.0.0/8`) allows them: loopback, private, shared (100.64.0.0/10) and
  whatever else `ipaddress` calls not global;
- IPv4-mapped (::ffff:a.b.c.d) and 6to4 addresses are judged by the IPv4 address inside.

`check_url` is the pre-flight at configuration time (clear errors early); `check_peer` runs on
every connected socket (see `guard`), which is what defeats DNS rebinding and absolute URLs
handed to us by the remote (pagination links).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from reverse_etl.destinations.base import ConfigError
from reverse_etl.errors import PermanentError

ENV_VAR = "CDP_ALLOW_PRIVATE_NETWORKS"
SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class AddressRefused(PermanentError):
    """A connection reached an address the policy refuses; nothing was sent.

    A PermanentError (retrying reaches the same address) that split retries treat as
    request-level: no record is at fault. Not an OSError, so urllib3 neither retries nor
    wraps it on its way out.
    """


@lru_cache(maxsize=8)
def _parse_allowed(setting: str) -> tuple[IPNetwork, ...]:
    networks = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ConfigError(f"{ENV_VAR}: {entry!r} is not an IP address or CIDR network "
                              "(e.g. 127.0.0.1/32,10.0.0.0/8)") from None
    return tuple(networks)


def allowed_networks() -> tuple[IPNetwork, ...]:
    """The private networks the operator lets destinations reach (read on every check)."""
    return _parse_allowed(os.environ.get(ENV_VAR, ""))


def _classify(ip: IPAddress) -> tuple[str, bool] | None:
    """(why `ip` is refused, whether the operator may allow it), or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            verdict = _classify(embedded)
            if verdict is not None or ip.ipv4_mapped is not None:
                return verdict
    if ip.is_link_local:
        return "link-local (cloud metadata service range)", False
    if ip.is_multicast:
        return "multicast", False
    if ip.is_unspecified or ip in _THIS_NETWORK:
        return "unspecified", False
    if ip.is_loopback:  # before `is_reserved`: ::1 lies in the reserved ::/8
        return "loopback", True
    if ip.is_reserved:
        return "reserved", False
    if ip in _SHARED:
        return "shared (carrier-grade NAT)", True
    if ip.is_private:
        return "private", True
    if not ip.is_global:
        return "not globally routable", True
    return None


def refusal(address: str) -> str | None:
    """Why `address` may not be reached under the current setting, or None if it may."""
    ip = ipaddress.ip_address(address)
    verdict = _classify(ip)
    if verdict is None:
        return None
    why, allowable = verdict
    if not allowable:
        return f"{why} addresses are never allowed"
    judged = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
    if any(candidate in network for network in allowed_networks() for candidate in {ip, judged}):
        return None
    prefix = 32 if judged.version == 4 else 128
    return (f"{why} address; to allow it, set {ENV_VAR}={judged}/{prefix} (comma-separated "
            "IPs or CIDRs) in the environment of the sync process")


def check_url(url: str, *, where: str = "destination") -> None:
    """Pre-flight: refuse with ConfigError a URL whose scheme or resolved addresses are refused.

    A host that does not resolve now is let through: DNS may be down for a moment, and the
    connection-time check still judges whatever address it resolves to later.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ConfigError(f"{where}: URL scheme must be http or https, not {scheme or 'none'!r}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # a port that is not a number
        raise ConfigError(f"{where}: invalid URL: {exc}") from None
    if not host:
        raise ConfigError(f"{where}: the URL has no host")
    try:
        infos = socket.getaddrinfo(host, port or (443 if scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return
    for *_, sockaddr in infos:
        address = str(sockaddr[0]).split("%")[0]  # drop an IPv6 zone (fe80::1%eth0)
        why = refusal(address)
        if why is not None:
            raise ConfigError(f"{where}: refusing host {host} ({address}): {why}")


def check_peer(sock: socket.socket, host: str | None = None) -> None:
    """Connection time: close `sock` and raise AddressRefused if its peer is refused."""
    try:
        address = str(sock.getpeername()[0]).split("%")[0]
        why = refusal(address)
    except BaseException:
        sock.close()
        raise
    if why is not None:
        sock.close()
        raise AddressRefused(f"refusing to send to {host or address} ({address}): {why}")
