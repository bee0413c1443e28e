{{ pii_masked_view('dim_identity_identifiers') }}
