"""`cdp bench`: the CDP end to end at a chosen size, with its reference implementations."""
