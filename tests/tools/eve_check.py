#!/usr/bin/python3
"""Check kanshi's eve.json files line by line.

Every line must be valid UTF-8 and one JSON object ending in a newline (no blank or partial
lines, no NaN/Infinity, no duplicate keys, no lone surrogates), with an "event_type" and a
"timestamp" of the form 2024-01-02T03:04:05.123456+0000. After the top-level keys that are
kanshi's own (kanshi, pe, irc, bittorrent) are taken out, the event must validate against
Suricata's eve schema (JSON Schema Draft 7). flow_id, when present, must be an integer in
[1, 2^51); community_id, when present, must look like "1:" + base64 of a SHA-1.

    tests/tools/eve_check.py [--schema FILE] [--max-errors N] [-q] EVE.json...

Prints the first N errors of each file (FILE:LINE: message), then one summary line
"eve_check: N lines in M files, K invalid"; exits 0 when nothing is invalid, 1 otherwise,
2 on a usage error or an unreadable schema.

Importable: check_file(path) returns the list of errors (EveError) of one file.
"""

import argparse
import json
import os
import re
import sys

import jsonschema

# The repo root is two levels up from this file; the shared test data sits beside the repo.
_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.normpath(
    os.path.join(_HERE, "..", "..", "..", "shared", "suricata-schema", "schema.json"))

# Top-level objects that are kanshi's own: not part of Suricata's schema.
OWN_KEYS = ("kanshi", "pe", "irc", "bittorrent")

TIMESTAMP_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000", re.ASCII)
COMMUNITY_ID_RE = re.compile(r"1:[A-Za-z0-9+/]{27}=", re.ASCII)
FLOW_ID_LIMIT = 1 << 51
SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]", re.ASCII)


class EveError:
    """One problem: file, 1-based line number (0: the file as a whole), message."""

    __slots__ = ("path", "line", "message")

    def __init__(self, path, line, message):
        self.path = path
        self.line = line
        self.message = message

    def __str__(self):
        return "%s:%d: %s" % (self.path, self.line, self.message)

    def __repr__(self):
        return "EveError(%r, %d, %r)" % (self.path, self.line, self.message)


_validators = {}


def get_validator(schema_path=None):
    """The Draft 7 validator for schema_path (default: the shared Suricata schema), built once."""
    path = os.path.abspath(schema_path or DEFAULT_SCHEMA)
    v = _validators.get(path)
    if v is None:
        with open(path, "rb") as f:
            schema = json.loads(f.read().decode("utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        v = jsonschema.Draft7Validator(schema)
        _validators[path] = v
    return v


class _BadJson(ValueError):
    pass


def _reject_constant(name):
    raise _BadJson("not JSON: %s" % name)


def _no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise _BadJson("duplicate key %r" % k)
        obj[k] = v
    return obj


_decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def _has_lone_surrogate(value):
    """True if a string anywhere in value cannot be encoded as UTF-8 (a lone \\uD8xx escape)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _path_str(error):
    parts = list(error.absolute_path)
    if not parts:
        return "(top)"
    return "".join("[%d]" % p if isinstance(p, int) else ("." + p if i else p)
                   for i, p in enumerate(parts))


def _schema_messages(validator, obj):
    errors = list(validator.iter_errors(obj))
    if not errors:
        return []
    errors.sort(key=lambda e: (list(map(str, e.absolute_path)), e.message))
    out = []
    for e in errors:
        best = e
        if e.context:  # anyOf/oneOf: say which branch came closest
            best = jsonschema.exceptions.best_match(e.context) or e
        msg = best.message
        if len(msg) > 300:
            msg = msg[:300] + "..."
        out.append("schema: at %s: %s" % (_path_str(best), msg))
    return out


def check_line(raw, validator):
    """Problems of one line (bytes, without its newline): a list of messages, empty if valid."""
    if not raw.strip():
        return ["blank line"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["not valid UTF-8 (byte %d: %s)" % (e.start, e.reason)]
    try:
        obj, end = _decoder.raw_decode(text)
    except _BadJson as e:
        return [str(e)]
    except ValueError as e:
        return ["not valid JSON: %s" % e]
    if text[end:].strip():
        return ["more than one JSON value on the line (extra data at column %d)" % (end + 1)]
    if not isinstance(obj, dict):
        return ["not a JSON object (%s)" % type(obj).__name__]
    problems = []
    if SURROGATE_ESCAPE_RE.search(text) and _has_lone_surrogate(obj):
        problems.append("a string holds a lone UTF-16 surrogate (\\uD800-\\uDFFF escape)")
    ts = obj.get("timestamp")
    if not isinstance(ts, str) or not TIMESTAMP_RE.fullmatch(ts):
        problems.append("timestamp missing or not YYYY-MM-DDTHH:MM:SS.uuuuuu+0000: %r" % (ts,))
    et = obj.get("event_type")
    if not isinstance(et, str) or not et:
        problems.append("event_type missing or not a non-empty string: %r" % (et,))
    if "flow_id" in obj:
        fid = obj["flow_id"]
        if type(fid) is not int or not 1 <= fid < FLOW_ID_LIMIT:
            problems.append("flow_id not an integer in [1, 2^51): %r" % (fid,))
    if "community_id" in obj:
        cid = obj["community_id"]
        if not isinstance(cid, str) or not COMMUNITY_ID_RE.fullmatch(cid):
            problems.append("community_id not 1:<27 base64 chars>=: %r" % (cid,))
    for k in OWN_KEYS:
        if k in obj:
            if not isinstance(obj[k], dict):
                problems.append("top-level %r is not an object" % k)
            del obj[k]
    problems.extend(_schema_messages(validator, obj))
    return problems


def check_file(path, schema=None, stats=None):
    """All problems of one eve.json file as a list of EveError (empty when the file is valid).

    schema: path of the schema (default: the shared Suricata schema).
    stats: optional dict; "lines" and "invalid" (lines with a problem) are added to it.
    """
    validator = get_validator(schema)
    errors = []
    lines = invalid = 0
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        errors.append(EveError(path, 0, "cannot read: %s" % (e.strerror or e)))
        invalid = 1
        data = b""
    if data:
        parts = data.split(b"\n")
        partial = parts.pop()  # after a final newline this is b""
        for n, raw in enumerate(parts, 1):
            lines += 1
            msgs = check_line(raw, validator)
            if msgs:
                invalid += 1
                errors.extend(EveError(path, n, m) for m in msgs)
        if partial:
            lines += 1
            invalid += 1
            errors.append(EveError(path, len(parts) + 1,
                                   "partial line: no newline at the end of the file (%d bytes)"
                                   % len(partial)))
    if stats is not None:
        stats["lines"] = stats.get("lines", 0) + lines
        stats["invalid"] = stats.get("invalid", 0) + invalid
    return errors


def main(argv=None):
    ap = argparse.ArgumentParser(description="Validate eve.json files against Suricata's schema.")
    ap.add_argument("files", nargs="+", metavar="FILE", help="eve.json files")
    ap.add_argument("--schema", default=DEFAULT_SCHEMA,
                    help="Suricata's eve schema (default: %(default)s)")
    ap.add_argument("--max-errors", type=int, default=5, metavar="N",
                    help="errors shown per file (default: %(default)s)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    args = ap.parse_args(argv)
    try:
        get_validator(args.schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        print("eve_check: cannot load the schema %s: %s" % (args.schema, e), file=sys.stderr)
        return 2
    stats = {}
    for path in args.files:
        errors = check_file(path, args.schema, stats)
        if errors and not args.quiet:
            for e in errors[:args.max_errors]:
                print(e)
            if len(errors) > args.max_errors:
                print("%s: ... %d more errors" % (path, len(errors) - args.max_errors))
    print("eve_check: %d lines in %d files, %d invalid"
          % (stats.get("lines", 0), len(args.files), stats.get("invalid", 0)))
    sys.stdout.flush()
    return 1 if stats.get("invalid", 0) else 0


if __name__ == "__main__":
    sys.exit(main())
