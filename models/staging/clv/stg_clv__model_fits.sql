{# One row: the fit the CLV step made in this build (typed by the step, cdp/clv/step.py). #}
-- The CLV step fits on the purchase summary: dbt cannot see that through the source.
-- depends_on: {{ ref('int_clv__purchase_summary') }}
select
    fit_status,
    fit_error,
    period_days,
    fit_seconds,
    bgnbd_r,
    bgnbd_alpha,
    bgnbd_a,
    bgnbd_b,
    bgnbd_log_likelihood,
    bgnbd_n_customers,
    bgnbd_n_groups,
    bgnbd_converged,
    bgnbd_iterations,
    gamma_gamma_p,
    gamma_gamma_q,
    gamma_gamma_v,
    gamma_gamma_log_likelihood,
    gamma_gamma_n_customers,
    gamma_gamma_converged,
    gamma_gamma_iterations
from {{ source('clv', 'model_fits') }}
