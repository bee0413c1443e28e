"""Privacy: forget requests (right to erasure) resolved through the ID graph, a suppression
list of salted hashes, and the audit of each request (marts.fct_privacy_requests)."""
