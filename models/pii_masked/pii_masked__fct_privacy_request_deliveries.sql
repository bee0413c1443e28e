{{ pii_masked_view('fct_privacy_request_deliveries') }}
