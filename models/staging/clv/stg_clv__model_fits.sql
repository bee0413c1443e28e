{# One row: the fit the CLV step made in this build (typed by the step). #}
select * from {{ source('clv', 'model_fits') }}
