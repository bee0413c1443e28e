{{ pii_masked_view('fct_cohort_retention') }}
