{# Connected components of the identity graph (materialization: connected_components). #}
select
    node_a,
    node_b
from {{ ref('int_identity__edges') }}
