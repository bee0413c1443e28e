{# At most one row: the salt of every privacy hash (made by `cdp.privacy.store.salt`). #}
with

salts as (

    {{ source_rows_or_none('privacy', 'salt', {'salt': 'varchar'}) }}

)

select min(salt) as salt
from salts
having count(*) > 0
