select
    id as customer_id,
    first_name || ' ' || last_name as full_name,
    signed_up::date as signed_up_on,
    is_active
from {{ source('raw', 'raw_customers') }}
