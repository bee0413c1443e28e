{# One row per customer with a purchase: the CLV step's predictions (typed by the step). #}
select * from {{ source('clv', 'scores') }}
