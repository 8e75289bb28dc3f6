"""GET /api/search (docs/api.md): streamed NDJSON exactly as `kiroku search --format json`,
stats/fields/count/limit parameters, and 400 with a JSON error for bad requests."""
import http.client
import json
import urllib.parse

import pytest

from kiroku_harness import field, require_binary, rfc5424, tcp_send, token


def setup_module(module):
    require_binary()


def get(server, params: dict):
    """(status, headers, body bytes) of GET /api/search?params."""
    h, p = server.http
    conn = http.client.HTTPConnection(h, p, timeout=60)
    conn.request("GET", "/api/search?" + urllib.parse.urlencode(params))
    r = conn.getresponse()
    body = r.read()
    headers = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, headers, body


@pytest.fixture
def corpus(kiroku):
    server = kiroku()
    tok = token()
    msgs = [rfc5424(f"{tok} n{i} " + ("denied" if i % 3 == 0 else "allowed"),
                    host=f"h{i % 4}", app="fw", pid=str(100 + i)) for i in range(40)]
    tcp_send(server.tcp, b"".join(m + b"\n" for m in msgs))
    server.wait_count(40, tok)
    return server, tok


def test_ndjson_streamed_like_the_cli(corpus):
    server, tok = corpus
    st, headers, body = get(server, {"q": tok, "time": "device"})  # as search_raw's default
    assert st == 200
    assert headers["content-type"] == "application/x-ndjson"
    assert headers.get("transfer-encoding") == "chunked"
    lines = body.decode().splitlines()
    assert len(lines) == 40
    recs = [json.loads(x) for x in lines]
    assert all(tok in field(r, "message") for r in recs)
    cli = server.search_raw("--format", "json", tok)
    assert cli.returncode == 0 and cli.stdout == body


def test_limit_since_until(corpus):
    server, tok = corpus
    st, _, body = get(server, {"q": tok, "limit": "7"})
    assert st == 200 and len(body.splitlines()) == 7
    st, _, body = get(server, {"q": tok, "since": "2h", "until": "now"})
    assert st == 200 and len(body.splitlines()) == 40
    st, _, body = get(server, {"q": tok, "since": "2000-01-01", "until": "2000-01-02"})
    assert st == 200 and body == b""


def test_count_stats_fields(corpus):
    server, tok = corpus
    st, headers, body = get(server, {"q": f"{tok} denied", "count": "true"})
    assert st == 200 and body == b"14\n"
    st, _, body = get(server, {"q": tok, "stats": "count by host.name", "limit": "2"})
    assert st == 200
    rows = [json.loads(x) for x in body.splitlines()]
    assert rows == [{"host.name": "h0", "count": 10}, {"host.name": "h1", "count": 10}]
    st, _, body = get(server, {"q": f"{tok} n5", "fields": "host.name,process.pid"})
    assert st == 200 and [json.loads(x) for x in body.splitlines()] == \
        [{"host.name": "h1", "process.pid": 105}]
    st, headers, body = get(server, {"q": f"{tok} n5", "fields": "host.name", "format": "csv"})
    assert st == 200 and headers["content-type"].startswith("text/csv")
    assert body == b"host.name\r\nh1\r\n"


@pytest.mark.parametrize("params,message", [
    ({"q": "host.name:(x"}, "query: column 13: expected ')'"),
    ({"q": "nosuch.field:1"}, None),
    ({"q": "", "since": "yesterday-ish"}, None),
    ({"q": "", "format": "xml"}, "format: expected table, json or csv"),
    ({"q": "", "limit": "many"}, "limit: expected a whole number"),
    ({"q": "", "limit": "-1"}, "limit: expected a whole number"),
    ({"q": "", "count": "maybe"}, "count: expected true or false"),
    ({"q": "", "stats": "sum by x"}, None),
    ({"q": "", "fields": "nope"}, "--fields: unknown field 'nope'"),
    ({"q": "", "time": "local"}, "time: expected device, received or corrected"),
], ids=lambda x: str(x))
def test_bad_requests_are_400_json(corpus, params, message):
    server, _ = corpus
    st, headers, body = get(server, params)
    assert st == 400, body
    assert headers["content-type"] == "application/json"
    err = json.loads(body)
    assert set(err) == {"error"} and err["error"]
    if message:
        assert err["error"] == message
