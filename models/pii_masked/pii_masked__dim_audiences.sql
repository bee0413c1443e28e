{{ pii_masked_view('dim_audiences') }}
