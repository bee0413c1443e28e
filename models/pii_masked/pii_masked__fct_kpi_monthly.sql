{{ pii_masked_view('fct_kpi_monthly') }}
