"""HTTP plumbing shared by every destination: throttling, retries, split retries, and the
policy on which network addresses destinations may reach."""

from reverse_etl.transport.address_policy import AddressRefused, check_url
from reverse_etl.transport.bisect import Sent, is_request_level, send_with_bisection
from reverse_etl.transport.http import HttpTransport
from reverse_etl.transport.ratelimit import RateLimiter, limiter_for, reset_limiters
from reverse_etl.transport.retry import RetryPolicy, backoff_delay, parse_retry_after, retry_call

__all__ = [
    "AddressRefused",
    "HttpTransport",
    "RateLimiter",
    "RetryPolicy",
    "Sent",
    "backoff_delay",
    "check_url",
    "is_request_level",
    "limiter_for",
    "parse_retry_after",
    "reset_limiters",
    "retry_call",
    "send_with_bisection",
]
