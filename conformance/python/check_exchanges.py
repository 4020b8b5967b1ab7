"""Holds every recorded emulator response to the spec: status, Content-Type and body type per route.

Usage: python check_exchanges.py <spec-dir> <exchanges.json> <results.json>
Input: {"exchanges": [{"client", "listener", "method", "path", "status", "contentType", "body"}]}.
Output: {"results": [{"client", "route", "status", "problems": [...]}], "routes": [...]}, one result
per exchange; a result without problems conforms.
"""

import json
import sys

from spec_types import data_type, load_api, route_table, validate

JSON = "application/json"
# Hosts served by the emulator's api listener; notify has a listener of its own.
LISTENER_OF_HOST = {"api": "api", "content": "api", "notify": "notify"}


class Checker:
    def __init__(self, spec_dir):
        self.api = load_api(spec_dir)
        self.routes = route_table(self.api)
        self.auth_error = data_type(self.api, "auth", "AuthError")
        self.access_error = data_type(self.api, "auth", "AccessError")
        self.rate_limit_error = data_type(self.api, "auth", "RateLimitError")
        self.path_root_error = data_type(self.api, "common", "PathRootError")

    def check(self, exchange):
        path = exchange["path"]
        if path.startswith("/2/"):
            return path[3:], self.check_api(path[3:], exchange)
        if path == "/oauth2/token":
            return "oauth2/token", check_token_endpoint(exchange)
        return None, []

    def check_api(self, name, exchange):
        status = exchange["status"]
        route = self.routes.get(name)
        problems = []
        if route is None:
            # Only "no such route" may answer a name the spec does not have.
            if status != 400:
                problems.append("route %r is not in the spec but was answered %d" % (name, status))
            return problems + expect_text(exchange)
        host = route.attrs.get("host") or "api"
        if LISTENER_OF_HOST.get(host) != exchange["listener"] and status != 400:
            problems.append("route on host %r served by the %s listener" % (host, exchange["listener"]))
        if status == 200:
            return problems + self.check_json(exchange, lambda body: validate(route.result_data_type, body, "$"))
        if status in (403, 409, 401, 422) or (status == 429 and exchange["contentType"] == JSON):
            error_type = {
                401: self.auth_error,
                403: self.access_error,
                409: route.error_data_type,
                422: self.path_root_error,
                429: self.rate_limit_error,
            }[status]
            return problems + self.check_json(exchange, lambda body: check_error_envelope(body, error_type))
        if status in (400, 429):
            return problems + expect_text(exchange)
        if status >= 500:
            return problems
        return problems + ["unexpected status %d" % status]

    @staticmethod
    def check_json(exchange, check_body):
        if exchange["contentType"] != JSON:
            return ["Content-Type %r, expected exactly %r" % (exchange["contentType"], JSON)]
        try:
            body = json.loads(exchange["body"])
        except ValueError:
            return ["body is not JSON: %r" % exchange["body"][:80]]
        return check_body(body)


def check_error_envelope(body, error_type):
    if not isinstance(body, dict):
        return ["error body is not an object: %r" % (body,)]
    problems = []
    for key in body:
        if key not in ("error_summary", "error", "user_message"):
            problems.append("$: unknown field %r in an error body" % key)
    if not isinstance(body.get("error_summary"), str):
        problems.append("$: error_summary missing or not a string")
    if "error" not in body:
        problems.append("$: error missing")
    else:
        problems += validate(error_type, body["error"], "$.error")
    message = body.get("user_message")
    if message is not None and (not isinstance(message, dict) or set(message) - {"text", "locale"}):
        problems.append("$: user_message must be {text, locale}: %r" % (message,))
    return problems


def expect_text(exchange):
    content_type = exchange["contentType"] or ""
    if not content_type.startswith("text/plain"):
        return ["status %d should be plain text, got Content-Type %r" % (exchange["status"], content_type)]
    return []


TOKEN_FIELDS = {
    "access_token": str, "token_type": str, "expires_in": int, "refresh_token": str, "scope": str,
    "uid": str, "account_id": str, "team_id": str, "id_token": str,
}


def check_token_endpoint(exchange):
    """`/oauth2/token` is outside the stone spec: its shapes follow the OAuth docs (dropbox-api-notes.md §3.1)."""
    if exchange["contentType"] != JSON:
        return ["Content-Type %r, expected exactly %r" % (exchange["contentType"], JSON)]
    try:
        body = json.loads(exchange["body"])
    except ValueError:
        return ["body is not JSON"]
    if not isinstance(body, dict):
        return ["body is not an object"]
    if exchange["status"] == 400:
        problems = [] if isinstance(body.get("error"), str) else ["400 without an OAuth `error` string"]
        return problems + ["unknown field %r" % key for key in body if key not in ("error", "error_description")]
    if exchange["status"] != 200:
        return ["unexpected status %d" % exchange["status"]]
    problems = ["unknown field %r" % key for key in body if key not in TOKEN_FIELDS]
    for key, kind in TOKEN_FIELDS.items():
        if key in body and (not isinstance(body[key], kind) or isinstance(body[key], bool)):
            problems.append("%s is not a %s" % (key, kind.__name__))
    for key in ("access_token", "token_type", "expires_in"):
        if key not in body:
            problems.append("missing %s" % key)
    if body.get("token_type") != "bearer":
        problems.append("token_type %r, expected 'bearer'" % body.get("token_type"))
    return problems


def main(spec_dir, exchanges_file, results_file):
    checker = Checker(spec_dir)
    with open(exchanges_file, encoding="utf-8") as handle:
        exchanges = json.load(handle)["exchanges"]
    results = []
    for exchange in exchanges:
        route, problems = checker.check(exchange)
        if route is None:
            continue
        results.append({"client": exchange["client"], "route": route, "status": exchange["status"], "problems": problems})
    with open(results_file, "w", encoding="utf-8") as handle:
        json.dump({"results": results, "routes": sorted(checker.routes)}, handle)


if __name__ == "__main__":
    main(*sys.argv[1:4])
