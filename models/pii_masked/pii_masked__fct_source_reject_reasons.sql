{{ pii_masked_view('fct_source_reject_reasons') }}
