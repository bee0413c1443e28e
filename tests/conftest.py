"""Session-wide settings for every test.

Destination tests talk to loopback servers on 127.0.0.1, which the address policy refuses
unless the operator allows it (`CDP_ALLOW_PRIVATE_NETWORKS`): set here at import time, so it
also reaches the `cdp` subprocesses tests start. Tests of the policy itself change or unset it
with monkeypatch.
"""

from __future__ import annotations

import os

os.environ.setdefault("CDP_ALLOW_PRIVATE_NETWORKS", "127.0.0.0/8")
