{{ pii_masked_view('fct_identity_audit') }}
