{{ pii_masked_view('fct_audience_members') }}
