{{ pii_masked_view('fct_source_rejects') }}
