{{ pii_masked_view('fct_attribution_by_channel') }}
