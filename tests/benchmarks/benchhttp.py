"""What the Python benchmarks share: one blocking REST call with JSON in and out (urllib only: no PyPI here)."""
import json
import urllib.error
import urllib.request


def request(method, url, body=None, token=None, content_type="application/json"):
    """(status, body): the body parsed as JSON, as text when it is not JSON, None when empty or an HTTP error."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            try:
                return r.status, json.loads(raw) if raw else None
            except ValueError:
                return r.status, raw.decode()
    except urllib.error.HTTPError as e:
        return e.code, None
