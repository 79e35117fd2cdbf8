"""Where the API key and base URL come from (``sdk.md``).

Order, first found wins:
- key: the ``api_key`` argument, ``CALLINGBOX_API_KEY``, then ``credentials.json`` in
  ``CALLINGBOX_DATA_DIR`` (or ``./.callingbox/``), which a local server writes on first start;
- base URL: the ``base_url`` argument, ``CALLINGBOX_BASE_URL``, the ``base_url`` of that
  ``credentials.json`` when the key came from it, then ``http://localhost:8080``.
"""

from __future__ import annotations

import json
import os
from typing import Mapping, NamedTuple, Optional

from ._errors import CallingboxError

DEFAULT_BASE_URL = "http://localhost:8080"
CREDENTIALS_FILE = "credentials.json"
DEFAULT_DATA_DIR = ".callingbox"


class ResolvedConfig(NamedTuple):
    api_key: str
    base_url: str
    source: str  # "argument", "environment" or the credentials.json path, for error messages


def credentials_path(env: Mapping[str, str]) -> str:
    data_dir = env.get("CALLINGBOX_DATA_DIR") or DEFAULT_DATA_DIR
    return os.path.join(data_dir, CREDENTIALS_FILE)


def _read_credentials(path: str) -> Optional[dict]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise CallingboxError(f"Could not read {path}: {e}") from e
    return data if isinstance(data, dict) else None


def normalize_base_url(url: str) -> str:
    """Strip trailing slashes and a trailing ``/v1``: paths in this SDK start with ``/v1``."""
    url = url.strip().rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    return url


def resolve_config(
    api_key: Optional[str] = None,
    base_url: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
) -> ResolvedConfig:
    env = os.environ if env is None else env
    env_base = env.get("CALLINGBOX_BASE_URL") or None
    if api_key:
        return ResolvedConfig(api_key, normalize_base_url(base_url or env_base or DEFAULT_BASE_URL), "argument")
    env_key = env.get("CALLINGBOX_API_KEY") or None
    if env_key:
        return ResolvedConfig(env_key, normalize_base_url(base_url or env_base or DEFAULT_BASE_URL), "environment")
    path = credentials_path(env)
    creds = _read_credentials(path)
    if creds and isinstance(creds.get("api_key"), str) and creds["api_key"]:
        cred_base = creds.get("base_url") if isinstance(creds.get("base_url"), str) else None
        url = base_url or env_base or cred_base or DEFAULT_BASE_URL
        return ResolvedConfig(creds["api_key"], normalize_base_url(url), path)
    raise CallingboxError(
        "No CallingBox API key: pass api_key=..., set CALLINGBOX_API_KEY, or start a local server "
        f"(`npx callingbox start`) so that it writes {path} (set CALLINGBOX_DATA_DIR to its data "
        "directory)."
    )
