{{ config(
    materialized='table',
    persist_docs={'relation': true, 'columns': true},
    query_tag='shop_profiles',
    contract={'enforced': true},
    copy_grants=true,
) }}
select
    customer_id::number(38,0) as customer_id,
    full_name::varchar(200) as full_name,
    is_active::boolean as is_active
from {{ ref('stg_customers') }}
