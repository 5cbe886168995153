"""Which URL texts name a server the user runs (resolve/hosts.py, catalog [self_hosted] hosts, suffixes,
networks and ports): the host read whole, not by its first letters."""

from __future__ import annotations

import pytest

from tokenlint.resolve.hosts import local_host
from tokenlint.resolve.urls import HOLE

LOCAL = ["http://localhost:8000/v1", "http://127.0.0.1:8080", "http://127.8.9.1/v1", "http://0.0.0.0:8000/v1",
         "http://[::1]:8000/v1", "http://gpu-box.local:8000/v1", "http://web.localhost/v1",
         "http://host.docker.internal:1234/v1", "http://172.17.0.1:11434/v1",
         "http://192.168.1.20/v1", "http://user:secret@localhost:8000/v1", "http://LOCALHOST:8000/v1",
         f"http://{HOLE}:11434/v1", f"http://localhost:{HOLE}/v1", f"http://192.168.{HOLE}.5:8000/v1"]
HOSTED = ["https://api.openai.com/v1", "https://localhost-gateway.example.com/v1", "http://127.0.0.1.nip.io/v1",
          "http://172.64.1.1/v1", "http://172.32.0.1/v1", "http://8.8.8.8/v1", "https://mylocal.example.com/v1",
          "https://example.local.evil.com/v1",
          # a company gateway's addresses: who bills a request sent there is not said (review of post24a)
          "http://10.0.3.7:8000/v1", "https://llm-gateway.corp.internal/v1", "http://172.31.5.9:4000/v1",
          "http://litellm.ai.svc.cluster.local:4000/v1"]
UNKNOWN = [f"http://{HOLE}:8000/v1", f"http://{HOLE}/v1", HOLE, "localhost:8000", f"http://172.{HOLE}.0.1/v1",
           f"https://{HOLE}.openai.azure.com/v1"]


@pytest.mark.parametrize("text", LOCAL)
def test_local_hosts(text):
    assert local_host(text) is True


@pytest.mark.parametrize("text", HOSTED)
def test_other_hosts(text):
    assert local_host(text) is False


@pytest.mark.parametrize("text", UNKNOWN)
def test_hosts_not_known(text):
    assert local_host(text) is None


def test_the_head_of_a_url_is_judged_by_what_it_writes():
    # an f-string's first literal: `f"http://192.168.{net}.5"`, `f"http://localhost:{port}"`
    assert local_host("http://192.168.", whole=False) is True
    assert local_host("http://localhost:", whole=False) is True
    assert local_host("http://172.", whole=False) is None
    assert local_host("http://api.", whole=False) is None
    assert local_host("http://localhost", whole=False) is None  # the host may go on: localhost.example.com


@pytest.mark.parametrize("text", ["http://h\u00b2:8000/v1", f"http://{HOLE}:\u00b2/v1", "http://\u00b2" + HOLE + "/v1",
                                  "http://1\u00b2.0.0.1/v1"])
def test_digits_python_does_not_read_as_a_number_are_no_port_or_address(text):
    # `str.isdigit` takes superscripts, which `int` refuses: a file holding one lost all its findings (TKL000)
    assert local_host(text) in (False, None)
    assert local_host(text, whole=False) in (False, None)
