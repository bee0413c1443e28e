{{ pii_masked_view('fct_clv_by_acquisition') }}
