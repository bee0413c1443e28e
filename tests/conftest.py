"""Session-wide settings for every test.

Destination tests talk to loopback servers on 127.0.0.1, which the address policy refuses
unless the operator allows it (`CDP_ALLOW_PRIVATE_NETWORKS`): set here at import time, so it
also reaches the `cdp` subprocesses tests start. Tests of the policy itself change or unset it
with monkeypatch. Reports the tests' jobs write go to a scratch folder the same way.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CDP_ALLOW_PRIVATE_NETWORKS", "127.0.0.0/8")
# Every job a test runs ends with the report: it goes to a scratch folder, not data/reports.
os.environ.setdefault("CDP_REPORT_DIR", tempfile.mkdtemp(prefix="cdp-test-reports-"))
