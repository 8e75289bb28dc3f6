"""Sealing, end to end: the real `kiroku serve` with small journal segments, fed by loggen over
TCP and logger over UDP. Closed journal segments must become sealed segments in DATA/segments
(read-only) and leave the journal; `kiroku verify` must pass over the sealed log; an inclusion
proof of a sealed record must pass tests/independent_verifier.py; and kill -9 of the server
while it seals, at different moments, must lose no record (the acknowledged seqs are all there,
dense, and verify passes after the restart)."""
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiroku_harness import (LOCALHOST, KirokuServer, kiroku_bin, loggen_bin, require_binary,
                            wait_until)

HERE = Path(__file__).resolve().parent
SEAL_ARGS = ["--segment-max-bytes", "64KiB", "--seal-after", "2s"]


def setup_module(module):
    require_binary()


def loggen(port: int, n: int, rate: int = 20000):
    r = subprocess.run([loggen_bin(), "-S", "-n", str(n), "-r", str(rate), "-s", "300",
                        LOCALHOST, str(port)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def metric(srv: KirokuServer, name: str, **labels) -> float:
    """One series of /metrics, read without the harness's whole-page checks (another
    component's duplicate series must not fail the sealing tests)."""
    code, text = srv.http_get("/metrics")
    assert code == 200, text
    want = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else "")
    for line in text.splitlines():
        if line.startswith(want + " "):
            return float(line.split()[-1])
    return 0.0


def journal_segments(data: Path) -> list[Path]:
    return sorted((data / "journal").glob("*.journal"))


def sealed_segments(data: Path) -> list[Path]:
    return sorted((data / "segments").glob("*.seg"))


def sealed_ranges(data: Path) -> list[tuple[int, int]]:
    out = []
    for p in sealed_segments(data):
        a, b = p.stem.split("-")
        out.append((int(a), int(b)))
    return out


def all_closed_sealed(data: Path) -> bool:
    """Only the active journal segment is left, and something was sealed."""
    return len(journal_segments(data)) == 1 and len(sealed_segments(data)) > 0


def verify(data: Path, anchor: Path):
    r = subprocess.run([kiroku_bin(), "verify", "--data", str(data), "--anchor", str(anchor),
                        "--format", "json"], capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1, 2), r.stderr
    return r.returncode, json.loads(r.stdout)


def anchor_of(data: Path, work: Path) -> Path:
    anchor = work / "operator-anchor.json"
    if not anchor.exists():
        shutil.copy(data / "keys" / "anchor.json", anchor)
    return anchor


def test_segments_are_sealed_verified_and_proved(tmp_path):
    data = tmp_path / "data"
    srv = KirokuServer(tmp_path, data=data, args=SEAL_ARGS)
    srv.start(timeout=300)
    loggen(srv.tcp[1], 6000)
    subprocess.run(["logger", "-d", "-n", LOCALHOST, "-P", str(srv.udp[1]), "sealed by udp"],
                   check=True, timeout=30)
    wait_until(lambda: metric(srv, "kiroku_journal_last_seq") >= 6001, 60, "records stored")
    # The age limit closes the last segment too, so everything but a fresh one gets sealed.
    wait_until(lambda: metric(srv, "kiroku_sealer_lag_records") == 0 and all_closed_sealed(data)
               and sealed_ranges(data)[-1][1] >= 6001, 90, "closed segments sealed")
    assert metric(srv, "kiroku_sealer_segments_total") >= 3
    assert metric(srv, "kiroku_sealer_records_total") >= 6001
    assert metric(srv, "kiroku_sealer_errors_total", reason="io") == 0
    ranges = sealed_ranges(data)
    assert ranges[0][0] == 1
    for (a, b), (c, d) in zip(ranges, ranges[1:]):
        assert c == b + 1, ranges
    for p in sealed_segments(data):
        assert stat.S_IMODE(p.stat().st_mode) == 0o444, p
    assert not list((data / "segments").glob("*.tmp"))
    srv.stop()

    anchor = anchor_of(data, tmp_path)
    rc, report = verify(data, anchor)
    assert rc == 0, json.dumps(report, indent=1)
    st = report["stats"]
    assert st["sealed_segments"] == len(sealed_segments(data))
    assert st["journal_size"] == st["signed_size"] >= 6001

    # A sealed record's proof, checked by the verifier written from the docs alone.
    seq = ranges[1][0] + 5
    proof = tmp_path / "proof.json"
    r = subprocess.run([kiroku_bin(), "proof", "inclusion", str(seq), "--data", str(data)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    proof.write_text(r.stdout)
    assert json.loads(r.stdout)["leaf_index"] == seq - 1
    r = subprocess.run([sys.executable, str(HERE / "independent_verifier.py"), str(proof),
                        str(anchor)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([kiroku_bin(), "verify-proof", str(proof), "--anchor", str(anchor)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr

    # Restart over sealed data: the tree is restored, sealing resumes, verify still passes.
    srv.start(timeout=120)
    loggen(srv.tcp[1], 1000)
    wait_until(lambda: metric(srv, "kiroku_journal_last_seq") >= 7001, 60, "more records")
    srv.stop()
    rc, report = verify(data, anchor)
    assert rc == 0, json.dumps(report, indent=1)


def test_tampered_sealed_segment_is_reported(tmp_path):
    data = tmp_path / "data"
    srv = KirokuServer(tmp_path, data=data, args=SEAL_ARGS)
    srv.start(timeout=300)
    loggen(srv.tcp[1], 4000, rate=2000)  # slowly enough for groups smaller than a segment
    wait_until(lambda: metric(srv, "kiroku_journal_last_seq") >= 4000, 60, "records stored")
    wait_until(lambda: len(sealed_segments(data)) >= 3 and all_closed_sealed(data), 90,
               "segments sealed")
    srv.stop()
    anchor = anchor_of(data, tmp_path)
    rc, _ = verify(data, anchor)
    assert rc == 0

    # A flipped byte inside a sealed segment's first block: modified, with its seqs.
    copy = tmp_path / "flipped"
    shutil.copytree(data, copy)
    victim = sealed_segments(copy)[1]
    first, last = (int(x) for x in victim.stem.split("-"))
    os.chmod(victim, 0o644)
    b = bytearray(victim.read_bytes())
    b[100] ^= 0xFF
    victim.write_bytes(bytes(b))
    rc, report = verify(copy, anchor)
    assert rc == 1, json.dumps(report, indent=1)
    hits = [f for f in report["findings"] if f["severity"] == "tampered"]
    assert any(f["kind"] == "modified" and first <= f["first_seq"] <= last for f in hits), hits

    # A deleted sealed segment: missing, with exactly its seqs.
    copy2 = tmp_path / "deleted"
    shutil.copytree(data, copy2)
    victim = sealed_segments(copy2)[1]
    first, last = (int(x) for x in victim.stem.split("-"))
    victim.unlink()
    rc, report = verify(copy2, anchor)
    assert rc == 1, json.dumps(report, indent=1)
    hits = [(f["kind"], f.get("first_seq"), f.get("last_seq"))
            for f in report["findings"] if f["severity"] == "tampered"]
    assert ("missing", first, last) in hits, hits


def test_kill9_while_sealing_loses_nothing(tmp_path):
    data = tmp_path / "data"
    srv = KirokuServer(tmp_path, data=data, args=SEAL_ARGS)
    srv.start(timeout=300)
    acked = 0
    # Kill at different moments: while loggen is sending, right after, and while sealing.
    for delay in (0.2, 0.6, 1.0, 1.5, 0.05):
        sender = threading.Thread(target=lambda p=srv.tcp[1]: subprocess.run(
            [loggen_bin(), "-S", "-n", "4000", "-r", "8000", "-s", "300", LOCALHOST, str(p)],
            capture_output=True, timeout=120))
        sender.start()
        deadline = time.monotonic() + delay
        wait_until(lambda: time.monotonic() >= deadline, delay + 5, "the moment to kill")
        acked = max(acked, int(metric(srv, "kiroku_journal_last_seq")))
        srv.kill()
        sender.join()
        srv.start(timeout=120)
        # Everything acknowledged before the kill is still there after recovery.
        wait_until(lambda: metric(srv, "kiroku_journal_last_seq") >= acked, 30, "recovered seqs")
    wait_until(lambda: metric(srv, "kiroku_sealer_lag_records") == 0 and all_closed_sealed(data),
               90, "sealing caught up after the kills")
    srv.stop()
    rc, report = verify(data, anchor_of(data, tmp_path))
    assert rc == 0, json.dumps(report, indent=1)
    assert report["stats"]["journal_size"] >= acked
    ranges = sealed_ranges(data)
    assert ranges[0][0] == 1
    for (a, b), (c, d) in zip(ranges, ranges[1:]):
        assert c == b + 1, ranges
    for p in sealed_segments(data):
        assert stat.S_IMODE(p.stat().st_mode) == 0o444, p
