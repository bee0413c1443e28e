{{ pii_masked_view('fct_attribution_credits') }}
