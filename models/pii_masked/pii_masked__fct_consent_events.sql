{{ pii_masked_view('fct_consent_events') }}
