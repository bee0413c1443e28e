"""The address policy: which addresses destinations may reach, checked when a transport is made
and again on every connected socket (DNS rebinding), before anything is sent."""

from __future__ import annotations

import socket

import pytest

from reverse_etl.destinations.base import ConfigError, Record
from reverse_etl.destinations.webhook import WebhookDestination
from reverse_etl.errors import PermanentError
from reverse_etl.transport import AddressRefused, HttpTransport, is_request_level
from reverse_etl.transport.address_policy import ENV_VAR, refusal
from tests.reverse_etl.loopback import LoopbackServer

PUBLIC = "93.184.216.34"


def resolve(monkeypatch, answers: dict[str, str]) -> None:
    """Make socket.getaddrinfo answer `answers[host]` (other hosts resolve as usual)."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        family = socket.AF_INET6 if ":" in answers[host] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (answers[host], port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def transport(url: str) -> HttpTransport:
    return HttpTransport(url, account_key="webhook:policy", sleep=lambda _s: None)


@pytest.mark.parametrize("address", [
    "169.254.169.254", "fe80::1", "224.0.0.1", "ff02::1", "0.0.0.0", "::", "0.1.2.3",
    "240.0.0.1", "255.255.255.255", "::ffff:169.254.169.254", "2002:a9fe:a9fe::1"])
def test_never_allowed_whatever_the_setting(monkeypatch, address):
    monkeypatch.setenv(ENV_VAR, "0.0.0.0/0,::/0")
    assert "never allowed" in refusal(address)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "fc00::1",
    "198.18.0.1", "::ffff:10.0.0.1"])
def test_private_addresses_need_the_operator_setting(monkeypatch, address):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert f"set {ENV_VAR}=" in refusal(address)
    monkeypatch.setenv(ENV_VAR, "0.0.0.0/0,::/0")
    assert refusal(address) is None


@pytest.mark.parametrize("address", ["8.8.8.8", PUBLIC, "2606:4700::1111"])
def test_public_addresses_pass(monkeypatch, address):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert refusal(address) is None


def test_metadata_service_is_refused_even_when_everything_is_allowed(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "0.0.0.0/0")
    with pytest.raises(ConfigError, match=r"169\.254\.169\.254.*link-local"):
        transport("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ConfigError, match="link-local"):
        transport("http://[::ffff:169.254.169.254]/")


def test_loopback_needs_the_setting_and_the_message_says_how(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(ConfigError) as info:
        transport("http://127.0.0.1:9/hook")
    assert "127.0.0.1" in str(info.value) and "loopback" in str(info.value)
    assert f"set {ENV_VAR}=127.0.0.1/32" in str(info.value)
    monkeypatch.setenv(ENV_VAR, "127.0.0.1/32")
    transport("http://127.0.0.1:9/hook").close()
    monkeypatch.setenv(ENV_VAR, "127.0.0.0/8")
    with pytest.raises(ConfigError, match=r"10\.1\.2\.3.*private"):
        transport("https://10.1.2.3/")


def test_a_hostname_is_judged_by_what_it_resolves_to(monkeypatch):
    resolve(monkeypatch, {"metadata.internal.test": "169.254.169.254",
                          "hooks.example.test": PUBLIC})
    with pytest.raises(ConfigError, match=r"metadata\.internal\.test \(169\.254\.169\.254\)"):
        transport("https://metadata.internal.test/hook")
    transport("https://hooks.example.test/hook").close()


def test_scheme_and_host_are_required_and_unresolvable_hosts_wait(monkeypatch):
    for url, why in [("ftp://example.com/x", "scheme"), ("file:///etc/passwd", "scheme"),
                     ("http:///no-host", "no host"), ("hooks.example.com/x", "scheme")]:
        with pytest.raises(ConfigError, match=why):
            transport(url)

    def no_dns(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    transport("https://not-resolvable-now.example.test/").close()  # checked when connecting


def test_a_bad_setting_is_a_config_error(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "127.0.0.1/32,localhost")
    with pytest.raises(ConfigError, match="'localhost' is not an IP address"):
        refusal("127.0.0.1")


def test_dns_rebinding_is_refused_at_connection_time(monkeypatch):
    """Public when checked, 127.0.0.1 when connecting: the socket's peer is refused."""
    with LoopbackServer() as server:
        port = server.url.rsplit(":", 1)[1]
        resolve(monkeypatch, {"rebind.example.test": PUBLIC})
        http = transport(f"http://rebind.example.test:{port}/hook")  # pre-flight passes
        resolve(monkeypatch, {"rebind.example.test": "127.0.0.1"})
        monkeypatch.delenv(ENV_VAR, raising=False)
        with http, pytest.raises(PermanentError) as info:
            http.request("POST", "", json={"a": 1})
        assert isinstance(info.value, AddressRefused)
        assert "rebind.example.test (127.0.0.1): loopback" in str(info.value)
        assert http.stats["attempts"] == 1 and server.requests == []  # not retried, not sent
        monkeypatch.setenv(ENV_VAR, "127.0.0.1/32")  # the same connection, now allowed
        with transport(f"http://rebind.example.test:{port}/hook") as allowed:
            assert allowed.request("POST", "", json={"a": 1}).json() == {"ok": True}
        assert [r.path for r in server.requests] == ["/hook"]


def test_an_absolute_link_to_a_refused_address_is_not_followed(monkeypatch):
    with LoopbackServer() as server:
        http = transport(server.url)
        monkeypatch.delenv(ENV_VAR, raising=False)  # allowed when made, not any more
        with http, pytest.raises(AddressRefused):
            http.request("GET", f"{server.url}/next-page?cursor=2")
        assert server.requests == []


def test_a_refused_connection_fails_the_batch_without_splitting_it(monkeypatch):
    monkeypatch.setenv("CDP_TEST_POLICY_SECRET", "policy-secret")
    with LoopbackServer() as server:
        destination = WebhookDestination("policy", "upsert", {
            "url": f"{server.url}/hook", "secret_env": "CDP_TEST_POLICY_SECRET"})
        monkeypatch.delenv(ENV_VAR, raising=False)
        records = [Record(f"k{i}", {"n": i}, f"h{i}") for i in range(64)]
        with destination, pytest.raises(AddressRefused):
            destination.upsert(records)
        assert destination.http.stats["requests"] == 1 and server.requests == []


def test_https_is_checked_before_the_tls_handshake(monkeypatch):
    with LoopbackServer() as server:  # plain HTTP: a handshake would fail with an SSL error
        http = transport(server.url.replace("http://", "https://"))
        monkeypatch.delenv(ENV_VAR, raising=False)
        with http, pytest.raises(AddressRefused, match="loopback"):
            http.request("GET", "/x")


def test_is_request_level_covers_refused_addresses_and_redirects():
    assert is_request_level(AddressRefused("refusing to send to x (10.0.0.1): private"))
    assert is_request_level(PermanentError("HTTP 301", status=301))
    assert not is_request_level(PermanentError("HTTP 422", status=422))
    assert not is_request_level(PermanentError("no status"))
