#!/usr/bin/env python3
"""UDP endpoints on 127.0.0.1 for the integration tests.

udpdrop.py --port P --ready FILE [--lifetime S]
    Bind 127.0.0.1:P, read every datagram and drop it: an SNMP agent that
    never answers (no ICMP either, unlike a closed port).
udpdrop.py --port P --ready FILE --forward Q [--drop HEX]... [--lifetime S]
    Relay each datagram to 127.0.0.1:Q and the answers back to the sender,
    except SNMPv1/v2c GetNext and GetBulk requests that contain one of the
    byte strings HEX (e.g. the BER encoding of an OID prefix; with no
    --drop, every GetNext/GetBulk), which are dropped.  Get requests always
    pass: the agent answers scalars, then goes silent when tables are walked.

udpdrop.py --port P --ready FILE --garbage [--lifetime S]
    Answer every datagram with bytes that are not SNMP (a malformed reply).
udpdrop.py --port P --ready FILE --forward Q --truncate [--lifetime S]
    Relay as above, but cut every answer in half (a truncated reply).

FILE is written once the port is bound.  Exit 98 if the port is taken, 0
after --lifetime seconds (default 1800: never outlive a killed test).
"""
import argparse
import os
import select
import socket
import sys
import time

LOOPBACK = "127.0.0.1"


def ber_len(d, i):
    """Length at d[i]; returns (length, index after it)."""
    b = d[i]
    if b < 0x80:
        return b, i + 1
    n = b & 0x7F
    return int.from_bytes(d[i + 1:i + 1 + n], "big"), i + 1 + n


def pdu_type(d):
    """PDU tag of an SNMPv1/v2c message, None for anything else (v3...)."""
    try:
        if d[0] != 0x30:
            return None
        _, i = ber_len(d, 1)
        if d[i] != 0x02:                # version
            return None
        n, i = ber_len(d, i + 1)
        i += n
        if d[i] != 0x04:                # community (v3 has a header here)
            return None
        n, i = ber_len(d, i + 1)
        return d[i + n]
    except IndexError:
        return None


GETNEXT, GETBULK = 0xA1, 0xA5


def dropped(d, drops):
    if pdu_type(d) not in (GETNEXT, GETBULK):
        return False
    return not drops or any(x in d for x in drops)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--forward", type=int)
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--lifetime", type=float, default=1800)
    ap.add_argument("--garbage", action="store_true")
    ap.add_argument("--truncate", action="store_true")
    a = ap.parse_args()
    drops = [bytes.fromhex(h) for h in a.drop]

    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        front.bind((LOOPBACK, a.port))
    except OSError as e:
        print("udpdrop: bind %s:%d: %s" % (LOOPBACK, a.port, e), file=sys.stderr)
        return 98
    with open(a.ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(a.ready + ".tmp", a.ready)

    deadline = time.monotonic() + a.lifetime
    backs = {}      # client address -> socket towards the backend
    owner = {}      # backend socket -> client address
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        r, _, _ = select.select([front] + list(owner), [], [], min(left, 5))
        for s in r:
            if s is front:
                data, peer = front.recvfrom(65535)
                if a.garbage:
                    front.sendto(b"\x30\x82\xff\xf0garbage" + data[:8], peer)
                    continue
                if a.forward is None or dropped(data, drops):
                    continue
                b = backs.get(peer)
                if b is None:
                    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    b.bind((LOOPBACK, 0))
                    backs[peer] = b
                    owner[b] = peer
                b.sendto(data, (LOOPBACK, a.forward))
            else:
                try:
                    data = s.recv(65535)
                except OSError:
                    continue
                if a.truncate:
                    data = data[:len(data) // 2]
                front.sendto(data, owner[s])


if __name__ == "__main__":
    sys.exit(main())
