"""A real DNS server on loopback (UDP, dnspython messages) for sender-domain proofs.

`records` maps a name (lower case, no trailing dot) to its TXT strings; a name not there
answers NXDOMAIN. `mode` "servfail" answers SERVFAIL to everything, "silent" answers
nothing (the client times out).
"""

from __future__ import annotations

import socket
import threading

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class DnsServer:
    def __init__(self):
        self.records: dict[str, list[str]] = {}
        self.mode = "answer"
        self.queries: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.address = self._sock.getsockname()  # (host, port)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                data, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            answer = self._answer(dns.message.from_wire(data))
            if answer is not None:
                self._sock.sendto(answer.to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message | None:
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        self.queries.append(name)
        if self.mode == "silent":
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        if self.mode == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
        elif name not in self.records:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT and self.records[name]:
            quoted = ['"' + text.replace('"', '\\"') + '"' for text in self.records[name]]
            response.answer.append(dns.rrset.from_text_list(question.name, 60, "IN", "TXT", quoted))
        return response
