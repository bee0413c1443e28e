{# Connected components of oversized components over their strong links only. #}
select
    node_a,
    node_b
from {{ ref('int_identity__strong_edges') }}
