"""Drives the emulator with the official Dropbox Python SDK over HTTPS, as any Python tool would.

Usage: python sdk_suite.py <fixture.json> <results.json>
The caller sets DROPBOX_API_HOST, DROPBOX_API_CONTENT_HOST, DROPBOX_API_NOTIFY_HOST and
REQUESTS_CA_BUNDLE before this process starts: the SDK reads its hosts at import time.
Each check records {client, check, routes, ok, detail}; a failing check never stops the others.
"""

import json
import sys
import time
import traceback

import requests

import dropbox
from dropbox import files, sharing, stone_serializers, users
from dropbox.exceptions import ApiError, AuthError, BadInputError

CLIENT = "python-sdk"


class Suite:
    def __init__(self, fixture):
        self.fixture = fixture
        self.results = []
        self.last_body = None

    # --- plumbing -------------------------------------------------------------------------------

    def session(self):
        """A session of the SDK's own kind, with a hook keeping the raw body of each response."""
        session = dropbox.create_session()

        def keep_body(response, *args, **kwargs):
            self.last_body = response.content

        session.hooks["response"].append(keep_body)
        return session

    def client(self, **kwargs):
        kwargs.setdefault("oauth2_access_token", self.fixture["accessToken"])
        return dropbox.Dropbox(session=self.session(), max_retries_on_error=2, **kwargs)

    def strict(self, route):
        """Decodes the last raw body with the SDK's validators in strict mode (unknown fields or tags fail)."""
        raw = json.loads(self.last_body.decode("utf-8"))
        return stone_serializers.json_compat_obj_decode(route.result_type, raw, strict=True)

    def control(self, action, body=None, method="POST"):
        url = "%s/%s" % (self.fixture["controlUrl"], action)
        response = requests.request(method, url, json=body, timeout=30)
        if response.status_code != 200:
            raise AssertionError("control %s answered %d: %s" % (action, response.status_code, response.text))
        return response.json()

    def run(self, name, routes, body):
        started = time.time()
        try:
            detail = body() or "ok"
            ok = True
        except Exception as error:  # any failure, including SDK assertions, fails this check only
            ok = False
            detail = "%s: %s" % (type(error).__name__, error)
            traceback.print_exc(file=sys.stderr)
        self.results.append({
            "client": CLIENT, "check": name, "routes": routes, "ok": ok, "detail": detail,
            "ms": int((time.time() - started) * 1000),
        })


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_raises(kind, call):
    try:
        call()
    except kind as error:
        return error
    raise AssertionError("expected %s" % kind.__name__)


# --- checks --------------------------------------------------------------------------------------


def account(suite):
    dbx = suite.client()
    result = dbx.users_get_current_account()
    strict = suite.strict(users.get_current_account)
    expect(result.account_id == suite.fixture["accountId"], "account_id %r" % result.account_id)
    expect(strict.email == suite.fixture["email"], "email %r" % strict.email)
    expect(strict.root_info.root_namespace_id, "root_info without root_namespace_id")
    return "account %s, root %s" % (strict.account_id, strict.root_info.root_namespace_id)


def list_all(suite):
    dbx = suite.client()
    page = dbx.files_list_folder("", recursive=True, limit=7)
    suite.strict(files.list_folder)
    entries, pages = list(page.entries), 1
    while page.has_more:
        page = dbx.files_list_folder_continue(page.cursor)
        suite.strict(files.list_folder_continue)
        entries += page.entries
        pages += 1
    live = [entry for entry in entries if not isinstance(entry, files.DeletedMetadata)]
    expect(len(live) == suite.fixture["entryCount"], "%d live entries, expected %d" % (len(live), suite.fixture["entryCount"]))
    expect(all(entry.path_lower == entry.path_lower.lower() for entry in live), "path_lower not lower-case")
    return "%d entries in %d pages" % (len(live), pages)


def list_folder_options(suite):
    dbx = suite.client()
    page = dbx.files_list_folder(
        suite.fixture["folderPath"], include_deleted=True, include_mounted_folders=True,
        include_non_downloadable_files=True, include_has_explicit_shared_members=True, include_media_info=True,
    )
    suite.strict(files.list_folder)
    names = {entry.name for entry in page.entries}
    expect(suite.fixture["folderFileCount"] <= len(names), "%d entries" % len(names))
    return "%d entries with every option set" % len(page.entries)


def get_metadata(suite):
    dbx = suite.client()
    meta = dbx.files_get_metadata(suite.fixture["filePath"])
    strict = suite.strict(files.get_metadata)
    expect(isinstance(strict, files.FileMetadata), "not a file: %r" % strict)
    expect(len(meta.content_hash) == 64 and meta.size >= 0, "bad hash or size")
    by_id = dbx.files_get_metadata(meta.id)
    expect(by_id.path_lower == meta.path_lower, "lookup by id disagrees")
    folder = dbx.files_get_metadata(suite.fixture["folderPath"])
    expect(isinstance(suite.strict(files.get_metadata), files.FolderMetadata), "not a folder: %r" % folder)
    deleted = dbx.files_get_metadata(suite.fixture["deletedPath"], include_deleted=True)
    expect(isinstance(suite.strict(files.get_metadata), files.DeletedMetadata), "not deleted: %r" % deleted)
    return "file, folder, id: and deleted lookups"


def not_found(suite):
    dbx = suite.client()
    error = expect_raises(ApiError, lambda: dbx.files_get_metadata("/no/such/file.txt"))
    expect(error.error.is_path() and error.error.get_path().is_not_found(), "error %r" % error.error)
    error = expect_raises(ApiError, lambda: dbx.files_list_folder("/no-such-folder"))
    expect(error.error.is_path() and error.error.get_path().is_not_found(), "error %r" % error.error)
    error = expect_raises(ApiError, lambda: dbx.files_list_folder(suite.fixture["filePath"]))
    expect(error.error.get_path().is_not_folder(), "error %r" % error.error)
    return "path/not_found and path/not_folder as ApiError"


def bad_input(suite):
    dbx = suite.client()
    error = expect_raises(BadInputError, lambda: dbx.files_list_folder("/"))
    expect("empty string" in error.message, "message %r" % error.message)
    error = expect_raises(BadInputError, lambda: dbx.files_get_metadata("/"))
    expect("root folder is unsupported" in error.message, "message %r" % error.message)
    return "400 plain text as BadInputError"


def invalid_token(suite):
    dbx = suite.client(oauth2_access_token="sl.conformance-not-a-token")
    error = expect_raises(AuthError, dbx.users_get_current_account)
    expect(error.error.is_invalid_access_token(), "error %r" % error.error)
    return "401 invalid_access_token as AuthError"


def missing_scope(suite):
    dbx = suite.client(oauth2_access_token=suite.fixture["metadataOnlyToken"])
    error = expect_raises(AuthError, dbx.users_get_current_account)
    expect(error.error.is_missing_scope(), "error %r" % error.error)
    expect(error.error.get_missing_scope().required_scope == "account_info.read", "scope %r" % error.error)
    dbx.files_list_folder(suite.fixture["folderPath"], limit=1)
    return "missing_scope names account_info.read; a granted scope still works"


def cursor_reset(suite):
    dbx = suite.client()
    cursor = dbx.files_list_folder_get_latest_cursor(suite.fixture["folderPath"]).cursor
    suite.strict(files.list_folder_get_latest_cursor)
    suite.control("invalidate-cursors", {"email": suite.fixture["email"]})
    error = expect_raises(ApiError, lambda: dbx.files_list_folder_continue(cursor))
    expect(error.error.is_reset(), "error %r" % error.error)
    return "continue after invalidation: ApiError reset"


def longpoll(suite):
    dbx = suite.client()
    cursor = dbx.files_list_folder_get_latest_cursor("", recursive=True).cursor
    quiet = dbx.files_list_folder_longpoll(cursor, timeout=30)
    suite.strict(files.list_folder_longpoll)
    expect(not quiet.changes, "changes without a change")
    suite.control("batches", {"email": suite.fixture["email"], "batches": [
        {"seq": 10, "at": "2026-01-06T09:00:00Z", "ops": [{"op": "add", "path": "/Longpoll/new.txt", "size": 3}]},
    ]})
    woke = dbx.files_list_folder_longpoll(cursor, timeout=30)
    expect(woke.changes, "no changes after a change")
    page = dbx.files_list_folder_continue(cursor)
    paths = [entry.path_lower for entry in page.entries]
    expect("/longpoll/new.txt" in paths, "continue after longpoll: %r" % paths)
    return "timeout without changes, then changes=true and the change on continue"


def refresh(suite):
    fixture = suite.fixture
    dbx = suite.client(oauth2_access_token=None, oauth2_refresh_token=fixture["refreshToken"],
                       app_key=fixture["app"]["appKey"], app_secret=fixture["app"]["appSecret"])
    dbx.users_get_current_account()
    snapshot = dbx.get_access_token_snapshot()
    expect(snapshot is not None and snapshot.access_token, "no access token after refresh")
    expect(snapshot.access_token != fixture["shortLivedToken"], "refresh returned the old token")
    return "refresh_token grant before the first call"


def expired_refresh(suite):
    fixture = suite.fixture
    first = dropbox.Dropbox(session=suite.session(), oauth2_refresh_token=fixture["refreshToken"],
                            app_key=fixture["app"]["appKey"], app_secret=fixture["app"]["appSecret"])
    first.refresh_access_token()
    token = first.get_access_token_snapshot().access_token
    from datetime import datetime, timedelta
    dbx = suite.client(oauth2_access_token=token, oauth2_access_token_expiration=datetime.utcnow() + timedelta(hours=3),
                       oauth2_refresh_token=fixture["refreshToken"],
                       app_key=fixture["app"]["appKey"], app_secret=fixture["app"]["appSecret"])
    suite.control("tokens/expire", {"accessToken": token})
    dbx.files_list_folder(fixture["folderPath"], limit=2)
    renewed = dbx.get_access_token_snapshot().access_token
    expect(renewed != token, "the SDK did not refresh after 401 expired_access_token")
    return "401 expired_access_token, SDK refreshed and retried"


def rate_limit(suite):
    dbx = suite.client()
    for style in ("json", "text"):
        suite.control("faults", {"kind": "rate_limit", "route": "files/list_folder", "times": 1, "retryAfterSeconds": 1, "style": style})
        started = time.time()
        dbx.files_list_folder(suite.fixture["folderPath"], limit=1)
        waited = time.time() - started
        expect(waited >= 0.9, "retried after %.2fs, before Retry-After" % waited)
    return "429 (JSON and plain text) retried after Retry-After"


def server_error(suite):
    dbx = suite.client()
    suite.control("faults", {"kind": "server_error", "route": "files/get_metadata", "times": 1, "status": 503})
    dbx.files_get_metadata(suite.fixture["filePath"])
    return "503 retried by the SDK"


def check_user(suite):
    dbx = suite.client()
    echoed = dbx.check_user("conformance")
    expect(echoed.result == "conformance", "echo %r" % echoed.result)
    return "echo"


def sharing_routes(suite):
    dbx = suite.client()
    folders = dbx.sharing_list_folders(limit=1)
    suite.strict(sharing.list_folders)
    ids = [folder.shared_folder_id for folder in folders.entries]
    while folders.cursor:
        folders = dbx.sharing_list_folders_continue(folders.cursor)
        suite.strict(sharing.list_folders_continue)
        ids += [folder.shared_folder_id for folder in folders.entries]
    expect(suite.fixture["sharedFolderId"] in ids, "shared folder missing from %r" % ids)
    meta = dbx.sharing_get_folder_metadata(suite.fixture["sharedFolderId"])
    suite.strict(sharing.get_folder_metadata)
    members = dbx.sharing_list_folder_members(suite.fixture["sharedFolderId"], limit=1)
    suite.strict(sharing.list_folder_members)
    count = len(members.users)
    while members.cursor:
        members = dbx.sharing_list_folder_members_continue(members.cursor)
        suite.strict(sharing.list_folder_members_continue)
        count += len(members.users)
    expect(count == 2, "%d user members, expected owner and member" % count)
    return "%s: %d members" % (meta.name, count)


def revoke(suite):
    fixture = suite.fixture
    issued = suite.control("tokens", {"email": fixture["email"], "appKey": fixture["app"]["appKey"], "accessType": "online"})
    dbx = suite.client(oauth2_access_token=issued["accessToken"])
    dbx.auth_token_revoke()
    expect(json.loads(suite.last_body.decode("utf-8")) is None, "revoke did not answer null")
    error = expect_raises(AuthError, dbx.users_get_current_account)
    expect(error.error.is_invalid_access_token(), "error %r" % error.error)
    return "revoked token answers invalid_access_token"


CHECKS = [
    ("current account", ["users/get_current_account"], account),
    ("list root recursively, paged", ["files/list_folder", "files/list_folder/continue"], list_all),
    ("list_folder with every option", ["files/list_folder"], list_folder_options),
    ("get_metadata file/folder/id/deleted", ["files/get_metadata"], get_metadata),
    ("409 not_found / not_folder", ["files/get_metadata", "files/list_folder"], not_found),
    ("400 bad input", ["files/list_folder", "files/get_metadata"], bad_input),
    ("401 invalid token", ["users/get_current_account"], invalid_token),
    ("401 missing_scope", ["users/get_current_account"], missing_scope),
    ("cursor reset", ["files/list_folder/get_latest_cursor", "files/list_folder/continue"], cursor_reset),
    ("longpoll", ["files/list_folder/longpoll"], longpoll),
    ("refresh token", ["oauth2/token"], refresh),
    ("auto-refresh on 401 expired", ["oauth2/token", "files/list_folder"], expired_refresh),
    ("429 retry", ["files/list_folder"], rate_limit),
    ("5xx retry", ["files/get_metadata"], server_error),
    ("check/user", ["check/user"], check_user),
    ("sharing", ["sharing/list_folders", "sharing/list_folders/continue", "sharing/get_folder_metadata",
                 "sharing/list_folder_members", "sharing/list_folder_members/continue"], sharing_routes),
    ("token revoke", ["auth/token/revoke"], revoke),
]


def main(fixture_file, results_file):
    with open(fixture_file, encoding="utf-8") as handle:
        suite = Suite(json.load(handle))
    only = set(sys.argv[3:])
    for name, routes, body in CHECKS:
        if not only or name in only:
            suite.run(name, routes, lambda body=body: body(suite))
    with open(results_file, "w", encoding="utf-8") as handle:
        json.dump({"results": suite.results, "sdkVersion": dropbox.__version__}, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
