"""Whether a URL text names a server the user runs: its host a loopback, private or unspecified address
(`127.0.0.1`, `192.168.1.20`, `0.0.0.0`), a local name (`localhost`, `gpu-box.local`, `host.docker.internal`),
or, the host unknown, a port only a self-hosted model server listens on by default (Ollama's 11434).
The names, suffixes, networks and ports are catalog data (catalog/output_caps.toml [self_hosted])."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Optional

from tokenlint.resolve.caps import caps_data
from tokenlint.resolve.urls import HOLE

_HOST_ENDS = "/?#"


@lru_cache(maxsize=1)
def _table() -> tuple[frozenset[str], tuple[str, ...], tuple, frozenset[int], tuple[str, ...]]:
    spec = caps_data().get("self_hosted", {})
    return (frozenset(h.lower() for h in spec.get("hosts", ())), tuple(s.lower() for s in spec.get("host_suffixes", ())),
            tuple(ipaddress.ip_network(n) for n in spec.get("networks", ())),
            frozenset(int(p) for p in spec.get("server_ports", ())),
            tuple(s.lower() for s in spec.get("not_host_suffixes", ())))


def local_host(text: str, whole: bool = True) -> Optional[bool]:
    """Whether URL text `text` (`scheme://host[:port]/...`, HOLE for unknown parts) names a server the
    user runs: True, False, or None when its host is not known. `whole`: the text is the whole URL;
    otherwise only its start is known (the literal head of an f-string), and a host it does not end is
    judged by what is written of it (`"http://192.168."`: an address of a private network)."""
    if "://" not in text:
        return None
    rest = text.split("://", 1)[1]
    end = next((i for i, c in enumerate(rest) if c in _HOST_ENDS), None)
    authority = (rest if end is None else rest[:end]).rpartition("@")[2]
    if HOLE in authority:
        head, _, tail = authority.partition(HOLE)
        if ":" in head and not head.startswith("["):  # "localhost:{port}": the host is whole
            return _local_name(head.partition(":")[0]) if head.partition(":")[0] else None
        port = tail.rpartition(":")[2] if ":" in tail else ""
        if port.isdecimal() and port.isascii() and int(port) in _table()[3]:
            return True  # `f"http://{host}:11434"`: a port only a model server the user runs takes
        return _partial_address(head)
    host, sep = _split_port(authority)
    if not (end is not None or whole or sep):
        return _partial_address(host)  # the literal head of a URL, cut inside its host
    return _local_name(host) if host else None


def _split_port(authority: str) -> tuple[str, bool]:
    """The host of `host[:port]` (`[::1]:8000` too), and whether a port separator follows it."""
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        return host, rest.startswith(":")
    if authority.count(":") == 1:
        return authority.partition(":")[0], True
    return authority, False


def _local_name(host: str) -> bool:
    names, suffixes, networks, _, not_suffixes = _table()
    low = host.lower().rstrip(".")
    if low in names or low.endswith(suffixes) and not low.endswith(not_suffixes):
        return True
    try:
        address = ipaddress.ip_address(low)
    except ValueError:
        return False
    return any(address in n for n in networks if n.version == address.version)


def _partial_address(head: str) -> Optional[bool]:
    """A host known only by its start: an IPv4 address whose written octets (`192.168.`) lie in a
    configured network; else unknown."""
    parts = head.split(".")
    octets = parts[:-1]  # the last part may be cut
    if not octets or len(octets) > 3 or not all(p.isdecimal() and p.isascii() and int(p) < 256 for p in octets):
        return None
    net = ipaddress.ip_network(".".join(octets + ["0"] * (4 - len(octets))) + f"/{8 * len(octets)}")
    return True if any(n.version == 4 and net.subnet_of(n) for n in _table()[2]) else None
