{{ pii_masked_view('fct_privacy_requests') }}
