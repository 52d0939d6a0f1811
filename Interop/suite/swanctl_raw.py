#!/usr/bin/env python3
"""Parses `swanctl --list-sas --raw` (vici messages printed as text) into JSON.

    swanctl --list-sas --raw | swanctl_raw.py      prints [ {ike sa}, ... ]

Each IKE SA becomes a dict of its keys plus "name"; its child-sas a list of dicts.
"""
import json
import re
import sys

TOKEN = re.compile(r"\s*(\{|\}|\[[^\]]*\]|[^\s{}=]+=(?:\[[^\]]*\]|[^\s{}]*)|[^\s{}]+)")


def tokens(text):
    pos = 0
    while True:
        match = TOKEN.match(text, pos)
        if not match:
            return
        pos = match.end()
        yield match.group(1)


def parse_section(stream):
    """Reads `key=value` and `name {` ... `}` until the closing brace."""
    result = {}
    pending_name = None
    for token in stream:
        if token == "}":
            return result
        if token == "{":
            result[pending_name] = parse_section(stream)
            pending_name = None
        elif "=" in token:
            key, value = token.split("=", 1)
            if value.startswith("["):
                value = [v for v in value[1:-1].split() if v]
            result[key] = value
        else:
            pending_name = token
    return result


def main():
    stream = tokens(sys.stdin.read())
    sas = []
    for token in stream:
        if token == "{":
            section = parse_section(stream)
            for name, body in section.items():
                if isinstance(body, dict) and "state" in body:
                    body = dict(body)
                    body["name"] = name
                    children = body.pop("child-sas", {}) or {}
                    body["child-sas"] = list(children.values()) if isinstance(children, dict) else []
                    sas.append(body)
    json.dump(sas, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
