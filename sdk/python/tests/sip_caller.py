"""A minimal SIP caller over UDP on loopback (RFC 3261 requests written by hand), so the live
tests can place a real inbound call to a sandbox number and then read it back through the SDK.

It sends INVITE with a G.711 offer, ACKs the 200, streams a little PCMU audio (RFC 3550 packets),
then hangs up with BYE. Built independently of the server's SIP code on purpose.
"""

from __future__ import annotations

import re
import secrets
import socket
import struct
import time
from typing import Dict, Optional


class SipCallError(AssertionError):
    pass


class SipCaller:
    def __init__(self, sip_port: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.sip_port = sip_port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.local_port = self.sock.getsockname()[1]
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind((host, 0))
        self.rtp_port = self.rtp.getsockname()[1]
        self.from_tag = secrets.token_hex(4)

    def close(self) -> None:
        self.sock.close()
        self.rtp.close()

    def _request(self, method: str, to: str, call_id: str, cseq: int, to_tag: str = "", body: str = "") -> bytes:
        uri = f"sip:{to}@{self.host}:{self.sip_port}"
        lines = [
            f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/UDP {self.host}:{self.local_port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f'From: "SDK test" <sip:+15551230000@{self.host}>;tag={self.from_tag}',
            f"To: <sip:{to}@{self.host}>" + (f";tag={to_tag}" if to_tag else ""),
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} {method}",
            f"Contact: <sip:sdk-test@{self.host}:{self.local_port}>",
        ]
        if body:
            lines.append("Content-Type: application/sdp")
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        return "\r\n".join(lines).encode()

    def _offer(self) -> str:
        return "\r\n".join(
            [
                "v=0",
                f"o=sdk 1 1 IN IP4 {self.host}",
                "s=sdk",
                f"c=IN IP4 {self.host}",
                "t=0 0",
                f"m=audio {self.rtp_port} RTP/AVP 0 101",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:101 telephone-event/8000",
                "a=sendrecv",
                "",
            ]
        )

    def _wait_response(self, call_id: str, method: str, final_only: bool = True, timeout_s: float = 5.0) -> Dict[str, str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, _addr = self.sock.recvfrom(65535)
            except socket.timeout:
                break
            text = data.decode("utf-8", "replace")
            head, _, body = text.partition("\r\n\r\n")
            first, *header_lines = head.split("\r\n")
            headers = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if first.startswith("SIP/2.0 "):
                status = int(first.split()[1])
                if headers.get("call-id") != call_id or not headers.get("cseq", "").endswith(method):
                    continue
                if final_only and status < 200:
                    continue
                return {"status": str(status), "to": headers.get("to", ""), "body": body}
            # A request from the server (e.g. BYE): answer 200 so it stops retransmitting.
            self._reply_ok(head)
        raise SipCallError(f"no final response to {method} within {timeout_s} s")

    def _reply_ok(self, head: str) -> None:
        lines = ["SIP/2.0 200 OK"]
        for line in head.split("\r\n")[1:]:
            if line.split(":", 1)[0].strip().lower() in ("via", "from", "to", "call-id", "cseq"):
                lines.append(line)
        lines += ["Content-Length: 0", "", ""]
        self.sock.sendto("\r\n".join(lines).encode(), (self.host, self.sip_port))

    def call(self, to_e164: str, talk_s: float = 1.0) -> str:
        """Dials ``to_e164``, talks for ``talk_s`` seconds and hangs up. Returns the SIP Call-ID."""
        call_id = f"sdk-{secrets.token_hex(8)}"
        self.sock.sendto(self._request("INVITE", to_e164, call_id, 1, body=self._offer()), (self.host, self.sip_port))
        ok = self._wait_response(call_id, "INVITE")
        if ok["status"] != "200":
            raise SipCallError(f"INVITE answered {ok['status']}")
        m = re.search(r";tag=([^;>\s]+)", ok["to"])
        to_tag = m.group(1) if m else ""
        self.sock.sendto(self._request("ACK", to_e164, call_id, 1, to_tag=to_tag), (self.host, self.sip_port))
        remote = re.search(r"m=audio (\d+)", ok["body"])
        if remote:
            self._send_audio(int(remote.group(1)), talk_s)
        else:
            time.sleep(talk_s)
        self.sock.sendto(self._request("BYE", to_e164, call_id, 2, to_tag=to_tag), (self.host, self.sip_port))
        bye = self._wait_response(call_id, "BYE")
        if bye["status"] != "200":
            raise SipCallError(f"BYE answered {bye['status']}")
        return call_id

    def _send_audio(self, remote_port: int, seconds: float) -> None:
        """20 ms PCMU packets (RFC 3550 header, payload type 0) of a quiet tone, paced in real time."""
        payload = bytes([0xFF if i % 2 else 0x7E for i in range(160)])
        ssrc = secrets.randbits(32)
        start = time.monotonic()
        for seq in range(int(seconds / 0.02)):
            header = struct.pack("!BBHII", 0x80, (0x80 if seq == 0 else 0) | 0, seq, seq * 160, ssrc)
            self.rtp.sendto(header + payload, (self.host, remote_port))
            delay = start + (seq + 1) * 0.02 - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def sip_port_of(base_url: str) -> Optional[int]:
    """The SIP port a server reports in ``GET /v1/health`` (None when SIP is off)."""
    import json
    import urllib.request

    with urllib.request.urlopen(base_url.rstrip("/") + "/v1/health", timeout=10) as resp:
        port = json.load(resp).get("ports", {}).get("sip")
    return int(port) if port else None
