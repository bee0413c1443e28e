{{ pii_masked_view('dim_consent') }}
