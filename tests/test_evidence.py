"""End-to-end: tamper evidence on the server side (docs/operations.md, "Tamper evidence").

Signed tree heads while senders send; kill -9 and restart continue the head chain without
rehashing the log; key permissions; `kiroku init`; witness files; a second kiroku as an HTTP
witness that accepts the first one's heads and refuses them after its data directory is rolled
back to an older copy; self-audit records, including the verify inbox.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kiroku_harness import (LOCALHOST, LOGGER, KirokuServer, field, kiroku_bin, loggen_bin,
                            require_binary, rfc5424, tcp_send, token, wait_until)


def setup_module(module):
    require_binary()


def read_heads(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text().splitlines() if ln.strip()]


def check_chain(heads: list[dict]):
    """Each head names the one before it, sizes and times never go back."""
    for prev, cur in zip(heads, heads[1:]):
        assert cur["previous_head_hash"] == prev["head_hash"], (prev, cur)
        assert cur["tree_size"] >= prev["tree_size"], (prev, cur)
        assert cur["timestamp_ns"] >= prev["timestamp_ns"], (prev, cur)


def init(data: Path) -> tuple[str, subprocess.CompletedProcess]:
    r = subprocess.run([kiroku_bin(), "init", "--data", str(data)], capture_output=True,
                       timeout=120)
    out = r.stdout.decode()
    m = re.search(r"(kiroku-anchor:[0-9a-f-]+)", out)
    return (m.group(1) if m else ""), r


def send_with_logger(server, n: int, tag: str):
    host, port = server.tcp
    lines = "".join(f"{tag} line {i}\n" for i in range(n))
    r = subprocess.run([LOGGER, "-n", host, "-P", str(port), "-T", "--rfc5424", "-t", "app"],
                       input=lines.encode(), capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr


def restored_line(server) -> re.Match:
    for ln in server.lines:
        m = re.search(r"merkle tree restored: (\d+) leaves, (\d+) from stored tiles, (\d+) "
                      r"leaves recomputed", ln)
        if m:
            return m
    raise AssertionError("no 'merkle tree restored' line:\n" + server.tail())


def test_heads_while_sending_and_witness_file_gets_every_head(kiroku, tmp_path):
    witness = tmp_path / "other-media" / "heads.jsonl"
    witness.parent.mkdir()
    # A new data directory without keys: the server makes its own, as on a user's first start.
    server = kiroku(args=["--witness", str(witness)], seed_keys=False)
    assert any("copy " in ln and "anchor.json" in ln for ln in server.lines), server.tail()
    tok = token()
    # loggen for a few seconds of steady traffic: heads must come at least every second.
    if os.path.exists(loggen_bin()):
        r = subprocess.run([loggen_bin(), "-i", "-S", "-r", "2000", "-I", "4", "-s", "200",
                            LOCALHOST, str(server.tcp[1])], capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr
    send_with_logger(server, 500, tok)
    server.wait_count(500, tok)
    wait_until(lambda: server.metric("kiroku_tree_size") >= server.count(include_internal=True),
               30, "the tree to cover every record")
    wait_until(lambda: server.metric("kiroku_heads_total") >= 4, 30, "several heads")
    m = server.metrics()
    assert m.get_value("kiroku_key_epoch") >= 0
    assert m.get_value("kiroku_clock_synced") in (0.0, 1.0)
    assert abs(m.get_value("kiroku_head_last_timestamp_seconds") - time.time()) < 30
    heads = read_heads(witness)
    assert len(heads) >= 4
    check_chain(heads)
    # During the traffic burst the gap between heads stays near the 1 s cadence.
    growing = [(a, b) for a, b in zip(heads, heads[1:]) if b["tree_size"] > a["tree_size"]]
    assert growing
    for a, b in growing:
        assert b["timestamp_ns"] - a["timestamp_ns"] < 3e9, (a, b)
    issued = server.metric("kiroku_heads_total")
    assert server.stop() == 0
    heads = read_heads(witness)
    check_chain(heads)
    # Every head of the run, including the final one, which covers the stop record.
    assert len(heads) >= issued + 1
    assert heads[-1]["tree_size"] == server.count(include_internal=True)
    assert (server.data / "heads").is_dir() and list((server.data / "heads").iterdir())
    assert (server.data / "merkle" / "level-08.hashes").exists()


def test_kill9_restart_continues_the_chain_without_rehashing(kiroku, tmp_path):
    witness = tmp_path / "heads.jsonl"
    server = kiroku(args=["--witness", str(witness)])
    tok = token()
    tcp_send(server.tcp, b"".join(rfc5424(f"{tok} {i}") + b"\n" for i in range(3000)))
    server.wait_count(3000, tok)
    n = server.count(include_internal=True)
    wait_until(lambda: read_heads(witness) and read_heads(witness)[-1]["tree_size"] >= n, 30,
               "a head over every record")
    before = read_heads(witness)
    server.kill()
    server.restart()
    m = restored_line(server)
    leaves, base, recomputed = int(m.group(1)), int(m.group(2)), int(m.group(3))
    assert leaves == n, server.tail()
    assert base + recomputed == leaves
    assert recomputed < 256, f"rehashed {recomputed} leaves after kill -9 (want < 256)"
    tcp_send(server.tcp, b"".join(rfc5424(f"{tok} after {i}") + b"\n" for i in range(100)))
    server.wait_count(3100, tok)
    n2 = server.count(include_internal=True)
    wait_until(lambda: read_heads(witness)[-1]["tree_size"] >= n2, 30, "heads after restart")
    after = read_heads(witness)
    assert after[:len(before)] == before
    check_chain(after)  # the first head of the new run names the last of the old one
    assert server.stop() == 0


def test_key_files_readable_by_others_refuse_to_start(kiroku):
    server = kiroku()
    assert server.stop() == 0
    secret = server.data / "keys" / "secret.key"
    assert secret.exists()
    assert (secret.stat().st_mode & 0o777) == 0o600
    os.chmod(secret, 0o644)
    r = subprocess.run([kiroku_bin(), "serve", "--data", str(server.data), "--syslog-udp",
                        f"{LOCALHOST}:0", "--syslog-tcp", f"{LOCALHOST}:0", "--http", "off"],
                       capture_output=True, timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    err = r.stderr.decode()
    assert "secret.key" in err, err
    assert "ready" not in err


def test_init_twice_exits_1(tmp_path):
    data = tmp_path / "data"
    fp, r = init(data)
    assert r.returncode == 0, r.stderr
    assert fp.startswith("kiroku-anchor:")
    assert str(data / "keys" / "anchor.json") in r.stdout.decode()
    anchor = (data / "keys" / "anchor.json").read_text()
    fp2, r2 = init(data)
    assert r2.returncode == 1
    assert "already exist" in r2.stderr.decode()
    assert (data / "keys" / "anchor.json").read_text() == anchor
    r3 = subprocess.run([kiroku_bin(), "init", "--data", str(tmp_path / "d3"), "--epoch", "soon"],
                        capture_output=True, timeout=60)
    assert r3.returncode == 2


def audit_records(server, msgid: str, timeout: float = 30.0) -> list[dict]:
    """Waits for the server's own audit records with this MSGID; returns them."""
    box = []

    def found():
        server.check_alive()
        box[:] = [r for r in server.search("host.name:kiroku", include_internal=True)
                  if field(r, "log.syslog.msgid") == msgid]
        return box
    wait_until(found, timeout, f"a self-audit record with MSGID {msgid}")
    return box


def test_self_audit_records_and_verify_inbox(kiroku):
    server = kiroku()
    start = audit_records(server, "start")[0]
    assert field(start, "kiroku.transport") == "internal"
    assert field(start, "process.name") == "kiroku"
    sd = json.dumps(field(start, "log.syslog.structured_data"))
    assert "config_digest" in sd and "kiroku-anchor:" in sd, sd
    inbox = server.data / "audit-inbox"
    tmp = inbox / "r1.json.tmp"
    tmp.write_text(json.dumps({"time": "2026-01-01T00:00:00Z", "result": "intact",
                               "exit_code": 0, "detail": "checked 12 records"}))
    tmp.rename(inbox / "r1.json")
    verify = audit_records(server, "verify")[0]
    assert "checked 12 records" in json.dumps(field(verify, "log.syslog.structured_data"))
    wait_until(lambda: not (inbox / "r1.json").exists(), 10, "the report to be removed")
    assert server.stop() == 0
    # A changed configuration is recorded at the next start, after the previous run's stop.
    server.args += ["--max-connections", "77"]
    server.start()
    audit_records(server, "config-change")
    assert len(audit_records(server, "stop")) == 1
    assert len(audit_records(server, "start")) == 2


def test_http_witness_accepts_heads_and_refuses_a_rollback(kiroku, tmp_path):
    data = tmp_path / "primary"
    fp, r = init(data)
    assert r.returncode == 0, r.stderr
    anchor_copy = tmp_path / "primary-anchor.json"
    shutil.copy(data / "keys" / "anchor.json", anchor_copy)
    witness = kiroku(args=["--witness-anchor", str(anchor_copy)])
    wh, wp = witness.http
    url = f"http://{wh}:{wp}"

    def latest_size():
        st, body = witness.http_get(f"/witness/{fp}/latest")
        return json.loads(body)["tree_size"] if st == 200 else -1

    primary = KirokuServer(tmp_path / "p", data=data, args=["--witness", url])
    primary.start()
    try:
        tok = token()
        tcp_send(primary.tcp, b"".join(rfc5424(f"{tok} {i}") + b"\n" for i in range(500)))
        primary.wait_count(500, tok)
        wait_until(lambda: latest_size() >= 500, 30, "the witness to accept a head")
        assert primary.stop() == 0
        old_copy = tmp_path / "primary-old"
        shutil.copytree(data, old_copy)  # the copy an attacker will roll back to
        held_before = latest_size()

        primary.start()  # across a restart the witness keeps accepting (consistency holds)
        tcp_send(primary.tcp, b"".join(rfc5424(f"{tok} more {i}") + b"\n" for i in range(500)))
        primary.wait_count(1000, tok)
        wait_until(lambda: latest_size() >= 1000, 30, "the witness to accept later heads")
        assert primary.stop() == 0
        held = latest_size()
        assert held > held_before
        st, body = witness.http_get(f"/witness/{fp}/heads")
        assert st == 200
        lines = [json.loads(x) for x in body.splitlines() if x.strip()]
        assert lines and lines[-1]["tree_size"] == held
        assert (witness.data / "witness").is_dir()

        # Roll the data directory back to the older copy and start again.
        shutil.rmtree(data)
        shutil.copytree(old_copy, data)
        primary.start()
        wait_until(lambda: primary.metric("kiroku_witness_errors_total", witness=url) >= 1, 30,
                   "the witness to refuse the rolled-back log's heads")
        assert latest_size() == held
        # Growing past the witnessed size does not help: the old tree is not a prefix.
        tcp_send(primary.tcp, b"".join(rfc5424(f"{tok} fork {i}") + b"\n" for i in range(800)))
        primary.wait_count(1300, tok)
        wait_until(lambda: primary.metric("kiroku_tree_size") > held, 30, "the fork to grow")
        errors = primary.metric("kiroku_witness_errors_total", witness=url)
        wait_until(lambda: primary.metric("kiroku_witness_errors_total", witness=url) > errors,
                   90, "another refusal after the fork grew")
        assert latest_size() == held
        assert any("witness" in ln and ("refused" in ln or "tree_shrank" in ln)
                   for ln in primary.lines), primary.tail()
        fail = primary.search("log.syslog.msgid:witness-failure", include_internal=True)
        assert fail, "no witness-failure audit record"
        assert primary.stop() == 0
    finally:
        if primary.running():
            primary.kill()


def test_rollover_extends_the_horizon_and_verifies_from_the_original_anchor(kiroku, tmp_path):
    data = tmp_path / "data"
    r = subprocess.run([kiroku_bin(), "init", "--data", str(data), "--horizon", "2d",
                        "--anchor-out", str(tmp_path / "original.json")], capture_output=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([kiroku_bin(), "init", "--rollover", "--data", str(data), "--horizon", "3d"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "covers epochs 48 to 119" in r.stdout
    assert (data / "keys" / "anchor-00000000000000000048.json").exists()
    r = subprocess.run([kiroku_bin(), "init", "--rollover", "--data", str(tmp_path / "none")],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "run kiroku init first" in r.stderr
    server = kiroku(data=data)
    tok = token()
    send_with_logger(server, 5, tok)
    server.wait_count(5, tok)
    assert server.stop() == 0
    v = subprocess.run([kiroku_bin(), "verify", "--data", str(data), "--anchor",
                        str(tmp_path / "original.json")], capture_output=True, text=True)
    assert v.returncode == 0, v.stdout + v.stderr
    assert "VERDICT: INTACT" in v.stdout
