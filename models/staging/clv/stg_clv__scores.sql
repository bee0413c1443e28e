{# One row per customer with a purchase: the CLV step's predictions (cdp/clv/step.py). #}
-- The CLV step fits on the purchase summary: dbt cannot see that through the source.
-- depends_on: {{ ref('int_clv__purchase_summary') }}
select
    person_id,
    expected_purchases_90d,
    expected_purchases_365d,
    p_alive,
    expected_avg_order_value,
    predicted_clv
from {{ source('clv', 'scores') }}
